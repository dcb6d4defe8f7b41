import CLibPQ
import Foundation

/// A `Database` on one PostgreSQL connection through libpq.
///
/// Statements are sent with `PQexecParams`: `?` markers become `$1…$n` (see
/// `PostgresPlaceholders`), parameters travel in text format (integers typed `int8`, reals
/// `float8`, blobs `bytea` in hex; text and NULL left for the server to infer), and result columns
/// are read by type OID; `prepare` keeps a statement on the server (`PQprepare` once, then
/// `PQexecPrepared`). Every call is serialised by a recursive lock, which `transaction` holds
/// for the whole body. Messages never contain the password. This is the only file that imports
/// `CLibPQ`.
public final class PostgresDatabase: Database, @unchecked Sendable {
    public let dialect: SQLDialect = .postgres

    /// The connection URL with the password replaced by `***`.
    public let redactedURL: String

    private var connection: OpaquePointer?
    private let lock = NSRecursiveLock()
    /// What must never appear in a message: the password in every form.
    private let secrets: SecretRedactor

    /// Connects with a `postgres://` / `postgresql://` URL (see `PostgresURL`) or a libpq keyword
    /// connection string. libpq gets keyword/value pairs, `connect_timeout` 10 s unless given, so
    /// a server that accepts but never answers cannot hang the caller.
    public init(connectionString: String) throws {
        let parameters: [PostgresURL.Parameter]
        let expandDatabaseName: Int32
        if PostgresURL.isURL(connectionString) {
            let url = try PostgresURL(connectionString)
            redactedURL = url.redacted
            secrets = SecretRedactor(url.secrets)
            parameters = url.connectionParameters
            expandDatabaseName = 0
        } else {
            // `key=value …`: libpq expands it from `dbname`; its own connect_timeout comes later and wins.
            redactedURL = "the PostgreSQL connection string"
            secrets = SecretRedactor(Self.keywordPasswords(connectionString))
            parameters = [.init("connect_timeout", String(PostgresURL.defaultConnectTimeout)), .init("dbname", connectionString)]
            expandDatabaseName = 1
        }
        do { try ClientLibrary.postgres.load() } catch { throw DatabaseError(message: "cannot connect to \(redactedURL): \(error)") }
        let keywords = parameters.map { strdup($0.keyword) } + [nil]
        let values = parameters.map { strdup($0.value) } + [nil]
        defer {
            keywords.forEach { free($0) }
            values.forEach { free($0) }
        }
        let conn = keywords.map { UnsafePointer($0) }.withUnsafeBufferPointer { keywordPointers in
            values.map { UnsafePointer($0) }.withUnsafeBufferPointer { valuePointers in
                PQconnectdbParams(keywordPointers.baseAddress, valuePointers.baseAddress, expandDatabaseName)
            }
        }
        guard let conn, PQstatus(conn) == CONNECTION_OK else {
            let reason = conn.map { String(cString: PQerrorMessage($0)) } ?? "out of memory"
            PQfinish(conn)
            throw DatabaseError(message: secrets.redact("cannot connect to \(redactedURL): \(Self.trimmed(reason))"))
        }
        connection = conn
        PQsetNoticeProcessor(conn, { _, _ in }, nil)  // NOTICEs (e.g. "already exists, skipping") would go to stderr.
        guard PQsetClientEncoding(conn, "UTF8") == 0 else {
            let reason = String(cString: PQerrorMessage(conn))
            close()
            throw DatabaseError(message: secrets.redact("cannot use UTF8 on \(redactedURL): \(Self.trimmed(reason))"))
        }
    }

    deinit { close() }

    // MARK: Database

    @discardableResult
    public func execute(_ sql: String, _ parameters: [SQLValue]) throws -> Int {
        try locked {
            let result = try run(sql, parameters)
            defer { PQclear(result) }
            return Self.changedRows(result)
        }
    }

