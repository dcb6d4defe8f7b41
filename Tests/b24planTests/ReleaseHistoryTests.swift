import Foundation
import TestSupport
import Testing

/// Release history in the state store (issue 9): what is published, and the guards every command
/// respects, through the built binary on SQLite and PostgreSQL.
@Suite("release history: published state, guards, gates in order, log, migrate")
struct ReleaseHistoryTests {
    static func plan(_ version: String) -> String { ApplyWorkspace.planPath(version) }

    /// A workspace with the store prepared and the deploy script in place.
    static func workspace(_ kind: StoreKind) throws -> ApplyWorkspace {
        let ws = try ApplyWorkspace(kind)
        try ws.prepareStore()
        try ws.writeDeployScript()
        return ws
    }

    /// Applies `version` through both gates, as a vendor does; the version ends published.
    static func publish(_ ws: ApplyWorkspace, _ version: String) throws {
        let first = try ws.b24plan(["apply", "--yes", plan(version)])
        try #require(first.code == 3, "apply \(version): \(first.stdout)\(first.stderr)")
        for gate in ["gate.partner", "gate.moderation"] {
            let pass = try ws.b24plan(["gate", "pass", gate, plan(version)])
            try #require(pass.code == 0, "gate pass \(gate) \(version): \(pass.stdout)\(pass.stderr)")
        }
        let done = try ws.b24plan(["apply", "--yes", plan(version)])
        try #require(done.code == 0, "apply \(version) again: \(done.stdout)\(done.stderr)")
    }

    static func published(_ ws: ApplyWorkspace) throws -> [String] {
        (try ws.rows("SELECT version FROM b24plan_releases ORDER BY version") ?? []).map { $0[0] }
    }

