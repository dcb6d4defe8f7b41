import Foundation
import ReleasePlan
import Testing

/// Held-out tests of issue 14 (performance), written from DESIGN.md, README.md and the issue only:
/// `perPortal` data migrations must stay correct while going fast — every row changed exactly once
/// whatever a portal's row count, a failing portal fails alone, kill -9 mid-migration resumes, and
/// no batch transaction holds for long (observed by the database itself, not by a timer here).
@Suite("held-out: perPortal migrations at speed (issue 14)", .serialized)
struct PerformanceHeldOutMigrationTests {
    enum Store: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case sqlite, postgres, mariadb
        var testDescription: String { rawValue }
        var dialect: String { self == .sqlite ? "sqlite" : self == .postgres ? "postgresql" : "mysql" }
    }

    /// One app folder with a state store (the app's database) of `store`'s kind.
    final class Bench {
        let store: Store
        let folder: URL
        let url: String
        let mysqlClient: [String]
        static let app = "acme.perf"

        /// nil when the server of that kind is not configured (the case is then skipped, as the
        /// existing suites do; under CI=true FleetTests' helpers record an issue).
        init?(_ store: Store, name: String) throws {
            self.store = store
            switch store {
            case .sqlite:
                folder = try CLIRunner.temporaryFolder()
                url = "sqlite:" + folder.appendingPathComponent("state.db").path
                mysqlClient = []
            case .postgres:
                guard let url = try FleetTests.postgresDatabase(name) else { return nil }
                folder = try CLIRunner.temporaryFolder()
                self.url = url
                mysqlClient = []
            case .mariadb:
                guard let (url, client) = try FleetTests.mysqlDatabase(name) else { return nil }
                folder = try CLIRunner.temporaryFolder()
                self.url = url
                mysqlClient = client
            }
        }

        func close() { try? FileManager.default.removeItem(at: folder) }

        var planPath: String { "plans/\(Self.app)/1.0.0.json" }

        func b24plan(_ arguments: [String]) throws -> CLIRunner.Output {
            try CLIRunner.run(arguments + ["--database", url], in: folder, environment: ["USER": "heldout"])
        }

        /// Starts `b24plan arguments… --database URL` and returns the process (output to a log file).
        func start(_ arguments: [String]) throws -> (Process, URL) {
            let process = Process()
            process.executableURL = CLIRunner.binary
            process.arguments = arguments + ["--database", url]
            process.currentDirectoryURL = folder
            process.environment = CLIRunner.childEnvironment(["USER": "heldout"])
            let log = folder.appendingPathComponent("run-\(UUID().uuidString).log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
            process.standardInput = FileHandle.nullDevice
            try process.run()
            return (process, log)
        }

        /// Runs SQL on the app's database with the database's own client; throws when it fails.
        func exec(_ sql: String) throws {
            let file = folder.appendingPathComponent("script-\(UUID().uuidString).sql")
            try sql.write(to: file, atomically: true, encoding: .utf8)
            let output: CLIRunner.Output
            switch store {
            case .sqlite:
                output = try CLIRunner.runTool(
                    "/usr/bin/env", ["sqlite3", "-bail", folder.appendingPathComponent("state.db").path, ".read \(file.path)"])
            case .postgres:
                output = try CLIRunner.runTool("/usr/bin/env", ["psql", url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", file.path])
            case .mariadb:
                output = try CLIRunner.runTool("/usr/bin/env", mysqlClient + ["-e", "source \(file.path)"])
            }
            guard output.code == 0, !output.stderr.contains("Error") else {
                throw PortalFarm.FarmError(message: "\(store) SQL failed: \(output.stderr)\n\(sql.prefix(2000))")
            }
        }

        /// Rows of a query, values as text, `|`-separated columns.
        func query(_ sql: String) throws -> [[String]] {
            let output: CLIRunner.Output
            switch store {
            case .sqlite:
                output = try CLIRunner.runTool("/usr/bin/env", ["sqlite3", folder.appendingPathComponent("state.db").path, sql])
            case .postgres:
                output = try CLIRunner.runTool("/usr/bin/env", ["psql", url, "-X", "-q", "-At", "-F", "|", "-c", sql])
            case .mariadb:
                output = try CLIRunner.runTool("/usr/bin/env", mysqlClient + ["-e", sql])
            }
            guard output.code == 0 else { throw PortalFarm.FarmError(message: "\(store) query failed: \(output.stderr)\n\(sql)") }
            let separator: Character = store == .mariadb ? "\t" : "|"
            return output.stdout.split(separator: "\n").map {
                $0.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
            }
        }

        func scalar(_ sql: String) throws -> Int { Int(try query(sql).first?.first ?? "") ?? -1 }

        /// Portals whose journaled `rows_changed` (b24plan_portal_tasks of `migrate.data.1`)
        /// differs from the rows the data says were changed: each batch commits with its progress
        /// row, so the two agree at every moment, a kill -9 included.
        func journalDisagreements() throws -> [String] {
            let journal = try query(
                "SELECT member_id, rows_changed, state FROM b24plan_portal_tasks WHERE step_id = 'migrate.data.1'")
            let changed = Dictionary(
                try query("SELECT member_id, COUNT(*) FROM items WHERE counter = 1 GROUP BY member_id").map { ($0[0], Int($0[1]) ?? -1) },
                uniquingKeysWith: { a, _ in a })
            var wrong: [String] = []
            var seen = Set<String>()
            for row in journal where row.count == 3 {
                seen.insert(row[0])
                if (Int(row[1]) ?? -1) != (changed[row[0]] ?? 0) {
                    wrong.append("\(row[0]): journal \(row[1]) (\(row[2])), data \(changed[row[0]] ?? 0)")
                }
            }
            for (member, count) in changed where !seen.contains(member) { wrong.append("\(member): no journal row, data \(count)") }
            return wrong.sorted()
        }

        /// `status --format json` of the most recent run: the state of step `migrate.data.1`.
        func statusStep() throws -> (state: String, detail: String) {
            let status = try b24plan(["status", "--format", "json"])
            let steps = (try? CLIRunner.json(status))?["steps"] as? [[String: Any]] ?? []
            let step = steps.first { $0["id"] as? String == "migrate.data.1" }
            return (step?["state"] as? String ?? "missing: \(status.stdout)\(status.stderr)", step?["detail"] as? String ?? "")
        }

        /// The app's `items` table (a CHECK makes any change to `mbad`'s rows fail) and the
        /// installations: `rows` per active member id, plus `minactive` (inactive, 5 rows).
        func prepare(rows: [String: Int], batchSize: Int?) throws {
            let initialised = try b24plan(["init", "--installations-table"])
            try #require(initialised.code == 0, "init: \(initialised.stdout)\(initialised.stderr)")
            let idType = store == .postgres ? "BIGINT" : store == .mariadb ? "BIGINT" : "INTEGER"
            let engine = store == .mariadb ? " ENGINE=InnoDB" : ""
            try exec(
                """
                CREATE TABLE items (id \(idType) PRIMARY KEY, member_id VARCHAR(32) NOT NULL, counter INTEGER NOT NULL DEFAULT 0,
                  CONSTRAINT mbad_is_frozen CHECK (member_id <> 'mbad' OR counter = 0))\(engine);
                CREATE INDEX items_member ON items (member_id, counter);
                """)
            var portals: [String] = []
            var items: [String] = []
            var id = 1
            for (member, count) in rows.sorted(by: { $0.key < $1.key }) + [("minactive", 5)] {
                portals.append("('\(member)', 'https://\(member).example/rest/', \(member == "minactive" ? 0 : 1))")
                for _ in 0..<count {
                    items.append("(\(id), '\(member)')")
                    id += 1
                }
            }
            try exec("INSERT INTO portals (member_id, client_endpoint, active) VALUES \(portals.joined(separator: ", "));")
            for chunk in stride(from: 0, to: items.count, by: 5000) {
                let slice = items[chunk..<min(items.count, chunk + 5000)]
                try exec("INSERT INTO items (id, member_id) VALUES \(slice.joined(separator: ", "));")
            }
            try writePlan(batchSize: batchSize)
        }

        /// The plan: one perPortal migration that adds 1 to `counter` of rows still at 0.
        func writePlan(batchSize: Int?) throws {
            let sql =
                store == .mariadb
                ? "UPDATE items SET counter = counter + 1\nWHERE member_id = :member_id AND counter = 0\nORDER BY id LIMIT :batch_size;\n"
                : "UPDATE items SET counter = counter + 1\nWHERE id IN (SELECT id FROM items WHERE member_id = :member_id AND counter = 0 ORDER BY id LIMIT :batch_size);\n"
            let plans = folder.appendingPathComponent("plans/\(Self.app)")
            try FileManager.default.createDirectory(at: plans.appendingPathComponent("migrations"), withIntermediateDirectories: true)
            try sql.write(to: plans.appendingPathComponent("migrations/0001_count.sql"), atomically: true, encoding: .utf8)
            let batch = batchSize.map { ", \"batchSize\": \($0)" } ?? ""
            try """
            { "app": "\(Self.app)", "version": "1.0.0", "database": "\(store.dialect)",
              "changelog": { "en": "Counts every item once, one portal at a time." },
              "scopes": ["crm"], "requiredMethods": ["crm.item.list"],
              "migrations": [ { "id": 1, "name": "count", "file": "migrations/0001_count.sql",
                "sha256": "\(SHA256.hex(Array(sql.utf8)))", "perPortal": true\(batch) } ] }

            """.write(to: plans.appendingPathComponent("1.0.0.json"), atomically: true, encoding: .utf8)
        }

        /// `counter` values by member id: [member: [counter: rows]].
        func counters() throws -> [String: [Int: Int]] {
            var result: [String: [Int: Int]] = [:]
            for row in try query("SELECT member_id, counter, COUNT(*) FROM items GROUP BY member_id, counter") where row.count == 3 {
                result[row[0], default: [:]][Int(row[1]) ?? -1] = Int(row[2]) ?? -1
            }
            return result
        }
    }

    static let edgeRows: [String: Int] = ["m0": 0, "m1": 1, "m2": 7, "m3": 8, "m4": 20_000, "m5": 2_345]

    static func check(_ counters: [String: [Int: Int]], active: [String: Int], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        for (member, count) in active where count > 0 {
            #expect(
                counters[member] == [1: count], "\(member): counter values → rows \(counters[member] ?? [:])",
                sourceLocation: sourceLocation)
        }
        #expect(
            counters["minactive"] == [0: 5], "the inactive installation is not migrated: \(counters["minactive"] ?? [:])",
            sourceLocation: sourceLocation)
    }

    @Test("every row of every active portal is changed exactly once: 0, 1, batchSize, batchSize+1 and many rows", arguments: Store.allCases)
    func everyRowOnce(_ store: Store) throws {
        guard let bench = try Bench(store, name: "ho14_rows") else { return }
        defer { bench.close() }
        try bench.prepare(rows: Self.edgeRows, batchSize: 7)
        let migrate = try bench.b24plan(["migrate", bench.planPath])
        #expect(migrate.code == 0, "\(migrate.stdout)\(migrate.stderr)")
        Self.check(try bench.counters(), active: Self.edgeRows)
        let again = try bench.b24plan(["migrate", bench.planPath])
        #expect(again.code == 0, "\(again.stdout)\(again.stderr)")
        Self.check(try bench.counters(), active: Self.edgeRows)
        #expect(try bench.scalar("SELECT COUNT(*) FROM schema_migrations") == 1)
        let disagreementsNow = try bench.journalDisagreements()
        #expect(disagreementsNow.isEmpty, "\(disagreementsNow)")
        #expect(try bench.statusStep().state == "done")
    }

    @Test(
        "a batch that fails on one portal (a CHECK constraint) fails that portal with its error; every other portal is done",
        arguments: Store.allCases)
    func onePortalFails(_ store: Store) throws {
        guard let bench = try Bench(store, name: "ho14_fail") else { return }
        defer { bench.close() }
        var rows = Self.edgeRows
        rows["mbad"] = 30
        try bench.prepare(rows: rows, batchSize: 7)
        let migrate = try bench.b24plan(["migrate", "--format", "json", bench.planPath])
        #expect(migrate.code != 0, "a failed portal is not success: \(migrate.stdout)\(migrate.stderr)")
        let text = migrate.stdout + migrate.stderr
        #expect(text.contains("mbad"), "the failing portal is named: \(text)")
        #expect(text.lowercased().contains("mbad_is_frozen") || text.lowercased().contains("check"), "its error is shown: \(text)")
        let counters = try bench.counters()
        rows["mbad"] = nil
        Self.check(counters, active: rows)
        #expect(counters["mbad"] == [0: 30], "no row of the failing portal changed: \(counters["mbad"] ?? [:])")
        // The journal knows: the migration is not recorded as applied, and a task row (or the
        // step's detail) names mbad as failed.
        #expect(try bench.scalar("SELECT COUNT(*) FROM schema_migrations WHERE version = 1") == 0)
        let failed = try bench.query("SELECT member_id, state, last_error FROM b24plan_portal_tasks WHERE member_id = 'mbad'")
        #expect(failed.contains { $0.count == 3 && $0[1] == "failed" && !$0[2].isEmpty }, "journal rows of mbad: \(failed)")
        let done = try bench.query("SELECT member_id, state FROM b24plan_portal_tasks WHERE member_id IN ('m1', 'm4', 'm5')")
        #expect(done.count == 3 && done.allSatisfy { $0.count == 2 && $0[1] == "done" }, "journal rows of the others: \(done)")
        let disagreementsNow = try bench.journalDisagreements()
        #expect(disagreementsNow.isEmpty, "\(disagreementsNow)")
        let step = try bench.statusStep()
        #expect(step.state == "failed" && step.detail.contains("mbad"), "status: \(step)")

        // Fixed (the constraint dropped), migrate again: mbad completes, nobody else is changed twice.
        try bench.exec(
            store == .mariadb
                ? "ALTER TABLE items DROP CONSTRAINT mbad_is_frozen;"
                : store == .postgres
                    ? "ALTER TABLE items DROP CONSTRAINT mbad_is_frozen;"
                    : "PRAGMA ignore_check_constraints = 1; UPDATE items SET counter = counter WHERE 0;")
        if store == .sqlite {
            // SQLite cannot drop a constraint: rebuild the table without it.
            try bench.exec(
                """
                CREATE TABLE items2 (id INTEGER PRIMARY KEY, member_id VARCHAR(32) NOT NULL, counter INTEGER NOT NULL DEFAULT 0);
                INSERT INTO items2 SELECT id, member_id, counter FROM items; DROP TABLE items; ALTER TABLE items2 RENAME TO items;
                CREATE INDEX items_member ON items (member_id, counter);
                """)
        }
        let fixed = try bench.b24plan(["migrate", bench.planPath])
        #expect(fixed.code == 0, "\(fixed.stdout)\(fixed.stderr)")
        rows["mbad"] = 30
        Self.check(try bench.counters(), active: rows)
    }

    @Test(
        "kill -9 of migrate at random moments, then migrate again: every row changed exactly once, journal and data agree",
        arguments: Store.allCases)
    func killedMidMigration(_ store: Store) throws {
        guard let bench = try Bench(store, name: "ho14_kill") else { return }
        defer { bench.close() }
        var rows: [String: Int] = [:]
        for index in 0..<40 { rows[String(format: "k%03d", index)] = [0, 1, 7, 8, 12_000][index % 5] }
        try bench.prepare(rows: rows, batchSize: 7)
        let total = rows.values.reduce(0, +)
        var generator = SystemRandomNumberGenerator()
        var kills = 0
        for _ in 0..<4 {
            let (process, _) = try bench.start(["migrate", bench.planPath])
            let changedBefore = (try? bench.scalar("SELECT COUNT(*) FROM items WHERE counter = 1")) ?? 0
            // Killed when a random share of the rows is done, or after a random moment (a read of
            // the count may be refused while a batch writes, and a fast run may end before it).
            let deadline = Date().addingTimeInterval(Double.random(in: 0.005...0.12, using: &generator))
            let target = changedBefore + Int.random(in: 1...max(1, (total - changedBefore) / 3), using: &generator)
            while process.isRunning && Date() < deadline
                && ((try? bench.scalar("SELECT COUNT(*) FROM items WHERE counter = 1")) ?? 0) < target
            {
                usleep(10_000)
            }
            guard process.isRunning else { break }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            kills += 1
            let counters = try bench.counters()
            #expect(counters.values.allSatisfy { $0.keys.allSatisfy { $0 == 0 || $0 == 1 } }, "no row changed twice: \(counters)")
            let disagreements = try bench.journalDisagreements()
            #expect(disagreements.isEmpty, "after kill \(kills): batches and their progress rows commit together: \(disagreements)")
        }
        #expect(kills >= 1, "migrate finished before any kill: make the tables bigger")
        let final = try bench.b24plan(["migrate", bench.planPath])
        #expect(final.code == 0, "\(final.stdout)\(final.stderr)")
        Self.check(try bench.counters(), active: rows)
        #expect(try bench.scalar("SELECT COUNT(*) FROM schema_migrations WHERE version = 1") == 1)
        let notDone = try bench.query("SELECT member_id, state FROM b24plan_portal_tasks WHERE member_id LIKE 'k%' AND state <> 'done'")
        #expect(notDone.isEmpty, "the journal says done where the data is: \(notDone)")
        let disagreementsNow = try bench.journalDisagreements()
        #expect(disagreementsNow.isEmpty, "\(disagreementsNow)")
        #expect(try bench.statusStep().state == "done")
    }

    /// Installs a log of each batch's duration, as the database measures it: on PostgreSQL a
    /// statement trigger writes (txid, now() = transaction start, clock_timestamp() = end of the
    /// UPDATE); on MariaDB a row trigger keeps per (connection, NOW(6) = statement start) the latest
    /// SYSDATE(6). SQLite has no clock that moves within a statement: not observable there.
    /// With `slowMember`, every change of that member's rows costs about half a millisecond.
    static func installBatchLog(_ bench: Bench, slowMember: String?) throws {
        switch bench.store {
        case .postgres:
            try bench.exec(
                """
                CREATE TABLE batch_log (txid BIGINT, started TIMESTAMPTZ, finished TIMESTAMPTZ, changed INTEGER);
                CREATE FUNCTION log_batch() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN INSERT INTO batch_log SELECT txid_current(), now(), clock_timestamp(), (SELECT COUNT(*) FROM changed); RETURN NULL; END $$;
                CREATE TRIGGER items_batch AFTER UPDATE ON items REFERENCING NEW TABLE AS changed
                  FOR EACH STATEMENT EXECUTE FUNCTION log_batch();
                CREATE FUNCTION slow_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.0005); RETURN NEW; END $$;
                """)
            if let slowMember {
                try bench.exec(
                    "CREATE TRIGGER items_slow BEFORE UPDATE ON items FOR EACH ROW WHEN (NEW.member_id = '\(slowMember)') EXECUTE FUNCTION slow_row();"
                )
            }
        case .mariadb:
            try bench.exec(
                """
                CREATE TABLE batch_log (conn BIGINT NOT NULL, started DATETIME(6) NOT NULL, finished DATETIME(6) NOT NULL,
                  changed INTEGER NOT NULL DEFAULT 1, PRIMARY KEY (conn, started)) ENGINE=InnoDB;
                CREATE TRIGGER items_batch AFTER UPDATE ON items FOR EACH ROW
                  INSERT INTO batch_log (conn, started, finished) VALUES (CONNECTION_ID(), NOW(6), SYSDATE(6))
                  ON DUPLICATE KEY UPDATE finished = SYSDATE(6), changed = changed + 1;
                """)
            if let slowMember {
                try bench.exec(
                    "CREATE TRIGGER items_slow BEFORE UPDATE ON items FOR EACH ROW SET @heldout_slow = IF(NEW.member_id = '\(slowMember)', SLEEP(0.0005), 0);"
                )
            }
        case .sqlite:
            break
        }
    }

    /// Each logged batch: (milliseconds it held, rows it changed), in the order they ran.
    static func batches(_ bench: Bench) throws -> [(ms: Double, rows: Int)] {
        let sql =
            bench.store == .postgres
            ? "SELECT EXTRACT(EPOCH FROM (finished - started)) * 1000, changed FROM batch_log ORDER BY finished"
            : "SELECT TIMESTAMPDIFF(MICROSECOND, started, finished) / 1000, changed FROM batch_log ORDER BY finished"
        return try bench.query(sql).map { (Double($0.first ?? "") ?? -1, Int($0.last ?? "") ?? -1) }
    }

    @Test(
        "cheap rows, default batchSize: no batch transaction holds longer than 250 ms while the batch size grows (PostgreSQL, MariaDB)",
        arguments: [Store.postgres, .mariadb])
    func batchesStayShort(_ store: Store) throws {
        guard let bench = try Bench(store, name: "ho14_short") else { return }
        defer { bench.close() }
        let rows = ["a1": 60_000, "a2": 25_000, "a3": 1, "a4": 0]
        try bench.prepare(rows: rows, batchSize: nil)
        try Self.installBatchLog(bench, slowMember: nil)
        let migrate = try bench.b24plan(["migrate", bench.planPath])
        #expect(migrate.code == 0, "\(migrate.stdout)\(migrate.stderr)")
        Self.check(try bench.counters(), active: rows)
        let batches = try Self.batches(bench)
        #expect(batches.map(\.rows).reduce(0, +) == 85_001, "the log saw every changed row")
        let long = batches.filter { $0.ms > 250 }
        #expect(long.isEmpty, "batches over 250 ms (ms, rows) of \(batches.count): \(long)")
        print(
            "held-out \(store) cheap rows: \(batches.count) batches, longest \(batches.map(\.ms).max() ?? 0) ms, largest \(batches.map(\.rows).max() ?? 0) rows"
        )
    }

    @Test(
        "rows that cost 0.5 ms each, default batchSize 1000: after the first batch the size shrinks and no batch holds longer than 250 ms (PostgreSQL, MariaDB)",
        arguments: [Store.postgres, .mariadb])
    func slowRowsShrinkTheBatch(_ store: Store) throws {
        guard let bench = try Bench(store, name: "ho14_slow") else { return }
        defer { bench.close() }
        let rows = ["mslow": 4_000]
        try bench.prepare(rows: rows, batchSize: nil)
        try Self.installBatchLog(bench, slowMember: "mslow")
        let migrate = try bench.b24plan(["migrate", bench.planPath])
        #expect(migrate.code == 0, "\(migrate.stdout)\(migrate.stderr)")
        Self.check(try bench.counters(), active: rows)
        let batches = try Self.batches(bench)
        #expect(batches.map(\.rows).reduce(0, +) == 4_000)
        // The first batch is batchSize rows (README: "the size of the first batch"), so it may hold
        // long; every later one is sized from what the earlier ones took.
        let long = batches.dropFirst().filter { $0.ms > 250 }
        #expect(long.isEmpty, "batches after the first over 250 ms (ms, rows) of \(batches.count): \(long)")
        print("held-out \(store) slow rows: \(batches.count) batches: \(batches.prefix(6))")
    }
}
