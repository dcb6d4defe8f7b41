import Foundation
import ReleasePlan

/// Runs a `perPortal` migration: for every active installation, batches with `:member_id` and
/// `:batch_size` bound, until a batch changes no row. Each batch commits together with the portal's
/// progress row, so a crash loses at most the batch in flight and never applies one twice.
///
/// `:batch_size` adapts (`BatchSizer`): it starts at the plan's `batchSize`, doubles while full
/// batches take under 25 ms and shrinks when one takes over 50 ms; each worker keeps its size from
/// one portal to the next.
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

    let migration: Migration
    let script: SQLScript
    let runID: Int
    let stepID: String
    let onProgress: @Sendable (Progress) -> Void
    /// Checked before every batch: once a SIGINT/SIGTERM is recorded no batch starts, and `run`
    /// throws after the batches in flight have committed (applying again continues from there).
    public var interruption: Interruption? = .shared
    /// Told of every committed batch (tests and diagnostics): portal, `:batch_size`, rows changed,
    /// seconds from the start of its transaction to its commit.
    public var onBatch: (@Sendable (BatchReport) -> Void)?
    /// The time a batch aims at, in seconds.
    public var batchTarget = BatchSizer.defaultTarget

    /// One committed batch.
    public struct BatchReport: Sendable, Equatable {
        public var memberID: String
        public var batchSize: Int
        public var changed: Int
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
    /// The progress rows of the step when the run started (read once; each worker then owns its portals' rows).
    private var known: [String: Journal.PortalTask] = [:]

    /// Runs every portal of `memberIDs` on `connections` (one worker each); throws the first error
    /// after the workers stop taking new portals.
    public func run(memberIDs: [String], connections: [Connection]) throws -> Progress {
        progress = Progress(portalsDone: 0, portalsTotal: memberIDs.count, batches: 0, rowsChanged: 0)
        nextIndex = 0
        // Every portal's progress in one query, not one per portal.
        if let first = connections.first {
            let tasks = try first.journal.portalTasks(run: runID, step: stepID)
            known = Dictionary(tasks.map { ($0.memberID, $0) }, uniquingKeysWith: { _, last in last })
        }
        let workers = max(1, connections.count)
        let group = DispatchGroup()
        for worker in 0..<workers {
            group.enter()
            // One thread per connection: concurrentPerform would cap the workers at the core count.
            let thread = Thread { [self] in
                defer { group.leave() }
                work(on: connections[worker], memberIDs: memberIDs)
            }
            thread.start()
        }
        group.wait()
        if let firstError { throw firstError }
        return lock.withLock { progress }
    }

    private func work(on connection: Connection, memberIDs: [String]) {
        let restore: String?
        do {
            restore = try Self.useReadCommitted(connection.database)
        } catch {
            lock.withLock { if firstError == nil { firstError = MigrationError(file: script.path, line: 1, message: "\(error)") } }
            return
        }
        defer { if let restore { _ = try? connection.database.execute(restore) } }
        var sizer = BatchSizer(start: migration.batchSize ?? Self.defaultBatchSize, target: batchTarget)
        while true {
            let memberID: String? = lock.withLock {
                guard firstError == nil, nextIndex < memberIDs.count else { return nil }
                defer { nextIndex += 1 }
                return memberIDs[nextIndex]
            }
            guard let memberID else { return }
            do {
                try runPortal(memberID, on: connection, sizer: &sizer)
            } catch {
                let failure = (error as? MigrationError) ?? MigrationError(file: script.path, line: 1, message: "\(error)")
                lock.withLock { if firstError == nil { firstError = failure } }
            }
        }
    }

    private func runPortal(_ memberID: String, on connection: Connection, sizer: inout BatchSizer) throws {
        let journal = connection.journal
        var task = lock.withLock { known[memberID] } ?? Journal.PortalTask(memberID: memberID)
        var batches = 0
        var rows = 0
        while task.state != .done {
            if let signal = interruption?.signal {
                throw MigrationError(
                    file: script.path, line: 1,
                    message: "interrupted (signal \(signal)) before the next batch of portal \(memberID); apply again continues from there")
            }
            guard task.batches < Self.maximumBatchesPerPortal else {
                throw MigrationError(
                    file: script.path, line: 1,
                    message:
                        "portal \(memberID) still changes rows after \(task.batches) batches: the migration never reaches a batch that changes nothing"
                )
            }
            let values: [String: SQLValue] = ["member_id": .text(memberID), "batch_size": SQLValue(sizer.size)]
            let started = DispatchTime.now().uptimeNanoseconds
            var changedRows = 0
            do {
                task = try connection.database.transaction {
                    var changed = 0
                    for statement in script.statements {
                        let parameters = try SQLScript.bind(statement, values: values, file: script.path)
                        do {
                            changed += try connection.database.execute(statement.sql, parameters)
                        } catch let error as DatabaseError {
                            throw MigrationError(file: script.path, line: statement.line, message: "portal \(memberID): \(error.message)")
                        }
                    }
                    var updated = task
                    updated.batches += 1
                    updated.rowsChanged += changed
                    updated.state = changed == 0 ? .done : .running
                    try journal.savePortalTask(run: runID, step: stepID, updated)
                    rows += changed
                    changedRows = changed
                    return updated
                }
                batches += 1
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
                onBatch?(BatchReport(memberID: memberID, batchSize: sizer.size, changed: changedRows, seconds: seconds))
                sizer.record(seconds: seconds, changed: changedRows)
            } catch let error as MigrationError {
                var failed = task
                failed.state = .failed
                failed.attempts += 1
                failed.lastError = error.description
                try? journal.savePortalTask(run: runID, step: stepID, failed)
                throw error
            }
        }
        let snapshot: Progress = lock.withLock {
            progress.portalsDone += 1
            progress.batches += batches
            progress.rowsChanged += rows
            return progress
        }
        onProgress(snapshot)
    }
}
