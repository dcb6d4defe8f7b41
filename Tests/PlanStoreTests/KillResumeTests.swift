import Foundation
import ReleasePlan
import Testing

@testable import PlanStore

#if canImport(Glibc)
    import Glibc
#endif

/// The crash test: `b24plan apply` is SIGKILLed in the middle of a per-portal data migration and
/// applied again. Lives in PlanStoreTests (not b24planTests) because it needs `ChildProcess`, whose
/// children start with a clean signal mask, and a `Database` to watch the journal.
///
/// The kill point is not a sleep: the test polls the journal (with a deadline) and kills the child
/// once ≥ 10 portals have committed batches (on PostgreSQL while holding a lock that stops any
/// further commit, see `killIfProgressed`). The assertions read what the crash left behind.
@Suite("apply survives SIGKILL")
struct KillResumeTests {
    static let portals = 200
    static let rowsPerPortal = 5
    static let planPath = "plans/acme.kill/1.0.0.json"

    @Test(
        "SIGKILL during a perPortal migration, then apply again: every row changed exactly once",
        arguments: Backend.allCases)
    func killAndResume(_ backend: Backend) throws {
        let folder = try StoreCLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try StoreCLI.Store(backend, folder: folder)
        defer { store.tearDown() }
        let checksums = try Self.writePlan(in: folder, backend: backend)
        let initialised = try StoreCLI.run(["init", "--installations-table", "--database", store.url], in: folder)
        try #require(initialised.exitCode == 0, "init: \(initialised.tail)")
        let db = try DatabaseConnector.open(store.url)
        defer { db.close() }
        try Self.seed(db)

        let apply = ["apply", "--yes", Self.planPath, "--database", store.url, "--parallel", "8"]
        let child = try ChildProcess([StoreCLI.binary] + apply, label: "apply", workingDirectory: folder.path, timeout: 300).start()
        defer { if !child.hasExited { child.kill(signal: SIGKILL); child.wait() } }
        let seen = try #require(try Self.killWhenPortalsProgress(child, db: db))
        #expect(child.wait().signal == SIGKILL)
        try #require(seen.done < Self.portals, "the kill came after the migration had finished")

        // What the crash left: every committed batch has its progress row, and no row changed twice.
        let tasks = try Self.tasks(db)
        let changed = try Self.changedRows(db)
        #expect(changed.values.reduce(0, +) > 0 && changed.values.reduce(0, +) < Self.portals * Self.rowsPerPortal)
        #expect(tasks.filter { $0.batches > 0 }.count >= seen.started)
        #expect(tasks.filter { $0.state == .done }.count < Self.portals, "the kill came after the migration had finished")
        for task in tasks { #expect(task.rowsChanged == changed[task.memberID, default: 0], "\(task.memberID) after the kill") }
        #expect(try db.queryFirst("SELECT MAX(counter) AS m FROM items")?["m"].int == 1)

        try Self.waitForCrashedSessions(db, backend: backend)
        let resumed = try ChildProcess([StoreCLI.binary] + apply, label: "apply", workingDirectory: folder.path, timeout: 300).run()
        #expect(resumed.exitCode == 3, "the resumed apply stops at the deploy gate: \(resumed.summary) \(resumed.tail)")
        #expect(resumed.tail.contains { $0.contains("migrate.data.2: done") }, "\(resumed.tail)")

        #expect(try db.queryFirst("SELECT COUNT(*) AS n FROM items")?["n"].int == Self.portals * Self.rowsPerPortal)
        #expect(try db.queryFirst("SELECT COUNT(*) AS n FROM items WHERE counter <> 1")?["n"].int == 0, "every row changed exactly once")
        let history = try MigrationHistory(database: db).entries()
        #expect(history[1]?.checksum == checksums[0], "schema_migrations intact")
        #expect(try db.queryFirst("SELECT COUNT(*) AS n FROM schema_migrations WHERE version = 1")?["n"].int == 1)
        if let data = history[2] { #expect(data.checksum == checksums[1]) }
        #expect(try db.queryFirst("SELECT COUNT(*) AS n FROM b24plan_runs")?["n"].int == 1, "the run was resumed, not restarted")
        let steps = try db.query("SELECT step_id, state FROM b24plan_steps WHERE step_id LIKE 'migrate.%' ORDER BY step_id")
        #expect(steps.map { [$0["step_id"], $0["state"]] } == [["migrate.data.2", "done"], ["migrate.schema.1", "done"]])
        let final = try Self.tasks(db)
        #expect(final.count == Self.portals)
        #expect(
            final.allSatisfy { $0.state == .done && $0.rowsChanged == Self.rowsPerPortal }, "each portal's progress counts its rows once")
    }

    /// Polls the journal until ≥ 10 portals have committed a batch (deadline 120 s) and SIGKILLs the
    /// child then. Returns what the journal showed at that moment.
    static func killWhenPortalsProgress(_ child: RunningChild, db: any Database) throws -> (started: Int, done: Int)? {
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            if child.waitUntilExit(timeout: 0.005) {  // also drains the child's output
                Issue.record("apply ended (\(child.wait().summary)) before it could be killed: \(child.lines.suffix(20))")
                return nil
            }
            let seen = try Self.killIfProgressed(child, db: db)
            if let seen { return seen }
        }
        Issue.record("no 10 portals made progress within 120 s: \(child.lines.suffix(20))")
        return nil
    }

