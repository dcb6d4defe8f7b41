import Foundation
import Testing

@testable import PlanStore

/// The behaviour every `Database` must share, run once per backend (`Backend.allCases`).
/// Continued in `DatabaseBehaviourTests+Sharing.swift`.
@Suite("Database behaviour")
struct DatabaseBehaviourTests {
    @Test("values of every type round-trip", arguments: Backend.allCases)
    func roundTripsEveryType(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        defer { fixture.tearDown() }
        let db = fixture.db
        let d = db.dialect
        try db.execute(
            """
            CREATE TABLE items (id \(d.autoIncrementPrimaryKey), i \(d.bigintType), r \(d.doubleType),
                                t \(d.textType), b \(d.blobType), n \(d.textType))
            """)
        let rows: [[SQLValue]] = [
            [.integer(42), .real(2.5), .text("plain"), .blob([0, 1, 2, 255]), .null],
            [.integer(.max), .real(-1e-300), .text("Привет, 世界 🚀 é\n\t'q' \"dq\" ? $1 \\"), .blob([]), .null],
            [.integer(.min), .real(0), .text(""), .blob(Array(0...255)), .text("not null")],
            [.null, .null, .null, .null, .null],
        ]
        for values in rows {
            #expect(try db.execute("INSERT INTO items (i, r, t, b, n) VALUES (?, ?, ?, ?, ?)", values) == 1)
        }
        let read = try db.query("SELECT id, i, r, t, b, n FROM items ORDER BY id")
        #expect(read.map { Array($0.values.dropFirst()) } == rows)
        #expect(read.map { $0["ID"] } == [1, 2, 3, 4])
        #expect(read.first?.columns == ["id", "i", "r", "t", "b", "n"])
        #expect(try db.query("SELECT id FROM items WHERE t = ?", [""]).map { $0["id"] } == [3])
        #expect(try db.query("SELECT id FROM items WHERE t IS NULL").map { $0["id"] } == [4])
    }

    @Test("parameters in expressions keep their types", arguments: Backend.allCases)
    func expressionTypes(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        defer { fixture.tearDown() }
        let row = try #require(try fixture.db.queryFirst("SELECT ? + 1 AS a, ? AS b, ? AS c, ? AS d", [41, "x", .real(1.5), .blob([7])]))
        #expect(row.values == [.integer(42), .text("x"), .real(1.5), .blob([7])])
        #expect(try fixture.db.query("SELECT 1 AS one WHERE 1 = 0").isEmpty)
    }

    @Test("execute returns the number of changed rows", arguments: Backend.allCases)
    func changeCounts(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        defer { fixture.tearDown() }
        let db = fixture.db
        #expect(try db.execute("CREATE TABLE counts (k \(db.dialect.keyTextType) PRIMARY KEY, v \(db.dialect.bigintType))") == 0)
        for (key, value) in [("a", 1), ("b", 2), ("c", 3)] {
            #expect(try db.execute("INSERT INTO counts (k, v) VALUES (?, ?)", [.text(key), SQLValue(value)]) == 1)
        }
        #expect(try db.execute("UPDATE counts SET v = v + 10 WHERE v >= ?", [2]) == 2)
        #expect(try db.execute("UPDATE counts SET v = 0 WHERE k = ?", ["missing"]) == 0)
        // A statement that changes nothing reports 0, not the previous statement's count.
        #expect(try db.execute("CREATE INDEX counts_v ON counts (v)") == 0)
        #expect(try db.execute("SELECT * FROM counts") == 0)
        #expect(try db.execute("DELETE FROM counts") == 3)
        #expect(try db.execute("-- nothing but a comment") == 0)
    }

    @Test("a transaction commits when its body returns", arguments: Backend.allCases)
    func transactionCommits(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        defer { fixture.tearDown() }
        let db = fixture.db
        try db.execute("CREATE TABLE t (v \(db.dialect.bigintType))")
        #expect(!db.isInTransaction)
        let result = try db.transaction { () throws -> Int in
            #expect(db.isInTransaction)
            try db.execute("INSERT INTO t (v) VALUES (?)", [1])
            try db.execute("INSERT INTO t (v) VALUES (?)", [2])
            return 7
        }
        #expect(result == 7)
        #expect(!db.isInTransaction)
        #expect(try fixture.connect().query("SELECT v FROM t ORDER BY v").map { $0["v"] } == [1, 2])
    }

