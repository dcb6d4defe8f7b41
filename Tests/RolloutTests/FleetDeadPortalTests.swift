import Foundation
import PlanStore
import ReleasePlan
import Rollout
import Testing

/// The fleet on a real SQLite store with portals that give no answer: a few dead ones among healthy
/// ones end failed with their reason and the run goes on; a network that is down, from the start or
/// from mid-run, stops the step and marks nothing (DESIGN §7).
@Suite("PortalFleet: dead portals and a dead network", .timeLimit(.minutes(10)))
struct FleetDeadPortalTests {
    typealias Harness = FleetStopTests.Harness

    /// The portal number of a REST request (`https://p12.bitrix24.com/rest/…` → 12), 0 for others.
    static func portal(_ request: HTTPRequest) -> Int {
        guard request.url.hasPrefix("https://p") else { return 0 }
        return Int(request.url.dropFirst("https://p".count).prefix { $0.isNumber }) ?? 0
    }

    static let refused = TransportError(message: "Failed to connect to p.bitrix24.com port 443 after 0 ms: Couldn't connect to server")

    static func run(_ harness: Harness, _ transport: ScriptedTransport, check: Bool = true, parallel: Int = 8) async -> (
        Error?, FleetHealth
    ) {
        let health = FleetHealth(tokenURL: SessionKit.tokenURL, interruption: Interruption())
        if check { health.useNetworkCheck(TokenURLCheck(transport: transport, tokenURL: SessionKit.tokenURL, timeout: 5)) }
        let fleet = harness.fleet(transport: transport, health: health, parallel: parallel)
        let error = await caught {
            try await fleet.run(runID: harness.runID, stepID: "portals.reconcile", selection: .unfinished, task: FleetStopTests.task)
        }
        return (error, health)
    }

    @Test("six dead portals at the tail of 30 (a streak) and three (below it): the rest done, the dead failed with the reason")
    func deadPortalsAmongHealthy() async throws {
        for dead in [6, 3] {
            let harness = try Harness(portals: 30)
            let transport = ScriptedTransport(handler: { request in
                if Self.portal(request) > 30 - dead { throw Self.refused }
                return Answer.result(#"["crm"]"#)
            })
            let (error, health) = await Self.run(harness, transport)
            #expect(error == nil, "\(String(describing: error))")
            #expect(try harness.states() == ["done": 30 - dead, "failed": dead])
            let reasons = try harness.journal.portalTasks(run: harness.runID, step: "portals.reconcile").filter { $0.state == .failed }
            #expect(reasons.allSatisfy { $0.lastError?.contains("Couldn't connect to server") == true })
            #expect(try harness.inactiveRows() == 0)
            #expect(health.networkChecks <= 2, "one check for the streak, one at the end: \(health.networkChecks)")
            // Again, with only the dead ones left: they fail again, the step does not stop.
            let (again, _) = await Self.run(harness, transport)
            #expect(again == nil, "\(String(describing: again))")
            #expect(try harness.states() == ["done": 30 - dead, "failed": dead])
        }
    }

    @Test("no portal and not the token URL answers: the step stops naming the network, nothing is marked")
    func networkDown() async throws {
        let harness = try Harness(portals: 20)
        let transport = ScriptedTransport(handler: { _ in throw TransportError(message: "Could not resolve host") })
        let (error, _) = await Self.run(harness, transport)
        let stopped = "\(try #require(error as? FleetStopped))"
        #expect(stopped.contains("neither did \(SessionKit.tokenURL)"), "\(stopped)")
        #expect(stopped.contains("check the network and DNS"))
        #expect(try harness.states().isEmpty)
    }

    @Test("the network goes down mid-run: the portals done before stay done, none is marked failed, the step stops")
    func networkDiesMidRun() async throws {
        let harness = try Harness(portals: 60)
        let counter = FleetStopTests.Counter()
        let transport = ScriptedTransport(handler: { _ in
            if counter.next() > 20 { throw Self.refused }
            try await Task.sleep(nanoseconds: 5_000_000)
            return Answer.result(#"["crm"]"#)
        })
        let (error, _) = await Self.run(harness, transport)
        #expect("\(try #require(error as? FleetStopped))".contains("check the network and DNS"))
        let states = try harness.states()
        #expect(states.keys.allSatisfy { $0 == "done" }, "\(states)")
        #expect((states["done"] ?? 0) >= 10)
    }

    @Test("one dead portal run on its own (reconcile --member-id): failed when the token URL answers, nothing marked when not")
    func oneDeadPortal() async throws {
        let harness = try Harness(portals: 1)
        let up = ScriptedTransport(handler: { request in
            if Self.portal(request) > 0 { throw Self.refused }
            return Answer.body(400, #"{"error":"invalid_request"}"#)
        })
        let (error, _) = await Self.run(harness, up, parallel: 1)
        #expect(error == nil)
        #expect(try harness.states() == ["failed": 1])

        let other = try Harness(portals: 1)
        let down = ScriptedTransport(handler: { _ in throw Self.refused })
        let (stop, _) = await Self.run(other, down, parallel: 1)
        #expect("\(try #require(stop as? FleetStopped))".contains("1 portal gave no answer"))
        #expect(try other.states().isEmpty)
    }
}
