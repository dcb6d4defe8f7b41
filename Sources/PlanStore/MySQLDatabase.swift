import CMariaDB
import Foundation

/// A `Database` on one MySQL or MariaDB connection through MariaDB Connector/C.
///
/// Every statement is a server-side prepared statement (`mysql_stmt_*`, `?` markers natively;
/// closed after its run, or kept for many runs by `prepare`),
/// parameters bound by type (integers `LONGLONG`, reals `DOUBLE`, text `STRING`, blobs `BLOB`);
/// result columns are read by type, binary strings as blobs. The connection talks utf8mb4 and is
/// opened with `CLIENT_FOUND_ROWS`, so `execute` counts the rows an UPDATE matched, even those it
/// left as they were (the token compare-and-swap relies on it). Every call is serialised by a
/// recursive lock, which `transaction` holds for the whole body. Messages never contain the
/// password. This is the only file that imports `CMariaDB`.
public final class MySQLDatabase: Database, @unchecked Sendable {
    public let dialect: SQLDialect = .mysql

    /// The connection URL with the password replaced by `***`.
    public let redactedURL: String

    private var connection: UnsafeMutablePointer<MYSQL>?
    private let lock = NSRecursiveLock()
    private let secrets: SecretRedactor
    /// Whether `transaction` runs a body (DDL commits implicitly, so the server's flag may drop inside one).
    private var inTransactionBody = false

    /// Connects with a `mysql://` / `mariadb://` URL (see `MySQLURL`): utf8mb4, `CLIENT_FOUND_ROWS`,
    /// connect timeout 10 s unless given, no `LOAD DATA LOCAL`.
    public init(url text: String) throws {
        let url = try MySQLURL(text)
        redactedURL = url.redacted
        secrets = SecretRedactor(url.secrets)
        do { try ClientLibrary.mariadb.load() } catch { throw DatabaseError(message: "cannot connect to \(url.redacted): \(error)") }
        guard let conn = mysql_init(nil) else { throw DatabaseError(message: "cannot connect to \(url.redacted): out of memory") }
        var connectTimeout = UInt32(url.connectTimeout)
        mysql_options(conn, MYSQL_OPT_CONNECT_TIMEOUT, &connectTimeout)
        if let seconds = url.readTimeout {
            var timeout = UInt32(seconds)
            mysql_options(conn, MYSQL_OPT_READ_TIMEOUT, &timeout)
            mysql_options(conn, MYSQL_OPT_WRITE_TIMEOUT, &timeout)
        }
        mysql_options(conn, MYSQL_SET_CHARSET_NAME, "utf8mb4")
        var off: my_bool = 0
        var on: my_bool = 1
        mysql_options(conn, MYSQL_OPT_LOCAL_INFILE, &off)
        switch url.sslMode {
        case .required?:
            mysql_options(conn, MYSQL_OPT_SSL_ENFORCE, &on)
        case .verifyCA?, .verifyIdentity?:
            mysql_options(conn, MYSQL_OPT_SSL_ENFORCE, &on)
            mysql_options(conn, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &on)
        case .disabled?, .preferred?, nil:
            break
        }
        let flags = UInt(CLIENT_FOUND_ROWS)
        guard mysql_real_connect(conn, url.host, url.user, url.password, url.database, UInt32(url.port), url.socket, flags) != nil else {
            let reason = String(cString: mysql_error(conn))
            let code = mysql_errno(conn)
            mysql_close(conn)
            throw DatabaseError(message: secrets.redact("cannot connect to \(url.redacted): \(reason)"), code: String(code))
        }
        connection = conn
    }

    deinit { close() }

    // MARK: Database

    @discardableResult
    public func execute(_ sql: String, _ parameters: [SQLValue]) throws -> Int {
        try locked { try run(sql, parameters, collect: false).changed }
    }

