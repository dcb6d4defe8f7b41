import Foundation
import ReleasePlan
import Testing

@testable import PlanStore

/// `b24plan migrate` and `apply` on MySQL/MariaDB with a dirty migration, and `migrate --mark-clean`,
/// through the built binary (like `KillResumeTests`).
@Suite("migrate --mark-clean (MySQL/MariaDB)")
struct MigrateDirtyCLITests {
    static let planPath = "plans/acme.dirty/1.0.0.json"
    static let files = [
        ("0001_create_items.sql", "CREATE TABLE items (id INTEGER PRIMARY KEY, member_id VARCHAR(64) NOT NULL);\n"),
        ("0002_half.sql", "CREATE TABLE half_first (id INTEGER);\nALTER TABLE no_such_table ADD COLUMN x INTEGER;\n"),
        ("0003_next.sql", "CREATE TABLE after_half (id INTEGER);\n"),
    ]

    /// Writes the plan with `files` (the sha256 of each) into `folder`.
    static func writePlan(in folder: URL, files: [(String, String)] = files, app: String = "acme.dirty") throws {
        let plans = folder.appendingPathComponent("plans/\(app)")
        try FileManager.default.createDirectory(at: plans.appendingPathComponent("migrations"), withIntermediateDirectories: true)
        var entries: [String] = []
        for (index, (name, sql)) in files.enumerated() {
            try sql.write(to: plans.appendingPathComponent("migrations/\(name)"), atomically: true, encoding: .utf8)
            entries.append(
                "{ \"id\": \(index + 1), \"name\": \"\(name.dropFirst(5).dropLast(4))\", \"file\": \"migrations/\(name)\", "
                    + "\"sha256\": \"\(SHA256.hex(Array(sql.utf8)))\" }")
        }
        let plan = """
            { "app": "\(app)", "version": "1.0.0", "changelog": { "en": "The first release, with a broken migration." },
              "scopes": ["crm"], "requiredMethods": ["crm.deal.get"],
              "migrations": [\(entries.joined(separator: ",\n    "))] }

            """
        try plan.write(to: plans.appendingPathComponent("1.0.0.json"), atomically: true, encoding: .utf8)
    }

    static func output(_ result: ChildProcess.Result) -> String { result.tail.joined(separator: "\n") }

