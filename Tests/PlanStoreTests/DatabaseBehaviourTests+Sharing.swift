import Foundation
import Testing

@testable import PlanStore

/// Connections, upserts, constraints and dialect helpers: the rest of the behavioural suite.
extension DatabaseBehaviourTests {
    @Test("two connections see each other's committed rows", arguments: Backend.allCases)
    func twoConnections(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        defer { fixture.tearDown() }
        let first = fixture.db
        let second = try fixture.connect()
        try first.execute("CREATE TABLE shared (v \(first.dialect.bigintType))")
        try first.execute("INSERT INTO shared (v) VALUES (?)", [1])
        #expect(try second.query("SELECT v FROM shared").map { $0["v"] } == [1])
        try second.transaction {
            try second.execute("INSERT INTO shared (v) VALUES (?)", [2])
            // Not committed yet: the other connection still sees one row.
            #expect(try first.query("SELECT v FROM shared").count == 1)
        }
        #expect(try first.query("SELECT v FROM shared ORDER BY v").map { $0["v"] } == [1, 2])
    }

    @Test("INSERT … ON CONFLICT … DO UPDATE works", arguments: Backend.allCases)
    func upsert(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        defer { fixture.tearDown() }
        let db = fixture.db
        let d = db.dialect
        try db.execute("CREATE TABLE settings (k \(d.keyTextType) PRIMARY KEY, v \(d.textType), hits \(d.bigintType) NOT NULL)")
        let upsert = d.upsert(
            "INSERT INTO settings (k, v, hits) VALUES (?, ?, 1)", conflict: ["k"], set: "v = excluded.v, hits = settings.hits + 1")
        #expect(try db.execute(upsert, ["colour", "red"]) == 1)
        // MySQL counts an update through ON DUPLICATE KEY UPDATE twice.
        #expect(try db.execute(upsert, ["colour", "blue"]) == (backend == .mysql ? 2 : 1))
        #expect(try db.execute(upsert, ["size", "L"]) == 1)
        let rows = try db.query("SELECT k, v, hits FROM settings ORDER BY k")
        #expect(rows.map(\.values) == [["colour", "blue", 2], ["size", "L", 1]])
        let ignoring = d.insertIgnoringDuplicates("INSERT INTO settings (k, v, hits) VALUES (?, ?, 1)", conflict: ["k"])
        #expect(try db.execute(ignoring, ["size", "XL"]) == 0)
        #expect(try db.execute(ignoring, ["shade", "dark"]) == 1)
        guard backend != .mysql else { return }  // no RETURNING in MySQL
        let returned = try db.query("INSERT INTO settings (k, v, hits) VALUES (?, ?, 1) RETURNING k, hits", ["shape", "round"])
        #expect(returned.map(\.values) == [["shape", 1]])
    }

