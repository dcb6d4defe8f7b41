import Foundation
import Testing

@testable import PlanStore

/// What only one implementation has: SQLite's file handling, PostgreSQL's password hiding.
@Suite("Backend specifics")
struct BackendSpecificTests {
    /// The one visible line when PostgreSQL is missing: each PostgreSQL case of the behavioural
    /// suite is then cancelled quietly (Swift Testing does not print a cancelled test case).
    @Test(
        "PostgreSQL test server is configured (B24PLAN_TEST_POSTGRES_URL)",
        .enabled(
            if: Backend.postgresURL != nil || Backend.isCI,
            "B24PLAN_TEST_POSTGRES_URL is not set: every PostgreSQL case is skipped (source scripts/postgres-test-cluster.sh to run them)"
        )
    )
    func postgresConfigured() throws {
        if Backend.postgresURL == nil { throw MissingPostgres() }
    }

    @Test("SQLite creates the file and its folders, in WAL mode")
    func sqliteFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("b24plan-sqlite-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent(".b24plan/deeper/state.db").path
        let db = try SQLiteDatabase(path: path)
        try db.execute("CREATE TABLE t (v INTEGER)")
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(try db.queryFirst("PRAGMA journal_mode")?["journal_mode"] == "wal")
        #expect(try db.queryFirst("PRAGMA busy_timeout")?["timeout"] == 5000)
        db.close()
        // Reopening finds the table.
        let again = try SQLiteDatabase(path: path)
        defer { again.close() }
        #expect(try again.query("SELECT v FROM t").isEmpty)
    }

    @Test(
        "SQLite opened .existing or .readOnly creates nothing; .readOnly refuses writes", arguments: [DatabaseAccess.existing, .readOnly])
    func sqliteMustExist(_ access: DatabaseAccess) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("b24plan-sqlite-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("store/state.db").path
        #expect(throws: DatabaseError.self) { try SQLiteDatabase(path: path, access: access) }
        #expect(!FileManager.default.fileExists(atPath: folder.path), "no folder was created")

        let created = try SQLiteDatabase(path: path)
        try created.execute("CREATE TABLE t (v INTEGER)")
        created.close()
        let db = try SQLiteDatabase(path: path, access: access)
        defer { db.close() }
        #expect(try db.query("SELECT v FROM t").isEmpty)
        if access == .readOnly {
            let error = try #require(throws: DatabaseError.self) { try db.execute("INSERT INTO t (v) VALUES (1)") }
            #expect(error.message.contains("readonly"), "\(error.message)")
        } else {
            #expect(try db.execute("INSERT INTO t (v) VALUES (1)") == 1)
        }
    }

    @Test("SQLite reports a file it cannot create")
    func sqliteUnwritable() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("b24plan-plain-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data("x".utf8).write(to: file)
        let error = try #require(throws: DatabaseError.self) { try SQLiteDatabase(path: file.path + "/state.db") }
        #expect(error.message.contains(file.path))
    }

    @Test(
        "a PostgreSQL connection error never shows the password",
        arguments: [
            "postgres://alice:s3cr%40t-pw@127.0.0.1:1/db?connect_timeout=2",
            "postgresql://alice:s3cr%40t-pw@127.0.0.1:1/db?password=s3cr%40t-pw&connect_timeout=2",
            "postgres://alice:s3cr%40t-pw@127.0.0.1:1/db?sslmode=bogus",
        ])
    func postgresPasswordHidden(_ url: String) throws {
        let error = try #require(throws: DatabaseError.self) { try PostgresDatabase(connectionString: url) }
        #expect(!error.message.contains("s3cr"), "\(error.message)")
        #expect(!String(describing: error).contains("s3cr"))
        #expect(error.message.contains("alice:***@127.0.0.1:1"), "\(error.message)")
    }

    @Test("a PostgreSQL server message never quotes a long text parameter")
    func postgresParameterHidden() throws {
        let db = try PostgresDatabase(connectionString: try Backend.requirePostgresURL())
        defer { db.close() }
        let token = "tok_0123456789abcdefghij"
        let error = try #require(throws: DatabaseError.self) { try db.query("SELECT CAST(? AS integer)", [.text(token)]) }
        #expect(error.code == "22P02")
        #expect(!error.message.contains(token), "\(error.message)")
        #expect(error.message.contains("***"))
    }
}

@Suite("DatabaseURL")
struct DatabaseURLTests {
    @Test(
        "a PostgreSQL URL is shown without its password",
        arguments: [
            ("postgres://app:s3cret@db:5432/state", "postgres://app:***@db:5432/state"),
            ("postgres://app@db/state?sslmode=require&password=s3cret", "postgres://app@db/state?sslmode=require&password=***"),
            ("postgresql://app:p%40ss@db/state?password=x", "postgresql://app:***@db/state?password=***"),
            ("postgres://db/state", "postgres://db/state"),
        ])
    func redacted(url: String, shown: String) throws {
        #expect(try DatabaseURL(url).redacted == shown)
    }

    @Test("SQLite URLs and bad URLs")
    func parsing() throws {
        #expect(try DatabaseURL("sqlite:.b24plan/state.db") == .sqlite(path: ".b24plan/state.db"))
        #expect(try DatabaseURL("sqlite://tmp/x.db") == .sqlite(path: "tmp/x.db"))
        #expect(throws: DatabaseError.self) { try DatabaseURL("sqlite:") }
        #expect(throws: DatabaseError.self) { try DatabaseURL("mongodb://x") }
    }
}
