/// Chooses the size of a `perPortal` migration's next batch from how long the last one took, so
/// that batches stay short (a batch is one transaction: it holds its row locks until it commits)
/// without paying a commit every few rows.
///
/// The plan's `batchSize` is the starting size. After a full batch (one that changed at least as
/// many rows as it was allowed) that took under half of `target`, the size doubles, up to
/// `maximum`; after a batch longer than `target`, it shrinks in proportion (a batch of 1,000 rows
/// that took 200 ms is followed by one of 250 rows at a 50 ms target). Only the size changes: each
/// batch still commits with its progress row.
public struct BatchSizer: Sendable, Equatable {
    /// The time a batch aims at, in seconds (50 ms: half the 100 ms a batch should never pass).
    public static let defaultTarget = 0.05
    /// The largest batch, in rows.
    public static let defaultMaximum = 1_000_000

    public private(set) var size: Int
    public let target: Double
    public let maximum: Int

    public init(start: Int, target: Double = defaultTarget, maximum: Int = defaultMaximum) {
        self.maximum = max(1, maximum)
        self.size = min(max(1, start), self.maximum)
        self.target = target
    }

    /// Takes the last batch into account: it took `seconds` and changed `changed` rows.
    public mutating func record(seconds: Double, changed: Int) {
        if seconds > target {
            size = max(1, Int(Double(size) * target / seconds))
        } else if changed >= size && seconds < target / 2 {
            size = min(maximum, size * 2)
        }
    }
}
