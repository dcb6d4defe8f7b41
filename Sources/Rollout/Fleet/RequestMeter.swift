import PlanStore
import Synchronization

/// Counts the HTTP requests a fleet's sessions send, per wall-clock second (Unix time), in memory
/// until the fleet adds them to the journal (`Journal.addRequestCounts`) on its database thread.
/// Safe to call from every session at once; never blocks on I/O.
public final class RequestMeter: Sendable {
    private let counts = Mutex<[Int: Journal.RequestCount]>([:])

    public init() {}

    /// One request sent in `second`; `error`: it got no answer, or an error answer.
    public func record(second: Int, error: Bool) {
        counts.withLock { counts in
            var count = counts[second] ?? Journal.RequestCount(second: second, requests: 0, errors: 0)
            count.requests += 1
            if error { count.errors += 1 }
            counts[second] = count
        }
    }

    /// Removes and returns the counts of the seconds before `second` (nil: of every second), in
    /// time order: a second still running keeps counting until a later drain.
    public func drain(before second: Int? = nil) -> [Journal.RequestCount] {
        counts.withLock { counts in
            let due = counts.keys.filter { second == nil || $0 < second! }.sorted()
            return due.compactMap { counts.removeValue(forKey: $0) }
        }
    }
}
