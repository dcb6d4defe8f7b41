import Foundation
import ReleasePlan

/// Runs one schema migration: every statement and its `schema_migrations` row and journal row in
/// one transaction (or the statements outside one, for `"transaction": false`).
///
/// On MySQL/MariaDB, where DDL commits implicitly, the row is first written as started (dirty) in
/// a statement of its own, and set done in the transaction that ends the migration; a failure
/// leaves it dirty, and the error names the statement and the repair (`migrate --mark-clean`).
public struct SchemaMigrationRunner {
    public let database: any Database
    public let history: MigrationHistory
    public let journal: Journal
    public let runID: Int
    /// How the repair command in a dirty migration's error names the plan.
    public var planReference = "FILE"

    public init(database: any Database, history: MigrationHistory, journal: Journal, runID: Int) {
        self.database = database
        self.history = history
        self.journal = journal
        self.runID = runID
    }

    public enum Outcome: Sendable, Equatable {
        /// `schema_migrations` already had it, with the same checksum.
        case alreadyApplied
        case applied(milliseconds: Int)
    }

    /// Runs `migration` from `file` as step `stepID`; throws `MigrationError` (rolled back, step failed).
    public func run(_ migration: Migration, file: SourceFile, stepID: String) throws -> Outcome {
        let (checksum, recorded) = try history.check(migration, file: file)
        if let recorded {
            try journal.setStep(run: runID, step: stepID, state: .done, detail: "already applied at \(recorded.appliedAt)")
            return .alreadyApplied
        }
        let script = SQLScript(path: file.path, bytes: file.bytes)
        if let statement = script.statements.first(where: { !$0.parameterNames.isEmpty }) {
            throw MigrationError(
                file: file.path, line: statement.line,
                message:
                    "a schema migration cannot use named parameters (:\(statement.parameterNames[0])); only perPortal migrations get them")
        }
        try journal.setStep(run: runID, step: stepID, state: .running)
        let tracksDirty = history.tracksDirty
        if tracksDirty {
            // Committed on its own before any statement: DDL cannot be rolled back here.
            try history.recordStarted(version: migration.id, name: migration.name, checksum: checksum, startedAt: journal.timestamp)
        }
        let started = Date()
        let finish = {
            let milliseconds = Int(Date().timeIntervalSince(started) * 1000)
            if tracksDirty {
                try history.recordFinished(version: migration.id, appliedAt: journal.timestamp, milliseconds: milliseconds)
            } else {
                try history.record(
                    version: migration.id, name: migration.name, checksum: checksum, appliedAt: journal.timestamp,
                    milliseconds: milliseconds)
            }
            try journal.setStep(run: runID, step: stepID, state: .done, detail: "applied in \(milliseconds) ms")
            return milliseconds
        }
        do {
            let milliseconds: Int
            if migration.transaction {
                milliseconds = try database.transaction {
                    try execute(script)
                    return try finish()
                }
            } else {
                try execute(script)
                milliseconds = try database.transaction { try finish() }
            }
            return .applied(milliseconds: milliseconds)
        } catch {
            var failure = (error as? MigrationError) ?? MigrationError(file: file.path, line: 1, message: "\(error)")
            if tracksDirty {
                failure.message += dirtyNote(migration, line: failure.line)
            } else if !(error is MigrationError) {
                throw error
            }
            try? journal.setStep(run: runID, step: stepID, state: .failed, detail: failure.description)
            throw failure
        }
    }

    /// What a failure on MySQL/MariaDB leaves behind, and how to repair it.
    private func dirtyNote(_ migration: Migration, line: Int) -> String {
        "; migration \(migration.id) (\(migration.name)) failed at line \(line) and is left dirty in \(history.table): "
            + "MySQL/MariaDB commits DDL at once, so the statements before line \(line) may have taken effect and the database "
            + "may be half-migrated. Fix the database by hand, then run b24plan migrate --mark-clean \(migration.id) \(planReference) "
            + "(or undo its changes by hand and delete its row from \(history.table) to run it again)"
    }

    private func execute(_ script: SQLScript) throws {
        for statement in script.statements {
            do {
                try database.execute(statement.sql, [])
            } catch let error as DatabaseError {
                throw MigrationError(file: script.path, line: statement.line, message: error.message)
            }
        }
    }
}
