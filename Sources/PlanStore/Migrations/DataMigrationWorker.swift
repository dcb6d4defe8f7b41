import Foundation

/// One connection's share of a `perPortal` migration (see `DataMigrationRunner`): it takes portals
/// from the runner and runs their batches in transactions that take another batch while they stay
/// within the runner's `transactionBudget`, each ending with the progress rows of its portals.
///
/// Safety: a transaction holds whole batches and the progress rows that count them, so what
/// commits is consistent and what rolls back (a crash, a failing statement) leaves no trace; a
/// portal is `done` only in the transaction of its batch that changed nothing. After a failed
/// transaction of more than one batch, its portals run again one batch per transaction (as they
/// did before grouping), so a portal is marked failed only for a batch of its own that failed alone.
///
/// Where the server can bound a statement's time (`StatementGuard`), every batch is bounded by
/// what is left of the runner's `transactionCeiling`. A batch the server stops rolls its
/// transaction back like any failure, but fails nothing: the batch size shrinks and the
/// transaction's portals run again from what they had committed. After `tripsBeforeLifting`
/// stops in a row (a statement slow whatever its size), the next `unguardedTransactions`
/// transactions run without the bound.
final class DataMigrationWorker {
    /// A portal under way: its task when this run took it, as committed, and as it stands in the
    /// open transaction.
    struct Portal {
        let initial: Journal.PortalTask
        var committed: Journal.PortalTask
        var working: Journal.PortalTask

        init(_ task: Journal.PortalTask) {
            initial = task
            committed = task
            working = task
        }

        var memberID: String { initial.memberID }
    }

    let runner: DataMigrationRunner
    private let connection: DataMigrationRunner.Connection
    /// 0-based: workers beyond the runner's `WorkerLimit` wait before taking a portal.
    private let index: Int
    var sizer: BatchSizer
    /// The script's statements, each prepared on this connection at its first run.
    private var prepared: [(any PreparedStatement)?]
    /// Seconds the last transaction took to write its progress rows and commit.
    var closingSeconds = 0.0
    /// The server's bound on a batch's time (nil: none on this server, or the runner's
    /// `guardsStatements` is off).
    let statementGuard: StatementGuard?
    /// Portals whose transaction the guard rolled back, to run again before taking new ones.
    var pending: [Portal] = []
    /// Batches the guard stopped since the last commit.
    var tripsInARow = 0
    /// Transactions left to run without the guard.
    var unguardedLeft = 0
    /// Transactions rolled back in a row by a conflict with another transaction.
    var conflictsInARow = 0
    /// Stops in a row after which the guard is lifted for a while.
    static let tripsBeforeLifting = 3
    /// How many transactions run without the guard once it is lifted.
    static let unguardedTransactions = 8

    init(runner: DataMigrationRunner, connection: DataMigrationRunner.Connection, index: Int) {
        self.runner = runner
        self.connection = connection
        self.index = index
        let planned = runner.migration.batchSize ?? DataMigrationRunner.defaultBatchSize
        sizer = BatchSizer(start: min(planned, BatchSizer.firstBatchLimit), target: runner.batchTarget)
        prepared = Array(repeating: nil, count: runner.script.statements.count)
        statementGuard = runner.guardsStatements ? StatementGuard.make(for: connection.database) : nil
    }

    /// Frees the prepared statements and puts the session's own statement timeout back.
    func close() {
        try? statementGuard?.lift()
        for statement in prepared { statement?.close() }
        prepared = Array(repeating: nil, count: prepared.count)
    }

    /// Runs portals until none is left or another worker failed; throws this worker's first error.
    /// Waits for its turn before taking a portal, never with one under way.
    func run() throws {
        var carried: Portal?
        while true {
            if carried == nil && pending.isEmpty { guard runner.waitForTurn(index) else { return } }
            guard let portal = carried ?? takePending() ?? runner.takePortal().map(Portal.init) else { return }
            carried = try runTransaction(from: portal)
        }
    }

    // MARK: Grouped transactions

