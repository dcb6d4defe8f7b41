import Foundation
import ReleasePlan

/// New tokens from the OAuth server.
public struct OAuthTokens: Sendable, Equatable {
    public var accessToken: String
    public var refreshToken: String
    public var expiresAt: Int?
    public var endpoint: String?
    public var scopes: [String]
}

/// Where rotated tokens and new endpoints are written (the app's installations table).
public protocol CredentialStore: Sendable {
    func saveTokens(memberID: String, tokens: OAuthTokens) throws
    func saveEndpoint(memberID: String, endpoint: String) throws
}

/// Refreshes access tokens, once per portal at a time: concurrent callers share the refresh (the
/// refresh token rotates, so a second refresh with the old one would fail). The new tokens are
/// stored before anyone uses them. The client secret goes only to the OAuth server.
public actor TokenRefresher {
    let transport: any HTTPTransport
    let tokenURL: String
    let clientID: String
    let clientSecret: String
    let store: any CredentialStore
    private var inFlight: [String: Task<OAuthTokens, Error>] = [:]
    /// Refreshes done, for statistics.
    public private(set) var refreshes = 0

    public init(transport: any HTTPTransport, tokenURL: String, clientID: String, clientSecret: String, store: any CredentialStore) {
        self.transport = transport
        self.tokenURL = tokenURL
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.store = store
    }

    /// New tokens for `memberID`, from `refreshToken` (joined to a refresh already under way).
    public func refresh(memberID: String, refreshToken: String) async throws -> OAuthTokens {
        if let task = inFlight[memberID] { return try await task.value }
        let task = Task { try await self.perform(memberID: memberID, refreshToken: refreshToken) }
        inFlight[memberID] = task
        defer { inFlight[memberID] = nil }
        return try await task.value
    }

    private func perform(memberID: String, refreshToken: String) async throws -> OAuthTokens {
        refreshes += 1
        let query = PHPQuery.encode([
            "grant_type": .string("refresh_token"), "client_id": .string(clientID), "client_secret": .string(clientSecret),
            "refresh_token": .string(refreshToken),
        ])
        let separator = tokenURL.contains("?") ? "&" : "?"
        let response: HTTPResponse
        do {
            response = try await transport.send(HTTPRequest(method: "GET", url: tokenURL + separator + query))
        } catch {
            throw BitrixError.transport("the OAuth server did not answer")
        }
        let json = BitrixResponse.json(response.body)
        if let code = json?.field("error")?.stringValue {
            throw BitrixError.oauth(code: code, status: response.status)
        }
        guard response.status == 200, let access = json?.field("access_token")?.text, let refresh = json?.field("refresh_token")?.text
        else {
            throw BitrixError.oauth(code: response.status == 404 ? "not_found" : "HTTP \(response.status)", status: response.status)
        }
        let tokens = OAuthTokens(
            accessToken: access, refreshToken: refresh, expiresAt: json?.field("expires")?.text.flatMap { Int($0) },
            endpoint: json?.field("client_endpoint")?.text,
            scopes: (json?.field("scope")?.text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        try store.saveTokens(memberID: memberID, tokens: tokens)
        return tokens
    }
}
