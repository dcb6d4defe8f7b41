import Foundation
import ReleasePlan
import Testing

/// Credentials, config and store checked before any step runs; missing tables and columns named
/// with what b24plan expects; the working directory; `init` and `.gitignore` (issue 13, item 4).
extension OperatorExperienceHeldOutTests {
    enum Missing: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case clientID, clientSecret, installationsTable, installationsColumn, configUnreadable, configFileAbsent, storeUnreachable
        var testDescription: String { rawValue }

        /// Words the one sentence on stderr must hold: what is missing and where it is read from.
        var words: [String] {
            switch self {
            case .clientID: return ["B24_CLIENT_ID"]
            case .clientSecret: return ["B24_CLIENT_SECRET"]
            case .installationsTable:
                return ["tenants", "installations.table", "member_id", "client_endpoint", "access_token", "refresh_token", "expires_at"]
            case .installationsColumn: return ["token_expiry", "installations.expiresAt", "portals"]
            case .configUnreadable: return ["b24plan.config.json"]
            case .configFileAbsent: return ["elsewhere.json"]
            case .storeUnreachable: return ["B24PLAN_DATABASE_URL"]
            }
        }
    }

    /// The environment of a workspace's runs without `removed` (set to "" if this process has it).
    static func environment(_ workspace: FarmWorkspace, without removed: [String] = [], adding extra: [String: String] = [:])
        -> [String: String]
    {
        var environment = workspace.environment
        for key in removed {
            environment[key] = ProcessInfo.processInfo.environment[key] == nil ? nil : ""
        }
        return environment.merging(extra) { _, new in new }
    }

    /// Rewrites the workspace's config with `installations` (JSON members) added.
    static func mapInstallations(_ workspace: FarmWorkspace, _ members: String) throws {
        let config = workspace.folder.appendingPathComponent("b24plan.config.json")
        let text = try String(contentsOf: config, encoding: .utf8)
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        try (String(trimmed.dropLast()) + ", \"installations\": { \(members) } }\n").write(to: config, atomically: true, encoding: .utf8)
    }

    /// No Swift debug text or raw driver error in a message, and one error, not a cascade.
    static func expectClean(_ text: String, _ context: String) {
        let errors = text.split(separator: "\n").filter { $0.lowercased().hasPrefix("error") }
        #expect(errors.count <= 1, "\(context): one error sentence: \(text)")
        for debug in ["UsageError(", "Error(message", "message: \"", "Optional(", "no such table:", "no such column:"] {
            #expect(!text.contains(debug), "\(context): no debug or raw driver text (\(debug)): \(text)")
        }
    }

    /// Nothing of 2.0.0 ran: no step left pending, no migration recorded or applied, no deploy, no
    /// request to the farm; `status` shows no step started.
    static func expectJournalUntouched(_ workspace: FarmWorkspace, _ context: String) throws {
        #expect(startedSteps(workspace) ?? [] == [], "\(context): no step started: \(startedSteps(workspace) ?? [])")
        #expect(count(workspace, "SELECT COUNT(*) AS n FROM schema_migrations") ?? 0 == 0, "\(context): no migration recorded")
        #expect(
            count(workspace, "SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'opx_notes'") == 0,
            "\(context): the migration did not run")
        let deploys = workspace.folder.appendingPathComponent("plans/\(app)/deploys.log")
        #expect(!FileManager.default.fileExists(atPath: deploys.path), "\(context): the deploy did not run")
        let stats = try workspace.farm.stats()
        #expect(
            stats["requests_total"] as? Int == 0 && stats["oauth_requests_total"] as? Int == 0, "\(context): no request reached the farm")
        let status = try workspace.run(["status", "--format", "json", workspace.plan("2.0.0")])
        if status.code == 0 {
            let steps = (try? CLIRunner.json(status))?["steps"] as? [[String: Any]] ?? []
            for step in steps {
                #expect(step["state"] as? String == "pending", "\(context): status shows no step started: \(step)")
                #expect(step["startedAt"] == nil || step["startedAt"] is NSNull, "\(context): \(step)")
            }
        }
    }

    @Test(
        "apply checks credentials, config, store and installations table before any step: 64, one clean sentence naming it, nothing ran",
        arguments: Missing.allCases)
    func checkedBeforeAnyStep(_ missing: Missing) throws {
        let workspace = try Self.workspace(portals: 3, migration: true, deploy: true)
        defer { workspace.close() }
        let config = workspace.folder.appendingPathComponent("b24plan.config.json")
        let original = try String(contentsOf: config, encoding: .utf8)
        var environment = workspace.environment
        var extra: [String] = []
        switch missing {
        case .clientID: environment = Self.environment(workspace, without: ["B24_CLIENT_ID"])
        case .clientSecret: environment = Self.environment(workspace, without: ["B24_CLIENT_SECRET"])
        case .installationsTable: try Self.mapInstallations(workspace, #""table": "tenants""#)
        case .installationsColumn: try Self.mapInstallations(workspace, #""expiresAt": "token_expiry""#)
        case .configUnreadable: try "{ \"oauth\": { \"tokenUrl\": ".write(to: config, atomically: true, encoding: .utf8)
        case .configFileAbsent: extra = ["--config", "elsewhere.json"]
        case .storeUnreachable:
            environment["B24PLAN_DATABASE_URL"] = "postgres://b24plan@127.0.0.1:1/nothing?connect_timeout=2"
        }
        let apply = try CLIRunner.run(["apply", "--yes", workspace.plan("2.0.0")] + extra, in: workspace.folder, environment: environment)
        #expect(apply.code == 64, "\(missing): usage error 64: \(apply.code)\n\(apply.stdout)\(apply.stderr)")
        for word in missing.words { #expect(apply.stderr.contains(word), "\(missing): the message names \(word): \(apply.stderr)") }
        Self.expectClean(apply.stderr, "\(missing)")
        try Self.expectJournalUntouched(workspace, "\(missing)")

        // Once it is there, the same apply runs the migration and the deploy and stops at the gate.
        try original.write(to: config, atomically: true, encoding: .utf8)
        let fixed = try workspace.run(["apply", "--yes", workspace.plan("2.0.0")])
        #expect(fixed.code == 3, "\(missing) fixed: apply runs up to gate.partner: \(fixed.code) \(fixed.stdout)\(fixed.stderr)")
        #expect(Self.count(workspace, "SELECT COUNT(*) AS n FROM schema_migrations") == 1, "the migration ran once fixed")
    }

    @Test("missing B24_CLIENT_SECRET once the gates are passed: 64 and a clean sentence, not a debug string; no portal touched")
    func missingSecretAfterGates() throws {
        let workspace = try Self.workspace(portals: 3)
        defer { workspace.close() }
        #expect(try workspace.run(["apply", "--yes", workspace.plan("2.0.0")]).code == 3)
        try workspace.passGates("2.0.0")
        let apply = try CLIRunner.run(
            ["apply", "--yes", workspace.plan("2.0.0")], in: workspace.folder,
            environment: Self.environment(workspace, without: ["B24_CLIENT_SECRET"]))
        #expect(apply.code == 64, "\(apply.code)\n\(apply.stdout)\(apply.stderr)")
        #expect(apply.stderr.contains("B24_CLIENT_SECRET"), "\(apply.stderr)")
        Self.expectClean(apply.stderr, "after the gates")
        #expect(try workspace.step("portals.reconcile", of: "2.0.0")?["state"] as? String == "pending", "the reconcile did not start")
        #expect(try workspace.farm.stats()["requests_total"] as? Int == 0)
        #expect(try workspace.run(["apply", "--yes", workspace.plan("2.0.0")]).code == 0, "with the secret the release completes")
    }

    @Test("a release without portal steps needs neither credentials nor the installations table: apply runs to its gate (3)")
    func noPortalStepsNoPortalChecks() throws {
        let workspace = try Self.workspace(portals: 2)
        defer { workspace.close() }
        let patch = Self.plans()["1.0.0"]!.replacingOccurrences(of: "\"1.0.0\"", with: "\"1.0.1\"")
            .replacingOccurrences(of: "The deal tab shows", with: "Fixes how the deal tab shows")
        try patch.write(to: workspace.folder.appendingPathComponent(workspace.plan("1.0.1")), atomically: true, encoding: .utf8)
        try Self.mapInstallations(workspace, #""table": "tenants""#)
        let apply = try CLIRunner.run(
            ["apply", "--yes", workspace.plan("1.0.1")], in: workspace.folder,
            environment: Self.environment(workspace, without: ["B24_CLIENT_ID", "B24_CLIENT_SECRET"]))
        #expect(apply.code == 3, "stops at the deploy gate: \(apply.code) \(apply.stdout)\(apply.stderr)")
    }

    @Test("drift and status --portals name a missing installations table or column, the columns b24plan expects and the config key")
    func missingInstallationsTableNamed() throws {
        let workspace = try Self.workspace(portals: 3)
        defer { workspace.close() }
        #expect(try workspace.run(["apply", "--yes", workspace.plan("2.0.0")]).code == 3, "a run exists (at the deploy gate)")
        let config = workspace.folder.appendingPathComponent("b24plan.config.json")
        let original = try String(contentsOf: config, encoding: .utf8)
        // status --portals reads at least the member id and the endpoint (the host); drift every column.
        let cases: [(mapping: String, words: [String], commands: [[String]])] = [
            (
                #""table": "tenants""#, Missing.installationsTable.words,
                [["drift", workspace.plan("2.0.0")], ["status", "--portals", workspace.plan("2.0.0")]]
            ),
            (#""expiresAt": "token_expiry""#, Missing.installationsColumn.words, [["drift", workspace.plan("2.0.0")]]),
            (
                #""endpoint": "portal_url""#, ["portal_url", "installations.endpoint", "portals"],
                [["drift", workspace.plan("2.0.0")], ["status", "--portals", workspace.plan("2.0.0")]]
            ),
        ]
        for (mapping, words, commands) in cases {
            try original.write(to: config, atomically: true, encoding: .utf8)
            try Self.mapInstallations(workspace, mapping)
            for command in commands {
                let output = try workspace.run(command)
                #expect(output.code == 64 || output.code == 1, "\(command) \(mapping): \(output.code) \(output.stdout)\(output.stderr)")
                for word in words { #expect(output.stderr.contains(word), "\(command) \(mapping) names \(word): \(output.stderr)") }
                Self.expectClean(output.stderr, "\(command) \(mapping)")
            }
        }
    }

    /// A folder holding the opx plans (with the migration) and nothing else.
    static func bareFolder() throws -> URL {
        let folder = try CLIRunner.temporaryFolder()
        let plansFolder = folder.appendingPathComponent("plans/\(app)")
        try FileManager.default.createDirectory(
            at: plansFolder.appendingPathComponent("migrations"), withIntermediateDirectories: true)
        for (version, text) in plans(migration: true) {
            try text.write(to: plansFolder.appendingPathComponent("\(version).json"), atomically: true, encoding: .utf8)
        }
        try migrationSQL.write(to: plansFolder.appendingPathComponent(migrationFile), atomically: true, encoding: .utf8)
        return folder
    }

    static let dummyCredentials = ["B24_CLIENT_ID": "local.opx", "B24_CLIENT_SECRET": "opx-secret-value", "B24PLAN_DATABASE_URL": ""]

    @Test("in a folder that was only init'ed, drift names the installations table, its columns and installations.table")
    func driftAfterInitOnly() throws {
        let folder = try Self.bareFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try CLIRunner.run(["init"], in: folder, environment: Self.dummyCredentials).code == 0)
        let drift = try CLIRunner.run(["drift", "plans/\(Self.app)/2.0.0.json"], in: folder, environment: Self.dummyCredentials)
        #expect(drift.code == 64 || drift.code == 1, "\(drift.code) \(drift.stdout)\(drift.stderr)")
        for word in ["portals", "installations.table", "member_id", "client_endpoint", "access_token", "refresh_token", "expires_at"] {
            #expect(drift.stderr.contains(word), "names \(word): \(drift.stderr)")
        }
        Self.expectClean(drift.stderr, "drift after init")
    }

    @Test("in a wrong folder, status, status --portals and drift exit 64 naming .b24plan/state.db and create nothing")
    func wrongFolder() throws {
        let folder = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plan = CLIRunner.packageRoot.appendingPathComponent("plans/acme.dealsync/2.0.0.json").path
        for command in [["status"], ["status", "--portals"], ["status", "--portals", "--state", "failed", plan], ["drift", plan]] {
            let output = try CLIRunner.run(command, in: folder, environment: Self.dummyCredentials)
            #expect(output.code == 64, "\(command): \(output.code) \(output.stdout)\(output.stderr)")
            #expect(output.stderr.contains(".b24plan/state.db"), "\(command) names the store it looked for: \(output.stderr)")
            #expect(!output.stderr.contains("unknown option"), "\(command): \(output.stderr)")
            Self.expectClean(output.stderr, "\(command)")
            let left = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            #expect(left.isEmpty, "\(command) created nothing: \(left)")
        }
    }

    @Test(
        "baseline and apply against another tool's schema_migrations(version, applied_at) name the table, the columns and migrations.table",
        arguments: ["baseline", "apply"])
    func foreignMigrationsTable(_ command: String) throws {
        let folder = try Self.bareFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("app.db")
        let schema =
            "CREATE TABLE schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT); "
            + "INSERT INTO schema_migrations VALUES ('20240101120000', '2024-01-01 12:00:00'); "
            + "CREATE TABLE portals (member_id TEXT PRIMARY KEY, domain TEXT, client_endpoint TEXT NOT NULL, access_token TEXT, "
            + "refresh_token TEXT, expires_at BIGINT, active INTEGER NOT NULL DEFAULT 1);"
        _ = try CLIRunner.sqliteRows(database, schema)
        func foreignTable() throws -> [String] {
            let columns = try CLIRunner.sqliteRows(database, "SELECT name FROM pragma_table_info('schema_migrations')")
            let rows = try CLIRunner.sqliteRows(database, "SELECT version, applied_at FROM schema_migrations")
            return columns.map { "\($0["name"] ?? "")" } + rows.map { "\($0["version"] ?? "") \($0["applied_at"] ?? "")" }
        }
        let before = try foreignTable()
        let environment = Self.dummyCredentials.merging(["B24PLAN_DATABASE_URL": "sqlite:" + database.path]) { _, new in new }
        let arguments =
            command == "apply" ? ["apply", "--yes", "plans/\(Self.app)/2.0.0.json"] : ["baseline", "plans/\(Self.app)/2.0.0.json"]
        let output = try CLIRunner.run(arguments, in: folder, environment: environment)
        #expect(output.code == 64 || output.code == 1, "\(output.code) \(output.stdout)\(output.stderr)")
        for word in ["schema_migrations", "version", "name", "checksum", "applied_at", "execution_ms", "migrations.table"] {
            #expect(output.stderr.contains(word), "\(command) names \(word): \(output.stderr)")
        }
        Self.expectClean(output.stderr, command)
        #expect(try foreignTable() == before, "the other tool's table is left as it was")
        let created = try CLIRunner.sqliteRows(database, "SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'opx_notes'")
        #expect(created.first?["n"] as? Int == 0, "no migration ran")

        // The remedy the message names: another table for b24plan's migrations.
        try "{ \"migrations\": { \"table\": \"b24plan_schema_migrations\" } }\n".write(
            to: folder.appendingPathComponent("b24plan.config.json"), atomically: true, encoding: .utf8)
        let again = try CLIRunner.run(arguments, in: folder, environment: environment)
        #expect(again.code == (command == "apply" ? 3 : 0), "with migrations.table set: \(again.code) \(again.stdout)\(again.stderr)")
        #expect(try foreignTable() == before, "the other tool's table is still as it was")
    }

    @Test(
        "init adds .b24plan/ to .gitignore, creating it, keeping what is there, never twice",
        arguments: [nil, "node_modules\n", "node_modules", ".b24plan/\n", "build/\n.b24plan\n", "# local\n.env\n"])
    func initIgnoresStateFolder(_ existing: String?) throws {
        let folder = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let gitignore = folder.appendingPathComponent(".gitignore")
        if let existing { try existing.write(to: gitignore, atomically: true, encoding: .utf8) }
        let environment = ["B24PLAN_DATABASE_URL": ""]
        let first = try CLIRunner.run(["init"], in: folder, environment: environment)
        #expect(first.code == 0, "\(first.stdout)\(first.stderr)")
        let second = try CLIRunner.run(["init"], in: folder, environment: environment)
        #expect(second.code == 0, "\(second.stdout)\(second.stderr)")
        let text = (try? String(contentsOf: gitignore, encoding: .utf8)) ?? "<no .gitignore>"
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
        let before = (existing ?? "").split(separator: "\n").map(String.init)
        if before.contains(".b24plan/") || before.contains(".b24plan") {
            #expect(text == existing, "already ignored: unchanged: \(text)")
        } else {
            #expect(lines == before + [".b24plan/"], "the old lines kept, .b24plan/ added once on a line of its own: \(text)")
        }
    }
}