    @Test("a transaction rolls back when its body throws", arguments: Backend.allCases)
    func transactionRollsBack(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        defer { fixture.tearDown() }
        let db = fixture.db
        try db.execute("CREATE TABLE t (v \(db.dialect.bigintType))")
        #expect(throws: Planned.self) {
            try db.transaction {
                try db.execute("INSERT INTO t (v) VALUES (?)", [1])
                throw Planned()
            }
        }
        #expect(!db.isInTransaction)
        #expect(try db.query("SELECT v FROM t").isEmpty)
        // The connection is usable afterwards.
        _ = try db.transaction { try db.execute("INSERT INTO t (v) VALUES (?)", [2]) }
        #expect(try db.query("SELECT v FROM t").map { $0["v"] } == [2])
    }

    @Test("nesting a transaction throws and leaves the outer one alone", arguments: Backend.allCases)
    func nestedTransactionThrows(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        defer { fixture.tearDown() }
        let db = fixture.db
        try db.execute("CREATE TABLE t (v \(db.dialect.bigintType))")
        try db.transaction {
            try db.execute("INSERT INTO t (v) VALUES (?)", [1])
            let error = #expect(throws: DatabaseError.self) { try db.transaction {} }
            #expect(error?.message.contains("do not nest") == true)
            #expect(db.isInTransaction)
        }
        #expect(try db.query("SELECT v FROM t").map { $0["v"] } == [1])
    }

    @Test("a statement error carries the message, the SQL and a code", arguments: Backend.allCases)
    func statementErrors(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        defer { fixture.tearDown() }
        let db = fixture.db
        let missing = "SELECT * FROM no_such_table WHERE id = ?"
        let error = try #require(throws: DatabaseError.self) { try db.query(missing, [1]) }
        #expect(error.message.contains("no_such_table"))
        #expect(error.sql == missing)
        #expect(error.code == ["sqlite": "1", "postgres": "42P01", "mysql": "1146"][backend.rawValue])

        try db.execute("CREATE TABLE u (k \(db.dialect.keyTextType) PRIMARY KEY)")
        try db.execute("INSERT INTO u (k) VALUES (?)", ["a"])
        let duplicate = try #require(throws: DatabaseError.self) { try db.execute("INSERT INTO u (k) VALUES (?)", ["a"]) }
        // SQLITE_CONSTRAINT_PRIMARYKEY, unique_violation, ER_DUP_ENTRY
        #expect(duplicate.code == ["sqlite": "1555", "postgres": "23505", "mysql": "1062"][backend.rawValue])

        let count = try #require(throws: DatabaseError.self) { try db.query("SELECT ?, ?", [1]) }
        #expect(count.message == "the statement takes 2 parameters, 1 given")
        #expect(throws: DatabaseError.self) { try db.execute("INSERT INTO u (k) VALUES ('b'); INSERT INTO u (k) VALUES ('c')") }
        #expect(try db.query("SELECT k FROM u").count == 1)
    }

    @Test("a ? inside a literal, identifier or comment is not a parameter", arguments: Backend.allCases)
    func questionMarksInLiterals(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        defer { fixture.tearDown() }
        let sql = "SELECT '?' AS q, 'it''s ?' AS s, ? AS p /* ? */ -- what?\n, ? AS \(fixture.db.dialect.quoted("why?"))"
        let row = try #require(try fixture.db.queryFirst(sql, ["x", 2]))
        #expect(row.columns == ["q", "s", "p", "why?"])
        #expect(row.values == ["?", "it's ?", "x", 2])
        if backend == .postgres {
            let dollar = try #require(try fixture.db.queryFirst("SELECT $$?$$ AS d, $t$'?$t$ AS t, E'\\'?' AS e, ? AS p", [3]))
            #expect(dollar.values == ["?", "'?", "'?", 3])
        }
    }
}
