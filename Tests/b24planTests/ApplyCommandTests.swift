import Foundation
import Testing

/// `apply`, `gate pass`, `status`, `init` and `baseline` through the built binary, on SQLite and PostgreSQL.
/// Continued in `ApplyCommandTests+Saved.swift`; the workspace is in `ApplyCommandTests+Workspace.swift`.
@Suite("b24plan apply (the built binary)")
struct ApplyCommandTests {
    static let plan = ApplyWorkspace.planPath("1.0.0")
    static let stepIDs = ["migrate.schema.1", "migrate.data.2", "deploy", "gate.partner", "gate.moderation"]

    @Test(
        "apply runs migrations and deploy, stops at each gate with exit 3, and finishes once they are passed", arguments: StoreKind.allCases
    )
    func fullRun(_ kind: StoreKind) throws {
        let ws = try ApplyWorkspace(kind)
        defer { ws.tearDown() }
        try ws.prepareStore()
        try ws.writeDeployScript()
        try ws.writePlan("1.0.0")

        let first = try ws.b24plan(["apply", "--yes", Self.plan])
        #expect(first.code == 3, "\(first.stdout)\n\(first.stderr)")
        #expect(first.stdout.contains("\n    b24plan gate pass gate.partner \(Self.plan)\n"), "\(first.stdout)")
        #expect(ws.deploys == ["1.0.0"])
        #expect(first.stdout.contains("deploying 1.0.0"), "the deploy output is streamed")
        // Active portals' rows were touched once; the inactive portal's row was not.
        #expect(
            try ws.rows("SELECT id, touched, done FROM items ORDER BY id")
                == [["1", "1", "1"], ["2", "1", "1"], ["3", "1", "1"], ["4", "1", "1"], ["5", "0", "0"]])
        #expect(
            try ws.stepStates() == [
                "migrate.schema.1": "done", "migrate.data.2": "done", "deploy": "done", "gate.partner": "waiting",
                "gate.moderation": "pending",
            ])

        let pass = try ws.b24plan(["gate", "pass", "gate.partner", Self.plan])
        #expect(pass.code == 0, "\(pass.stderr)")
        #expect(pass.stdout.contains("passed gate.partner of acme.apply 1.0.0 (by release-tester)"), "\(pass.stdout)")
        let again = try ws.b24plan(["gate", "pass", "gate.partner", Self.plan, "--by", "someone-else"])
        #expect(again.code == 0, "\(again.stderr)")
        #expect(again.stdout.contains("already passed by release-tester"), "\(again.stdout)")
        #expect(try ws.rows("SELECT step_id, passed_by FROM b24plan_gates") == [["gate.partner", "release-tester"]])

        let second = try ws.b24plan(["apply", "--yes", Self.plan])
        #expect(second.code == 3, "\(second.stdout)\n\(second.stderr)")
        #expect(second.stdout.contains("b24plan gate pass gate.moderation \(Self.plan)"), "\(second.stdout)")
        #expect(try ws.b24plan(["gate", "pass", "gate.moderation", Self.plan]).code == 0)
        let third = try ws.b24plan(["apply", "--yes", Self.plan])
        #expect(third.code == 0, "\(third.stdout)\n\(third.stderr)")
        #expect(third.stdout.contains("apply complete: acme.apply 1.0.0"), "\(third.stdout)")
        let fourth = try ws.b24plan(["apply", "--yes", Self.plan])
        #expect(fourth.code == 0, "applying a finished run again is a no-op: \(fourth.stderr)")
        #expect(ws.deploys == ["1.0.0"], "done steps are not run again")
        #expect(try ws.rows("SELECT touched FROM items WHERE touched > 1") == [])
        #expect(try ws.rows("SELECT version, name FROM schema_migrations WHERE version = 1") == [["1", "add_columns"]])

        let status = try ws.status()
        try Self.checkStatusDocument(status)
        let steps = status["steps"] as? [[String: Any]] ?? []
        #expect(steps.map { $0["state"] as? String } == Array(repeating: "done", count: 5))
        #expect(status["state"] as? String == "done")
        let latest = try CLIRunner.json(try ws.b24plan(["status", "--format", "json"]))
        #expect(latest["run"] as? Int == status["run"] as? Int, "status without FILE shows the most recent run")
        let text = try ws.b24plan(["status", Self.plan])
        #expect(text.code == 0 && text.stdout.contains("acme.apply 1.0.0") && text.stdout.contains("gate.moderation"), "\(text.stdout)")
    }

    /// DESIGN §9: `{"run","app","version","steps":[{"id","state","startedAt","finishedAt"}],"portals":{…}}`.
    static func checkStatusDocument(_ json: [String: Any]) throws {
        #expect(json["run"] is Int)
        #expect(json["app"] as? String == "acme.apply")
        #expect(json["version"] as? String == "1.0.0")
        let steps = try #require(json["steps"] as? [[String: Any]])
        #expect(steps.map { $0["id"] as? String } == stepIDs)
        for step in steps {
            for key in ["id", "state", "startedAt", "finishedAt"] { #expect(step.keys.contains(key), "steps[].\(key)") }
            #expect(step["startedAt"] is String && step["finishedAt"] is String, "\(step)")
            if let start = step["startedAt"] as? String, let end = step["finishedAt"] as? String {
                #expect(start <= end && start.hasSuffix("Z") && start.count == 24, "\(start) \(end)")
            }
        }
        let portals = try #require(json["portals"] as? [String: Any])
        #expect(Set(portals.keys) == ["done", "needs-reinstall", "inactive", "failed", "pending"])
        #expect(portals.values.allSatisfy { $0 is Int })
    }

    @Test(
        "a failing deploy command: exit 1, the step failed with its output tail, and apply resumes once it is fixed",
        arguments: StoreKind.allCases)
    func failingDeploy(_ kind: StoreKind) throws {
        let ws = try ApplyWorkspace(kind)
        defer { ws.tearDown() }
        try ws.prepareStore()
        try ws.writeDeployScript("echo building\necho 'fatal: upload rejected' >&2\nexit 7")
        try ws.writePlan("1.0.0")
        let failed = try ws.b24plan(["apply", "--yes", Self.plan])
        #expect(failed.code == 1, "\(failed.stdout)\n\(failed.stderr)")
        #expect(failed.stdout.contains("exited with 7"), "\(failed.stdout)")
        let run = try ws.status()["run"] as? Int
        let deploy = (try ws.status()["steps"] as? [[String: Any]])?.first { $0["id"] as? String == "deploy" }
        #expect(deploy?["state"] as? String == "failed")
        let detail = deploy?["detail"] as? String ?? ""
        #expect(detail.contains("exited with 7") && detail.contains("building") && detail.contains("fatal: upload rejected"), "\(detail)")
        #expect(deploy?["finishedAt"] is String)
        #expect(try ws.stepStates()["gate.partner"] == "pending")
        #expect(try ws.stepStates()["migrate.schema.1"] == "done")
        let text = try ws.b24plan(["status", Self.plan]).stdout
        #expect(text.contains("fatal: upload rejected"), "\(text)")

        try ws.writeDeployScript()
        let resumed = try ws.b24plan(["apply", "--yes", Self.plan])
        #expect(resumed.code == 3, "\(resumed.stdout)\n\(resumed.stderr)")
        #expect(ws.deploys == ["1.0.0", "1.0.0"])
        #expect(try ws.stepStates()["deploy"] == "done")
        #expect(try ws.status()["run"] as? Int == run, "the same run resumed")
    }

    @Test(
        "a failing migration: exit 1, deploy not run, nothing half-applied; fixed SQL and digest resume the run",
        arguments: StoreKind.allCases)
    func failingMigration(_ kind: StoreKind) throws {
        let ws = try ApplyWorkspace(kind)
        defer { ws.tearDown() }
        try ws.prepareStore()
        try ws.writeDeployScript()
        var broken = ApplyWorkspace.standardMigrations
        broken[0].sql =
            "ALTER TABLE items ADD COLUMN touched INTEGER NOT NULL DEFAULT 0;\nALTER TABLE no_such_table ADD COLUMN done INTEGER;\n"
        try ws.writePlan("1.0.0", migrations: broken)

        let failed = try ws.b24plan(["apply", "--yes", Self.plan])
        #expect(failed.code == 1, "\(failed.stdout)\n\(failed.stderr)")
        #expect((failed.stdout + failed.stderr).contains("migrations/0001_add_columns.sql:2:"), "\(failed.stdout)")
        #expect(ws.deploys.isEmpty, "deploy must not run after a failed migration")
        #expect(
            try ws.stepStates() == [
                "migrate.schema.1": "failed", "migrate.data.2": "pending", "deploy": "pending", "gate.partner": "pending",
                "gate.moderation": "pending",
            ])
        #expect(try ws.rows("SELECT version FROM schema_migrations") == [])
        #expect(try ws.rows("SELECT touched FROM items") == nil, "the first ALTER was rolled back with the second")
        let run = try ws.status()["run"] as? Int
        #expect(try ws.status()["state"] as? String == "failed")

        try ws.writePlan("1.0.0")  // the fixed SQL and its new sha256
        let resumed = try ws.b24plan(["apply", "--yes", Self.plan])
        #expect(resumed.code == 3, "\(resumed.stdout)\n\(resumed.stderr)")
        #expect(try ws.status()["run"] as? Int == run, "the same run resumed")
        #expect(try ws.stepStates()["migrate.schema.1"] == "done" && ws.deploys == ["1.0.0"])
        #expect(try ws.rows("SELECT version FROM schema_migrations WHERE version = 1") == [["1"]])
        #expect(try ws.scalar("SELECT COUNT(*) FROM items WHERE touched = 1") == "4")
    }

    @Test("apply without --yes when stdin is not a terminal is a usage error (64) and touches nothing", arguments: StoreKind.allCases)
    func requiresYes(_ kind: StoreKind) throws {
        let ws = try ApplyWorkspace(kind)
        defer { ws.tearDown() }
        try ws.writeDeployScript()
        try ws.writePlan("1.0.0")
        let output = try ws.b24plan(["apply", Self.plan])
        #expect(output.code == 64, "\(output.stdout)\n\(output.stderr)")
        #expect(output.stderr.contains("--yes"), "\(output.stderr)")
        #expect(ws.deploys.isEmpty)
        switch kind {
        case .sqlite: #expect(!FileManager.default.fileExists(atPath: ws.path("state.db")), "the state store was not even created")
        case .postgres: #expect(try ws.scalar("SELECT to_regclass('b24plan_runs') IS NULL") == "t")
        }
    }
}
