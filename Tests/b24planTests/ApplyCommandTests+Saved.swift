import Foundation
import ReleasePlan
import Testing

/// Saved plans, the run lock, baseline and the next release.
extension ApplyCommandTests {
    @Test("a saved plan from diff --out applies; once an input changed it is refused as stale", arguments: StoreKind.allCases)
    func savedPlan(_ kind: StoreKind) throws {
        let ws = try ApplyWorkspace(kind)
        defer { ws.tearDown() }
        try ws.prepareStore()
        try ws.writeDeployScript()
        try ws.writePlan("1.0.0")
        let saved = try CLIRunner.run(["diff", Self.plan, "--out", "reviewed.json"], in: ws.folder)
        #expect(saved.code == 0, "\(saved.stderr)")
        let applied = try ws.b24plan(["apply", "--yes", "reviewed.json"])
        #expect(applied.code == 3, "\(applied.stdout)\n\(applied.stderr)")
        #expect(applied.stdout.contains("b24plan gate pass gate.partner"), "\(applied.stdout)")
        #expect(ws.deploys == ["1.0.0"])
        #expect(try ws.stepStates()["migrate.data.2"] == "done")
        let before = try ws.status(nil)

        let migration = "plans/\(ApplyWorkspace.app)/\(ApplyWorkspace.standardMigrations[1].file)"
        try ws.write(migration, (ws.read(migration) ?? "") + "-- reviewed\n")
        let stale = try ws.b24plan(["apply", "--yes", "reviewed.json"])
        #expect(stale.code == 1, "\(stale.stdout)\n\(stale.stderr)")
        #expect(stale.stderr.contains("saved plan is stale"), "\(stale.stderr)")
        #expect(stale.stderr.contains("0002_touch.sql"), "the message names the changed input: \(stale.stderr)")
        #expect(ws.deploys == ["1.0.0"])
        #expect(NSDictionary(dictionary: try ws.status(nil)).isEqual(to: before), "a refused saved plan writes nothing")
    }