    public func query(_ sql: String, _ parameters: [SQLValue]) throws -> [SQLRow] {
        try locked { try run(sql, parameters, collect: true).rows }
    }

    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try locked {
            let conn = try open("START TRANSACTION")
            guard !inTransactionBody && !Self.serverInTransaction(conn) else {
                throw DatabaseError(
                    message: "a transaction is already open on this connection (transactions do not nest)", sql: "START TRANSACTION")
            }
            try plain("START TRANSACTION", on: conn)
            inTransactionBody = true
            defer { inTransactionBody = false }
            do {
                let value = try body()
                guard mysql_commit(conn) == 0 else { throw error(conn, "COMMIT") }
                return value
            } catch {
                if let conn = connection { mysql_rollback(conn) }
                throw error
            }
        }
    }

    public var isInTransaction: Bool {
        locked { inTransactionBody || connection.map(Self.serverInTransaction) ?? false }
    }

    public func close() {
        locked {
            if let conn = connection { mysql_close(conn) }
            connection = nil
        }
    }

    // MARK: Statements

    private static func serverInTransaction(_ conn: UnsafeMutablePointer<MYSQL>) -> Bool {
        conn.pointee.server_status & UInt32(SERVER_STATUS_IN_TRANS) != 0
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    private func open(_ sql: String) throws -> UnsafeMutablePointer<MYSQL> {
        guard let connection else { throw DatabaseError(message: "the connection to \(redactedURL) is closed", sql: sql) }
        return connection
    }

    private func error(_ conn: UnsafeMutablePointer<MYSQL>, _ sql: String, _ parameters: [SQLValue] = []) -> DatabaseError {
        DatabaseError(
            message: secrets.adding(Self.longTexts(parameters)).redact(String(cString: mysql_error(conn))), sql: sql,
            code: String(mysql_errno(conn)))
    }

    /// The statement's error; the connection's when the statement has none (an error that ends a
    /// result set while its rows are fetched, such as a statement stopped by `max_statement_time`,
    /// is left on the connection).
    private func error(_ statement: UnsafeMutablePointer<MYSQL_STMT>, _ sql: String, _ parameters: [SQLValue]) -> DatabaseError {
        if mysql_stmt_errno(statement) == 0, let conn = connection, mysql_errno(conn) != 0 { return error(conn, sql, parameters) }
        return DatabaseError(
            message: secrets.adding(Self.longTexts(parameters)).redact(String(cString: mysql_stmt_error(statement))), sql: sql,
            code: String(mysql_stmt_errno(statement)))
    }

    /// A statement without parameters or results through the text protocol (transaction control).
    private func plain(_ sql: String, on conn: UnsafeMutablePointer<MYSQL>) throws {
        guard mysql_real_query(conn, sql, UInt(sql.utf8.count)) == 0 else { throw error(conn, sql) }
        if let result = mysql_store_result(conn) { mysql_free_result(result) }
    }

    /// Prepares, binds and executes one statement; returns its rows (when `collect`) and the rows it
    /// changed (0 for a statement that returns rows).
    private func run(_ sql: String, _ parameters: [SQLValue], collect: Bool) throws -> (rows: [SQLRow], changed: Int) {
        guard let statement = try compile(sql) else {
            guard parameters.isEmpty else {
                throw DatabaseError(message: "the statement takes 0 parameters, \(parameters.count) given", sql: sql)
            }
            return ([], 0)  // blank or comments only
        }
        defer { mysql_stmt_close(statement) }
        return try run(compiled: statement, sql, parameters, collect: collect)
    }

    /// A server-side prepared statement for `sql`; nil for blank or comment-only SQL.
    private func compile(_ sql: String) throws -> UnsafeMutablePointer<MYSQL_STMT>? {
        let conn = try open(sql)
        guard let statement = mysql_stmt_init(conn) else { throw error(conn, sql) }
        if mysql_stmt_prepare(statement, sql, UInt(sql.utf8.count)) != 0 {
            defer { mysql_stmt_close(statement) }
            if mysql_stmt_errno(statement) == Self.emptyQuery { return nil }
            throw error(statement, sql, [])
        }
        return statement
    }

    /// Binds and executes a prepared statement; returns its rows (when `collect`) and the rows it
    /// changed (0 for a statement that returns rows).
    private func run(
        compiled statement: UnsafeMutablePointer<MYSQL_STMT>, _ sql: String, _ parameters: [SQLValue], collect: Bool
    ) throws -> (rows: [SQLRow], changed: Int) {
        let expected = Int(mysql_stmt_param_count(statement))
        guard expected == parameters.count else {
            throw DatabaseError(message: "the statement takes \(expected) parameters, \(parameters.count) given", sql: sql)
        }
        var inputs = ParameterBuffers(parameters)
        defer { inputs.free() }
        if !parameters.isEmpty {
            let failed = inputs.binds.withUnsafeMutableBufferPointer { mysql_stmt_bind_param(statement, $0.baseAddress) }
            guard failed == 0 else { throw error(statement, sql, parameters) }
        }
        guard mysql_stmt_execute(statement) == 0 else { throw error(statement, sql, parameters) }
        let columnCount = Int(mysql_stmt_field_count(statement))
        guard columnCount > 0 else { return ([], Int(mysql_stmt_affected_rows(statement))) }
        defer { mysql_stmt_free_result(statement) }
        let rows = try fetchRows(statement, columnCount: columnCount, sql: sql, parameters: parameters)
        return (collect ? rows : [], 0)
    }

    // MARK: Prepared statements

    public func prepare(_ sql: String) throws -> any PreparedStatement {
        try locked {
            guard let statement = try compile(sql) else { return UnpreparedStatement(database: self, sql: sql) }
            return Prepared(database: self, statement: statement, sql: sql)
        }
    }

    /// A statement kept prepared on the server: one round trip per run instead of three.
    private final class Prepared: PreparedStatement {
        let database: MySQLDatabase
        let sql: String
        private var statement: UnsafeMutablePointer<MYSQL_STMT>?

        init(database: MySQLDatabase, statement: UnsafeMutablePointer<MYSQL_STMT>, sql: String) {
            self.database = database
            self.statement = statement
            self.sql = sql
        }

        deinit { close() }

        func execute(_ parameters: [SQLValue]) throws -> Int {
            try database.locked {
                guard let statement, database.connection != nil else {
                    throw DatabaseError(message: "the prepared statement or its connection is closed", sql: sql)
                }
                return try database.run(compiled: statement, sql, parameters, collect: false).changed
            }
        }

        /// Frees it (after `mysql_close` the library has already detached it from the connection).
        func close() {
            database.locked {
                if let statement { mysql_stmt_close(statement) }
                statement = nil
            }
        }
    }

    /// Reads every row of an executed statement: numbers into fixed buffers, strings and blobs by
    /// length through `mysql_stmt_fetch_column`.
    private func fetchRows(
        _ statement: UnsafeMutablePointer<MYSQL_STMT>, columnCount: Int, sql: String, parameters: [SQLValue]
    ) throws -> [SQLRow] {
        guard let metadata = mysql_stmt_result_metadata(statement) else { throw error(statement, sql, parameters) }
        defer { mysql_free_result(metadata) }
        guard let fields = mysql_fetch_fields(metadata) else { throw error(statement, sql, parameters) }
        let columns = (0..<columnCount).map { String(cString: fields[$0].name) }
        let kinds = (0..<columnCount).map { ColumnKind(fields[$0]) }
        var outputs = ResultBuffers(kinds)
        defer { outputs.free() }
        let failed = outputs.binds.withUnsafeMutableBufferPointer { mysql_stmt_bind_result(statement, $0.baseAddress) }
        guard failed == 0 else { throw error(statement, sql, parameters) }
        var rows: [SQLRow] = []
        while true {
            let status = mysql_stmt_fetch(statement)
            if status == MYSQL_NO_DATA { break }
            guard status == 0 || status == MYSQL_DATA_TRUNCATED else { throw error(statement, sql, parameters) }
            var values: [SQLValue] = []
            values.reserveCapacity(columnCount)
            for column in 0..<columnCount {
                values.append(try outputs.value(column, kind: kinds[column], statement: statement))
            }
            rows.append(SQLRow(columns: columns, values: values))
        }
        return rows
    }

    /// `ER_EMPTY_QUERY` (in `mysqld_error.h`, which `mysql.h` does not include).
    private static let emptyQuery: UInt32 = 1065

    /// Text parameters long enough to be a token: hidden when a server message quotes them.
    private static func longTexts(_ parameters: [SQLValue]) -> [String] {
        parameters.compactMap { if case .text(let text) = $0, text.count >= 16 { return text } else { return nil } }
    }
}

