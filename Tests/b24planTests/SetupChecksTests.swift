import Foundation
import Testing

/// What a command needs before it starts (DESIGN §7): credentials, the installations table and its
/// columns, a migrations table of b24plan's own. Each missing piece is one sentence and exit 64,
/// before any step runs; and `init` keeps the state folder out of git.
@Suite("setup checks", .serialized)
struct SetupChecksTests {
    /// A copy of the sample plans with a state store where 1.0.0 is published and an installations table.
    struct Folder {
        let url: URL
        var environment: [String: String] { ["B24_CLIENT_ID": "app.1", "B24_CLIENT_SECRET": "s3cret", "B24PLAN_DATABASE_URL": ""] }

        init(installationsTable: Bool = true) throws {
            url = try CLIRunner.temporaryFolder()
            let plans = url.appendingPathComponent("plans")
            try FileManager.default.createDirectory(at: plans, withIntermediateDirectories: true)
            try FileManager.default.copyItem(
                at: CLIRunner.packageRoot.appendingPathComponent("plans/acme.dealsync"), to: plans.appendingPathComponent("acme.dealsync"))
            let initialize = try run(["init"] + (installationsTable ? ["--installations-table"] : []))
            guard initialize.code == 0 else { throw CLIRunner.CLIError.notAnObject }
            _ = try run(["baseline", "plans/acme.dealsync/1.0.1.json"])
        }

        func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> CLIRunner.Output {
            try CLIRunner.run(arguments, in: url, environment: environment.merging(extra) { _, new in new })
        }

        func rows(_ sql: String) throws -> [[String: Any]] {
            try CLIRunner.sqliteRows(url.appendingPathComponent(".b24plan/state.db"), sql)
        }

        func writeConfig(_ text: String) throws {
            try text.write(to: url.appendingPathComponent("b24plan.config.json"), atomically: true, encoding: .utf8)
        }

        /// Nothing of 1.1.0 ran: no step row, its migration 2 not recorded.
        func expectNothingRan() throws {
            #expect(
                try rows("SELECT s.step_id FROM b24plan_steps s JOIN b24plan_runs r ON r.id = s.run_id WHERE r.version = '1.1.0'").isEmpty)
            #expect(try rows("SELECT version FROM schema_migrations WHERE version > 1").isEmpty)
        }

