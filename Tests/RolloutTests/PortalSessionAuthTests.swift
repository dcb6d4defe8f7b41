import Foundation
import PlanStore
import ReleasePlan
import Rollout
import Testing

@Suite("PortalSession: token refresh")
struct PortalSessionAuthTests {
    /// A portal that accepts only `access-2` (and answers 401 expired_token to anything else) and an
    /// OAuth server that hands out `access-2` / `refresh-2` (after `tokenDelay`, when given).
    static func rotatingPortal(tokenAnswer: HTTPResponse = Answer.token(access: "access-2", refresh: "refresh-2")) -> SessionKit {
        SessionKit(handler: { request in
            if request.url.hasPrefix(SessionKit.tokenURL) { return tokenAnswer }
            if request.auth == "access-2" { return Answer.result(#"{"ok":true}"#) }
            return Answer.error("expired_token", "The access token provided has expired.", status: 401)
        })
    }

    @Test func expiredTokenRefreshesOnceSavesThenRetries() async throws {
        let kit = Self.rotatingPortal()
        let session = kit.session()
        let result = try await session.call("app.info")
        #expect(result.field("ok") == .bool(true))

        let token = try #require(kit.tokenRequests.first)
        #expect(kit.tokenRequests.count == 1)
        #expect(token.method == "GET")
        #expect(
            token.query == [
                "grant_type": "refresh_token", "client_id": "app.client", "client_secret": SessionKit.clientSecret,
                "refresh_token": "refresh-1",
            ])
        #expect(kit.store.savedTokens.map(\.accessToken) == ["access-2"])
        #expect(kit.store.savedTokens.map(\.refreshToken) == ["refresh-2"])
        #expect(kit.store.savedTokens.first?.scopes == ["crm", "placement"])
        #expect(kit.store.savedTokens.first?.expiresAt == 1_700_003_600)
        #expect(session.refreshedScopes == ["crm", "placement"])
        // The new tokens are stored before any request uses them.
        #expect(
            kit.log.entries == [
                "send https://acme.bitrix24.com/rest/app.info access-1",
                "send \(token.url) -",
                "save tokens m1 access-2",
                "send https://acme.bitrix24.com/rest/app.info access-2",
            ])
        // The client secret goes only to the OAuth server.
        for request in kit.restRequests {
            #expect(!request.url.contains(SessionKit.clientSecret))
            #expect(!String(decoding: request.body, as: UTF8.self).contains(SessionKit.clientSecret))
        }
        // Later calls use the new token without another refresh.
        _ = try await session.call("scope")
        #expect(kit.restRequests.last?.auth == "access-2")
        #expect(kit.tokenRequests.count == 1)
    }

    @Test(arguments: ["invalid_token", "NO_AUTH_FOUND"])
    func anUnknownTokenAlsoRefreshes(code: String) async throws {
        let kit = SessionKit([
            Answer.error(code, "", status: 401), Answer.token(access: "access-2", refresh: "refresh-2"), Answer.result("1"),
        ])
        #expect(try await kit.session().call("scope") == .number("1"))
        #expect(kit.tokenRequests.count == 1)
    }

    @Test func theTokenAnswersEndpointIsUsed() async throws {
        let kit = Self.rotatingPortal(
            tokenAnswer: Answer.token(access: "access-2", refresh: "refresh-2", endpoint: "https://new.bitrix24.com/rest/"))
        let session = kit.session()
        _ = try await session.call("scope")
        #expect(kit.restRequests.last?.url == "https://new.bitrix24.com/rest/scope")
        #expect(session.endpoint == "https://new.bitrix24.com/rest/")
        #expect(kit.store.savedTokens.first?.endpoint == "https://new.bitrix24.com/rest/")
    }

    @Test func aSecond401AfterTheRefreshIsThrown() async throws {
        let kit = SessionKit(handler: { request in
            if request.url.hasPrefix(SessionKit.tokenURL) { return Answer.token(access: "access-2", refresh: "refresh-2") }
            return Answer.error("expired_token", "expired", status: 401)
        })
        let error = await caught { try await kit.session().call("scope") }
        #expect(error as? BitrixError == .api(code: "expired_token", message: "expired", status: 401))
        #expect(kit.tokenRequests.count == 1)
        #expect(kit.restRequests.map(\.auth) == ["access-1", "access-2"])
        #expect(PortalOutcome.from(error!).state == .failed)
    }

    struct OAuthFailure: Sendable, CustomTestStringConvertible {
        var name: String
        var answer: HTTPResponse
        var code: String
        var status: Int
        var state: Journal.PortalState
        var testDescription: String { name }
    }