    /// Counts the portals with committed batches and kills the child once they are ≥ 10. On PostgreSQL
    /// inside a transaction holding a SHARE lock on the portal tasks, so no batch commits between the
    /// count and the kill. On SQLite without a lock: a reader never waits in WAL mode, while a writer
    /// here would starve behind the child's stream of commits (SQLite's busy handler is not fair).
    static func killIfProgressed(_ child: RunningChild, db: any Database) throws -> (started: Int, done: Int)? {
        let count = { () throws -> (started: Int, done: Int)? in
            let row = try db.queryFirst(
                """
                SELECT COUNT(*) AS started, COALESCE(SUM(CASE WHEN state = 'done' THEN 1 ELSE 0 END), 0) AS done
                FROM b24plan_portal_tasks WHERE step_id = 'migrate.data.2' AND batches > 0
                """)
            guard let started = row?["started"].int, started >= 10 else { return nil }
            child.kill(signal: SIGKILL)
            child.wait()
            return (started, row?["done"].int ?? 0)
        }
        guard db.dialect == .postgres else { return try count() }
        return try db.transaction {
            try db.execute("LOCK TABLE b24plan_portal_tasks IN SHARE MODE")
            return try count()
        }
    }

    /// PostgreSQL: the killed apply's sessions end (and free the advisory lock) once the server sees
    /// their sockets closed. SQLite: the lease row outlives the crash until it expires (120 s); the
    /// test expires it instead of waiting.
    static func waitForCrashedSessions(_ db: any Database, backend: Backend) throws {
        switch backend {
        case .sqlite:
            #expect(try db.query("SELECT owner FROM b24plan_locks").count == 1, "the crashed apply's lease is still there")
            try db.execute("UPDATE b24plan_locks SET expires_at = '2000-01-01T00:00:00.000Z'")
        case .postgres:
            let deadline = Date().addingTimeInterval(30)
            let others = "SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            while try db.queryFirst(others)?["n"].int != 0 {
                try #require(Date() < deadline, "the killed apply's sessions did not end within 30 s")
                usleep(20_000)
            }
        case .mysql:
            // The server ends the killed apply's sessions (and frees its GET_LOCK) once it sees them gone.
            let deadline = Date().addingTimeInterval(30)
            let others = "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND ID <> CONNECTION_ID()"
            while try db.queryFirst(others)?["n"].int != 0 {
                try #require(Date() < deadline, "the killed apply's sessions did not end within 30 s")
                usleep(20_000)
            }
        }
    }

    static func tasks(_ db: any Database) throws -> [Journal.PortalTask] {
        let run = try #require(try db.queryFirst("SELECT id FROM b24plan_runs")?["id"].int)
        return try Journal(database: db).portalTasks(run: run, step: "migrate.data.2")
    }

    /// Rows already changed, per member.
    static func changedRows(_ db: any Database) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try db.query("SELECT member_id, COUNT(*) AS n FROM items WHERE counter > 0 GROUP BY member_id") {
            counts[row["member_id"].string ?? ""] = row["n"].int ?? 0
        }
        return counts
    }

    /// 200 active installations with 5 rows each.
    static func seed(_ db: any Database) throws {
        try db.execute("CREATE TABLE items (id \(db.dialect.autoIncrementPrimaryKey), member_id TEXT NOT NULL)")
        try db.execute("CREATE INDEX items_member ON items (member_id)")
        try db.transaction {
            for index in 0..<portals {
                let member = String(format: "member-%03d", index)
                try db.execute(
                    "INSERT INTO portals (member_id, client_endpoint) VALUES (?, ?)",
                    [.text(member), .text("https://\(member).example/rest/")])
                let values = Array(repeating: "(?)", count: rowsPerPortal).joined(separator: ", ")
                try db.execute("INSERT INTO items (member_id) VALUES \(values)", Array(repeating: .text(member), count: rowsPerPortal))
            }
        }
    }

    /// The plan: a schema migration adding the counter, then a perPortal one incrementing it one row per batch.
    /// Returns the files' digests.
    /// The backfill as each dialect writes it: MySQL/MariaDB have `UPDATE … LIMIT` but no `LIMIT`
    /// inside an `IN` subquery. Each batch then waits about 2 ms (`pause`), so that the migration
    /// is still running when the test kills it (several portals' batches share a transaction).
    /// `app` names the plan (`plans/APP/1.0.0.json`): MySQL's run lock (`GET_LOCK`) is server-wide.
    static func writePlan(in folder: URL, backend: Backend = .sqlite, pause: String? = nil, app: String = "acme.kill") throws -> [String] {
        let update =
            backend == .mysql
            ? "UPDATE items SET counter = counter + 1\nWHERE member_id = :member_id AND counter = 0 LIMIT :batch_size;\n"
            : "UPDATE items SET counter = counter + 1\nWHERE id IN (SELECT id FROM items WHERE member_id = :member_id AND counter = 0 LIMIT :batch_size);\n"
        let backfill = update + (pause ?? Self.pause(backend, seconds: "0.002")) + "\n"
        let files = [
            ("0001_add_counter.sql", "ALTER TABLE items ADD COLUMN counter INTEGER NOT NULL DEFAULT 0;\n"),
            ("0002_count_once.sql", backfill),
        ]
        let plans = folder.appendingPathComponent("plans/\(app)")
        try FileManager.default.createDirectory(at: plans.appendingPathComponent("migrations"), withIntermediateDirectories: true)
        for (name, sql) in files {
            try sql.write(to: plans.appendingPathComponent("migrations/\(name)"), atomically: true, encoding: .utf8)
        }
        let digests = files.map { SHA256.hex(Array($0.1.utf8)) }
        let plan = """
            { "app": "\(app)", "version": "1.0.0", "changelog": { "en": "The first release, with a backfill of every portal." },
              "scopes": ["crm"], "requiredMethods": ["crm.deal.get"],
              "migrations": [
                { "id": 1, "name": "add_counter", "file": "migrations/\(files[0].0)", "sha256": "\(digests[0])" },
                { "id": 2, "name": "count_once", "file": "migrations/\(files[1].0)", "sha256": "\(digests[1])",
                  "perPortal": true, "batchSize": 1 } ] }

            """
        try plan.write(to: plans.appendingPathComponent("1.0.0.json"), atomically: true, encoding: .utf8)
        return digests
    }

    /// A statement that waits `seconds` (a SQL expression) on `backend`; SQLite, which cannot sleep,
    /// counts instead (about a millisecond per 2,000).
    static func pause(_ backend: Backend, seconds: String) -> String {
        switch backend {
        case .postgres: return "SELECT pg_sleep(\(seconds));"
        case .mysql: return "SELECT SLEEP(\(seconds));"
        case .sqlite:
            return
                "SELECT COUNT(*) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000 * (\(seconds))) SELECT x FROM c);"
        }
    }
}