    @Test("a version lower than the newest published one is refused, naming both; nothing runs", arguments: StoreKind.allCases)
    func lowerVersionRefused(_ kind: StoreKind) throws {
        let ws = try Self.workspace(kind)
        defer { ws.tearDown() }
        try ws.writePlan("1.0.0")
        try Self.publish(ws, "1.0.0")
        try ws.writePlan("2.0.0")
        try Self.publish(ws, "2.0.0")
        #expect(try Self.published(ws) == ["1.0.0", "2.0.0"])
        try ws.writePlan("1.1.1")
        let apply = try ws.b24plan(["apply", "--yes", Self.plan("1.1.1")])
        #expect(apply.code == 1, "\(apply.stdout)\(apply.stderr)")
        #expect(
            apply.stderr.contains("1.1.1.json:1:35: error[B24P102]: version 1.1.1 is not greater than the published 2.0.0"),
            "a located error naming both versions: \(apply.stderr)")
        #expect(ws.deploys == ["1.0.0", "2.0.0"], "nothing ran")
        #expect(try ws.scalar("SELECT COUNT(*) FROM b24plan_runs WHERE version = '1.1.1'") == "0")
    }

    @Test("an equal version only resumes its own run: a baselined version is never started", arguments: StoreKind.allCases)
    func equalVersionOnlyResumes(_ kind: StoreKind) throws {
        let ws = try Self.workspace(kind)
        defer { ws.tearDown() }
        try ws.writePlan("1.0.0")
        try ws.sql(
            "ALTER TABLE items ADD COLUMN touched INTEGER NOT NULL DEFAULT 0; ALTER TABLE items ADD COLUMN done INTEGER NOT NULL DEFAULT 0;"
        )
        let baseline = try ws.b24plan(["baseline", Self.plan("1.0.0")])
        #expect(baseline.code == 0, "\(baseline.stderr)")
        #expect(try Self.published(ws) == ["1.0.0"])
        let apply = try ws.b24plan(["apply", "--yes", Self.plan("1.0.0")])
        #expect(apply.code == 1, "\(apply.stdout)\(apply.stderr)")
        #expect(apply.stderr.contains("1.0.0 is already published (recorded by baseline"), "\(apply.stderr)")
        #expect(ws.deploys.isEmpty)
        // Baselining an older version over a newer published one is refused too.
        try ws.writePlan("0.9.0")
        let older = try ws.b24plan(["baseline", Self.plan("0.9.0")])
        #expect(older.code == 1)
        #expect(older.stderr.contains("error[B24P102]: version 0.9.0 is not greater than the published 1.0.0"), "\(older.stderr)")
    }

    @Test("an unpublished run blocks the next version until it is abandoned or rejected", arguments: StoreKind.allCases)
    func openRunBlocksTheNext(_ kind: StoreKind) throws {
        let ws = try Self.workspace(kind)
        defer { ws.tearDown() }
        try ws.writePlan("1.0.0")
        #expect(try ws.b24plan(["apply", "--yes", Self.plan("1.0.0")]).code == 3)
        try ws.writePlan("1.1.0")
        let blocked = try ws.b24plan(["apply", "--yes", Self.plan("1.1.0")])
        #expect(blocked.code == 1, "\(blocked.stdout)\(blocked.stderr)")
        #expect(blocked.stderr.contains("1.0.0's run is not finished"), "\(blocked.stderr)")
        #expect(blocked.stderr.contains("b24plan abandon"), "\(blocked.stderr)")

        let abandon = try ws.b24plan(["abandon", Self.plan("1.0.0")])
        #expect(abandon.code == 0, "\(abandon.stderr)")
        #expect(abandon.stdout.contains("abandoned acme.apply 1.0.0"), "\(abandon.stdout)")
        #expect(try ws.b24plan(["apply", "--yes", Self.plan("1.1.0")]).code == 3, "1.1.0 can start now")

        // Moderation rejects 1.1.0: the next version may start, and log shows why.
        #expect(try ws.b24plan(["gate", "pass", "gate.partner", Self.plan("1.1.0")]).code == 0)
        let reject = try ws.b24plan(["gate", "reject", "gate.moderation", Self.plan("1.1.0"), "--reason", "screenshots missing"])
        #expect(reject.code == 0, "\(reject.stdout)\(reject.stderr)")
        let noReason = try ws.b24plan(["gate", "reject", "gate.moderation", Self.plan("1.1.0")])
        #expect(noReason.code == 64)
        try ws.writePlan("1.1.1")
        #expect(try ws.b24plan(["apply", "--yes", Self.plan("1.1.1")]).code == 3, "a rejected version does not block the next")
        let log = try CLIRunner.json(try ws.b24plan(["log", "--format", "json"]))
        let releases = log["releases"] as? [[String: Any]] ?? []
        #expect(releases.map { $0["version"] as? String } == ["1.1.1", "1.1.0", "1.0.0"])
        #expect(releases.map { $0["state"] as? String } == ["unpublished", "rejected", "abandoned"])
        let gates = releases[1]["gates"] as? [[String: Any]] ?? []
        let moderation = try #require(gates.first { $0["step"] as? String == "gate.moderation" })
        #expect(moderation["state"] as? String == "rejected")
        #expect(moderation["reason"] as? String == "screenshots missing")
        #expect(moderation["by"] as? String == "release-tester")
        // Stable keys: an entry that was never published still has publishedAt, as null.
        for release in releases { #expect(release["publishedAt"] is NSNull, "\(release["version"] ?? "")") }
        #expect(try ws.b24plan(["abandon", Self.plan("1.1.1")]).code == 0, "an unpublished version can be abandoned")
    }

    @Test("gates pass in graph order: not before deploy, not moderation before the partner account", arguments: StoreKind.allCases)
    func gatesInOrder(_ kind: StoreKind) throws {
        let ws = try Self.workspace(kind)
        defer { ws.tearDown() }
        try ws.writePlan("1.0.0")
        let early = try ws.b24plan(["gate", "pass", "gate.partner", Self.plan("1.0.0")])
        #expect(early.code == 1, "\(early.stdout)\(early.stderr)")
        #expect(early.stderr.contains("deploy is not done (not started)"), "\(early.stderr)")
        let moderationFirst = try ws.b24plan(["gate", "pass", "gate.moderation", Self.plan("1.0.0")])
        #expect(moderationFirst.code == 1)
        #expect(moderationFirst.stderr.contains("gate.partner is not passed"), "\(moderationFirst.stderr)")
        #expect(try ws.rows("SELECT step_id FROM b24plan_gates") == [], "nothing recorded")
        #expect(try ws.b24plan(["apply", "--yes", Self.plan("1.0.0")]).code == 3)
        #expect(try ws.b24plan(["gate", "pass", "gate.moderation", Self.plan("1.0.0")]).code == 1, "still not before gate.partner")
        #expect(try ws.b24plan(["gate", "pass", "gate.partner", Self.plan("1.0.0")]).code == 0)
        let moderation = try ws.b24plan(["gate", "pass", "gate.moderation", Self.plan("1.0.0")])
        #expect(moderation.code == 0, "\(moderation.stderr)")
        #expect(moderation.stdout.contains("acme.apply 1.0.0 is now published"), "\(moderation.stdout)")
    }

    @Test("the store keeps the published plan: diff compares with it after the file is gone, and says when the folder disagrees")
    func diffReadsTheStore() throws {
        let ws = try Self.workspace(.sqlite)
        defer { ws.tearDown() }
        try ws.writePlan("1.0.0")
        try Self.publish(ws, "1.0.0")
        try FileManager.default.removeItem(atPath: ws.path(Self.plan("1.0.0")))
        try ws.writePlan("0.9.0")  // an older plan left in the folder
        let newer = ApplyWorkspace.MigrationFile(id: 3, name: "more", sql: "ALTER TABLE items ADD COLUMN more INTEGER;\n")
        try ws.writePlan("1.1.0", migrations: ApplyWorkspace.standardMigrations + [newer])
        let diff = try ws.b24plan(["diff", "--format", "json", Self.plan("1.1.0")])
        #expect(diff.code == 0, "\(diff.stdout)\(diff.stderr)")
        let document = try CLIRunner.json(diff)
        #expect(document["from"] as? String == "1.0.0", "compared with the store's 1.0.0, not the folder's 0.9.0")
        #expect(document["updateType"] as? String == "critical", "only migration 3 is new")
        let notes = (document["diagnostics"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
        #expect(notes.contains { $0.contains("comparing with the store") }, "\(notes)")
        // Without a store (CI), the folder decides.
        let folderOnly = try CLIRunner.run(["diff", "--format", "json", Self.plan("1.1.0")], in: ws.folder)
        #expect(try CLIRunner.json(folderOnly)["from"] as? String == "0.9.0")
        // A named store that does not exist is never created by diff.
        let missing = try CLIRunner.run(
            ["diff", Self.plan("1.1.0"), "--database", "sqlite:" + ws.path("nope/state.db")], in: ws.folder)
        #expect(missing.code == 0)
        #expect(!FileManager.default.fileExists(atPath: ws.path("nope")))
    }

    @Test("a pre-release is applied but never recorded as published, and never the next release's baseline")
    func preReleaseNeverPublished() throws {
        let ws = try Self.workspace(.sqlite)
        defer { ws.tearDown() }
        try ws.writePlan("1.0.0")
        try Self.publish(ws, "1.0.0")
        try ws.writePlan("2.0.0-rc.1")
        try Self.publish(ws, "2.0.0-rc.1")
        #expect(try Self.published(ws) == ["1.0.0"])
        try ws.writePlan("2.0.0")
        let diff = try CLIRunner.json(try ws.b24plan(["diff", "--format", "json", Self.plan("2.0.0")]))
        #expect(diff["from"] as? String == "1.0.0")
        let log = try CLIRunner.json(try ws.b24plan(["log", "--format", "json"]))
        #expect((log["releases"] as? [[String: Any]])?.first?["state"] as? String == "pre-release")
    }

    @Test("log: every run newest first, with gates, who and when (golden, times masked)")
    func logGolden() throws {
        let ws = try Self.workspace(.sqlite)
        defer { ws.tearDown() }
        try ws.writePlan("1.0.0")
        try Self.publish(ws, "1.0.0")
        try ws.writePlan("1.1.0")
        #expect(try ws.b24plan(["apply", "--yes", Self.plan("1.1.0")]).code == 3)
        #expect(try ws.b24plan(["gate", "pass", "gate.partner", Self.plan("1.1.0")]).code == 0)
        #expect(try ws.b24plan(["gate", "reject", "gate.moderation", Self.plan("1.1.0"), "--reason", "changelog too short"]).code == 0)
        let log = try ws.b24plan(["log"])
        #expect(log.code == 0, "\(log.stderr)")
        let masked = log.stdout.replacingOccurrences(
            of: #"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"#, with: "TIME", options: .regularExpression)
        Golden.check(masked, named: "two-releases", in: "log")
        let json = try CLIRunner.json(try ws.b24plan(["log", "acme.apply", "--format", "json"]))
        let first = try #require((json["releases"] as? [[String: Any]])?.last)
        for key in ["app", "version", "state", "updateType", "publishedAt", "gates", "portals"] {
            #expect(first[key] != nil, "log --format json has \(key)")
        }
        #expect(first["state"] as? String == "published")
    }

    @Test(
        "migrate brings an empty database to a release's schema, in order, and refuses a disagreeing table", arguments: StoreKind.allCases)
    func migrate(_ kind: StoreKind) throws {
        let ws = try Self.workspace(kind)
        defer { ws.tearDown() }
        let third = ApplyWorkspace.MigrationFile(id: 3, name: "more", sql: "ALTER TABLE items ADD COLUMN more INTEGER;\n")
        try ws.writePlan("1.1.0", migrations: ApplyWorkspace.standardMigrations + [third])
        let migrate = try ws.b24plan(["migrate", Self.plan("1.1.0")])
        #expect(migrate.code == 0, "\(migrate.stdout)\(migrate.stderr)")
        #expect(
            try ws.rows("SELECT version, name FROM schema_migrations ORDER BY version") == [
                ["1", "add_columns"], ["2", "touch"], ["3", "more"],
            ])
        #expect(try ws.rows("SELECT touched, more FROM items WHERE id = 1") == [["1", ""]])
        #expect(ws.deploys.isEmpty, "no deploy")
        #expect(try ws.rows("SELECT step_id FROM b24plan_gates") == [], "no gate")
        let again = try ws.b24plan(["migrate", Self.plan("1.1.0")])
        #expect(again.code == 0)
        #expect(again.stdout.contains("applied now: none"), "\(again.stdout)")
        try ws.sql("INSERT INTO schema_migrations (version, name, checksum, applied_at, execution_ms) VALUES (9, 'stray', 'x', 'y', 0)")
        let refused = try ws.b24plan(["migrate", Self.plan("1.1.0")])
        #expect(refused.code == 1)
        #expect(refused.stderr.contains("has migration 9 (stray), which acme.apply 1.1.0 does not list"), "\(refused.stderr)")
    }
}

/// What an independent review of the release history found, each now a test.
extension ReleaseHistoryTests {
    @Test("an abandoned version never starts again, and its gates can no longer be passed")
    func abandonedStaysAbandoned() throws {
        let ws = try Self.workspace(.sqlite)
        defer { ws.tearDown() }
        try ws.writePlan("1.0.0")
        try Self.publish(ws, "1.0.0")
        try ws.writePlan("1.1.0")
        #expect(try ws.b24plan(["apply", "--yes", Self.plan("1.1.0")]).code == 3)
        #expect(try ws.b24plan(["abandon", Self.plan("1.1.0")]).code == 0)
        let again = try ws.b24plan(["apply", "--yes", Self.plan("1.1.0")])
        #expect(again.code == 1)
        #expect(again.stderr.contains("error[B24P102]: acme.apply 1.1.0 was abandoned"), "\(again.stderr)")
        let pass = try ws.b24plan(["gate", "pass", "gate.partner", Self.plan("1.1.0")])
        #expect(pass.code == 1)
        #expect(pass.stderr.contains("was abandoned"), "\(pass.stderr)")
        #expect(try Self.published(ws) == ["1.0.0"])
        #expect(try ws.scalar("SELECT state FROM b24plan_runs WHERE version = '1.1.0'") == "abandoned")
        let published = try ws.b24plan(["abandon", Self.plan("1.0.0")])
        #expect(published.code == 1)
        #expect(published.stderr.contains("is published: it cannot be abandoned"), "\(published.stderr)")
    }

    @Test("a passed gate cannot be rejected; a rejection is never erased by a later pass")
    func gateRecordsAreKept() throws {
        let ws = try Self.workspace(.sqlite)
        defer { ws.tearDown() }
        try ws.writePlan("1.0.0")
        try Self.publish(ws, "1.0.0")
        let late = try ws.b24plan(["gate", "reject", "gate.moderation", Self.plan("1.0.0"), "--reason", "oops", "--by", "mallory"])
        #expect(late.code == 1)
        #expect(late.stderr.contains("a passed gate cannot be rejected"), "\(late.stderr)")
        try ws.writePlan("1.1.0")
        #expect(try ws.b24plan(["apply", "--yes", Self.plan("1.1.0")]).code == 3)
        #expect(try ws.b24plan(["gate", "pass", "gate.partner", Self.plan("1.1.0")]).code == 0)
        #expect(try ws.b24plan(["gate", "reject", "gate.moderation", Self.plan("1.1.0"), "--reason", "screenshots"]).code == 0)
        #expect(try ws.b24plan(["gate", "pass", "gate.moderation", Self.plan("1.1.0"), "--by", "moderator"]).code == 0)
        let log = try CLIRunner.json(try ws.b24plan(["log", "--format", "json"]))
        let releases = log["releases"] as? [[String: Any]] ?? []
        let gates = (releases.first?["gates"] as? [[String: Any]] ?? []).filter { $0["step"] as? String == "gate.moderation" }
        #expect(gates.map { $0["state"] as? String } == ["rejected", "passed"])
        #expect(gates.first?["reason"] as? String == "screenshots")
        #expect(releases.first?["state"] as? String == "published")
        #expect(releases.allSatisfy { $0["publishedAt"] is String }, "both versions are published")
    }

    @Test("the published version's own run is resumed or retried while the next one waits for moderation")
    func retryThePublishedWhileTheNextWaits() throws {
        let ws = try Self.workspace(.sqlite)
        defer { ws.tearDown() }
        try ws.writePlan("1.0.0")
        try Self.publish(ws, "1.0.0")
        try ws.writePlan("1.1.0")
        #expect(try ws.b24plan(["apply", "--yes", Self.plan("1.1.0")]).code == 3)
        let retry = try ws.b24plan(["apply", "--yes", "--retry", "failed", Self.plan("1.0.0")])
        #expect(retry.code == 0, "\(retry.stdout)\(retry.stderr)")
    }

    @Test("apply says in one line when the folder's previous plan and the store's differ")
    func applyPrintsTheNote() throws {
        let ws = try Self.workspace(.sqlite)
        defer { ws.tearDown() }
        try ws.writePlan("1.0.0")
        try Self.publish(ws, "1.0.0")
        try ws.writePlan("1.0.5")  // never applied
        try ws.writePlan("1.1.0")
        let apply = try ws.b24plan(["apply", "--yes", Self.plan("1.1.0")])
        #expect(apply.code == 3, "\(apply.stderr)")
        #expect(apply.stderr.contains("note[B24P102]"), "\(apply.stderr)")
        #expect(apply.stderr.contains("comparing with the store"), "\(apply.stderr)")
    }

    @Test("a lower, published version is refused at its version, with B24P102")
    func lowerPublishedVersionIsLocated() throws {
        let ws = try Self.workspace(.sqlite)
        defer { ws.tearDown() }
        try ws.writePlan("1.0.0")
        try Self.publish(ws, "1.0.0")
        try ws.writePlan("2.0.0")
        try Self.publish(ws, "2.0.0")
        let apply = try ws.b24plan(["apply", "--yes", Self.plan("1.0.0")])
        #expect(apply.code == 1)
        #expect(
            apply.stderr.contains("\(Self.plan("1.0.0")):1:35: error[B24P102]: acme.apply 1.0.0 is lower than 2.0.0"), "\(apply.stderr)")
        #expect(apply.stderr.contains("--rollback"), "\(apply.stderr)")
    }

    @Test("migrate on an empty database without an installations table runs perPortal migrations for no portal")
    func migrateAFreshDatabase() throws {
        let ws = try ApplyWorkspace(.sqlite)
        defer { ws.tearDown() }
        try ws.sql("CREATE TABLE items (id INTEGER PRIMARY KEY, member_id TEXT NOT NULL);")
        try ws.writePlan("1.0.0")
        let migrate = try ws.b24plan(["migrate", Self.plan("1.0.0")])
        #expect(migrate.code == 0, "\(migrate.stdout)\(migrate.stderr)")
        #expect(migrate.stderr.contains("run for no portal"), "\(migrate.stderr)")
        #expect(try ws.rows("SELECT version FROM schema_migrations ORDER BY version") == [["1"], ["2"]])
    }
}

/// Smaller things the review noticed.
extension ReleaseHistoryTests {
    @Test("a published plan edited afterwards is not applied: restore it or bump")
    func editedPublishedPlanRefused() throws {
        let ws = try Self.workspace(.sqlite)
        defer { ws.tearDown() }
        try ws.writePlan("1.0.0")
        try Self.publish(ws, "1.0.0")
        try ws.writePlan("1.0.0", changelog: "Edited after it was published, not reviewed.")
        let apply = try ws.b24plan(["apply", "--yes", Self.plan("1.0.0")])
        #expect(apply.code == 1, "\(apply.stdout)\(apply.stderr)")
        #expect(apply.stderr.contains("is not the plan published as acme.apply 1.0.0"), "\(apply.stderr)")
    }

    @Test("migrate and baseline of a plan that fails lint create no store")
    func noStoreForABadPlan() throws {
        let ws = try ApplyWorkspace(.sqlite)
        defer { ws.tearDown() }
        try ws.write(Self.plan("1.0.0"), "{ \"app\": \"acme.apply\", \"version\": \"1.0\" }\n")
        for command in ["migrate", "baseline"] {
            let output = try ws.b24plan([command, Self.plan("1.0.0")])
            #expect(output.code == 1, "\(command): \(output.stderr)")
            #expect(!FileManager.default.fileExists(atPath: ws.path("state.db")), "\(command) created the store")
        }
    }

    @Test("apply checks the OAuth credentials before any step when the run reaches the portals (exit 64)")
    func credentialsCheckedFirst() throws {
        let ws = try Self.workspace(.sqlite)
        defer { ws.tearDown() }
        try ws.write(
            Self.plan("1.0.0"),
            """
            { "app": "acme.apply", "version": "1.0.0", "changelog": { "en": "First release of the apply test application." },
              "scopes": ["crm", "placement"],
              "placements": [{ "placement": "CRM_DEAL_DETAIL_TAB", "handler": "https://app.acme.example/deal", "title": "Deal" }],
              "deploy": { "command": ["./deploy.sh", "1.0.0"] } }

            """)
        let apply = try ws.b24plan(["apply", "--yes", Self.plan("1.0.0")])
        #expect(apply.code == 64, "\(apply.stdout)\(apply.stderr)")
        #expect(apply.stderr.contains("B24_CLIENT_ID and B24_CLIENT_SECRET"), "\(apply.stderr)")
        #expect(ws.deploys.isEmpty, "no step ran")
    }
}

extension ReleaseHistoryTests {
    @Test(
        "apply checks every numeric option before any step runs", arguments: ["--request-timeout", "--portal-timeout", "--max-connections"])
    func numericOptionsFirst(_ option: String) throws {
        let ws = try Self.workspace(.sqlite)
        defer { ws.tearDown() }
        try ws.writePlan("1.0.0")
        for value in ["0", "-1", "abc"] {
            let apply = try ws.b24plan(["apply", "--yes", option, value, Self.plan("1.0.0")])
            #expect(apply.code == 64, "\(option) \(value): \(apply.stderr)")
        }
        #expect(ws.deploys.isEmpty)
    }
}