// MARK: Buffers

/// How a result column is read.
private enum ColumnKind {
    case integer, real, text, blob, null

    /// Binary strings (character set 63) are blobs; DECIMAL reads as a real, like PostgreSQL's numeric.
    init(_ field: MYSQL_FIELD) {
        switch field.type {
        case MYSQL_TYPE_TINY, MYSQL_TYPE_SHORT, MYSQL_TYPE_LONG, MYSQL_TYPE_LONGLONG, MYSQL_TYPE_INT24, MYSQL_TYPE_YEAR:
            self = .integer
        case MYSQL_TYPE_FLOAT, MYSQL_TYPE_DOUBLE, MYSQL_TYPE_DECIMAL, MYSQL_TYPE_NEWDECIMAL:
            self = .real
        case MYSQL_TYPE_NULL:
            self = .null
        case MYSQL_TYPE_TINY_BLOB, MYSQL_TYPE_MEDIUM_BLOB, MYSQL_TYPE_LONG_BLOB, MYSQL_TYPE_BLOB, MYSQL_TYPE_VAR_STRING,
            MYSQL_TYPE_STRING, MYSQL_TYPE_VARCHAR, MYSQL_TYPE_BIT, MYSQL_TYPE_GEOMETRY:
            self = field.charsetnr == 63 ? .blob : .text
        default:
            self = .text  // dates and times, JSON, ENUM, SET: as the server writes them
        }
    }
}

/// The `MYSQL_BIND`s of a statement's parameters and the memory they point to.
private struct ParameterBuffers {
    var binds: [MYSQL_BIND]
    private var allocations: [UnsafeMutableRawPointer] = []

