/// Chooses the size of a `perPortal` migration's next batch from how long the last ones took, so
/// that batches stay short (a batch holds its row locks until its transaction commits) without
/// paying a statement every few rows.
///
/// The plan's `batchSize` is the starting size, up to `firstBatchLimit`. After each batch the size
/// becomes what fits `target` at the expected cost per row (`secondsPerRow`), at most twice the last
/// size while batches are full (one that changed at least as many rows as it was allowed), and no
/// more than the last size after a partial one (it says nothing about a bigger batch); up to
/// `maximum`.
///
/// The expected cost per row is the highest of the last `window` batches' (seconds per row allowed),
/// and higher still when the last two full batches grew more costly per row: a
/// `… WHERE member_id = ? AND counter = 0 LIMIT n` migration reads again, through its index, the rows
/// its earlier batches of the portal changed, so every batch of a portal costs more per row than
/// the one before (on a 2-core MariaDB, the second batch of a 5,000-row portal took 2.4 times the
/// first's time per row). Predicting from the last batch alone under-predicted those batches two-
/// or threefold, and they were the transactions that passed 100 ms.
///
/// It never shrinks below an eighth of the largest full batch that kept to `target`: past that, a
/// slow batch is slow for what every batch costs whatever its rows (the scan for rows still to
/// change; a loaded server), and smaller ones would only cost more of it per row (on a 2-core
/// MariaDB under load, batches of 1 to 10 rows of a 5,000-row portal took 10 to 80 ms each).
///
/// It also says how long the next batch should take (`expectedSeconds`), so that a transaction
/// takes another batch only while it stays short.
public struct BatchSizer: Sendable, Equatable {
    /// The time a batch aims at, in seconds (40 ms: a batch that takes twice what was expected
    /// still stays under the 100 ms a transaction should never pass).
    public static let defaultTarget = 0.04
    /// The largest batch, in rows.
    public static let defaultMaximum = 1_000_000
    /// The largest first batch, in rows: a plan's `batchSize` may be far too big for its table,
    /// and the size grows in a few quick batches when it is not.
    public static let firstBatchLimit = 16
    /// How many recent batches the expected cost per row looks back on.
    public static let window = 4
    /// The most the expected cost per row rises over the last batch's for a rising trend.
    public static let maximumGrowth = 2.0

    /// One batch: the rows it was allowed, the rows it changed and its seconds.
    struct Sample: Sendable, Equatable {
        var size: Int
        var changed: Int
        var seconds: Double

        var isFull: Bool { changed >= size }
        /// Seconds per row allowed (a partial batch scanned all its portal's rows still to change).
        var secondsPerRow: Double { seconds / Double(max(1, size)) }
    }

    public private(set) var size: Int
    public let target: Double
    public let maximum: Int
    /// The last `window` batches, oldest first.
    private var recent: [Sample] = []
    /// The largest full batch that took no more than `target`, in rows.
    private var largestOnTarget = 0

    public init(start: Int, target: Double = defaultTarget, maximum: Int = defaultMaximum) {
        self.maximum = max(1, maximum)
        self.size = min(max(1, start), self.maximum)
        self.target = target
    }

    /// The seconds per row the next batch is expected to cost: the highest of the recent batches',
    /// times the rise from the one-but-last full batch to the last (1 to `maximumGrowth`). nil
    /// before any batch.
    public var secondsPerRow: Double? {
        guard let highest = recent.map(\.secondsPerRow).max() else { return nil }
        return highest * growth
    }

    /// How much more per row the last full batch cost than the full one just before it (1 when
    /// it cost no more, or when the last two batches were not both full).
    var growth: Double {
        guard recent.count >= 2 else { return 1 }
        let last = recent[recent.count - 1]
        let before = recent[recent.count - 2]
        guard last.isFull, before.isFull, before.secondsPerRow > 0 else { return 1 }
        return min(Self.maximumGrowth, max(1, last.secondsPerRow / before.secondsPerRow))
    }

    /// How long the next batch (of `size` rows) should take, in seconds: `size` rows at
    /// `secondsPerRow`. 0 before any batch.
    public var expectedSeconds: Double { (secondsPerRow ?? 0) * Double(size) }

    /// Takes the last batch into account: it took `seconds` and changed `changed` rows.
    public mutating func record(seconds: Double, changed: Int) {
        let sample = Sample(size: size, changed: changed, seconds: seconds)
        recent.append(sample)
        if recent.count > Self.window { recent.removeFirst(recent.count - Self.window) }
        if sample.isFull && seconds <= target { largestOnTarget = max(largestOnTarget, size) }
        let perRow = secondsPerRow ?? 0
        // (A hair over the quotient, so that 0.04 / 0.00004 is 1,000 and not 999.)
        let fits = perRow > 0 ? Int(min(Double(maximum), target / perRow * (1 + 1e-9))) : maximum
        let floor = max(1, largestOnTarget / 8)
        let ceiling = sample.isFull ? min(maximum, size * 2) : size
        size = max(min(size, floor), min(ceiling, fits), 1)
    }

    /// Takes into account a batch the server stopped after `seconds` (`StatementGuard`): it would
    /// have taken longer, so it counts as a full batch of that time at least.
    public mutating func recordStopped(after seconds: Double) { record(seconds: seconds, changed: size) }
}