    @Test("a failed migration leaves migrate and apply refusing until --mark-clean; then migrate goes on")
    func markCleanThenContinue() throws {
        let base = try Backend.requireMySQLURL()
        let name = "b24plan_dirty_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        let admin = try MySQLDatabase(url: base)
        defer { admin.close() }
        try admin.execute("CREATE DATABASE \(name) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
        defer { _ = try? admin.execute("DROP DATABASE IF EXISTS \(name)") }
        let url = try Backend.mysqlURL(database: name)
        let folder = try StoreCLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.writePlan(in: folder)
        let db = try MySQLDatabase(url: url)
        defer { db.close() }
        let migrate = ["migrate", Self.planPath, "--database", url]

        let failed = try StoreCLI.run(migrate, in: folder)
        #expect(failed.exitCode == 1, "\(Self.output(failed))")
        #expect(Self.output(failed).contains("--mark-clean 2 \(Self.planPath)"), "\(Self.output(failed))")
        #expect(Self.output(failed).contains("half-migrated"), "\(Self.output(failed))")
        #expect(try db.tableExists("half_first"))
        #expect(try db.queryFirst("SELECT dirty FROM schema_migrations WHERE version = 2")?["dirty"].int == 1)

        let refused = try StoreCLI.run(migrate, in: folder)
        #expect(refused.exitCode == 1)
        #expect(Self.output(refused).contains("dirty migration 2 (half"), "\(Self.output(refused))")
        #expect(Self.output(refused).contains("--mark-clean 2 \(Self.planPath)"), "\(Self.output(refused))")
        #expect(try !db.tableExists("after_half"), "nothing ran")

        let apply = try ChildProcess(
            [StoreCLI.binary, "apply", "--yes", Self.planPath, "--database", url], label: "b24plan", workingDirectory: folder.path,
            environment: ChildProcess.inheritedEnvironment(adding: ["B24_CLIENT_ID": "app.test", "B24_CLIENT_SECRET": "s3cret-value"]),
            timeout: 120
        ).run()
        #expect(apply.exitCode == 1, "\(Self.output(apply))")
        #expect(Self.output(apply).contains("dirty migration 2"), "\(Self.output(apply))")
        #expect(try !db.tableExists("after_half"), "nothing ran")

        // A plan whose file for migration 2 differs is refused.
        let other = try StoreCLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: other) }
        var edited = Self.files
        edited[1].1 = "CREATE TABLE half_first (id INTEGER);\n"
        try Self.writePlan(in: other, files: edited)
        let mismatch = try StoreCLI.run(["migrate", "--mark-clean", "2", Self.planPath, "--database", url], in: other)
        #expect(mismatch.exitCode == 1)
        #expect(Self.output(mismatch).contains("checksum"), "\(Self.output(mismatch))")
        let unlisted = try StoreCLI.run(["migrate", "--mark-clean", "7", Self.planPath, "--database", url], in: folder)
        #expect(unlisted.exitCode == 1)
        #expect(Self.output(unlisted).contains("does not list migration 7"), "\(Self.output(unlisted))")
        let notDirty = try StoreCLI.run(["migrate", "--mark-clean", "1", Self.planPath, "--database", url], in: folder)
        #expect(notDirty.exitCode == 1)
        #expect(Self.output(notDirty).contains("not dirty"), "\(Self.output(notDirty))")
        #expect(try db.queryFirst("SELECT dirty FROM schema_migrations WHERE version = 2")?["dirty"].int == 1)

        // Fixed by hand, then marked clean: migrate continues with migration 3.
        try db.execute("CREATE TABLE no_such_table (id INTEGER)")
        try db.execute("ALTER TABLE no_such_table ADD COLUMN x INTEGER")
        let marked = try StoreCLI.run(["migrate", "--mark-clean", "2", Self.planPath, "--database", url], in: folder)
        #expect(marked.exitCode == 0, "\(Self.output(marked))")
        #expect(Self.output(marked).contains("marked migration 2"), "\(Self.output(marked))")
        let resumed = try StoreCLI.run(migrate, in: folder)
        #expect(resumed.exitCode == 0, "\(Self.output(resumed))")
        #expect(Self.output(resumed).contains("applied now: 3"), "\(Self.output(resumed))")
        #expect(try db.tableExists("after_half"))
        #expect(
            try db.query("SELECT version FROM schema_migrations WHERE dirty = 0 ORDER BY version").map { $0["version"].int } == [1, 2, 3])
    }

    @Test("an interrupted migration (a row left started) is refused by migrate")
    func interruptedRefused() throws {
        let base = try Backend.requireMySQLURL()
        let name = "b24plan_dirty_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        let admin = try MySQLDatabase(url: base)
        defer { admin.close() }
        try admin.execute("CREATE DATABASE \(name) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
        defer { _ = try? admin.execute("DROP DATABASE IF EXISTS \(name)") }
        let url = try Backend.mysqlURL(database: name)
        let folder = try StoreCLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.writePlan(in: folder, files: [Self.files[0]])
        let db = try MySQLDatabase(url: url)
        defer { db.close() }
        let history = try MigrationHistory(database: db)
        try history.ensureTable()
        try history.recordStarted(
            version: 1, name: "create_items", checksum: SHA256.hex(Array(Self.files[0].1.utf8)), startedAt: "2025-01-01T00:00:00.000Z")

        let refused = try StoreCLI.run(["migrate", Self.planPath, "--database", url], in: folder)
        #expect(refused.exitCode == 1)
        #expect(Self.output(refused).contains("dirty migration 1 (create_items"), "\(Self.output(refused))")
        #expect(try !db.tableExists("items"), "nothing ran")
    }
}
