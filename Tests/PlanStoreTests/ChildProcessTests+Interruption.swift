import Foundation
import Testing

@testable import PlanStore

#if canImport(Glibc)
    import Glibc
#endif

/// Forwarding a recorded SIGINT/SIGTERM to a running child, and `onStart`.
extension ChildProcessTests {
    @Test("a recorded signal is forwarded to the child's group within the poll interval", arguments: [SIGINT, SIGTERM])
    func forwardsInterruption(_ signal: Int32) throws {
        let interruption = Interruption()
        let process = ChildProcess(
            ["sh", "-c", "trap 'echo got $0; exit 7' INT TERM; echo ready; while :; do sleep 0.05; done"], interruption: interruption)
        let requestedAt = RequestTime()
        let result = try process.run { line in
            if line.text == "ready" {
                DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) {
                    requestedAt.set(Date())
                    interruption.request(signal)
                }
            }
        }
        #expect(result.interrupted == signal)
        #expect(result.exitCode == 7, "\(result.summary)")
        #expect(result.tail.contains("got sh"), "\(result.tail)")
        #expect(!result.succeeded)
        #expect(result.summary == "exit 7 (interrupted: signal \(signal) forwarded)")
        let waited = Date().timeIntervalSince(try #require(requestedAt.value))
        #expect(waited < 1.5, "forwarded and exited in \(waited) s")
    }

    @Test("a child that ignores the forwarded signal is killed after the grace period")
    func interruptionGrace() throws {
        let interruption = Interruption()
        let result = try ChildProcess(["sh", "-c", "trap '' INT; echo ready; sleep 30"], killGrace: 0.3, interruption: interruption).run {
            if $0.text == "ready" { interruption.request(SIGINT) }
        }
        #expect(result.signal == SIGKILL)
        #expect(result.interrupted == SIGINT)
        #expect(result.duration < 5)
    }

    @Test("onStart sees the pid before the output; when it throws, the child is killed and the error rethrown")
    func onStart() throws {
        var events: [String] = []
        let result = try ChildProcess(["sh", "-c", "echo $$"]).run(onStart: { pid in events.append("start \(pid)") }) { line in
            events.append("line \(line.text)")
        }
        #expect(result.exitCode == 0)
        #expect(events.count == 2 && events[0] == "start " + String(events[1].dropFirst("line ".count)), "\(events)")

        struct JournalDown: Error {}
        var started: Int32 = 0
        #expect(throws: JournalDown.self) {
            try ChildProcess(["sleep", "30"]).run(onStart: { pid in
                started = pid
                throw JournalDown()
            })
        }
        #expect(started > 0 && kill(started, 0) == -1 && errno == ESRCH, "the child was killed and reaped")
    }
}

/// When the test recorded the signal (set on another thread).
private final class RequestTime: @unchecked Sendable {
    private let lock = NSLock()
    private var date: Date?
    func set(_ date: Date) { lock.withLock { self.date = date } }
    var value: Date? { lock.withLock { date } }
}
