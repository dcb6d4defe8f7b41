import Dispatch

/// Runs pieces of work that need nothing from each other on every core, and hands back their
/// results in order: the linter's stages (the previous plan beside the migration files, the rule
/// families) and the migration files themselves.
enum ConcurrentWork {
    /// `work(index)` for every index in `0..<count`, on as many threads as there are cores (one
    /// piece of work alone runs on the calling thread); the results in index order. A thread takes
    /// the next index when it is done with one, so long pieces should come first.
    static func map<Result: Sendable>(_ count: Int, _ work: @Sendable (Int) -> Result) -> [Result] {
        guard count > 1 else { return (0..<count).map(work) }
        var results = [Result?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { buffer in
            // Each index is written by one thread only, and all are written when concurrentPerform returns.
            nonisolated(unsafe) let slots = buffer
            DispatchQueue.concurrentPerform(iterations: count) { index in slots[index] = work(index) }
        }
        return results.map { $0! }
    }

    /// Runs `first` and `second` at once (on two threads when there are two cores).
    static func both(_ first: @Sendable () -> Void, _ second: @Sendable () -> Void) {
        _ = map(2) { $0 == 0 ? first() : second() }
    }
}