    /// Runs one transaction, starting with `first`'s next batch; returns the portal whose batches
    /// go on in the next transaction (nil: take another portal).
    private func runTransaction(from first: Portal) throws -> Portal? {
        if let stop = reasonToStop(before: first.working) { throw stop }
        var group: [Portal] = []
        var reports: [DataMigrationRunner.BatchReport] = []
        var current: Portal? = first
        var stop: MigrationError?
        var inBatch = false
        let started = Self.now()
        var closing = started
        do {
            try connection.database.transaction {
                try runner.beginTransaction(on: connection.database)
                while var portal = current {
                    if let reason = reasonToStop(before: portal.working) {
                        stop = reason
                        break
                    }
                    if group.last?.memberID != portal.memberID { group.append(portal) }
                    try boundStatements(elapsed: Self.now() - started)
                    inBatch = true
                    reports.append(try runBatch(&portal.working))
                    inBatch = false
                    group[group.count - 1] = portal
                    current = portal.working.state == .done ? nil : portal
                    guard takesAnotherBatch(elapsed: Self.now() - started), group.count < DataMigrationRunner.maximumPortalsPerTransaction
                    else { break }
                    if current == nil { current = takePending() ?? runner.takePortal().map(Portal.init) }
                }
                closing = Self.now()
                try connection.journal.savePortalTasks(run: runner.runID, step: runner.stepID, group.map(\.working))
            }
        } catch {
            // Rolled back: nothing of this transaction remains. Its portals (and one taken but not
            // started) go on from what they had committed.
            var portals = group
            if let current, group.last?.memberID != current.memberID { portals.append(current) }
            runner.rolledBack(portals.map(\.memberID), error: error)
            let wasStopped = statementGuard?.stopped(error) == true || error is StatementGuard.Stopped
            statementGuard?.transactionEnded(rolledBack: true)
            if wasStopped {
                stopped(error, portals: portals)
                return nil
            }
            var error = error
            if let conflict = conflict(in: error), conflictsInARow + 1 >= TransientConflict.attempts {
                // The same conflict time after time: this transaction's first portal fails with it
                // (or, when batches ran before it, its portals run again alone).
                error = MigrationError(
                    file: runner.script.path, line: 1,
                    message: "portal \(portals.first?.memberID ?? "?"): \(conflict.error.message) "
                        + "(\(conflictsInARow + 1) times in a row)")
            } else if conflict(in: error) != nil {
                // Met another transaction (a deadlock, say): nothing was wrong with the batches.
                conflictsInARow += 1
                TransientConflict.pause(attempt: conflictsInARow)
                runAgain(portals)
                if let stop { throw stop }
                return nil
            }
            try? statementGuard?.lift()
            conflictsInARow = 0
            try recover(from: error, portals: portals, batches: reports.count, inBatch: inBatch)
            if let stop { throw stop }
            return nil
        }
        statementGuard?.transactionEnded(rolledBack: false)
        conflictsInARow = 0
        let ended = Self.now()
        closingSeconds = ended - closing
        tripsInARow = 0
        if unguardedLeft > 0 { unguardedLeft -= 1 }
        runner.committed(reports, transaction: .init(portals: group.count, batches: reports.count, seconds: ended - started))
        for portal in group where portal.working.state == .done { finished(portal.working, from: portal.initial) }
        if let stop { throw stop }
        guard var next = current else { return nil }
        next.committed = next.working
        return next
    }

    /// Whether a transaction open for `elapsed` seconds takes another batch: when it ends, with
    /// the next batch at its expected time and the last commit's time, within the runner's
    /// `transactionBudget`, and still within `transactionCeiling` should that batch take twice
    /// what is expected.
    private func takesAnotherBatch(elapsed: Double) -> Bool {
        let expected = sizer.expectedSeconds
        return elapsed + expected + closingSeconds <= runner.transactionBudget
            && elapsed + 2 * expected + closingSeconds <= runner.transactionCeiling
    }

    /// After a rolled-back transaction. One that failed in its only batch fails that portal (marked
    /// failed, the error thrown); one with more batches runs its portals again one batch per
    /// transaction; anything else (no batch ran) is thrown as it is.
    private func recover(from error: any Error, portals: [Portal], batches: Int, inBatch: Bool) throws {
        if batches == 0, inBatch, let failure = error as? MigrationError, let portal = portals.first {
            markFailed(portal.committed, failure)
            throw failure
        }
        guard batches > 0 else { throw error }
        for portal in portals { try runAlone(portal) }
    }

    /// The conflict with another transaction that rolled `error`'s transaction back, if it is one
    /// (from a batch, from the progress rows, or from COMMIT).
    private func conflict(in error: any Error) -> TransientConflict? {
        if let conflict = error as? TransientConflict { return conflict }
        guard let error = error as? DatabaseError, TransientConflict.matches(error, dialect: connection.database.dialect) else {
            return nil
        }
        return TransientConflict(error: error)
    }

    // MARK: One batch per transaction

