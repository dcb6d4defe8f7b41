import Foundation
import PlanStore
import ReleasePlan
import Rollout
import Testing

/// The token protocol shared with the app's own refresh code (DESIGN §7): re-read before
/// refreshing, compare-and-swap writes, patience on invalid_grant, token writes never dropped.
@Suite("Token protocol: other refreshers, lost races, unwritable stores")
struct TokenProtocolTests {
    /// A portal that accepts only `valid` access tokens and an OAuth server that rotates
    /// `refresh-1` into `access-2` / `refresh-2` (and refuses any other refresh token).
    final class Portal: @unchecked Sendable {
        private let lock = NSLock()
        var valid: Set<String> = ["access-2", "access-app"]
        var onRefresh: (@Sendable () -> Void)?

        func answer(_ request: HTTPRequest) -> HTTPResponse {
            if request.url.hasPrefix(SessionKit.tokenURL) {
                lock.withLock { onRefresh }?()
                if request.query["refresh_token"] == "refresh-1" { return Answer.token(access: "access-2", refresh: "refresh-2") }
                return Answer.error("invalid_grant", "Invalid grant", status: 400)
            }
            let isValid = lock.withLock { valid.contains(request.auth ?? "") }
            return isValid ? Answer.result(#"{"ok":true}"#) : Answer.error("expired_token", "expired", status: 401)
        }
    }

    @Test("a row another refresher already rotated is used as it is: no refresh is sent")
    func aChangedRowIsAdopted() async throws {
        let portal = Portal()
        let kit = SessionKit(handler: { portal.answer($0) })
        let session = kit.session()
        kit.store.put("m1", access: "access-app", refresh: "refresh-app")  // the live app refreshed meanwhile
        #expect(try await session.call("scope").field("ok") == .bool(true))
        #expect(kit.tokenRequests.isEmpty)
        #expect(kit.restRequests.map(\.auth) == ["access-1", "access-app"])
        #expect(kit.store.savedTokens.isEmpty)
        #expect(kit.store.row("m1")?.refreshToken == "refresh-app")
    }

    @Test("a write that loses the race keeps the winner's tokens and uses them")
    func aLostCompareAndSwapUsesTheRow() async throws {
        let portal = Portal()
        let kit = SessionKit(handler: { portal.answer($0) })
        let session = kit.session()
        // The app writes its own rotation while our refresh is on the wire.
        portal.onRefresh = { kit.store.put("m1", access: "access-app", refresh: "refresh-app") }
        #expect(try await session.call("scope").field("ok") == .bool(true))
        #expect(kit.tokenRequests.count == 1)
        #expect(kit.store.row("m1")?.refreshToken == "refresh-app")
        #expect(kit.restRequests.last?.auth == "access-app")
        #expect(kit.log.entries.contains("save tokens m1 lost the race"))
    }

    @Test("invalid_grant waits for the other refresher's write and uses it")
    func invalidGrantRereadsTheRow() async throws {
        let kit = SessionKit(handler: { request in
            if request.url.hasPrefix(SessionKit.tokenURL) { return Answer.error("invalid_grant", "Invalid grant", status: 400) }
            return request.auth == "access-app" ? Answer.result("true") : Answer.error("expired_token", "", status: 401)
        })
        let session = kit.session()
        // The other refresher's write lands during the fifth re-read after our refresh was refused.
        let store = kit.store
        store.onLoad = { count in if count == 6 { store.put("m1", access: "access-app", refresh: "refresh-app") } }
        #expect(try await session.call("scope") == .bool(true))
        #expect(kit.restRequests.map(\.auth) == ["access-1", "access-app"])
        #expect(kit.tokenRequests.count == 1)
        #expect(kit.clock.sleeps == [0.25, 0.25, 0.25, 0.25])
        #expect(kit.store.savedTokens.isEmpty)
    }

    @Test("invalid_grant with no newer tokens within the patience needs a reinstall")
    func invalidGrantGivesUpAfterThePatience() async throws {
        let kit = SessionKit(handler: { request in
            if request.url.hasPrefix(SessionKit.tokenURL) { return Answer.error("invalid_grant", "Invalid grant", status: 400) }
            return Answer.error("expired_token", "", status: 401)
        })
        let error = await caught { try await kit.session().call("scope") }
        #expect(error as? BitrixError == .oauth(code: "invalid_grant", status: 400))
        #expect(PortalOutcome.from(error!).state == .needsReinstall)
        #expect(kit.clock.slept >= TokenKeeper.Patience().invalidGrant)
        #expect(kit.clock.slept < TokenKeeper.Patience().invalidGrant + 1)
    }

