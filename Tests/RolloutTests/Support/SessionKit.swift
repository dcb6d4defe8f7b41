import Foundation
import Rollout

/// A portal session wired to test doubles: fake clock, scripted transport, memory store, one log.
struct SessionKit {
    static let endpoint = "https://acme.bitrix24.com/rest/"
    static let tokenURL = "https://oauth.bitrix.info/oauth/token/"
    static let clientSecret = "s3cr3t-client"

    let log = EventLog()
    let clock: FakeClock
    let transport: ScriptedTransport
    let store: MemoryCredentialStore
    let refresher: TokenRefresher
    let keeper: TokenKeeper

    init(_ answers: [HTTPResponse] = [], handler: ScriptedTransport.Handler? = nil) {
        clock = FakeClock(log: log)
        transport = ScriptedTransport(answers, log: log, handler: handler)
        store = MemoryCredentialStore(log: log)
        refresher = TokenRefresher(transport: transport, tokenURL: Self.tokenURL, clientID: "app.client", clientSecret: Self.clientSecret)
        keeper = TokenKeeper(refresher: refresher, store: store, clock: clock)
    }

    func session(
        memberID: String = "m1", accessToken: String = "access-1", refreshToken: String = "refresh-1",
        policy: RetryPolicy = RetryPolicy(), health: FleetHealth? = nil
    ) -> PortalSession {
        if store.row(memberID) == nil { store.put(memberID, access: accessToken, refresh: refreshToken, endpoint: Self.endpoint) }
        return PortalSession(
            memberID: memberID, endpoint: Self.endpoint, accessToken: accessToken, refreshToken: refreshToken,
            transport: transport, clock: clock, keeper: keeper, policy: policy, health: health)
    }

    /// REST requests only (not the OAuth server).
    var restRequests: [HTTPRequest] { transport.requests.filter { !$0.url.hasPrefix(Self.tokenURL) } }
    var tokenRequests: [HTTPRequest] { transport.requests(to: Self.tokenURL) }
}

/// The error a throwing async call ends with, or nil when it succeeds.
func caught<T>(_ body: () async throws -> T) async -> Error? {
    do {
        _ = try await body()
        return nil
    } catch {
        return error
    }
}
