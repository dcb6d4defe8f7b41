import Foundation

@testable import PlanStore

/// A real database with faults on cue, for the perPortal runner's fault tests: a hook sees every
/// statement before it runs (and may throw, or record a signal), and one chosen transaction can
/// fail at its end, after all its statements ran, as a failed commit would.
final class ScriptedDatabase: Database, @unchecked Sendable {
    let base: any Database
    private let lock = NSLock()
    private var statementCount = 0
    private var transactionCount = 0
    private var hook: (@Sendable (Int, String) throws -> Void)?
    private var failing: Int?

    /// `beforeStatement` gets each statement's number (1-based, over execute, query and prepared
    /// runs) and SQL; `failingTransaction` is the number (1-based) of the transaction that fails.
    init(_ base: any Database, failingTransaction: Int? = nil, beforeStatement: (@Sendable (Int, String) throws -> Void)? = nil) {
        self.base = base
        failing = failingTransaction
        hook = beforeStatement
    }

    /// Transactions begun so far.
    var transactions: Int { lock.withLock { transactionCount } }

    var dialect: SQLDialect { base.dialect }
    var isInTransaction: Bool { base.isInTransaction }

    func execute(_ sql: String, _ parameters: [SQLValue]) throws -> Int {
        try before(sql)
        return try base.execute(sql, parameters)
    }

    func query(_ sql: String, _ parameters: [SQLValue]) throws -> [SQLRow] {
        try before(sql)
        return try base.query(sql, parameters)
    }

    func prepare(_ sql: String) throws -> any PreparedStatement { Statement(database: self, prepared: try base.prepare(sql), sql: sql) }

    func transaction<T>(_ body: () throws -> T) throws -> T {
        let number = lock.withLock {
            transactionCount += 1
            return transactionCount
        }
        return try base.transaction {
            let value = try body()
            if number == lock.withLock({ failing }) { throw DatabaseError(message: "the commit failed (scripted)", sql: "COMMIT") }
            return value
        }
    }

    func close() { base.close() }

    fileprivate func before(_ sql: String) throws {
        let (number, hook) = lock.withLock {
            statementCount += 1
            return (statementCount, self.hook)
        }
        try hook?(number, sql)
    }

    /// A prepared statement of the base connection, through the hook.
    private final class Statement: PreparedStatement {
        let database: ScriptedDatabase
        let prepared: any PreparedStatement
        let sql: String

        init(database: ScriptedDatabase, prepared: any PreparedStatement, sql: String) {
            self.database = database
            self.prepared = prepared
            self.sql = sql
        }

        func execute(_ parameters: [SQLValue]) throws -> Int {
            try database.before(sql)
            return try prepared.execute(parameters)
        }

        func close() { prepared.close() }
    }
}