    @Test("foreign keys are enforced", arguments: Backend.allCases)
    func foreignKeys(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        defer { fixture.tearDown() }
        let db = fixture.db
        try db.execute("CREATE TABLE parents (id \(db.dialect.autoIncrementPrimaryKey))")
        try db.execute("CREATE TABLE children (parent_id \(db.dialect.bigintType) NOT NULL REFERENCES parents (id))")
        let id: SQLValue
        if backend == .mysql {
            try db.execute("INSERT INTO parents () VALUES ()")
            id = try #require(try db.queryFirst("SELECT LAST_INSERT_ID() AS id")?["id"])
        } else {
            id = try #require(try db.queryFirst("INSERT INTO parents DEFAULT VALUES RETURNING id")?["id"])
        }
        #expect(try db.execute("INSERT INTO children (parent_id) VALUES (?)", [id]) == 1)
        let error = try #require(throws: DatabaseError.self) {
            try db.execute("INSERT INTO children (parent_id) VALUES (?)", [999])
        }
        // SQLITE_CONSTRAINT_FOREIGNKEY, foreign_key_violation, ER_NO_REFERENCED_ROW_2
        #expect(error.code == ["sqlite": "787", "postgres": "23503", "mysql": "1452"][backend.rawValue])
    }

    @Test("calls from many threads are serialised", arguments: Backend.allCases)
    func concurrentCallers(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        defer { fixture.tearDown() }
        let db = fixture.db
        let shared = UncheckedBox(db)
        try db.execute("CREATE TABLE hits (worker \(db.dialect.bigintType), n \(db.dialect.bigintType))")
        let failures = Counter()
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for n in 0..<25 {
                do {
                    if n % 5 == 0 {
                        try shared.value.transaction {
                            _ = try shared.value.execute("INSERT INTO hits (worker, n) VALUES (?, ?)", [SQLValue(worker), SQLValue(n)])
                        }
                    } else {
                        try shared.value.execute("INSERT INTO hits (worker, n) VALUES (?, ?)", [SQLValue(worker), SQLValue(n)])
                    }
                } catch {
                    failures.increment()
                }
            }
        }
        #expect(failures.value == 0)
        #expect(try db.queryFirst("SELECT COUNT(*) AS c FROM hits")?["c"] == 200)
    }

    @Test("a failed statement inside a transaction", arguments: Backend.allCases)
    func failedStatementInTransaction(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        defer { fixture.tearDown() }
        let db = fixture.db
        try db.execute("CREATE TABLE t (v \(db.dialect.bigintType) UNIQUE)")
        let commit = {
            try db.transaction {
                try db.execute("INSERT INTO t (v) VALUES (?)", [1])
                #expect(throws: DatabaseError.self) { try db.execute("INSERT INTO t (v) VALUES (?)", [1]) }
            }
        }
        switch backend {
        case .sqlite, .mysql:
            // SQLite and MySQL undo only the failed statement: the transaction commits the first insert.
            try commit()
            #expect(try db.query("SELECT v FROM t").count == 1)
        case .postgres:
            // PostgreSQL aborts the whole transaction: the commit throws and nothing is kept.
            let error = try #require(throws: DatabaseError.self) { try commit() }
            #expect(error.code == "25P02")
            #expect(try db.query("SELECT v FROM t").isEmpty)
        }
        #expect(!db.isInTransaction)
    }

    @Test("a closed connection throws", arguments: Backend.allCases)
    func closedConnection(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        defer { fixture.tearDown() }
        fixture.db.close()
        let error = try #require(throws: DatabaseError.self) { try fixture.db.query("SELECT 1") }
        #expect(error.message.contains("closed"))
        fixture.db.close()  // closing twice is harmless
    }

    @Test("dialect helpers produce the same shapes", arguments: Backend.allCases)
    func dialectHelpers(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        defer { fixture.tearDown() }
        let db = fixture.db
        let d = db.dialect
        let row = try #require(try db.queryFirst("SELECT \(d.currentTimestampSQL) AS now, \(d.currentEpochSecondsSQL) AS epoch"))
        let now = try #require(row["now"].string)
        #expect(now.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil, "\(now)")
        let epoch = try #require(row["epoch"].int)
        #expect(abs(epoch - Int(Date().timeIntervalSince1970)) < 60)
        #expect(row["epoch"] == .integer(Int64(epoch)))
        let column = d.quoted("odd \"name\"?")
        try db.execute("CREATE TABLE \(d.quoted("map")) (\(column) \(d.textType))")
        try db.execute("INSERT INTO \(d.quoted("map")) (\(column)) VALUES (?)", ["v"])
        #expect(try db.queryFirst("SELECT \(column) FROM \(d.quoted("map"))")?.columns == ["odd \"name\"?"])
    }

    @Test("DatabaseConnector opens the implementation the URL names", arguments: Backend.allCases)
    func connector(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        defer { fixture.tearDown() }
        let db: any Database
        switch backend {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("b24plan-connector-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            db = try DatabaseConnector.open("sqlite:\(folder.path)/a/b/state.db")
            #expect(db is SQLiteDatabase)
            #expect(try db.queryFirst("PRAGMA journal_mode")?["journal_mode"] == "wal")
            #expect(try db.queryFirst("PRAGMA foreign_keys")?["foreign_keys"] == 1)
        case .postgres:
            db = try DatabaseConnector.open(DatabaseURL(try #require(Backend.postgresURL)))
            #expect(db is PostgresDatabase)
        case .mysql:
            db = try DatabaseConnector.open(DatabaseURL(try #require(Backend.mysqlURL)))
            #expect(db is MySQLDatabase)
        }
        defer { db.close() }
        #expect(db.dialect.rawValue == backend.rawValue)
        #expect(try db.queryFirst("SELECT 1 AS one")?["one"] == 1)
    }
}
