import Foundation
import PlanStore
import Rollout
import Testing

/// Telling a configuration or network problem from a problem of one portal (DESIGN §7).
@Suite("FleetHealth: systemic failures stop the fleet, one portal's failure does not")
struct FleetHealthTests {
    @Test("invalid_client on three different portals with no successful refresh stops, naming the secret")
    func wrongSecretStops() throws {
        let health = FleetHealth(tokenURL: "https://oauth.bitrix.info/oauth/token/?x=1", interruption: Interruption())
        health.refreshFailed(memberID: "m1", .oauthClient)
        health.refreshFailed(memberID: "m1", .oauthClient)
        health.refreshFailed(memberID: "m2", .oauthClient)
        #expect(health.stopReason == nil)
        health.refreshFailed(memberID: "m3", .oauthClient)
        let reason = try #require(health.stopReason)
        #expect("\(reason)".contains("B24_CLIENT_SECRET"))
        #expect("\(reason)".contains("nothing was marked"))
        #expect(throws: FleetStopped.self) { try health.checkpoint() }
    }

    @Test("a successful refresh in between resets the count: single portals fail on their own")
    func successResets() {
        let health = FleetHealth(interruption: Interruption())
        health.refreshFailed(memberID: "m1", .oauthClient)
        health.refreshFailed(memberID: "m2", .oauthClient)
        health.refreshSucceeded()
        health.refreshFailed(memberID: "m3", .oauthClient)
        health.refreshFailed(memberID: "m4", .oauthClient)
        #expect(health.stopReason == nil)
        #expect(health.anyRefreshSucceeded)
    }

    @Test("a token URL answering 404 names oauth.tokenUrl; one that never answers names the network")
    func tokenURLMessages() throws {
        let notFound = FleetHealth(tokenURL: "https://oauth.example/token/", interruption: Interruption())
        for member in ["a", "b", "c"] { notFound.refreshFailed(memberID: member, .tokenURL("HTTP 404")) }
        #expect("\(try #require(notFound.stopReason))".contains("oauth.tokenUrl"))
        #expect("\(try #require(notFound.stopReason))".contains("https://oauth.example/token/"))
        let unreachable = FleetHealth(interruption: Interruption())
        for member in ["a", "b", "c"] { unreachable.refreshFailed(memberID: member, .tokenServerUnreachable) }
        #expect("\(try #require(unreachable.stopReason))".contains("network"))
    }

    @Test("no answer from five portals in a row stops; any answer in between resets")
    func networkDown() throws {
        let health = FleetHealth(interruption: Interruption())
        for member in ["a", "b", "c", "d"] { health.portalUnreachable(memberID: member, "connection refused") }
        health.portalAnswered()
        for member in ["e", "f", "g", "h"] { health.portalUnreachable(memberID: member, "connection refused") }
        #expect(health.stopReason == nil)
        health.portalUnreachable(memberID: "i", "connection refused")
        #expect("\(try #require(health.stopReason))".contains("connection refused"))
    }

    @Test("a signal stops the fleet as an interruption")
    func signalStops() {
        let interruption = Interruption()
        let health = FleetHealth(interruption: interruption)
        #expect(health.stopReason == nil)
        interruption.request(SIGTERM)
        #expect(health.stopReason == .interrupted(SIGTERM))
        #expect(interruption.exitCode == 143)
        #expect(FleetStopped(reason: health.stopReason!).isInterruption)
    }

    @Test("the first stop reason is kept")
    func firstReasonWins() {
        let health = FleetHealth(interruption: Interruption())
        health.stop(.store("disk I/O error"))
        health.stop(.systemic("later"))
        #expect(health.stopReason == .store("disk I/O error"))
    }

    @Test("a stopping fleet: the session sends nothing more and the portal is not recorded")
    func aStoppedSessionSendsNothing() async throws {
        let kit = SessionKit([Answer.result("true")])
        let health = FleetHealth(interruption: Interruption())
        health.stop(.systemic("test"))
        let error = await caught { try await kit.session(health: health).call("scope") }
        #expect(error is FleetStopped)
        #expect(kit.transport.requests.isEmpty)
        #expect(PortalOutcome.from(error!).stopped)
    }

    @Test("a portal past its deadline ends failed with the reason, without waiting out a long back-off")
    func deadline() async throws {
        let limit = Answer.error("QUERY_LIMIT_EXCEEDED", "Too many requests", status: 503)
        let kit = SessionKit(handler: { _ in limit })
        var policy = RetryPolicy()
        policy.baseDelay = 4
        let session = PortalSession(
            memberID: "m1", endpoint: SessionKit.endpoint, accessToken: "a", refreshToken: "r", transport: kit.transport,
            clock: kit.clock, keeper: kit.keeper, policy: policy, deadline: kit.clock.now() + 10)
        let error = await caught { try await session.call("scope") }
        #expect(error as? BitrixError == .deadline)
        #expect(kit.clock.slept <= 10)
        #expect(PortalOutcome.from(error!).state == .failed)
        #expect(PortalOutcome.from(error!).lastError?.contains("--portal-timeout") == true)
    }

    @Test("a silent portal costs two timeouts, not five")
    func timeoutsAreRetriedOnce() async throws {
        let kit = SessionKit(handler: { _ in throw TransportError(message: "no answer within 30 s", timedOut: true) })
        let error = await caught { try await kit.session().call("scope") }
        #expect(error as? BitrixError == .transport("no answer within 30 s"))
        #expect(kit.transport.requests.count == RetryPolicy().timeoutAttempts)
        #expect(RetryPolicy().timeoutAttempts == 2)
    }
}
