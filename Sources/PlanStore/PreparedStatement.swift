/// A statement prepared once on one connection and run many times with new parameters (a
/// `perPortal` migration runs the same statements for every batch of every portal).
///
/// It belongs to the connection that prepared it and is used under the same rules (one caller at
/// a time); `close` frees it and is idempotent. Closing the connection frees it too.
public protocol PreparedStatement: AnyObject {
    /// Runs the statement with `parameters` (`?` markers, in order); returns the number of rows it
    /// changed (0 for a statement that returns rows).
    @discardableResult
    func execute(_ parameters: [SQLValue]) throws -> Int

    func close()
}

extension Database {
    /// A statement that is not prepared: each `execute` sends the SQL again. The default for
    /// connections that do not keep statements (test doubles).
    public func prepare(_ sql: String) throws -> any PreparedStatement { UnpreparedStatement(database: self, sql: sql) }
}

/// `PreparedStatement` by plain `execute` calls on its connection.
final class UnpreparedStatement: PreparedStatement {
    let database: any Database
    let sql: String

    init(database: any Database, sql: String) {
        self.database = database
        self.sql = sql
    }

    func execute(_ parameters: [SQLValue]) throws -> Int { try database.execute(sql, parameters) }

    func close() {}
}
