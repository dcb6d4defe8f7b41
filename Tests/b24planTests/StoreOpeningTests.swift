import Foundation
import ReleasePlan
import Testing

/// Which commands may create a state store (DESIGN §7), `status` on a read-only store, and the
/// numeric options that must be at least 1.
@Suite("b24plan store opening and numeric options")
struct StoreOpeningTests {
    static let plan = ApplyWorkspace.planPath("1.0.0")

    @Test(
        "a command that must not create a store refuses a missing SQLite file with 64 and creates nothing",
        arguments: [
            ["status"], ["status", plan], ["gate", "pass", "gate.partner", plan], ["drift", plan],
            ["reconcile", "--member-id", "m1", plan],
        ])
    func missingStore(_ command: [String]) throws {
        let ws = try ApplyWorkspace(.sqlite)
        defer { ws.tearDown() }
        try ws.writeDeployScript()
        try ws.writePlan("1.0.0")
        let absent = ws.path("absent/deeper/state.db")
        let output = try CLIRunner.run(command + ["--database", "sqlite:" + absent], in: ws.folder)
        #expect(output.code == 64, "\(output.stdout)\n\(output.stderr)")
        #expect(output.stderr.contains(absent), "the message names the path: \(output.stderr)")
        #expect(output.stderr.contains("--database") && output.stderr.contains("b24plan init"), "\(output.stderr)")
        #expect(!FileManager.default.fileExists(atPath: ws.path("absent")), "no folder was created")

        // The default store (.b24plan/state.db in the working directory) is not created either.
        let byDefault = try CLIRunner.run(command, in: ws.folder, environment: ["B24PLAN_DATABASE_URL": ""])
        #expect(byDefault.code == 64, "\(byDefault.stdout)\n\(byDefault.stderr)")
        #expect(byDefault.stderr.contains(".b24plan/state.db"), "\(byDefault.stderr)")
        #expect(!FileManager.default.fileExists(atPath: ws.path(".b24plan")))
    }

    @Test("status and gate pass refuse a SQLite file without a journal, and leave it as it was", arguments: ["status", "gate"])
    func noJournal(_ command: String) throws {
        let ws = try ApplyWorkspace(.sqlite)
        defer { ws.tearDown() }
        try ws.writePlan("1.0.0", deploy: false)
        _ = FileManager.default.createFile(atPath: ws.path("state.db"), contents: nil)
        let arguments = command == "status" ? ["status"] : ["gate", "pass", "gate.partner", Self.plan]
        let output = try ws.b24plan(arguments)
        #expect(output.code == 64, "\(output.stdout)\n\(output.stderr)")
        #expect(output.stderr.contains("holds no b24plan journal") && output.stderr.contains("b24plan init"), "\(output.stderr)")
        #expect(try FileManager.default.attributesOfItem(atPath: ws.path("state.db"))[.size] as? Int == 0)
    }