/// Runs the built `b24plan` binary from PlanStoreTests, against a state store it opens by URL.
enum StoreCLI {
    /// The binary in SwiftPM's products folder, next to the test bundle.
    static var binary: String {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("b24plan")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                return candidate.path
            }
            folder = folder.deletingLastPathComponent()
        }
        return ".build/debug/b24plan"
    }

    /// Runs `b24plan arguments…` in `folder` to completion (a clean signal mask, a time limit).
    static func run(_ arguments: [String], in folder: URL) throws -> ChildProcess.Result {
        try ChildProcess([binary] + arguments, label: "b24plan", workingDirectory: folder.path, timeout: 120).run()
    }

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("b24plan-kill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// A state store of its own: a SQLite file in the test's folder, or a fresh PostgreSQL database
    /// (a database rather than a schema: the binary takes only a URL, and advisory locks are per database).
    final class Store {
        let url: String
        private let databaseName: String?

        init(_ backend: Backend, folder: URL) throws {
            switch backend {
            case .sqlite:
                url = "sqlite:" + folder.appendingPathComponent("state.db").path
                databaseName = nil
            case .postgres:
                let base = try Backend.requirePostgresURL()
                let name = "b24plan_kill_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
                let admin = try PostgresDatabase(connectionString: base)
                defer { admin.close() }
                try admin.execute("CREATE DATABASE \(name)")
                databaseName = name
                url = Self.url(base, database: name)
            case .mysql:
                let base = try Backend.requireMySQLURL()
                let name = "b24plan_kill_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
                let admin = try MySQLDatabase(url: base)
                defer { admin.close() }
                try admin.execute("CREATE DATABASE \(name) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
                databaseName = name
                url = try Backend.mysqlURL(database: name)
            }
        }

        /// `postgres://user@host:port/db?options` with another database name.
        static func url(_ base: String, database: String) -> String {
            let query = base.firstIndex(of: "?").map { String(base[$0...]) } ?? ""
            let head = base.firstIndex(of: "?").map { String(base[..<$0]) } ?? base
            let authority = head.range(of: "://").map { head[$0.upperBound...] } ?? head[...]
            let root = authority.firstIndex(of: "/").map { String(head[..<$0]) } ?? head
            return root + "/" + database + query
        }

        func tearDown() {
            if url.hasPrefix("mysql"), let databaseName, let base = Backend.mysqlURL, let admin = try? MySQLDatabase(url: base) {
                _ = try? admin.execute("DROP DATABASE IF EXISTS \(databaseName)")
                admin.close()
                return
            }
            guard let databaseName, let base = Backend.postgresURL, let admin = try? PostgresDatabase(connectionString: base) else {
                return
            }
            _ = try? admin.execute("DROP DATABASE IF EXISTS \(databaseName) WITH (FORCE)")
            admin.close()
        }
    }
}
