import Foundation
import ReleasePlan
import Testing

/// The state stores the apply tests run on. PostgreSQL needs `B24PLAN_TEST_POSTGRES_URL`
/// (`source scripts/postgres-test-cluster.sh`): without it its cases are skipped visibly, or fail under `CI=true`.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    static var postgresURL: String? {
        guard let url = ProcessInfo.processInfo.environment["B24PLAN_TEST_POSTGRES_URL"], !url.isEmpty else { return nil }
        return url
    }

    static func requirePostgresURL() throws -> String {
        if let url = postgresURL { return url }
        if ProcessInfo.processInfo.environment["CI"] == "true" { throw MissingPostgresServer() }
        try Test.cancel("B24PLAN_TEST_POSTGRES_URL is not set: PostgreSQL case skipped")
    }
}

struct MissingPostgresServer: Error, CustomStringConvertible {
    var description: String { "B24PLAN_TEST_POSTGRES_URL is not set and CI=true: the PostgreSQL apply cases must run in CI" }
}

/// A throwaway app folder (plans, migrations, a deploy script, `b24plan.config.json`) with a state
/// store of its own: a SQLite file in the folder or a fresh PostgreSQL database. The app's tables are
/// read and written with `python3`'s sqlite3 module or `psql`, independently of b24plan.
final class ApplyWorkspace {
    static let app = "acme.apply"
    let kind: StoreKind
    let folder: URL
    let databaseURL: String
    private let databaseName: String?

    struct MigrationFile {
        var id: Int
        var name: String
        var sql: String
        var perPortal = false
        var batchSize: Int?

        var file: String {
            let digits = String(id)
            return "migrations/" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits + "_\(name).sql"
        }
    }

    /// Migration 1 adds the columns, migration 2 (per portal, 2 rows a batch) touches each row once.
    static let standardMigrations = [
        MigrationFile(
            id: 1, name: "add_columns",
            sql:
                "ALTER TABLE items ADD COLUMN touched INTEGER NOT NULL DEFAULT 0;\nALTER TABLE items ADD COLUMN done INTEGER NOT NULL DEFAULT 0;\n"
        ),
        MigrationFile(
            id: 2, name: "touch",
            sql:
                "UPDATE items SET touched = touched + 1, done = 1\nWHERE id IN (SELECT id FROM items WHERE member_id = :member_id AND done = 0 LIMIT :batch_size);\n",
            perPortal: true, batchSize: 2),
    ]

    init(_ kind: StoreKind) throws {
        self.kind = kind
        let base = kind == .postgres ? try StoreKind.requirePostgresURL() : ""  // before anything is created
        folder = try CLIRunner.temporaryFolder()
        switch kind {
        case .sqlite:
            databaseURL = "sqlite:" + folder.appendingPathComponent("state.db").path
            databaseName = nil
        case .postgres:
            let name = "b24plan_apply_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
            try Self.psql(base, "CREATE DATABASE \(name)")
            databaseName = name
            databaseURL = Self.url(base, database: name)
        }
    }

    func tearDown() {
        try? FileManager.default.removeItem(at: folder)
        if let databaseName, let base = StoreKind.postgresURL {
            _ = try? Self.psql(base, "DROP DATABASE IF EXISTS \(databaseName) WITH (FORCE)")
        }
    }

    static func planPath(_ version: String) -> String { "plans/\(app)/\(version).json" }

    // MARK: b24plan

    /// `b24plan arguments… --database URL` in the workspace.
    func b24plan(_ arguments: [String]) throws -> CLIRunner.Output {
        try CLIRunner.run(arguments + ["--database", databaseURL], in: folder, environment: ["USER": "release-tester"])
    }

    /// The same without the variables named in `removing` (`USER`, `LOGNAME`).
    func b24plan(_ arguments: [String], removing: Set<String>) throws -> CLIRunner.Output {
        try CLIRunner.run(arguments + ["--database", databaseURL], in: folder, removing: removing)
    }

    /// `init --installations-table`, then the app's `items` table, three installations (m3 inactive) and five rows.
    func prepareStore() throws {
        let initialised = try b24plan(["init", "--installations-table"])
        try #require(initialised.code == 0, "init: \(initialised.stderr)")
        try sql(
            """
            CREATE TABLE items (id INTEGER PRIMARY KEY, member_id TEXT NOT NULL);
            INSERT INTO portals (member_id, client_endpoint, active) VALUES
              ('m1', 'https://m1.example/rest/', 1), ('m2', 'https://m2.example/rest/', 1), ('m3', 'https://m3.example/rest/', 0);
            INSERT INTO items (id, member_id) VALUES (1, 'm1'), (2, 'm1'), (3, 'm1'), (4, 'm2'), (5, 'm3');
            """)
    }

    /// `status --format json` of a plan version (nil: of the most recent run).
    func status(_ version: String? = "1.0.0") throws -> [String: Any] {
        let output = try b24plan(["status", "--format", "json"] + (version.map { [Self.planPath($0)] } ?? []))
        try #require(output.code == 0, "status: \(output.stderr)")
        return try CLIRunner.json(output)
    }