    /// Runs a portal's batches one per transaction, each with its progress row; a failing batch
    /// marks the portal failed and is thrown.
    private func runAlone(_ start: Portal) throws {
        var task = start.committed
        while task.state != .done {
            if let stop = reasonToStop(before: task) { throw stop }
            let started = Self.now()
            var report: DataMigrationRunner.BatchReport?
            var updated = task
            do {
                try connection.database.transaction {
                    try runner.beginTransaction(on: connection.database)
                    report = try runBatch(&updated)
                    try connection.journal.savePortalTask(run: runner.runID, step: runner.stepID, updated)
                }
                conflictsInARow = 0
            } catch let error as MigrationError {
                markFailed(task, error)
                throw error
            } catch {
                guard let conflict = conflict(in: error) else { throw error }
                conflictsInARow += 1
                guard conflictsInARow < TransientConflict.attempts else {
                    let failure = MigrationError(
                        file: runner.script.path, line: 1,
                        message: "portal \(task.memberID): \(conflict.error.message) (\(conflictsInARow) times in a row)")
                    markFailed(task, failure)
                    throw failure
                }
                TransientConflict.pause(attempt: conflictsInARow)
                continue
            }
            task = updated
            let transaction = DataMigrationRunner.TransactionReport(portals: 1, batches: 1, seconds: Self.now() - started)
            runner.committed(report.map { [$0] } ?? [], transaction: transaction)
        }
        finished(task, from: start.initial)
    }

    // MARK: Batches

    /// Runs the script once for `task`'s portal with the current `:batch_size`, in the caller's
    /// transaction, and counts it in `task`: `done` when it changed no row.
    private func runBatch(_ task: inout Journal.PortalTask) throws -> DataMigrationRunner.BatchReport {
        let script = runner.script
        let values: [String: SQLValue] = ["member_id": .text(task.memberID), "batch_size": SQLValue(sizer.size)]
        let started = Self.now()
        var changed = 0
        for (index, statement) in script.statements.enumerated() {
            let parameters = try SQLScript.bind(statement, values: values, file: script.path)
            do {
                changed += try self.statement(index).execute(parameters)
            } catch let error as DatabaseError where statementGuard?.stopped(error) == true {
                throw StatementGuard.Stopped(seconds: Self.now() - started, error: error)
            } catch let error as DatabaseError where TransientConflict.matches(error, dialect: connection.database.dialect) {
                throw TransientConflict(error: error)
            } catch let error as DatabaseError {
                throw MigrationError(file: script.path, line: statement.line, message: "portal \(task.memberID): \(error.message)")
            }
        }
        let seconds = Self.now() - started
        let report = DataMigrationRunner.BatchReport(memberID: task.memberID, batchSize: sizer.size, changed: changed, seconds: seconds)
        sizer.record(seconds: seconds, changed: changed)
        task.batches += 1
        task.rowsChanged += changed
        task.state = changed == 0 ? .done : .running
        return report
    }

    /// Statement `index` of the script, prepared on this connection at its first use.
    private func statement(_ index: Int) throws -> any PreparedStatement {
        if let statement = prepared[index] { return statement }
        let statement = try connection.database.prepare(runner.script.statements[index].sql)
        prepared[index] = statement
        return statement
    }

    /// Why the next batch of `task`'s portal may not start: a recorded signal, or a portal that
    /// never converges.
    private func reasonToStop(before task: Journal.PortalTask) -> MigrationError? {
        let path = runner.script.path
        if let signal = runner.interruption?.signal {
            return MigrationError(
                file: path, line: 1,
                message: "interrupted (signal \(signal)) before the next batch of portal \(task.memberID); apply again continues from there"
            )
        }
        guard task.batches < DataMigrationRunner.maximumBatchesPerPortal else {
            return MigrationError(
                file: path, line: 1,
                message:
                    "portal \(task.memberID) still changes rows after \(task.batches) batches: the migration never reaches a batch that changes nothing"
            )
        }
        return nil
    }

    /// Records a failed portal with its error, outside any transaction (its batch was rolled back).
    private func markFailed(_ task: Journal.PortalTask, _ error: MigrationError) {
        var failed = task
        failed.state = .failed
        failed.attempts += 1
        failed.lastError = error.description
        try? connection.journal.savePortalTask(run: runner.runID, step: runner.stepID, failed)
    }

    /// Tells the runner a portal is done: the batches and rows of this run.
    private func finished(_ task: Journal.PortalTask, from initial: Journal.PortalTask) {
        runner.finished(batches: task.batches - initial.batches, rows: task.rowsChanged - initial.rowsChanged)
    }

    static func now() -> Double { DataMigrationRunner.now() }
}
