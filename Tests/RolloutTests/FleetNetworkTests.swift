import Foundation
import PlanStore
import Rollout
import Testing

/// A network check that answers as told, counting its runs; `during` runs inside each check.
final class ScriptedNetworkCheck: NetworkCheck, @unchecked Sendable {
    private let lock = NSLock()
    private var verdict: NetworkVerdict
    private var count = 0
    let during: @Sendable () -> Void

    init(_ verdict: NetworkVerdict, during: @escaping @Sendable () -> Void = {}) {
        self.verdict = verdict
        self.during = during
    }

    var target: String { "https://oauth.example/oauth/token/" }
    var runs: Int { lock.withLock { count } }
    func answer(_ verdict: NetworkVerdict) { lock.withLock { self.verdict = verdict } }

    func run() async -> NetworkVerdict {
        during()
        return lock.withLock {
            count += 1
            return verdict
        }
    }
}

/// Telling a dead network from a few dead portals (DESIGN §7: only DNS/network failure on most
/// portals stops the step): the network check, its reuse, and what clears an outcome.
@Suite("FleetHealth: a network check tells a dead network from a few dead portals")
struct FleetNetworkTests {
    @Test("five silent portals and a check that answers: the fleet goes on; the same portals retried start no second check")
    func deadPortalsDoNotStop() async {
        let check = ScriptedNetworkCheck(.answered)
        let health = FleetHealth(networkCheck: check, interruption: Interruption())
        for member in ["a", "b", "c", "d", "e"] { health.portalUnreachable(memberID: member, "connection refused") }
        await health.waitForNetworkCheck()
        #expect(health.stopReason == nil)
        #expect(check.runs == 1)
        for _ in 1...3 {
            for member in ["a", "b", "c", "d", "e"] { health.portalUnreachable(memberID: member, "connection refused") }
        }
        await health.waitForNetworkCheck()
        #expect(health.stopReason == nil)
        #expect(check.runs == 1, "portals already shown dead on their own do not count again")
    }

    @Test("five silent portals and a check without an answer either: stop, naming what was asked and the network")
    func deadNetworkStops() async throws {
        let check = ScriptedNetworkCheck(.noAnswer("Could not resolve host: oauth.example"))
        let health = FleetHealth(networkCheck: check, interruption: Interruption())
        for member in ["a", "b", "c", "d", "e"] { health.portalUnreachable(memberID: member, "Could not resolve host") }
        await health.waitForNetworkCheck()
        let reason = "\(try #require(health.stopReason))"
        #expect(reason.contains("5 portals in a row gave no answer"))
        #expect(reason.contains(check.target))
        #expect(reason.contains("check the network and DNS of this machine; nothing was marked"))
    }

    @Test("a portal answering while the check runs vouches for the network: no stop")
    func answerDuringCheck() async {
        let health = FleetHealth(interruption: Interruption())
        health.useNetworkCheck(ScriptedNetworkCheck(.noAnswer("timed out"), during: { health.portalAnswered() }))
        for member in ["a", "b", "c", "d", "e"] { health.portalUnreachable(memberID: member, "timed out") }
        await health.waitForNetworkCheck()
        #expect(health.stopReason == nil)
    }

    @Test("a good verdict stands for networkCheckReuse seconds: new streaks start no check meanwhile")
    func verdictIsReused() async {
        let clock = FakeClock()
        let check = ScriptedNetworkCheck(.answered)
        let health = FleetHealth(networkCheck: check, networkCheckReuse: 10, clock: clock, interruption: Interruption())
        let streak = { (prefix: String) in
            for index in 1...5 { health.portalUnreachable(memberID: "\(prefix)\(index)", "connection refused") }
        }
        streak("a")
        await health.waitForNetworkCheck()
        streak("b")
        streak("c")
        await health.waitForNetworkCheck()
        #expect(check.runs == 1)
        clock.advance(11)
        streak("d")
        await health.waitForNetworkCheck()
        #expect(check.runs == 2)
        #expect(health.stopReason == nil)
    }

    @Test("an outcome is cleared only by evidence newer than it: a later answer, or a check begun after it")
    func evidenceIsOrdered() async throws {
        let check = ScriptedNetworkCheck(.answered)
        let health = FleetHealth(networkCheck: check, interruption: Interruption())
        health.portalAnswered()
        let mark = health.networkMark
        #expect(!health.networkCleared(after: mark), "an answer before the failure says nothing about it")
        health.portalAnswered()
        #expect(health.networkCleared(after: mark))
        #expect(await health.verifyNetwork(after: mark))
        #expect(check.runs == 0, "a portal answered since: no check needed")
        let later = health.networkMark
        #expect(await health.verifyNetwork(after: later))
        #expect(check.runs == 1)
        check.answer(.noAnswer("Connection refused"))
        health.portalUnreachable(memberID: "x", "Connection refused")
        let last = health.networkMark
        #expect(!(await health.verifyNetwork(after: last)))
        health.concludeUncleared(.network("Connection refused"), portals: 1)
        let reason = "\(try #require(health.stopReason))"
        #expect(reason.contains("1 portal gave no answer (Connection refused) and neither did \(check.target)"), "\(reason)")
    }

