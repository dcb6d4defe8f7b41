import CSQLite
import Foundation

/// A `Database` on one SQLite file: WAL journal, 5 s busy timeout, foreign keys on.
///
/// Every call is serialised by a recursive lock, which `transaction` holds for the whole body, so
/// other threads wait while a transaction is open and the body may call back into the connection.
/// Each statement is prepared, bound with `SQLITE_TRANSIENT` copies and finalized after use
/// (`prepare` keeps one compiled for many runs).
/// This is the only file that imports `CSQLite`.
public final class SQLiteDatabase: Database, @unchecked Sendable {
    public let dialect: SQLDialect = .sqlite

    /// The file this connection opened.
    public let path: String

    private var handle: OpaquePointer?
    private let lock = NSRecursiveLock()

    /// Tells SQLite to copy bound text and blobs (the C macro `SQLITE_TRANSIENT`).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Opens the SQLite database at `path`: with `.create` (the default) the file and its parent
    /// folders are created on first use; `.existing` and `.readOnly` create nothing and fail when
    /// the file is missing; `.readOnly` opens it with `SQLITE_OPEN_READONLY` and writes nothing
    /// (not even the WAL journal mode).
    public init(path: String, access: DatabaseAccess = .create) throws {
        self.path = path
        do {
            try connect(path, access: access)
        } catch let error as DatabaseError where access == .readOnly && Self.isPlainFile(path) {
            // A WAL database in a folder we cannot write to (no -shm to create) cannot be read the
            // usual way; with nothing there to write, no writer can be at work: read it as immutable.
            guard (try? connect("file:\(Self.uriPath(path))?mode=ro&immutable=1", access: access)) != nil else { throw error }
        }
    }

    private static func isPlainFile(_ path: String) -> Bool { path != ":memory:" && !path.hasPrefix("file:") }