    @Test("status reads a read-only SQLite store (chmod 444) and changes no byte of it")
    func readOnlyStatus() throws {
        let ws = try ApplyWorkspace(.sqlite)
        defer { ws.tearDown() }
        try ws.prepareStore()
        try ws.writeDeployScript()
        try ws.writePlan("1.0.0")
        #expect(try ws.b24plan(["apply", "--yes", Self.plan]).code == 3)
        let file = ws.path("state.db")
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: file)
        let before = SHA256.hex(Array(try Data(contentsOf: URL(fileURLWithPath: file))))
        let status = try ws.b24plan(["status", "--format", "json", Self.plan])
        #expect(status.code == 0, "\(status.stdout)\n\(status.stderr)")
        #expect(try CLIRunner.json(status)["version"] as? String == "1.0.0")
        #expect(!status.stderr.contains("note:"), "the journal is current: \(status.stderr)")
        let text = try ws.b24plan(["status"])
        #expect(text.code == 0 && text.stdout.contains("acme.apply 1.0.0"), "\(text.stdout)\n\(text.stderr)")
        #expect(SHA256.hex(Array(try Data(contentsOf: URL(fileURLWithPath: file)))) == before, "status wrote nothing")
    }

    @Test("status and report on a read-only store with an older journal say so and do not upgrade it")
    func olderJournal() throws {
        let ws = try ApplyWorkspace(.sqlite)
        defer { ws.tearDown() }
        try ws.prepareStore()
        try ws.writeDeployScript()
        try ws.writePlan("1.0.0")
        #expect(try ws.b24plan(["apply", "--yes", Self.plan]).code == 3)
        // What b24plan with journal schema 1 left behind.
        try ws.sql(
            """
            ALTER TABLE b24plan_steps DROP COLUMN process_start;
            ALTER TABLE b24plan_steps DROP COLUMN host;
            ALTER TABLE b24plan_steps DROP COLUMN pid;
            DROP TABLE b24plan_request_rate;
            UPDATE b24plan_meta SET value = '1' WHERE key = 'schema_version';
            """)
        let file = ws.path("state.db")
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: file)
        let before = SHA256.hex(Array(try Data(contentsOf: URL(fileURLWithPath: file))))
        let status = try ws.b24plan(["status", "--format", "json", Self.plan])
        #expect(status.code == 0, "\(status.stdout)\n\(status.stderr)")
        #expect(status.stderr.contains("has schema 1 and this b24plan writes \(4)"), "\(status.stderr)")
        #expect((try CLIRunner.json(status)["steps"] as? [[String: Any]])?.count == 5)
        #expect(SHA256.hex(Array(try Data(contentsOf: URL(fileURLWithPath: file)))) == before, "status wrote nothing")
        let report = try ws.b24plan(["report", "--format", "json", Self.plan])
        #expect(report.code == 0 && report.stderr.contains("has schema 1"), "\(report.stdout)\n\(report.stderr)")
        #expect((try CLIRunner.json(report)["rate"] as? [String: Any])?["recorded"] as? Bool == false)
        #expect(SHA256.hex(Array(try Data(contentsOf: URL(fileURLWithPath: file)))) == before, "report wrote nothing")
        #expect(try ws.scalar("SELECT value FROM b24plan_meta WHERE key = 'schema_version'") == "1")
    }

    @Test(
        "counts and durations reject 0, negative, non-numeric and absurd values with 64",
        arguments: [
            (["diff", plan, "--parallel", "0"], "option '--parallel' must be at least 1, not 0"),
            (["diff", plan, "--installations", "-1"], "option '--installations' needs a whole number, not '-1'"),
            (["diff", plan, "--parallel=-0"], "option '--parallel' must be at least 1"),
            (["apply", "--yes", plan, "--parallel", "0"], "option '--parallel' must be at least 1"),
            (["apply", "--yes", plan, "--lease", "0"], "option '--lease' must be at least 1"),
            (["apply", "--yes", plan, "--lease", "ten"], "option '--lease' needs a whole number, not 'ten'"),
            (["apply", "--yes", plan, "--parallel", "99999999999999999999"], "option '--parallel' needs a whole number"),
            (["apply", "--yes", plan, "--parallel", "1000000"], "option '--parallel' must be at most 100000"),
            (["drift", plan, "--parallel", "0"], "option '--parallel' must be at least 1"),
        ])
    func numericOptions(_ arguments: [String], message: String) throws {
        let ws = try ApplyWorkspace(.sqlite)
        defer { ws.tearDown() }
        try ws.writeDeployScript()
        try ws.writePlan("1.0.0")
        if arguments[0] == "drift" { #expect(try ws.b24plan(["init"]).code == 0) }
        let output = arguments[0] == "diff" ? try CLIRunner.run(arguments, in: ws.folder) : try ws.b24plan(arguments)
        #expect(output.code == 64, "\(output.stdout)\n\(output.stderr)")
        #expect(output.stderr.contains(message), "\(output.stderr)")
        #expect(ws.deploys.isEmpty)
        if arguments[0] == "apply" {
            #expect(!FileManager.default.fileExists(atPath: ws.path("state.db")), "checked before the store opens")
        }
    }

    @Test("--installations 0 is a valid estimate input")
    func zeroInstallations() throws {
        let output = try CLIRunner.run(["diff", "plans/acme.dealsync/2.0.0.json", "--installations", "0"])
        #expect(output.code == 0, "\(output.stderr)")
    }
}