    /// Edits the saved plan's JSON in place.
    static func editSaved(_ ws: ApplyWorkspace, _ path: String, _ edit: (inout [String: Any]) -> Void) throws {
        let url = ws.folder.appendingPathComponent(path)
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        edit(&json)
        try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys]).write(to: url)
    }

    /// `json["compiled"]["steps"][id]` edited.
    static func editStep(_ json: inout [String: Any], _ id: String, _ edit: (inout [String: Any]) -> Void) {
        var compiled = json["compiled"] as? [String: Any] ?? [:]
        var steps = compiled["steps"] as? [[String: Any]] ?? []
        for index in steps.indices where steps[index]["id"] as? String == id { edit(&steps[index]) }
        compiled["steps"] = steps
        json["compiled"] = compiled
    }

    @Test(
        "an edited saved plan is refused, naming the step and the field, and nothing runs",
        arguments: ["command", "migration sha256", "input sha256", "options"])
    func tamperedSavedPlan(_ edit: String) throws {
        let ws = try ApplyWorkspace(.sqlite)
        defer { ws.tearDown() }
        try ws.prepareStore()
        try ws.writeDeployScript()
        try ws.writePlan("1.0.0")
        #expect(try CLIRunner.run(["diff", Self.plan, "--out", "reviewed.json"], in: ws.folder).code == 0)
        let marker = ws.path("pwned")
        var arguments = ["apply", "--yes", "reviewed.json"]
        try Self.editSaved(ws, "reviewed.json") { json in
            switch edit {
            case "command":
                Self.editStep(&json, "deploy") { $0["command"] = ["sh", "-c", "touch '\(marker)'"] }
            case "migration sha256":
                Self.editStep(&json, "migrate.schema.1") { step in
                    var migration = step["migration"] as? [String: Any] ?? [:]
                    migration["sha256"] = String(repeating: "0", count: 64)
                    step["migration"] = migration
                }
            case "input sha256":
                var inputs = json["inputs"] as? [[String: Any]] ?? []
                for index in inputs.indices where inputs[index]["role"] as? String == "migration" {
                    inputs[index]["sha256"] = String(repeating: "0", count: 64)
                }
                json["inputs"] = inputs
            default:
                arguments += ["--reconcile", "always"]
            }
        }
        let refused = try ws.b24plan(arguments)
        let expected: (code: Int32, text: String) =
            switch edit {
            case "command":
                (
                    1,
                    "step deploy: command differs (saved [\"sh\",\"-c\",\"touch '\(marker)'\"], from the inputs [\"./deploy.sh\",\"1.0.0\"])"
                )
            case "migration sha256": (1, "step migrate.schema.1: migration.sha256 differs (saved \"0000")
            case "input sha256":
                (
                    1,
                    "saved plan is stale: \(ws.folder.resolvingSymlinksInPath().path)/plans/acme.apply/migrations/0001_add_columns.sql changed"
                )
            default: (64, "--reconcile applies to plan files; reviewed.json is a saved plan")
            }
        #expect(refused.code == expected.code, "\(refused.stdout)\n\(refused.stderr)")
        #expect(refused.stderr.contains(expected.text), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: marker), "the tampered command did not run")
        #expect(ws.deploys.isEmpty && refused.stdout.isEmpty, "nothing ran and no plan was shown")
        #expect(try ws.rows("SELECT id FROM b24plan_runs") == [])
    }

    @Test("a saved plan applies from another working directory: its inputs are relative to its own folder")
    func savedPlanFromElsewhere() throws {
        let ws = try ApplyWorkspace(.sqlite)
        defer { ws.tearDown() }
        try ws.prepareStore()
        try ws.writeDeployScript()
        try ws.writePlan("1.0.0")
        try FileManager.default.createDirectory(at: ws.folder.appendingPathComponent("release/notes"), withIntermediateDirectories: true)
        #expect(try CLIRunner.run(["diff", Self.plan, "--out", "release/reviewed.json"], in: ws.folder).code == 0)
        let saved = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: ws.folder.appendingPathComponent("release/reviewed.json")))
                as? [String: Any])
        #expect((saved["inputs"] as? [[String: Any]])?.first?["path"] as? String == "../plans/acme.apply/1.0.0.json")

        // A plan file of the same name next to where apply runs must not be read instead.
        let elsewhere = ws.folder.appendingPathComponent("release/notes")
        try ws.write("release/notes/plans/acme.apply/1.0.0.json", "{ not a plan")
        let applied = try CLIRunner.run(["apply", "--yes", "../reviewed.json", "--database", ws.databaseURL], in: elsewhere)
        #expect(applied.code == 3, "\(applied.stdout)\n\(applied.stderr)")
        #expect(applied.stdout.contains("run ./deploy.sh 1.0.0"), "the recompiled plan is shown: \(applied.stdout)")
        #expect(ws.deploys == ["1.0.0"])
        #expect(try ws.stepStates()["migrate.data.2"] == "done")
        let status = try CLIRunner.run(["status", "../reviewed.json", "--database", ws.databaseURL, "--format", "json"], in: elsewhere)
        #expect(status.code == 0, "\(status.stderr)")
    }

    @Test("a second apply of the same app is refused while the first runs", arguments: StoreKind.allCases)
    func concurrentApplyRefused(_ kind: StoreKind) throws {
        let ws = try ApplyWorkspace(kind)
        defer { ws.tearDown() }
        try ws.prepareStore()
        let started = ws.path("deploy-started"), go = ws.path("deploy-go")
        // The deploy holds the first apply (and its lock) until the test creates deploy-go (at most 60 s).
        try ws.writeDeployScript("touch '\(started)'\ni=0\nwhile [ ! -f '\(go)' ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done")
        try ws.writePlan("1.0.0")

        let first = try BackgroundCLI(["apply", "--yes", Self.plan, "--database", ws.databaseURL], in: ws.folder)
        defer {
            _ = FileManager.default.createFile(atPath: go, contents: nil)
            first.wait()
        }
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: started) {
            try #require(first.isRunning, "the first apply ended before its deploy started: \(first.output)")
            try #require(Date() < deadline, "the first apply's deploy did not start within 60 s")
            usleep(20_000)
        }
        let second = try ws.b24plan(["apply", "--yes", Self.plan])
        #expect(second.code == 1, "\(second.stdout)\n\(second.stderr)")
        #expect(second.stderr.contains("another b24plan apply of acme.apply is running"), "\(second.stderr)")

        _ = FileManager.default.createFile(atPath: go, contents: nil)
        #expect(first.wait() == 3, "\(first.output)")
        #expect(ws.deploys == ["1.0.0"], "only the first apply deployed")
        let third = try ws.b24plan(["apply", "--yes", Self.plan])
        #expect(third.code == 3, "the lock is free again: \(third.stdout)\n\(third.stderr)")
    }

    @Test(
        "baseline adopts a database whose schema_migrations has the plan's migrations; the next release runs only what is new",
        arguments: StoreKind.allCases)
    func baseline(_ kind: StoreKind) throws {
        let ws = try ApplyWorkspace(kind)
        defer { ws.tearDown() }
        #expect(try ws.b24plan(["init"]).code == 0)
        try ws.writeDeployScript()
        try ws.writePlan("1.0.0")
        try ws.writePlan("1.0.1", changelog: "Fixes the label of the deal tab for every user.")
        let digests = ApplyWorkspace.standardMigrations.map { SHA256.hex(Array($0.sql.utf8)) }
        try ws.sql(
            """
            INSERT INTO schema_migrations (version, name, checksum, applied_at, execution_ms) VALUES
              (1, 'add_columns', '\(digests[0])', '2024-03-01T10:00:00.000Z', 12),
              (2, 'touch', '\(digests[1])', '2024-03-01T10:00:01.000Z', 3400);
            """)
        let adopted = try ws.b24plan(["baseline", Self.plan])
        #expect(adopted.code == 0, "\(adopted.stdout)\n\(adopted.stderr)")
        #expect(adopted.stdout.contains("recorded as published") && adopted.stdout.contains("already there: 1, 2"), "\(adopted.stdout)")
        #expect(
            try ws.rows("SELECT version, applied_at FROM schema_migrations ORDER BY version")
                == [["1", "2024-03-01T10:00:00.000Z"], ["2", "2024-03-01T10:00:01.000Z"]])
        let status = try ws.status()
        #expect(status["state"] as? String == "baseline")
        #expect(try ws.stepStates().values.allSatisfy { $0 == "done" })
        #expect(ws.deploys.isEmpty, "baseline runs nothing")

        // 1.0.1 lists the same migrations: they are published, so apply must not run them (there is no items table).
        let next = try ws.b24plan(["apply", "--yes", ApplyWorkspace.planPath("1.0.1")])
        #expect(next.code == 3, "\(next.stdout)\n\(next.stderr)")
        #expect(ws.deploys == ["1.0.1"])
        #expect(try ws.stepStates("1.0.1").keys.sorted() == ["deploy", "gate.moderation", "gate.partner"])
    }

    @Test("baseline refuses a schema_migrations that disagrees with the plan, and writes nothing", arguments: StoreKind.allCases)
    func baselineRefuses(_ kind: StoreKind) throws {
        let ws = try ApplyWorkspace(kind)
        defer { ws.tearDown() }
        #expect(try ws.b24plan(["init"]).code == 0)
        try ws.writePlan("1.0.0")
        let other = String(repeating: "9", count: 64)
        try ws.sql(
            "INSERT INTO schema_migrations (version, name, checksum, applied_at, execution_ms) VALUES (1, 'add_columns', '\(other)', 'x', 1);"
        )
        let refused = try ws.b24plan(["baseline", Self.plan])
        #expect(refused.code == 1, "\(refused.stdout)\n\(refused.stderr)")
        #expect(refused.stderr.contains(other) && refused.stderr.contains("nothing was written"), "\(refused.stderr)")
        #expect(try ws.rows("SELECT version FROM schema_migrations") == [["1"]])
        #expect(try ws.rows("SELECT id FROM b24plan_runs") == [])
    }

    @Test("after a release with a perPortal migration, the next release applies", arguments: StoreKind.allCases)
    func releaseAfterDataMigration(_ kind: StoreKind) throws {
        let ws = try ApplyWorkspace(kind)
        defer { ws.tearDown() }
        try ws.prepareStore()
        try ws.writeDeployScript()
        try ws.writePlan("1.0.0")
        #expect(try ws.b24plan(["apply", "--yes", Self.plan]).code == 3)
        for gate in ["gate.partner", "gate.moderation"] { #expect(try ws.b24plan(["gate", "pass", gate, Self.plan]).code == 0) }
        #expect(try ws.b24plan(["apply", "--yes", Self.plan]).code == 0)

        try ws.writePlan("1.0.1", changelog: "Fixes the label of the deal tab for every user.")
        let next = try ws.b24plan(["apply", "--yes", ApplyWorkspace.planPath("1.0.1")])
        let recorded = try ws.rows("SELECT version FROM schema_migrations WHERE version = 2")
        #expect(recorded == [["2"]])
        #expect(next.code == 3, "\(next.stdout)\n\(next.stderr)")
        #expect(try ws.scalar("SELECT COUNT(*) FROM items WHERE touched > 1") == "0", "nothing ran twice")
    }
}