    @Test(
        "an OAuth refusal with no successful refresh in the run: never inactive (it may be a wrong secret or token URL)",
        arguments: [
            OAuthFailure(
                name: "invalid_grant", answer: Answer.error("invalid_grant", "Invalid grant", status: 400), code: "invalid_grant",
                status: 400, state: .needsReinstall),
            OAuthFailure(
                name: "invalid_client", answer: Answer.error("invalid_client", "Invalid client", status: 401), code: "invalid_client",
                status: 401, state: .failed),
            OAuthFailure(name: "HTTP 404 page", answer: Answer.html(status: 404), code: "not_found", status: 404, state: .failed),
            OAuthFailure(
                name: "HTTP 404 with JSON", answer: Answer.error("NOT_FOUND", "Portal not found", status: 404), code: "NOT_FOUND",
                status: 404, state: .failed),
            OAuthFailure(
                name: "PAYMENT_REQUIRED", answer: Answer.error("PAYMENT_REQUIRED", "", status: 402), code: "PAYMENT_REQUIRED",
                status: 402, state: .failed),
        ])
    func oauthRefusal(_ item: OAuthFailure) async throws {
        let kit = Self.rotatingPortal(tokenAnswer: item.answer)
        let error = await caught { try await kit.session().call("app.info") }
        #expect(error as? BitrixError == .oauth(code: item.code, status: item.status))
        #expect(PortalOutcome.from(error!).state == item.state)
        #expect(kit.store.saved.isEmpty)
        #expect(kit.restRequests.count == 1)
        #expect(!(PortalOutcome.from(error!).lastError ?? "").contains(SessionKit.clientSecret))
    }

    @Test func anUnreachableOAuthServerFails() async throws {
        let kit = SessionKit(handler: { request in
            if request.url.hasPrefix(SessionKit.tokenURL) { throw TransportError(message: "timed out") }
            return Answer.error("expired_token", "", status: 401)
        })
        let error = await caught { try await kit.session().call("app.info") }
        #expect(error as? BitrixError == .oauth(code: TokenRefresher.unreachable, status: 0))
        #expect(PortalOutcome.from(error!).state == .failed)
        #expect(PortalOutcome.from(error!).suspect == .tokenServerUnreachable)
    }

    @Test("an OAuth 404 is evidence about the portal only once another portal's refresh succeeded in the run")
    func oauthNotFoundAfterASuccessIsInactive() async throws {
        let kit = Self.rotatingPortal(tokenAnswer: Answer.html(status: 404))
        let error = await caught { try await kit.session().call("app.info") }
        let health = FleetHealth()
        #expect(PortalOutcome.from(error!, health: health).state == .failed)
        health.refreshSucceeded()
        #expect(PortalOutcome.from(error!, health: health).state == .inactive)
    }

    /// Counts the 401s given, so the token answer can wait until every session has met one.
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func increment() { lock.withLock { count += 1 } }
        var value: Int { lock.withLock { count } }
    }

    @Test func concurrent401sOfOneMemberShareOneRefresh() async throws {
        let rejected = Counter()
        let kit = SessionKit(handler: { request in
            if request.url.hasPrefix(SessionKit.tokenURL) {
                // A slow OAuth server: answers only after both sessions met their 401, and then late.
                for _ in 0..<400 where rejected.value < 2 { try await Task.sleep(nanoseconds: 5_000_000) }
                try await Task.sleep(nanoseconds: 150_000_000)
                return Answer.token(access: "access-2", refresh: "refresh-2")
            }
            if request.auth == "access-2" { return Answer.result("true") }
            rejected.increment()
            return Answer.error("expired_token", "", status: 401)
        })
        let first = kit.session()
        let second = kit.session()
        async let a = first.call("placement.get")
        async let b = second.call("event.get")
        let results = try await [a, b]
        #expect(results == [.bool(true), .bool(true)])
        #expect(rejected.value == 2)
        #expect(kit.tokenRequests.count == 1)
        #expect(kit.refresher.refreshes == 1)
        #expect(kit.store.savedTokens.map(\.accessToken) == ["access-2"])
        #expect(kit.restRequests.filter { $0.auth == "access-2" }.count == 2)
        let saved = try #require(kit.log.entries.firstIndex(of: "save tokens m1 access-2"))
        #expect(kit.log.entries.indices.filter { kit.log.entries[$0].hasSuffix(" access-2") && $0 != saved }.allSatisfy { $0 > saved })
    }

    @Test func differentMembersRefreshSeparately() async throws {
        let kit = Self.rotatingPortal()
        async let a = kit.session(memberID: "m1").call("scope")
        async let b = kit.session(memberID: "m2").call("scope")
        _ = try await [a, b]
        #expect(kit.tokenRequests.count == 2)
        #expect(Set(kit.store.saved.compactMap { if case .tokens(let member, _) = $0 { member } else { nil } }) == ["m1", "m2"])
    }
}
