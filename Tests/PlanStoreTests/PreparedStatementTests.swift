import Foundation
import Testing

@testable import PlanStore

/// `Database.prepare`: one statement run many times on its connection, as `execute` would run it.
@Suite("Prepared statements")
struct PreparedStatementTests {
    static func makeCounts(_ db: any Database) throws {
        try db.execute("CREATE TABLE counts (k \(db.dialect.keyTextType) PRIMARY KEY, v \(db.dialect.bigintType))")
        for (key, value) in [("a", 1), ("b", 2), ("c", 3)] {
            try db.execute("INSERT INTO counts (k, v) VALUES (?, ?)", [.text(key), SQLValue(value)])
        }
    }

    @Test("runs many times with new parameters and counts the rows each run changed", arguments: Backend.allCases)
    func runsManyTimes(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        defer { fixture.tearDown() }
        let db = fixture.db
        try Self.makeCounts(db)
        let statement = try db.prepare("UPDATE counts SET v = v + ? WHERE v >= ?")
        defer { statement.close() }
        #expect(try statement.execute([10, 2]) == 2)
        #expect(try statement.execute([1, 100]) == 0)
        #expect(try statement.execute([100, 1]) == 3)
        // A NULL where a number was (PostgreSQL prepares it again for those types).
        #expect(try statement.execute([.null, 1000]) == 0)
        #expect(try db.query("SELECT v FROM counts ORDER BY k").map { $0["v"] } == [101, 112, 113])
        // The connection goes on as before, in and out of transactions.
        let inTransaction = try db.transaction { try statement.execute([1, 0]) }
        #expect(inTransaction == 3)
        #expect(try db.queryFirst("SELECT SUM(v) AS s FROM counts")?["s"].int == 329)
        statement.close()
        statement.close()
        #expect(throws: DatabaseError.self) { try statement.execute([1, 0]) }
    }

    @Test("a failing run throws the database's error and leaves the statement usable", arguments: Backend.allCases)
    func failureThenReuse(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        defer { fixture.tearDown() }
        let db = fixture.db
        try Self.makeCounts(db)
        let insert = try db.prepare("INSERT INTO counts (k, v) VALUES (?, ?)")
        defer { insert.close() }
        #expect(try insert.execute(["d", 4]) == 1)
        let duplicate = #expect(throws: DatabaseError.self) { try insert.execute(["a", 5]) }
        #expect(duplicate?.code != nil)
        #expect(throws: DatabaseError.self) {
            try db.transaction {
                try insert.execute(["e", 5])
                try insert.execute(["a", 5])
            }
        }
        #expect(try db.queryFirst("SELECT COUNT(*) AS n FROM counts")?["n"].int == 4, "the transaction rolled back")
        #expect(try insert.execute(["e", 5]) == 1)
        #expect(throws: DatabaseError.self) { try insert.execute(["f"]) }

        // First run inside a transaction that rolls back: the statement outlives it.
        let update = try db.prepare("UPDATE counts SET v = ? WHERE k = ?")
        defer { update.close() }
        #expect(throws: Planned.self) {
            try db.transaction {
                #expect(try update.execute([7, "a"]) == 1)
                throw Planned()
            }
        }
        #expect(try update.execute([8, "b"]) == 1)
        #expect(try db.query("SELECT v FROM counts WHERE k IN ('a', 'b') ORDER BY k").map { $0["v"] } == [1, 8])
    }

    @Test("bad SQL fails when prepared or at its first run; blank SQL runs as nothing", arguments: Backend.allCases)
    func badAndBlankSQL(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        defer { fixture.tearDown() }
        let db = fixture.db
        #expect(throws: DatabaseError.self) {
            let statement = try db.prepare("UPDATE no_such_table SET v = 1")
            defer { statement.close() }
            try statement.execute([])
        }
        let blank = try db.prepare("-- nothing here\n")
        #expect(try blank.execute([]) == 0)
        blank.close()
    }

    @Test("statements prepared on one connection run while another connection works", arguments: [Backend.postgres, .mysql])
    func twoConnections(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        defer { fixture.tearDown() }
        try Self.makeCounts(fixture.db)
        let other = try fixture.connect()
        let first = try fixture.db.prepare("UPDATE counts SET v = v + 1 WHERE k = ?")
        let second = try other.prepare("UPDATE counts SET v = v + 1 WHERE k = ?")
        defer {
            first.close()
            second.close()
        }
        for _ in 0..<20 {
            #expect(try first.execute(["a"]) == 1)
            #expect(try second.execute(["b"]) == 1)
        }
        #expect(try fixture.db.query("SELECT v FROM counts ORDER BY k").map { $0["v"] } == [21, 22, 3])
    }
}
