import Foundation
import Rollout

/// Manual time for the rate limiter and the retry policy: `now()` and `unixTime()` move only when
/// `sleep(seconds:)` is called, which returns at once after advancing. Every sleep is recorded.
final class FakeClock: RolloutClock, @unchecked Sendable {
    private let lock = NSLock()
    private var monotonic: Double
    private var unix: Double
    private var recorded: [Double] = []
    private let log: EventLog?

    /// - Parameters:
    ///   - start: monotonic seconds at the start.
    ///   - unixStart: wall-clock unix seconds at the start.
    init(start: Double = 1_000, unixStart: Double = 1_700_000_000, log: EventLog? = nil) {
        monotonic = start
        unix = unixStart
        self.log = log
    }

    func now() -> Double { lock.withLock { monotonic } }

    func unixTime() -> Double { lock.withLock { unix } }

    func sleep(seconds: Double) async throws {
        lock.withLock {
            recorded.append(seconds)
            if seconds > 0 {
                monotonic += seconds
                unix += seconds
            }
        }
        log?.append("sleep \(seconds)")
    }

    /// Moves time forward without recording a sleep (work done elsewhere, idle time).
    func advance(_ seconds: Double) {
        lock.withLock {
            monotonic += seconds
            unix += seconds
        }
    }

    /// Every sleep asked for, in order (seconds).
    var sleeps: [Double] { lock.withLock { recorded } }

    /// The seconds slept in total.
    var slept: Double { sleeps.reduce(0, +) }
}

/// One ordered log shared by the test doubles, to check the order of events across them.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []

    func append(_ entry: String) { lock.withLock { items.append(entry) } }

    var entries: [String] { lock.withLock { items } }
}
