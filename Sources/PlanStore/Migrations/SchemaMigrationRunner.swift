import Foundation
import ReleasePlan

/// Runs one schema migration: every statement and its `schema_migrations` row and journal row in
/// one transaction (or the statements outside one, for `"transaction": false`).
public struct SchemaMigrationRunner {
    public let database: any Database
    public let history: MigrationHistory
    public let journal: Journal
    public let runID: Int

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
        let started = Date()
        let finish = {
            let milliseconds = Int(Date().timeIntervalSince(started) * 1000)
            try history.record(
                version: migration.id, name: migration.name, checksum: checksum, appliedAt: journal.timestamp,
                milliseconds: milliseconds)
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
        } catch let error as MigrationError {
            try? journal.setStep(run: runID, step: stepID, state: .failed, detail: error.description)
            throw error
        }
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