    public func query(_ sql: String, _ parameters: [SQLValue]) throws -> [SQLRow] {
        try locked {
            let result = try run(sql, parameters)
            defer { PQclear(result) }
            let columnCount = PQnfields(result)
            let columns = (0..<columnCount).map { String(cString: PQfname(result, $0)) }
            let types = (0..<columnCount).map { PQftype(result, $0) }
            return (0..<PQntuples(result)).map { row in
                SQLRow(
                    columns: columns,
                    values: (0..<columnCount).map { column in
                        Self.value(result, row, column, type: types[Int(column)])
                    })
            }
        }
    }

    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try locked {
            guard !Self.inBlock(try open("BEGIN")) else {
                throw DatabaseError(message: "a transaction is already open on this connection (transactions do not nest)", sql: "BEGIN")
            }
            PQclear(try run("BEGIN", []))
            do {
                let value = try body()
                let result = try run("COMMIT", [])
                defer { PQclear(result) }
                // COMMIT of a transaction in which a statement failed answers ROLLBACK, not an error.
                if String(cString: PQcmdStatus(result)) == "ROLLBACK" {
                    throw DatabaseError(
                        message: "the transaction was rolled back because a statement in it failed", sql: "COMMIT", code: "25P02")
                }
                return value
            } catch {
                if let conn = connection, Self.inBlock(conn) {
                    PQclear(PQexec(conn, "ROLLBACK"))
                }
                throw error
            }
        }
    }

    public var isInTransaction: Bool {
        locked { connection.map(Self.inBlock) ?? false }
    }

    /// Whether a transaction block is open (PQTRANS_UNKNOWN, a broken connection, is not one).
    private static func inBlock(_ conn: OpaquePointer) -> Bool {
        let status = PQtransactionStatus(conn)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE
    }

    public func close() {
        locked {
            if let conn = connection { PQfinish(conn) }
            connection = nil
        }
    }

    // MARK: Statements

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    private func open(_ sql: String) throws -> OpaquePointer {
        guard let connection else { throw DatabaseError(message: "the connection to \(redactedURL) is closed", sql: sql) }
        return connection
    }

    /// Sends one statement and returns its successful result (the caller clears it).
    private func run(_ sql: String, _ parameters: [SQLValue]) throws -> OpaquePointer {
        let conn = try open(sql)
        let (numbered, expected) = PostgresPlaceholders.rewrite(sql)
        guard expected == parameters.count else {
            throw DatabaseError(message: "the statement takes \(expected) parameters, \(parameters.count) given", sql: sql)
        }
        let types: [Oid] = parameters.map(Self.typeOID)
        let texts: [UnsafeMutablePointer<CChar>?] = parameters.map { Self.text(of: $0).flatMap { strdup($0) } }
        defer { texts.forEach { free($0) } }
        let result = texts.map { UnsafePointer($0) }.withUnsafeBufferPointer { values in
            types.withUnsafeBufferPointer { oids in
                PQexecParams(conn, numbered, Int32(parameters.count), oids.baseAddress, values.baseAddress, nil, nil, 0)
            }
        }
        return try checked(result, conn, sql, parameters)
    }

    /// `result` when the statement succeeded (the caller clears it); else cleared and thrown as a `DatabaseError`.
    private func checked(_ result: OpaquePointer?, _ conn: OpaquePointer, _ sql: String, _ parameters: [SQLValue]) throws -> OpaquePointer {
        guard let result else {
            throw DatabaseError(message: secrets.redact(Self.trimmed(String(cString: PQerrorMessage(conn)))), sql: sql)
        }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY else {
            defer { PQclear(result) }
            let primary = PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) }
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            let message = primary ?? Self.trimmed(String(cString: PQerrorMessage(conn)))
            throw DatabaseError(message: secrets.adding(Self.longTexts(parameters)).redact(message), sql: sql, code: state)
        }
        return result
    }

    /// The rows a command changed (`PQcmdTuples`; 0 for a SELECT, whose count is not a change).
    private static func changedRows(_ result: OpaquePointer) -> Int {
        if PQresultStatus(result) == PGRES_TUPLES_OK && String(cString: PQcmdStatus(result)).hasPrefix("SELECT") { return 0 }
        return Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    // MARK: Prepared statements

    public func prepare(_ sql: String) throws -> any PreparedStatement {
        try locked {
            _ = try open(sql)
            nextStatement += 1
            return Prepared(database: self, sql: sql, name: "b24plan_\(nextStatement)")
        }
    }

    /// Numbers the server-side prepared statements of this connection.
    private var nextStatement = 0

    /// A statement prepared on the server (`PQprepare`) at its first run, with the parameter types
    /// of that run, and prepared again under another name when a later run's types differ (a NULL
    /// where a number was): it runs as `PQexecParams` would run it.
    private final class Prepared: PreparedStatement {
        let database: PostgresDatabase
        let sql: String
        let name: String
        /// Prepared names by parameter types.
        private var prepared: [[Oid]: String] = [:]
        private var closed = false

        init(database: PostgresDatabase, sql: String, name: String) {
            self.database = database
            self.sql = sql
            self.name = name
        }

        func execute(_ parameters: [SQLValue]) throws -> Int {
            try database.locked {
                guard !closed else { throw DatabaseError(message: "the prepared statement is closed", sql: sql) }
                let conn = try database.open(sql)
                let types: [Oid] = parameters.map(PostgresDatabase.typeOID)
                let statement: String
                if let known = prepared[types] {
                    statement = known
                } else {
                    let (numbered, expected) = PostgresPlaceholders.rewrite(sql)
                    guard expected == parameters.count else {
                        throw DatabaseError(message: "the statement takes \(expected) parameters, \(parameters.count) given", sql: sql)
                    }
                    statement = prepared.isEmpty ? name : name + "_\(prepared.count)"
                    let result = types.withUnsafeBufferPointer { PQprepare(conn, statement, numbered, Int32(types.count), $0.baseAddress) }
                    PQclear(try database.checked(result, conn, sql, []))
                    prepared[types] = statement
                }
                let texts: [UnsafeMutablePointer<CChar>?] = parameters.map { PostgresDatabase.text(of: $0).flatMap { strdup($0) } }
                defer { texts.forEach { free($0) } }
                let result = texts.map { UnsafePointer($0) }.withUnsafeBufferPointer { values in
                    PQexecPrepared(conn, statement, Int32(parameters.count), values.baseAddress, nil, nil, 0)
                }
                let checked = try database.checked(result, conn, sql, parameters)
                defer { PQclear(checked) }
                return PostgresDatabase.changedRows(checked)
            }
        }

        /// `DEALLOCATE`s it, unless the connection cannot run that now (closed, or in a failed
        /// transaction): the server frees it when the connection ends.
        func close() {
            database.locked {
                if let conn = database.connection, [PQTRANS_IDLE, PQTRANS_INTRANS].contains(PQtransactionStatus(conn)) {
                    for statement in prepared.values { PQclear(PQexec(conn, "DEALLOCATE \(statement)")) }
                }
                prepared = [:]
                closed = true
            }
        }
    }

    // MARK: Values

    private static func typeOID(_ value: SQLValue) -> Oid {
        switch value {
        case .integer: return 20  // int8
        case .real: return 701  // float8
        case .blob: return 17  // bytea
        case .text, .null: return 0  // inferred by the server, so text fits any column type
        }
    }

    private static func text(of value: SQLValue) -> String? {
        switch value {
        case .null: return nil
        case .integer(let number): return String(number)
        case .real(let number):
            if number.isNaN { return "NaN" }
            if number.isInfinite { return number < 0 ? "-Infinity" : "Infinity" }
            return String(number)
        case .text(let text): return text
        case .blob(let bytes):
            let digits = Array("0123456789abcdef".utf8)
            var hex: [UInt8] = Array("\\x".utf8)
            hex.reserveCapacity(2 + bytes.count * 2)
            for byte in bytes {
                hex.append(digits[Int(byte >> 4)])
                hex.append(digits[Int(byte & 0x0F)])
            }
            return String(decoding: hex, as: UTF8.self)
        }
    }

    private static func value(_ result: OpaquePointer, _ row: Int32, _ column: Int32, type: Oid) -> SQLValue {
        if PQgetisnull(result, row, column) != 0 { return .null }
        guard let raw = PQgetvalue(result, row, column) else { return .null }
        switch type {
        case 17:  // bytea
            var length = 0
            guard let bytes = PQunescapeBytea(UnsafeRawPointer(raw).assumingMemoryBound(to: UInt8.self), &length) else { return .blob([]) }
            defer { PQfreemem(bytes) }
            return .blob(Array(UnsafeBufferPointer(start: bytes, count: length)))
        default:
            let length = Int(PQgetlength(result, row, column))
            let text = String(decoding: UnsafeRawBufferPointer(start: raw, count: length), as: UTF8.self)
            switch type {
            case 20, 21, 23:  // int8, int2, int4
                return Int64(text).map(SQLValue.integer) ?? .text(text)
            case 700, 701, 1700:  // float4, float8, numeric
                return Double(text).map(SQLValue.real) ?? .text(text)
            case 16:  // bool
                return .integer(text == "t" ? 1 : 0)
            default:
                return .text(text)
            }
        }
    }

    // MARK: Secrets

    /// The `password=` values of a keyword connection string (quoted or not).
    private static func keywordPasswords(_ connection: String) -> [String] {
        var found: [String] = []
        var rest = Substring(connection)
        while let range = rest.range(of: "password") {
            var value = rest[range.upperBound...].drop(while: { $0 == " " })
            rest = value
            guard value.first == "=" else { continue }
            value = value.dropFirst().drop(while: { $0 == " " })
            if value.first == "'" {
                var text = ""
                var escaped = false
                for character in value.dropFirst() {
                    if escaped {
                        text.append(character)
                        escaped = false
                    } else if character == "\\" {
                        escaped = true
                    } else if character == "'" {
                        break
                    } else {
                        text.append(character)
                    }
                }
                found.append(text)
            } else {
                found.append(String(value.prefix(while: { $0 != " " })))
            }
        }
        return found
    }

    /// Text parameters long enough to be a token: hidden when a server message quotes them.
    private static func longTexts(_ parameters: [SQLValue]) -> [String] {
        parameters.compactMap { if case .text(let text) = $0, text.count >= 16 { return text } else { return nil } }
    }

    private static func trimmed(_ message: String) -> String {
        message.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