    @Test("a failing token write is retried with back-off until it is stored, before the token is used")
    func aTokenWriteIsRetried() async throws {
        let portal = Portal()
        let kit = SessionKit(handler: { portal.answer($0) })
        let session = kit.session()
        kit.store.failWrites(4)
        #expect(try await session.call("scope").field("ok") == .bool(true))
        #expect(kit.store.row("m1")?.refreshToken == "refresh-2")
        #expect(kit.clock.sleeps == [0.25, 0.5, 1, 2])
        let stored = try #require(kit.log.entries.firstIndex(of: "save tokens m1 access-2"))
        let used = try #require(kit.log.entries.lastIndex { $0.hasSuffix(" access-2") && $0.hasPrefix("send") })
        #expect(stored < used)
    }

    @Test("a store that never takes the tokens stops the fleet and names the portal")
    func anUnwritableStoreStopsTheFleet() async throws {
        let portal = Portal()
        let log = EventLog()
        let clock = FakeClock(log: log)
        let transport = ScriptedTransport(log: log, handler: { portal.answer($0) })
        let store = MemoryCredentialStore(log: log)
        store.put("m1", access: "access-1", refresh: "refresh-1")
        store.failWrites(1_000)
        let health = FleetHealth(tokenURL: SessionKit.tokenURL, interruption: Interruption())
        let refresher = TokenRefresher(transport: transport, tokenURL: SessionKit.tokenURL, clientID: "c", clientSecret: "s")
        var patience = TokenKeeper.Patience()
        patience.tokenWrite = 60
        let keeper = TokenKeeper(refresher: refresher, store: store, clock: clock, health: health, patience: patience)
        let session = PortalSession(
            memberID: "m1", endpoint: SessionKit.endpoint, accessToken: "access-1", refreshToken: "refresh-1", transport: transport,
            clock: clock, keeper: keeper, health: health)
        let error = await caught { try await session.call("scope") }
        #expect(error is TokensNotStored)
        #expect(health.unsavedTokens == ["m1"])
        #expect(health.stopReason != nil)
        #expect(clock.slept >= 45 && clock.slept <= 60)
        // The new token was never used.
        #expect(!transport.requests.contains { $0.auth == "access-2" })
        #expect(!"\(error!)".contains("refresh-2") && !"\(error!)".contains("access-2"))
        let stopped = FleetStopped(reason: health.stopReason!, unsavedTokens: health.unsavedTokens)
        #expect("\(stopped)".contains("m1"))
    }

    @Test("after its own refresh a session does not refresh a second time")
    func oneRefreshPerSession() async throws {
        let kit = SessionKit(handler: { request in
            if request.url.hasPrefix(SessionKit.tokenURL) { return Answer.token(access: "access-2", refresh: "refresh-2") }
            return Answer.error("expired_token", "expired", status: 401)
        })
        let error = await caught { try await kit.session().call("scope") }
        #expect(error as? BitrixError == .api(code: "expired_token", message: "expired", status: 401))
        #expect(kit.tokenRequests.count == 1)
    }
}

extension TokenProtocolTests {
    @Test("once the store refuses a token write, no other refresh begins (each would rotate a token it may not keep)")
    func aRefusedWriteStopsOtherRefreshes() async throws {
        let portal = Portal()
        let log = EventLog()
        let clock = FakeClock(log: log)
        let transport = ScriptedTransport(log: log, handler: { portal.answer($0) })
        let store = MemoryCredentialStore(log: log)
        for member in ["m1", "m2"] { store.put(member, access: "access-1", refresh: "refresh-1") }
        store.failWrites(1_000)
        let health = FleetHealth(tokenURL: SessionKit.tokenURL, interruption: Interruption())
        let notices = EventLog()
        health.setNoticeHandler { notices.append($0) }
        let refresher = TokenRefresher(transport: transport, tokenURL: SessionKit.tokenURL, clientID: "c", clientSecret: "s")
        var patience = TokenKeeper.Patience()
        patience.tokenWrite = 30
        let keeper = TokenKeeper(refresher: refresher, store: store, clock: clock, health: health, patience: patience)
        func session(_ member: String) -> PortalSession {
            PortalSession(
                memberID: member, endpoint: SessionKit.endpoint, accessToken: "access-1", refreshToken: "refresh-1", transport: transport,
                clock: clock, keeper: keeper, health: health)
        }
        let first = await caught { try await session("m1").call("scope") }
        #expect(first is TokensNotStored)
        #expect(notices.entries.first?.contains("no new portal starts") == true, "\(notices.entries)")
        let second = await caught { try await session("m2").call("scope") }
        #expect(second is FleetStopped)
        #expect(transport.requests(to: SessionKit.tokenURL).count == 1, "m2's token was not refreshed")
    }
}
