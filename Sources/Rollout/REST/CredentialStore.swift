/// New tokens from the OAuth server.
public struct OAuthTokens: Sendable, Equatable {
    public var accessToken: String
    public var refreshToken: String
    public var expiresAt: Int?
    /// The portal's REST address as the OAuth server knows it (`client_endpoint`).
    public var endpoint: String?
    public var scopes: [String]

    public init(accessToken: String, refreshToken: String, expiresAt: Int? = nil, endpoint: String? = nil, scopes: [String] = []) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.expiresAt = expiresAt
        self.endpoint = endpoint
        self.scopes = scopes
    }
}

/// A portal's tokens as its installation row holds them now.
public struct StoredCredentials: Sendable, Equatable {
    public var accessToken: String
    public var refreshToken: String
    public var endpoint: String

    public init(accessToken: String, refreshToken: String, endpoint: String) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.endpoint = endpoint
    }
}

/// Where tokens are re-read and rotated tokens written (the app's installations table), shared
/// with the app's own refresh code: every write is a compare-and-swap on the refresh token that
/// was used (DESIGN §7, token protocol).
public protocol CredentialStore: Sendable {
    /// The row as it is now; nil when the installation is gone.
    func load(memberID: String) async throws -> StoredCredentials?
    /// Writes `tokens` only while the row still holds `replacing` as its refresh token; false when
    /// the row changed meanwhile (another refresher won: use what it stored).
    func replaceTokens(memberID: String, replacing: String, with tokens: OAuthTokens) async throws -> Bool
    /// Stores a renamed portal's new REST address (writing commands only).
    func saveEndpoint(memberID: String, endpoint: String) async throws
    /// False for read-only commands: they keep new addresses in memory and never store them.
    var storesEndpoints: Bool { get }
}
