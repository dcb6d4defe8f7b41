import Foundation
import ReleasePlan

/// Runs a `perPortal` migration: for every active installation, batches with `:member_id` and
/// `:batch_size` bound, until a batch changes no row. Every batch commits in the same transaction
/// as its portal's progress row, so a crash loses at most the transaction in flight and never
/// applies a batch twice; a portal is recorded done in the transaction of its batch that changed
/// nothing.
///
/// Each worker (one per connection, `DataMigrationWorker`) groups batches into short transactions:
/// a transaction takes another batch — the same portal's next one, or the next portal's first —
/// while its time so far plus the next batch's expected time stays within `transactionBudget`,
/// and twice that batch's expected time within `transactionCeiling`. Where the server can
/// (`StatementGuard`), it stops a batch that runs past the ceiling; that transaction is rolled
/// back and its portals run again with smaller batches, failing nothing.
/// When a statement fails in a transaction of more than one batch, that transaction is rolled back
/// and its portals run again one batch per transaction, so only the failing portal is marked
/// failed. `:batch_size` adapts (`BatchSizer`): it starts at the plan's `batchSize` (at most 16
/// rows: a batch too big for its table would make the first transaction long), then fits
/// `batchTarget` at the recent cost per row; each worker keeps its size
/// from one portal to the next. How many workers run at once adapts too (`WorkerLimit`): it starts
/// at `startingWorkers` and follows the work done per second.
public final class DataMigrationRunner: @unchecked Sendable {
    /// A database connection with its journal: one per worker.
    public struct Connection: @unchecked Sendable {
        public var database: any Database
        public var journal: Journal

        public init(database: any Database, journal: Journal) {
            self.database = database
            self.journal = journal
        }
    }

    /// Progress after each portal (for the progress line).
    public struct Progress: Sendable, Equatable {
        public var portalsDone: Int
        public var portalsTotal: Int
        public var batches: Int
        public var rowsChanged: Int
    }

    public static let defaultBatchSize = 1000
    /// A portal still changing rows after this many batches is stopped: the migration never converges.
    public static let maximumBatchesPerPortal = 100_000
    /// How long a transaction may grow by taking more batches, in seconds.
    public static let defaultTransactionBudget = 0.05
    /// How long a transaction may grow to if its last batch takes twice its expected time, and
    /// what the statement guard allows a batch, in seconds: 30 ms below the 100 ms no transaction
    /// should pass, for its commit and for a loaded server to stop a statement (at 80 ms, stopped
    /// transactions of 20 portals × 5,000 rows on a 2-core machine still took up to 147 ms).
    public static let defaultTransactionCeiling = 0.07
    /// The most portals one transaction runs batches for.
    public static let maximumPortalsPerTransaction = 1000

    let migration: Migration
    let script: SQLScript
    let runID: Int
    let stepID: String
    let onProgress: @Sendable (Progress) -> Void
    /// Checked before every batch: once a SIGINT/SIGTERM is recorded no batch starts, and `run`
    /// throws after the transactions in flight have committed (applying again continues from there).
    public var interruption: Interruption? = .shared
    /// Told of every committed batch (tests and diagnostics): portal, `:batch_size`, rows changed,
    /// seconds its statements took.
    public var onBatch: (@Sendable (BatchReport) -> Void)?
    /// Told of every committed transaction (tests and diagnostics).
    public var onTransaction: (@Sendable (TransactionReport) -> Void)?
    /// Told of every rolled-back transaction: the portals it ran batches for (or was about to), in
    /// order, and the error (tests and diagnostics).
    public var onRollback: (@Sendable ([String], any Error) -> Void)?
    /// The time a batch aims at, in seconds.
    public var batchTarget = BatchSizer.defaultTarget
    /// A transaction takes another batch only while its seconds so far, the next batch's expected
    /// seconds and its last commit's seconds add up to no more than this.
    public var transactionBudget = DataMigrationRunner.defaultTransactionBudget
    /// A transaction takes another batch only while it would still end within this many seconds
    /// should that batch take twice its expected time.
    public var transactionCeiling = DataMigrationRunner.defaultTransactionCeiling
    /// Whether each batch's statements are bounded by the server (`StatementGuard`: PostgreSQL
    /// and MariaDB) to what is left of `transactionCeiling`.
    public var guardsStatements = true
    /// Whether PostgreSQL commits the batches asynchronously (`beginTransaction(on:)`).
    public var commitsAsynchronously = true
    /// How many workers run at first (at most one per connection); `WorkerLimit` adjusts it.
    public var startingWorkers = 2

