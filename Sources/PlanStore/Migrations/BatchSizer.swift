/// Chooses the size of a `perPortal` migration's next batch from how long the last one took, so
/// that batches stay short (a batch holds its row locks until its transaction commits) without
/// paying a statement every few rows.
///
/// The plan's `batchSize` is the starting size, up to `firstBatchLimit`. After a full batch (one that changed at least as
/// many rows as it was allowed) that took under half of `target`, the size doubles, up to
/// `maximum`; after a batch longer than `target`, it shrinks in proportion (a batch of 1,000 rows
/// that took 200 ms is followed by one of 250 rows at a 50 ms target). Only the size changes.
///
/// It never shrinks below an eighth of the largest full batch that kept to `target`: past that, a
/// slow batch is slow for what every batch costs whatever its rows (the scan for rows still to
/// change; a loaded server), and smaller ones would only cost more of it per row (on a 2-core
/// MariaDB under load, batches of 1 to 10 rows of a 5,000-row portal took 10 to 80 ms each).
///
/// It also says how long the next batch should take (`expectedSeconds`), so that a transaction
/// takes another batch only while it stays short.
public struct BatchSizer: Sendable, Equatable {
    /// The time a batch aims at, in seconds (50 ms: half the 100 ms a batch should never pass).
    public static let defaultTarget = 0.05
    /// The largest batch, in rows.
    public static let defaultMaximum = 1_000_000
    /// The largest first batch, in rows: a plan's `batchSize` may be far too big for its table,
    /// and the size grows in a few quick batches when it is not.
    public static let firstBatchLimit = 16

    public private(set) var size: Int
    public let target: Double
    public let maximum: Int
    /// The size of the last batch (nil before the first) and how long it took, in seconds.
    private var lastSize: Int?
    private var lastSeconds = 0.0
    /// Seconds per row changed of the last batch that changed any.
    private var secondsPerRow: Double?
    /// The largest full batch that took no more than `target`, in rows.
    private var largestOnTarget = 0

    public init(start: Int, target: Double = defaultTarget, maximum: Int = defaultMaximum) {
        self.maximum = max(1, maximum)
        self.size = min(max(1, start), self.maximum)
        self.target = target
    }

    /// How long the next batch (of `size` rows) should take, in seconds: the last batch's time,
    /// scaled up when the size grew since, and at least `size` rows at the last known time per row
    /// (a portal's first batch may be full after another portal's last one changed nothing). 0
    /// before any batch.
    public var expectedSeconds: Double {
        guard let lastSize else { return 0 }
        let scaled = lastSeconds * max(1, Double(size) / Double(max(1, lastSize)))
        return max(scaled, (secondsPerRow ?? 0) * Double(size))
    }

    /// Takes the last batch into account: it took `seconds` and changed `changed` rows.
    public mutating func record(seconds: Double, changed: Int) {
        (lastSize, lastSeconds) = (size, seconds)
        if changed > 0 { secondsPerRow = seconds / Double(changed) }
        if changed >= size && seconds <= target { largestOnTarget = max(largestOnTarget, size) }
        if seconds > target {
            let floor = max(1, largestOnTarget / 8)
            size = max(min(size, floor), Int(Double(size) * target / seconds))
        } else if changed >= size && seconds < target / 2 {
            size = min(maximum, size * 2)
        }
    }
}