    /// Each step's state in `status`.
    func stepStates(_ version: String = "1.0.0") throws -> [String: String] {
        let steps = try status(version)["steps"] as? [[String: Any]] ?? []
        return Dictionary(steps.map { ($0["id"] as? String ?? "", $0["state"] as? String ?? "") }, uniquingKeysWith: { a, _ in a })
    }

    // MARK: Files

    func write(_ path: String, _ text: String, executable: Bool = false) throws {
        let url = folder.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
        if executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path) }
    }

    func read(_ path: String) -> String? { try? String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8) }

    func path(_ relative: String) -> String { folder.appendingPathComponent(relative).path }

    /// Writes the migrations and the plan `version` (sha256 of every file); `deploy` runs `./deploy.sh VERSION`.
    func writePlan(_ version: String, migrations: [MigrationFile] = standardMigrations, deploy: Bool = true, changelog: String? = nil)
        throws
    {
        var entries: [String] = []
        for migration in migrations {
            try write("plans/\(Self.app)/\(migration.file)", migration.sql)
            var entry =
                "{ \"id\": \(migration.id), \"name\": \"\(migration.name)\", \"file\": \"\(migration.file)\", "
                + "\"sha256\": \"\(SHA256.hex(Array(migration.sql.utf8)))\""
            if migration.perPortal { entry += ", \"perPortal\": true, \"batchSize\": \(migration.batchSize ?? 100)" }
            entries.append(entry + " }")
        }
        let text = changelog ?? "Release \(version) of the apply test application."
        try write(
            Self.planPath(version),
            """
            { "app": "\(Self.app)", "version": "\(version)", "changelog": { "en": "\(text)" },
              "scopes": ["crm"], "requiredMethods": ["crm.deal.get"],
              "migrations": [\(entries.joined(separator: ",\n    "))]\(deploy ? ",\n  \"deploy\": { \"command\": [\"./deploy.sh\", \"\(version)\"] }" : "") }

            """)
    }

    /// `plans/acme.apply/deploy.sh`: `body` after a line that appends the version to `deploys.log`
    /// (so a test sees how often it ran).
    func writeDeployScript(_ body: String = "echo \"deploying $1\"") throws {
        try write("plans/\(Self.app)/deploy.sh", "#!/bin/sh\necho \"$1\" >> '\(path("deploys.log"))'\n\(body)\n", executable: true)
    }

    var deploys: [String] { (read("deploys.log") ?? "").split(separator: "\n").map(String.init) }

    // MARK: SQL on the app's database (not through b24plan)

    /// Runs statements; throws when one fails.
    func sql(_ script: String) throws {
        let result = try tool(mode: "exec", script)
        try #require(result.code == 0, "SQL failed: \(result.stderr)\n\(script)")
    }

    /// Rows of a query, each value as text ("" for NULL); nil when the query fails (a missing table or column).
    func rows(_ query: String) throws -> [[String]]? {
        let result = try tool(mode: "query", query)
        guard result.code == 0 else { return nil }
        return result.stdout.split(separator: "\n", omittingEmptySubsequences: true).map {
            $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        }
    }

    func scalar(_ query: String) throws -> String? { try rows(query)?.first?.first }

    private static let sqliteScript = """
        import sqlite3, sys
        con = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
        if sys.argv[2] == "exec":
            con.executescript(sys.argv[3])
        else:
            for row in con.execute(sys.argv[3]):
                print("|".join("" if v is None else str(v) for v in row))
        """

    private func tool(mode: String, _ sql: String) throws -> ToolOutput {
        switch kind {
        case .sqlite: return try Self.runTool(["python3", "-c", Self.sqliteScript, path("state.db"), mode, sql])
        case .postgres:
            return try Self.runTool(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-F", "|", "-d", databaseURL, "-c", sql])
        }
    }

    @discardableResult
    static func psql(_ url: String, _ sql: String) throws -> ToolOutput {
        let result = try runTool(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql])
        try #require(result.code == 0, "psql: \(result.stderr)")
        return result
    }

    struct ToolOutput {
        var code: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs a tool found on PATH to completion; output goes through files (no pipe to fill up).
    static func runTool(_ arguments: [String]) throws -> ToolOutput {
        let scratch = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("out"), err = scratch.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let outHandle = try FileHandle(forWritingTo: out), errHandle = try FileHandle(forWritingTo: err)
        defer { try? outHandle.close(); try? errHandle.close() }
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return ToolOutput(
            code: process.terminationStatus, stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }

    /// `postgres://user@host:port/db?options` with another database name.
    static func url(_ base: String, database: String) -> String {
        let query = base.firstIndex(of: "?").map { String(base[$0...]) } ?? ""
        let head = base.firstIndex(of: "?").map { String(base[..<$0]) } ?? base
        let authority = head.range(of: "://").map { head[$0.upperBound...] } ?? head[...]
        let root = authority.firstIndex(of: "/").map { String(head[..<$0]) } ?? head
        return root + "/" + database + query
    }
}