    /// One committed batch.
    public struct BatchReport: Sendable, Equatable {
        public var memberID: String
        public var batchSize: Int
        public var changed: Int
        public var seconds: Double
    }

    /// One committed transaction: how many portals and batches it ran, and its seconds from the
    /// start of the transaction to the end of its commit.
    public struct TransactionReport: Sendable, Equatable {
        public var portals: Int
        public var batches: Int
        public var seconds: Double
    }

    public init(
        migration: Migration, script: SQLScript, runID: Int, stepID: String,
        onProgress: @escaping @Sendable (Progress) -> Void = { _ in }
    ) {
        self.migration = migration
        self.script = script
        self.runID = runID
        self.stepID = stepID
        self.onProgress = onProgress
    }

    private let lock = NSLock()
    private var progress = Progress(portalsDone: 0, portalsTotal: 0, batches: 0, rowsChanged: 0)
    private var firstError: MigrationError?
    private var nextIndex = 0
    private var memberIDs: [String] = []
    /// The progress rows of the step when the run started (read once; each worker then owns its portals' rows).
    private var known: [String: Journal.PortalTask] = [:]
    private var longest = 0.0
    private var limit = WorkerLimit(maximum: 1, now: 0)

    /// The longest committed transaction of the last `run`, in seconds.
    public var longestTransactionSeconds: Double { lock.withLock { longest } }

    /// Runs every portal of `memberIDs` on `connections` (one worker each); throws the first error
    /// after the workers stop taking new portals.
    public func run(memberIDs: [String], connections: [Connection]) throws -> Progress {
        try run(memberIDs: memberIDs, sources: connections.map(ConnectionSource.given))
    }

    /// Runs every portal of `memberIDs` on `first` and on up to `more` connections from `open`,
    /// each opened when its worker is first let in (`WorkerLimit`) and closed at the end: a short
    /// migration opens none it does not use. Throws the first error after the workers stop taking
    /// new portals.
    public func run(memberIDs: [String], first: Connection, more: Int, open: @escaping () throws -> Connection) throws -> Progress {
        try run(memberIDs: memberIDs, sources: [.given(first)] + Array(repeating: .opened(open), count: max(0, more)))
    }

    /// Where a worker's connection comes from. The opener is called on the workers' threads, one
    /// call at a time (`opening`).
    enum ConnectionSource: @unchecked Sendable {
        case given(Connection)
        /// Opened by the worker when it is first let in, closed when it ends.
        case opened(() throws -> Connection)
    }

    private func run(memberIDs: [String], sources: [ConnectionSource]) throws -> Progress {
        lock.withLock {
            progress = Progress(portalsDone: 0, portalsTotal: memberIDs.count, batches: 0, rowsChanged: 0)
            self.memberIDs = memberIDs
            nextIndex = 0
            firstError = nil
            longest = 0
            limit = WorkerLimit(maximum: sources.count, start: startingWorkers, slow: transactionCeiling, now: Self.now())
        }
        // Every portal's progress in one query, not one per portal.
        if case .given(let first)? = sources.first {
            let tasks = try first.journal.portalTasks(run: runID, step: stepID)
            known = Dictionary(tasks.map { ($0.memberID, $0) }, uniquingKeysWith: { _, last in last })
        }
        let group = DispatchGroup()
        for (index, source) in sources.enumerated() {
            group.enter()
            // One thread per connection: concurrentPerform would cap the workers at the core count.
            let thread = Thread { [self] in
                defer { group.leave() }
                work(on: source, index: index)
            }
            thread.start()
        }
        group.wait()
        if let firstError = lock.withLock({ firstError }) { throw firstError }
        let final = lock.withLock { progress }
        // Never report a migration complete with a portal left out.
        guard final.portalsDone == final.portalsTotal else {
            throw MigrationError(
                file: script.path, line: 1,
                message:
                    "\(final.portalsTotal - final.portalsDone) of \(final.portalsTotal) portals were not finished; apply again continues")
        }
        return final
    }