/// A `b24plan` started in the background (output to files), for the lock test.
final class BackgroundCLI {
    private let process = Process()
    private let scratch: URL
    private var handles: [FileHandle] = []

    init(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws {
        scratch = try CLIRunner.temporaryFolder()
        for name in ["out", "err"] { _ = FileManager.default.createFile(atPath: scratch.appendingPathComponent(name).path, contents: nil) }
        handles = try ["out", "err"].map { try FileHandle(forWritingTo: scratch.appendingPathComponent($0)) }
        process.executableURL = CLIRunner.binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = handles[0]
        process.standardError = handles[1]
        process.standardInput = FileHandle.nullDevice
        if !environment.isEmpty {
            process.environment = CLIRunner.childEnvironment(environment)
        }
        try process.run()
    }

    var isRunning: Bool { process.isRunning }

    /// The process id of the `b24plan` process.
    var pid: Int32 { process.processIdentifier }

    var stdout: String { (try? String(contentsOf: scratch.appendingPathComponent("out"), encoding: .utf8)) ?? "" }

    /// Waits for the exit (once) and returns the exit status.
    @discardableResult
    func wait() -> Int32 {
        process.waitUntilExit()
        for handle in handles { try? handle.close() }
        handles = []
        return process.terminationStatus
    }

    var output: String {
        ["out", "err"].map { (try? String(contentsOf: scratch.appendingPathComponent($0), encoding: .utf8)) ?? "" }.joined(separator: "\n")
    }

    deinit { try? FileManager.default.removeItem(at: scratch) }
}