    /// `path` for a `file:` URI: `%`, `?` and `#` percent-encoded.
    private static func uriPath(_ path: String) -> String {
        path.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "?", with: "%3f").replacingOccurrences(
            of: "#", with: "%23")
    }

    private func connect(_ path: String, access: DatabaseAccess) throws {
        if Self.isPlainFile(path) && access == .create {
            let parent = URL(fileURLWithPath: path).deletingLastPathComponent()
            do {
                try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
            } catch {
                throw DatabaseError(message: "cannot create the folder \(parent.path) for \(path): \(error.localizedDescription)")
            }
        }
        var db: OpaquePointer?
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI
        switch access {
        case .create: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        case .existing: flags |= SQLITE_OPEN_READWRITE
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        }
        let status = sqlite3_open_v2(path, &db, flags, nil)
        guard status == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(db)
            throw DatabaseError(message: "cannot open the SQLite database \(path): \(message)", code: String(status))
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, 5000)
        do {
            if access == .readOnly {
                _ = try query("SELECT COUNT(*) AS n FROM sqlite_master", [])  // fails here when it cannot be read
            } else {
                try execute("PRAGMA journal_mode = WAL", [])
                // WAL with NORMAL loses no commit when the process dies (only on power loss) and
                // saves an fsync per commit: a rotated token is stored sooner after its refresh.
                try execute("PRAGMA synchronous = NORMAL", [])
            }
            try execute("PRAGMA foreign_keys = ON", [])
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    // MARK: Database

    @discardableResult
    public func execute(_ sql: String, _ parameters: [SQLValue]) throws -> Int {
        try locked {
            let db = try open(sql)
            let before = sqlite3_total_changes(db)
            try run(sql, parameters, on: db) { _ in }
            // sqlite3_changes keeps the count of the last INSERT/UPDATE/DELETE, so a statement that
            // changed nothing (DDL, SELECT) would report a stale number without this check.
            return sqlite3_total_changes(db) == before ? 0 : Int(sqlite3_changes(db))
        }
    }

    public func query(_ sql: String, _ parameters: [SQLValue]) throws -> [SQLRow] {
        try locked {
            var rows: [SQLRow] = []
            try run(sql, parameters, on: try open(sql)) { statement in
                rows.append(Self.row(of: statement))
            }
            return rows
        }
    }

    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try locked {
            let db = try open("BEGIN IMMEDIATE")
            guard sqlite3_get_autocommit(db) != 0 else {
                throw DatabaseError(
                    message: "a transaction is already open on this connection (transactions do not nest)", sql: "BEGIN IMMEDIATE")
            }
            try run("BEGIN IMMEDIATE", [], on: db) { _ in }
            do {
                let value = try body()
                try run("COMMIT", [], on: db) { _ in }
                return value
            } catch {
                // SQLite may already have rolled back on its own (e.g. after SQLITE_FULL).
                if sqlite3_get_autocommit(db) == 0 { try? run("ROLLBACK", [], on: db) { _ in } }
                throw error
            }
        }
    }

    public var isInTransaction: Bool {
        locked { handle.map { sqlite3_get_autocommit($0) == 0 } ?? false }
    }

    public func close() {
        locked {
            if let db = handle { sqlite3_close_v2(db) }
            handle = nil
        }
    }

    // MARK: Statements

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    private func open(_ sql: String) throws -> OpaquePointer {
        guard let handle else { throw DatabaseError(message: "the SQLite database \(path) is closed", sql: sql) }
        return handle
    }

    private func error(_ db: OpaquePointer, _ status: Int32, _ sql: String) -> DatabaseError {
        DatabaseError(message: String(cString: sqlite3_errmsg(db)), sql: sql, code: String(status))
    }

    /// Prepares `sql` (exactly one statement), binds `parameters`, steps it to the end calling
    /// `onRow` for each row, and finalizes it.
    private func run(_ sql: String, _ parameters: [SQLValue], on db: OpaquePointer, onRow: (OpaquePointer) -> Void) throws {
        let statement = try compile(sql, on: db)
        defer { sqlite3_finalize(statement) }
        guard let statement else {
            // Blank or comment-only SQL: nothing to run.
            guard parameters.isEmpty else {
                throw DatabaseError(message: "the statement takes 0 parameters, \(parameters.count) given", sql: sql)
            }
            return
        }
        try step(statement, sql, parameters, on: db, onRow: onRow)
    }

    /// Compiles `sql`, which must be one statement; nil for blank or comment-only SQL.
    private func compile(_ sql: String, on db: OpaquePointer) throws -> OpaquePointer? {
        var statement: OpaquePointer?
        var multiple = false
        let prepared = sql.withCString { text -> Int32 in
            var tail: UnsafePointer<CChar>?
            let status = sqlite3_prepare_v2(db, text, -1, &statement, &tail)
            if status == SQLITE_OK, let rest = tail, rest.pointee != 0 {
                // Anything after the first statement must be blank or comments.
                var extra: OpaquePointer?
                if sqlite3_prepare_v2(db, rest, -1, &extra, nil) != SQLITE_OK || extra != nil { multiple = true }
                sqlite3_finalize(extra)
            }
            return status
        }
        if multiple {
            sqlite3_finalize(statement)
            throw DatabaseError(message: "only one statement may be run per call", sql: sql)
        }
        guard prepared == SQLITE_OK else {
            sqlite3_finalize(statement)
            throw error(db, prepared, sql)
        }
        return statement
    }

    /// Binds `parameters` to a compiled statement and steps it to the end, calling `onRow` for each row.
    private func step(
        _ statement: OpaquePointer, _ sql: String, _ parameters: [SQLValue], on db: OpaquePointer, onRow: (OpaquePointer) -> Void
    ) throws {
        let expected = Int(sqlite3_bind_parameter_count(statement))
        guard expected == parameters.count else {
            throw DatabaseError(message: "the statement takes \(expected) parameters, \(parameters.count) given", sql: sql)
        }
        for (offset, value) in parameters.enumerated() {
            let status = Self.bind(value, at: Int32(offset + 1), of: statement)
            guard status == SQLITE_OK else { throw error(db, status, sql) }
        }
        while true {
            let status = sqlite3_step(statement)
            if status == SQLITE_ROW {
                onRow(statement)
            } else if status == SQLITE_DONE {
                return
            } else {
                throw error(db, status, sql)
            }
        }
    }

    // MARK: Prepared statements

    public func prepare(_ sql: String) throws -> any PreparedStatement {
        try locked {
            guard let statement = try compile(sql, on: try open(sql)) else { return UnpreparedStatement(database: self, sql: sql) }
            return Prepared(database: self, statement: statement, sql: sql)
        }
    }

    /// Runs a statement compiled by `prepare` once more: reset, new bindings, stepped to the end,
    /// reset again (so it holds no read transaction between runs).
    private func execute(compiled statement: OpaquePointer, sql: String, _ parameters: [SQLValue]) throws -> Int {
        try locked {
            let db = try open(sql)
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
            defer { sqlite3_reset(statement) }
            let before = sqlite3_total_changes(db)
            try step(statement, sql, parameters, on: db) { _ in }
            return sqlite3_total_changes(db) == before ? 0 : Int(sqlite3_changes(db))
        }
    }

    /// A statement kept compiled on this connection (`sqlite3_close_v2` waits for it to be finalized).
    private final class Prepared: PreparedStatement {
        let database: SQLiteDatabase
        let sql: String
        private var statement: OpaquePointer?

        init(database: SQLiteDatabase, statement: OpaquePointer, sql: String) {
            self.database = database
            self.statement = statement
            self.sql = sql
        }

        deinit { close() }

        func execute(_ parameters: [SQLValue]) throws -> Int {
            guard let statement else { throw DatabaseError(message: "the prepared statement is closed", sql: sql) }
            return try database.execute(compiled: statement, sql: sql, parameters)
        }

        func close() {
            database.locked {
                sqlite3_finalize(statement)
                statement = nil
            }
        }
    }

    private static func bind(_ value: SQLValue, at index: Int32, of statement: OpaquePointer) -> Int32 {
        switch value {
        case .null:
            return sqlite3_bind_null(statement, index)
        case .integer(let number):
            return sqlite3_bind_int64(statement, index, number)
        case .real(let number):
            return sqlite3_bind_double(statement, index, number)
        case .text(let text):
            // withCString always yields a pointer, so "" binds an empty string, not NULL.
            let length = Int32(text.utf8.count)
            return text.withCString { sqlite3_bind_text(statement, index, $0, length, transient) }
        case .blob(let bytes):
            // A nil pointer would bind NULL: an empty blob needs zeroblob(0).
            if bytes.isEmpty { return sqlite3_bind_zeroblob(statement, index, 0) }
            return bytes.withUnsafeBytes { sqlite3_bind_blob(statement, index, $0.baseAddress, Int32($0.count), transient) }
        }
    }

    private static func row(of statement: OpaquePointer) -> SQLRow {
        let count = sqlite3_column_count(statement)
        var columns: [String] = []
        var values: [SQLValue] = []
        columns.reserveCapacity(Int(count))
        values.reserveCapacity(Int(count))
        for column in 0..<count {
            columns.append(sqlite3_column_name(statement, column).map { String(cString: $0) } ?? "")
            values.append(value(at: column, of: statement))
        }
        return SQLRow(columns: columns, values: values)
    }

    private static func value(at column: Int32, of statement: OpaquePointer) -> SQLValue {
        switch sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(statement, column))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(statement, column))
        case SQLITE_TEXT:
            guard let text = sqlite3_column_text(statement, column) else { return .text("") }
            let length = Int(sqlite3_column_bytes(statement, column))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: length), as: UTF8.self))
        case SQLITE_BLOB:
            let length = Int(sqlite3_column_bytes(statement, column))
            guard length > 0, let bytes = sqlite3_column_blob(statement, column) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: length)))
        default:
            return .null
        }
    }
}