    /// Serialises opening connections (client libraries differ in what they allow at once).
    private let opening = NSLock()

    private func work(on source: ConnectionSource, index: Int) {
        guard waitForTurn(index) else { return }
        let connection: Connection
        switch source {
        case .given(let given):
            connection = given
        case .opened(let open):
            do {
                connection = try opening.withLock { try open() }
            } catch {
                fail(MigrationError(file: script.path, line: 1, message: "\(error)"))
                return
            }
        }
        defer { if case .opened = source { connection.database.close() } }
        let restore: String?
        do {
            restore = try Self.useReadCommitted(connection.database)
        } catch {
            fail(MigrationError(file: script.path, line: 1, message: "\(error)"))
            return
        }
        defer { if let restore { _ = try? connection.database.execute(restore) } }
        let worker = DataMigrationWorker(runner: self, connection: connection, index: index)
        defer { worker.close() }
        do {
            try worker.run()
        } catch {
            fail((error as? MigrationError) ?? MigrationError(file: script.path, line: 1, message: "\(error)"))
        }
    }

    // MARK: Shared by the workers

    /// Waits while worker `index` is beyond the current limit; false once no portal is left.
    func waitForTurn(_ index: Int) -> Bool { lock.withLock { limit }.waitForTurn(index) }

    /// The next portal to run and its task as the journal had it; nil once every portal is taken
    /// or a worker failed. Portals already done count as done at once.
    func takePortal() -> Journal.PortalTask? {
        var finished: [Progress] = []
        defer { finished.forEach(onProgress) }
        return lock.withLock {
            while firstError == nil, nextIndex < memberIDs.count {
                let memberID = memberIDs[nextIndex]
                nextIndex += 1
                let task = known[memberID] ?? Journal.PortalTask(memberID: memberID)
                guard task.state == .done else { return task }
                progress.portalsDone += 1
                finished.append(progress)
            }
            limit.end()
            return nil
        }
    }

    /// Counts a portal whose last batch committed: `batches` and `rows` of this run.
    func finished(batches: Int, rows: Int) {
        let snapshot: Progress = lock.withLock {
            progress.portalsDone += 1
            progress.batches += batches
            progress.rowsChanged += rows
            return progress
        }
        onProgress(snapshot)
    }

    /// Reports committed batches and their transaction.
    func committed(_ batches: [BatchReport], transaction: TransactionReport) {
        let limit = lock.withLock {
            longest = max(longest, transaction.seconds)
            return self.limit
        }
        // A batch that changed nothing finishes its portal.
        let finished = batches.filter { $0.changed == 0 }.count
        limit.record(rows: batches.reduce(0) { $0 + $1.changed }, portals: finished, seconds: transaction.seconds, now: Self.now())
        if let onBatch { batches.forEach(onBatch) }
        onTransaction?(transaction)
    }

    /// Counts a transaction the statement guard rolled back as a slow one (`WorkerLimit`).
    func stopped() {
        lock.withLock { limit }.recordStopped(now: Self.now())
    }

    /// Reports a rolled-back transaction.
    func rolledBack(_ memberIDs: [String], error: any Error) { onRollback?(memberIDs, error) }

    /// Records the run's first error: the workers take no more portals.
    func fail(_ error: MigrationError) {
        lock.withLock {
            if firstError == nil { firstError = error }
            limit.end()
        }
    }

    /// Seconds on a monotonic clock.
    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}
