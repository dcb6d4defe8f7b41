import Foundation
import ReleasePlan

/// The OAuth server's side of a refresh: one `refresh_token` grant, and what came back. Storing
/// the answer is the `TokenKeeper`'s job. The client secret goes only to the OAuth server, and
/// never into an error message.
public struct TokenRefresher: Sendable {
    let transport: any HTTPTransport
    public let tokenURL: String
    let clientID: String
    let clientSecret: String
    /// Refreshes sent, for statistics.
    let counter = RefreshCounter()

    public init(transport: any HTTPTransport, tokenURL: String, clientID: String, clientSecret: String) {
        self.transport = transport
        self.tokenURL = tokenURL
        self.clientID = clientID
        self.clientSecret = clientSecret
    }

    /// Refresh grants sent so far.
    public var refreshes: Int { counter.value }

    /// New tokens for `refreshToken`; throws `BitrixError.oauth` when the server refuses, and
    /// `BitrixError.transport` when it cannot be reached.
    public func refresh(refreshToken: String) async throws -> OAuthTokens {
        counter.increment()
        let query = PHPQuery.encode([
            "grant_type": .string("refresh_token"), "client_id": .string(clientID), "client_secret": .string(clientSecret),
            "refresh_token": .string(refreshToken),
        ])
        let separator = tokenURL.contains("?") ? "&" : "?"
        let response: HTTPResponse
        do {
            response = try await transport.send(HTTPRequest(method: "GET", url: tokenURL + separator + query))
        } catch let cancelled as CancellationError {
            throw cancelled
        } catch {
            throw BitrixError.oauth(code: Self.unreachable, status: 0)
        }
        let json = BitrixResponse.json(response.body)
        if let code = json?.field("error")?.stringValue {
            throw BitrixError.oauth(code: code, status: response.status)
        }
        guard response.status == 200, let access = json?.field("access_token")?.text, let refresh = json?.field("refresh_token")?.text,
            !access.isEmpty, !refresh.isEmpty
        else {
            throw BitrixError.oauth(code: response.status == 404 ? "not_found" : "HTTP \(response.status)", status: response.status)
        }
        return OAuthTokens(
            accessToken: access, refreshToken: refresh, expiresAt: json?.field("expires")?.text.flatMap { Int($0) },
            endpoint: json?.field("client_endpoint")?.text,
            scopes: (json?.field("scope")?.text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
    }

    /// The code of `BitrixError.oauth` when the token URL gave no answer at all.
    public static let unreachable = "no answer"

    /// The token URL without its query (which could hold anything).
    static func redacted(_ url: String) -> String {
        url.firstIndex(of: "?").map { String(url[..<$0]) } ?? url
    }
}

/// A thread-safe counter.
final class RefreshCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