        func remove() { try? FileManager.default.removeItem(at: url) }
    }

    static func expectOneSentence(_ output: CLIRunner.Output, naming words: [String]) {
        #expect(output.code == 64, "\(output.stdout)\(output.stderr)")
        let errors = output.stderr.split(separator: "\n").filter { $0.hasPrefix("error: ") }
        #expect(errors.count == 1, "one sentence: \(output.stderr)")
        #expect(!output.stderr.contains("usage:"), "no usage text: \(output.stderr)")
        #expect(!output.stderr.contains("UsageError") && !output.stderr.contains("SetupError"), "\(output.stderr)")
        for word in words { #expect(output.stderr.contains(word), "names \(word): \(output.stderr)") }
    }

    @Test(
        "apply without B24_CLIENT_SECRET: exit 64 naming the variable, before any step",
        arguments: [["B24_CLIENT_SECRET": ""], ["B24_CLIENT_ID": "", "B24_CLIENT_SECRET": ""]])
    func missingCredentials(unset: [String: String]) throws {
        let folder = try Folder()
        defer { folder.remove() }
        let apply = try folder.run(["apply", "--yes", "plans/acme.dealsync/1.1.0.json"], environment: unset)
        Self.expectOneSentence(apply, naming: unset.keys.sorted() + ["environment"])
        try folder.expectNothingRan()
    }

    @Test("apply with no installations table: exit 64 naming the table, its columns and installations.table")
    func missingInstallationsTable() throws {
        let folder = try Folder(installationsTable: false)
        defer { folder.remove() }
        let apply = try folder.run(["apply", "--yes", "plans/acme.dealsync/1.1.0.json"])
        Self.expectOneSentence(apply, naming: ["\"portals\" does not exist", "member_id, client_endpoint", "installations.table"])
        try folder.expectNothingRan()
        let drift = try folder.run(["drift", "plans/acme.dealsync/1.0.1.json"])
        Self.expectOneSentence(drift, naming: ["\"portals\" does not exist", "installations.table"])
    }

    @Test("a mapped column the table lacks: exit 64 naming the column and its config key, for apply and drift")
    func missingColumn() throws {
        let folder = try Folder()
        defer { folder.remove() }
        try folder.writeConfig(#"{ "installations": { "expiresAt": "token_expires" } }"#)
        for arguments in [["apply", "--yes", "plans/acme.dealsync/1.1.0.json"], ["drift", "plans/acme.dealsync/1.0.1.json"]] {
            let output = try folder.run(arguments)
            Self.expectOneSentence(output, naming: ["no column \"token_expires\"", "installations.expiresAt"])
        }
        try folder.expectNothingRan()
    }

    @Test("an installations.where that does not run: exit 64 naming the key and the database's complaint")
    func brokenWhere() throws {
        let folder = try Folder()
        defer { folder.remove() }
        try folder.writeConfig(#"{ "installations": { "where": "enabled = 1" } }"#)
        let apply = try folder.run(["apply", "--yes", "plans/acme.dealsync/1.1.0.json"])
        Self.expectOneSentence(apply, naming: ["installations.where \"enabled = 1\"", "enabled"])
        try folder.expectNothingRan()
    }

    @Test("another tool's schema_migrations (version, applied_at): baseline and apply exit 64 naming the columns and migrations.table")
    func foreignMigrationsTable() throws {
        let folder = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("plans"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: CLIRunner.packageRoot.appendingPathComponent("plans/acme.dealsync"),
            to: folder.appendingPathComponent("plans/acme.dealsync"))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent(".b24plan"), withIntermediateDirectories: true)
        let database = folder.appendingPathComponent(".b24plan/state.db")
        _ = try CLIRunner.sqliteRows(database, "CREATE TABLE schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT)")
        let environment = ["B24PLAN_DATABASE_URL": "", "B24_CLIENT_ID": "app.1", "B24_CLIENT_SECRET": "s3cret"]
        let baseline = try CLIRunner.run(["baseline", "plans/acme.dealsync/1.0.0.json"], in: folder, environment: environment)
        Self.expectOneSentence(baseline, naming: ["\"name\", \"checksum\", \"execution_ms\"", "migrations.table"])
        #expect(try CLIRunner.sqliteRows(database, "SELECT * FROM schema_migrations").isEmpty)
    }

    @Test(
        "init adds .b24plan/ to .gitignore once",
        arguments: [
            ("node_modules", "node_modules\n.b24plan/\n"), ("dist/\n", "dist/\n.b24plan/\n"), ("x\n.b24plan\n", "x\n.b24plan\n"),
            ("  /.b24plan/  \n", "  /.b24plan/  \n"), (".b24plan-old\n", ".b24plan-old\n.b24plan/\n"),
        ])
    func gitIgnoreText(before: String, after: String) throws {
        let folder = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let gitignore = folder.appendingPathComponent(".gitignore")
        try before.write(to: gitignore, atomically: true, encoding: .utf8)
        let initialize = try CLIRunner.run(["init"], in: folder, environment: ["B24PLAN_DATABASE_URL": ""])
        #expect(initialize.code == 0, "\(initialize.stderr)")
        #expect(try String(contentsOf: gitignore, encoding: .utf8) == after)
    }

    @Test("init creates .gitignore with .b24plan/, appends to one that lacks it, and never twice")
    func initWritesGitIgnore() throws {
        let folder = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let gitignore = folder.appendingPathComponent(".gitignore")
        let first = try CLIRunner.run(["init"], in: folder, environment: ["B24PLAN_DATABASE_URL": ""])
        #expect(first.code == 0, "\(first.stderr)")
        #expect(try String(contentsOf: gitignore, encoding: .utf8) == ".b24plan/\n")
        try "build/".write(to: gitignore, atomically: true, encoding: .utf8)
        _ = try CLIRunner.run(["init"], in: folder, environment: ["B24PLAN_DATABASE_URL": ""])
        _ = try CLIRunner.run(["init"], in: folder, environment: ["B24PLAN_DATABASE_URL": ""])
        #expect(try String(contentsOf: gitignore, encoding: .utf8) == "build/\n.b24plan/\n")
    }
}