    init(_ parameters: [SQLValue]) {
        binds = Array(repeating: MYSQL_BIND(), count: parameters.count)
        for (index, value) in parameters.enumerated() {
            switch value {
            case .null:
                binds[index].buffer_type = MYSQL_TYPE_NULL
            case .integer(let number):
                let buffer = store(number)
                binds[index].buffer_type = MYSQL_TYPE_LONGLONG
                binds[index].buffer = buffer
            case .real(let number):
                binds[index].buffer_type = MYSQL_TYPE_DOUBLE
                binds[index].buffer = store(number)
            case .text(let text):
                binds[index].buffer_type = MYSQL_TYPE_STRING
                (binds[index].buffer, binds[index].buffer_length) = store(Array(text.utf8))
            case .blob(let bytes):
                binds[index].buffer_type = MYSQL_TYPE_BLOB
                (binds[index].buffer, binds[index].buffer_length) = store(bytes)
            }
        }
    }

    private mutating func store<T>(_ value: T) -> UnsafeMutableRawPointer {
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: MemoryLayout<T>.size, alignment: MemoryLayout<T>.alignment)
        pointer.storeBytes(of: value, as: T.self)
        allocations.append(pointer)
        return pointer
    }

    /// A copy of `bytes` (never a nil pointer, so an empty string or blob is not NULL) and its length.
    private mutating func store(_ bytes: [UInt8]) -> (UnsafeMutableRawPointer, UInt) {
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: max(1, bytes.count), alignment: 1)
        bytes.withUnsafeBytes { if let base = $0.baseAddress { pointer.copyMemory(from: base, byteCount: bytes.count) } }
        allocations.append(pointer)
        return (pointer, UInt(bytes.count))
    }

    func free() { allocations.forEach { $0.deallocate() } }
}

/// The `MYSQL_BIND`s of a result: an 8-byte buffer per number, a length and a null flag per column.
private struct ResultBuffers {
    var binds: [MYSQL_BIND]
    private let numbers: UnsafeMutablePointer<Int64>
    private let lengths: UnsafeMutablePointer<UInt>
    private let nulls: UnsafeMutablePointer<my_bool>

    init(_ kinds: [ColumnKind]) {
        let count = max(1, kinds.count)
        numbers = .allocate(capacity: count)
        lengths = .allocate(capacity: count)
        nulls = .allocate(capacity: count)
        numbers.initialize(repeating: 0, count: count)
        lengths.initialize(repeating: 0, count: count)
        nulls.initialize(repeating: 0, count: count)
        binds = Array(repeating: MYSQL_BIND(), count: kinds.count)
        for (index, kind) in kinds.enumerated() {
            binds[index].length = lengths + index
            binds[index].is_null = nulls + index
            switch kind {
            case .integer:
                binds[index].buffer_type = MYSQL_TYPE_LONGLONG
                binds[index].buffer = UnsafeMutableRawPointer(numbers + index)
                binds[index].buffer_length = 8
            case .real:
                binds[index].buffer_type = MYSQL_TYPE_DOUBLE
                binds[index].buffer = UnsafeMutableRawPointer(numbers + index)
                binds[index].buffer_length = 8
            case .text, .null:
                binds[index].buffer_type = MYSQL_TYPE_STRING  // no buffer: fetched by length afterwards
            case .blob:
                binds[index].buffer_type = MYSQL_TYPE_BLOB
            }
        }
    }

    func value(_ column: Int, kind: ColumnKind, statement: UnsafeMutablePointer<MYSQL_STMT>) throws -> SQLValue {
        if nulls[column] != 0 { return .null }
        switch kind {
        case .null: return .null
        case .integer: return .integer(numbers[column])
        case .real: return .real(UnsafeRawPointer(numbers + column).load(as: Double.self))
        case .text, .blob:
            let length = Int(lengths[column])
            var bytes = [UInt8](repeating: 0, count: length)
            if length > 0 {
                var bind = MYSQL_BIND()
                bind.buffer_type = kind == .blob ? MYSQL_TYPE_BLOB : MYSQL_TYPE_STRING
                bind.buffer_length = UInt(length)
                var read: UInt = 0
                let status = bytes.withUnsafeMutableBytes { raw -> Int32 in
                    bind.buffer = raw.baseAddress
                    return withUnsafeMutablePointer(to: &read) { readPointer in
                        bind.length = readPointer
                        return mysql_stmt_fetch_column(statement, &bind, UInt32(column), 0)
                    }
                }
                guard status == 0 else {
                    throw DatabaseError(message: "cannot read column \(column + 1): " + String(cString: mysql_stmt_error(statement)))
                }
            }
            return kind == .blob ? .blob(bytes) : .text(String(decoding: bytes, as: UTF8.self))
        }
    }

    func free() {
        numbers.deallocate()
        lengths.deallocate()
        nulls.deallocate()
    }
}