    @Test("without a network check, an answer earlier in the run clears (the rule before checks)")
    func withoutCheck() async {
        let health = FleetHealth(interruption: Interruption())
        let mark = health.networkMark
        #expect(!(await health.verifyNetwork(after: mark)))
        health.portalAnswered()
        #expect(await health.verifyNetwork(after: health.networkMark))
    }

    @Test("the token URL check asks the URL without its query and needs no secret; any HTTP status is an answer")
    func tokenURLCheck() async throws {
        let transport = ScriptedTransport([Answer.body(404, "not found")])
        let check = try #require(
            TokenURLCheck(transport: transport, tokenURL: "https://user:pw@oauth.bitrix.info/oauth/token/?client_secret=x#f", timeout: 5))
        #expect(await check.run() == .answered)
        #expect(transport.requests.map(\.url) == ["https://oauth.bitrix.info/oauth/token/"])
        #expect(transport.requests.first?.method == "GET")
        #expect(transport.requests.first?.body.isEmpty == true)
        #expect(TokenURLCheck(transport: transport, tokenURL: "not a url") == nil)
        // An answer that would come only after ten minutes: the verdict is "no answer" (how soon
        // is not asserted: the whole suite can hold the concurrency pool's threads for a while).
        let silent = ScriptedTransport(handler: { _ in
            try await Task.sleep(nanoseconds: 600_000_000_000)
            return Answer.body(200, "late")
        })
        let verdict = try await #require(TokenURLCheck(transport: silent, tokenURL: SessionKit.tokenURL, timeout: 0.2)).run()
        #expect(verdict == .noAnswer("no answer within 0.2 s"))
    }

    @Test("a request that fails while no descriptor can be opened says 'too many open files'; a timeout is not probed")
    func outOfDescriptors() async throws {
        let reported = Reported()
        let failing = ScriptedTransport(handler: { _ in throw TransportError(message: "Couldn't connect to server") })
        let transport = DescriptorAwareTransport(
            failing, exhausted: { "this process may open 64 (ulimit -n)" }, onExhausted: { reported.add($0) })
        let error = await caught { try await transport.send(HTTPRequest(method: "GET", url: "http://127.0.0.1:1/")) }
        #expect("\(try #require(error))" == "too many open files: this process may open 64 (ulimit -n) (Couldn't connect to server)")
        #expect(reported.values == ["this process may open 64 (ulimit -n)"])
        let timingOut = DescriptorAwareTransport(
            ScriptedTransport(handler: { _ in throw TransportError(message: "no answer within 1 s", timedOut: true) }),
            exhausted: { "exhausted" }, onExhausted: { reported.add($0) })
        let timeout = await caught { try await timingOut.send(HTTPRequest(method: "GET", url: "http://127.0.0.1:1/")) }
        #expect((timeout as? TransportError)?.timedOut == true)
        #expect(reported.values.count == 1)
        #expect(OpenFiles.exhausted() == nil, "this test process can open a socket")
        let health = FleetHealth(interruption: Interruption())
        health.outOfFileDescriptors("this process may open 64 (ulimit -n)")
        let reason = "\(try #require(health.stopReason))"
        #expect(reason.contains("ran out of file descriptors") && reason.contains("--parallel") && !reason.contains("DNS"))
    }

    final class Reported: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [String] = []
        func add(_ value: String) { lock.withLock { list.append(value) } }
        var values: [String] { lock.withLock { list } }
    }

    @Test(
        "open files a run needs: raised towards the hard limit, refused when even that is too low",
        arguments: [
            // (parallel, soft, hard, expected)
            (32, 1024, 1024, OpenFileBudget.Decision.fits(raiseTo: nil)),
            (128, 64, 64, .tooLow(hard: 64)),
            (128, 64, 4096, .fits(raiseTo: 1088)),
            (128, 64, 600, .fits(raiseTo: 600)),
            (1200, 1024, 1024, .tooLow(hard: 1024)),
            (1, 1024, UInt64.max, .fits(raiseTo: nil)),
        ])
    func openFileBudget(parallel: Int, soft: UInt64, hard: UInt64, expected: OpenFileBudget.Decision) {
        #expect(OpenFileBudget(parallel: parallel).decide(soft: soft, hard: hard) == expected)
    }

    @Test("the refusal names the numbers and both remedies in one sentence")
    func openFileMessage() {
        let budget = OpenFileBudget(parallel: 128)
        #expect(budget.needed == OpenFileBudget.fixed + 4 * 128)
        #expect(
            budget.message(limit: 64, option: "--parallel")
                == "--parallel 128 needs about 544 open files but this process may open at most 64 (ulimit -n): "
                + "raise the limit (ulimit -n 544) or lower --parallel to 8")
        #expect(!OpenFileBudget(parallel: 1).message(limit: 20, option: nil).contains("--parallel"))
    }
}
