/// A SQL database the state store and the app's migrations run on: SQLite, PostgreSQL, or MySQL/MariaDB.
///
/// Statements take bound parameters only, written `?` (the PostgreSQL implementation numbers them
/// `$1, $2, …`; MySQL prepares them as they are). One connection; callers serialise use (implementations are not re-entrant).
public protocol Database: AnyObject, Sendable {
    var dialect: SQLDialect { get }

    /// Runs one statement; returns the number of rows it changed.
    @discardableResult
    func execute(_ sql: String, _ parameters: [SQLValue]) throws -> Int

    /// Runs one query and returns every row.
    func query(_ sql: String, _ parameters: [SQLValue]) throws -> [SQLRow]

    /// Prepares one statement to run many times on this connection (see `PreparedStatement`; the
    /// default sends the SQL on each run).
    func prepare(_ sql: String) throws -> any PreparedStatement

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    /// Nesting is an error.
    @discardableResult
    func transaction<T>(_ body: () throws -> T) throws -> T

    /// Whether a transaction is open on this connection.
    var isInTransaction: Bool { get }

    func close()
}

extension Database {
    @discardableResult
    public func execute(_ sql: String) throws -> Int { try execute(sql, []) }
    public func query(_ sql: String) throws -> [SQLRow] { try query(sql, []) }
}

/// Which SQL the connection speaks.
public enum SQLDialect: String, Sendable, Equatable {
    case sqlite, postgres
    /// MySQL ≥ 8 or MariaDB ≥ 10.6 (`mysql://`, `mariadb://`).
    case mysql
}

/// A value bound to a parameter or read from a column.
public enum SQLValue: Sendable, Equatable, Hashable, CustomStringConvertible {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    public var description: String {
        switch self {
        case .null: return "NULL"
        case .integer(let value): return String(value)
        case .real(let value): return String(value)
        case .text(let value): return "'" + value + "'"
        case .blob(let value): return "<\(value.count) bytes>"
        }
    }

    public var string: String? {
        switch self {
        case .text(let value): return value
        case .integer(let value): return String(value)
        case .real(let value): return String(value)
        default: return nil
        }
    }

    public var int: Int? {
        switch self {
        case .integer(let value): return Int(value)
        case .real(let value): return Int(value)
        case .text(let value): return Int(value)
        default: return nil
        }
    }

    public var isNull: Bool { self == .null }
}

extension SQLValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(nilLiteral: ()) { self = .null }
    public init(_ value: Int) { self = .integer(Int64(value)) }
    public init(_ value: String?) { self = value.map(SQLValue.text) ?? .null }
}

/// One result row: values by column position and by (lower-cased) column name.
public struct SQLRow: Sendable, Equatable {
    public var columns: [String]
    public var values: [SQLValue]

    public init(columns: [String], values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    public subscript(_ column: String) -> SQLValue {
        guard let index = columns.firstIndex(where: { $0.lowercased() == column.lowercased() }) else { return .null }
        return values[index]
    }

    public subscript(_ index: Int) -> SQLValue { values.indices.contains(index) ? values[index] : .null }
}

/// A database error with the server's (or SQLite's) message, and the statement that failed.
public struct DatabaseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// The failing statement (never with bound values: they may be secrets).
    public var sql: String?
    /// SQLSTATE for PostgreSQL, the extended result code for SQLite, the error number for MySQL.
    public var code: String?

    public init(message: String, sql: String? = nil, code: String? = nil) {
        self.message = message
        self.sql = sql
        self.code = code
    }

    public var description: String { message }
}
