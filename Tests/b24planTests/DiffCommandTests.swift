import Foundation
import TestSupport
import Testing

@Suite("b24plan diff and graph (the built binary)")
struct DiffCommandTests {
    static let versions = ["1.0.0", "1.0.1", "1.1.0", "2.0.0", "2.0.1", "3.0.0"]

    @Test("golden text, markdown and JSON diff of every sample plan against its predecessor", arguments: versions)
    func goldenDiffs(version: String) throws {
        for format in ["text", "markdown", "json"] {
            let output = try CLIRunner.run(["diff", "plans/acme.dealsync/\(version).json", "--format", format, "--installations", "5000"])
            #expect(output.code == 0, "\(version) \(format): \(output.stderr)")
            Golden.check(output.stdout, named: "\(version).\(format)", in: "diff")
        }
    }

    @Test("golden graphs of the critical release", arguments: ["text", "dot", "mermaid", "json"])
    func goldenGraphs(format: String) throws {
        let output = try CLIRunner.run(["graph", "--format", format, "plans/acme.dealsync/2.0.1.json"])
        #expect(output.code == 0)
        Golden.check(output.stdout, named: "2.0.1.\(format)", in: "graph")
    }

    @Test(
        "JSON diff: the keys and values held-out checks read",
        arguments: [
            (
                "1.0.0", "initial", nil, nil, nil,
                ["migrate.schema.1", "deploy", "gate.partner", "gate.moderation", "portals.preflight", "portals.reconcile"]
            ),
            ("1.0.1", "patch", "patch", "patch", "bugfix", ["deploy", "gate.partner", "gate.moderation"]),
            (
                "1.1.0", "minor", "minor", "minor", "feature",
                ["deploy", "gate.partner", "gate.moderation", "portals.preflight", "portals.reconcile"]
            ),
            (
                "2.0.0", "major", "major", "major", "major",
                ["deploy", "gate.partner", "gate.moderation", "portals.preflight", "portals.reconcile", "portals.scope-audit"]
            ),
            (
                "2.0.1", "critical", "patch", "patch", "bugfix",
                ["migrate.schema.2", "migrate.data.3", "deploy", "gate.partner", "gate.moderation"]
            ),
            ("3.0.0", "major", "major", "major", "monetization", ["deploy", "gate.partner", "gate.moderation"]),
        ] as [(String, String, String?, String?, String?, [String])])
    func jsonKeys(version: String, updateType: String, declared: String?, required: String?, row: String?, steps: [String]) throws {
        let output = try CLIRunner.run(["diff", "--format=json", "plans/acme.dealsync/\(version).json"])
        let json = try CLIRunner.json(output)
        #expect(json["updateType"] as? String == updateType)
        #expect(json["declaredBump"] as? String == declared)
        #expect(json["requiredBump"] as? String == required)
        #expect((json["moderation"] as? [String: Any])?["row"] as? String == row)
        if row == nil { #expect(json["moderation"] is NSNull) }
        if version == "1.0.0" { #expect(json["from"] is NSNull) }
        let ids = (json["steps"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
        #expect(ids == steps)
    }

    @Test("--detailed-exitcode: 2 when something changed, 0 when nothing did, 1 on lint errors")
    func detailedExitCode() throws {
        #expect(try CLIRunner.run(["diff", "--detailed-exitcode", "plans/acme.dealsync/1.1.0.json"]).code == 2)
        let folder = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plan = { (version: String) in
            """
            { "app": "acme.example", "version": "\(version)", "changelog": { "en": "Shows the deals linked to each task." },
              "scopes": ["crm"], "requiredMethods": ["crm.deal.get"] }

            """
        }
        try plan("1.0.0").write(to: folder.appendingPathComponent("1.0.0.json"), atomically: true, encoding: .utf8)
        try plan("1.0.1").write(to: folder.appendingPathComponent("1.0.1.json"), atomically: true, encoding: .utf8)
        let unchanged = try CLIRunner.run(["diff", "--detailed-exitcode", "1.0.1.json"], in: folder)
        #expect(unchanged.code == 0, "\(unchanged.stdout)")
        #expect(unchanged.stdout.contains("No changes against 1.0.0."))
        let broken = try CLIRunner.run(["diff", "--detailed-exitcode", "Tests/Fixtures/schema-invalid/version-number.json"])
        #expect(broken.code == 1)
        #expect(broken.stderr.contains("error[B24P003]"))
        #expect(broken.stdout.isEmpty)
    }

    @Test("diff 2.0.0.json with 2.0.0-rc.1.json beside it compares with the published 1.1.0, not the rc")
    func releaseAfterAnRC() throws {
        let folder = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plan = { (version: String, tab: Bool) in
            let placements =
                tab
                ? #", "placements": [{ "placement": "CRM_DEAL_DETAIL_TAB", "handler": "https://app.acme.example/deal" }]"# : ""
            return """
                { "app": "acme.example", "version": "\(version)", "changelog": { "en": "Shows the deals linked to each task." },
                  "scopes": ["crm", "placement"], "requiredMethods": ["crm.deal.get"]\(placements) }

                """
        }
        for (version, tab) in [("1.0.0", false), ("1.1.0", false), ("2.0.0-rc.1", true), ("2.0.0", true)] {
            try plan(version, tab).write(to: folder.appendingPathComponent("\(version).json"), atomically: true, encoding: .utf8)
        }
        let output = try CLIRunner.run(["diff", "2.0.0.json"], in: folder)
        #expect(output.code == 0, "\(output.stderr)")
        #expect(output.stdout.hasPrefix("acme.example 1.1.0 → 2.0.0\n"), "\(output.stdout)")
        #expect(output.stdout.contains("+ placement"), "the new placement is a change")
        #expect(output.stdout.contains("portals.reconcile"), "and it is bound")
        #expect(!output.stdout.contains("pre-release"))

        let rc = try CLIRunner.run(["diff", "--format", "json", "2.0.0-rc.1.json"], in: folder)
        let json = try CLIRunner.json(rc)
        #expect(json["from"] as? String == "1.1.0")
        #expect(json["preRelease"] as? Bool == true)
        let text = try CLIRunner.run(["diff", "2.0.0-rc.1.json"], in: folder)
        #expect(text.stdout.contains("pre-release:    2.0.0-rc.1 is never published;"))
    }

    @Test("a number beyond a Double: diff --format json reports B24P003 and exits 1, never prints {}; --out saves nothing")
    func numberOutOfRange() throws {
        let folder = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plan = """
            { "app": "acme.example", "version": "1.0.0", "changelog": { "en": "Shows the deals linked to each task." },
              "scopes": ["crm", "placement"],
              "placements": [{ "placement": "CRM_DEAL_DETAIL_TAB", "handler": "https://app.acme.example/t", "options": { "x": 1e400 } }] }

            """
        try plan.write(to: folder.appendingPathComponent("1.0.0.json"), atomically: true, encoding: .utf8)
        let output = try CLIRunner.run(["diff", "--format", "json", "--out", "saved.json", "1.0.0.json"], in: folder)
        #expect(output.code == 1, "\(output.stdout)\(output.stderr)")
        #expect(output.stdout.trimmingCharacters(in: .whitespacesAndNewlines) != "{}")
        let diagnostics = try #require(try CLIRunner.json(output)["diagnostics"] as? [[String: Any]])
        let finding = try #require(diagnostics.first { $0["rule"] as? String == "B24P003" })
        #expect(finding["message"] as? String == "number out of range: 1e400 is beyond what a 64-bit floating-point number holds")
        #expect(finding["path"] as? String == "placements[0].options.x")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("saved.json").path))
        let lint = try CLIRunner.run(["lint", "1.0.0.json"], in: folder)
        #expect(lint.code == 1)
    }

    @Test("--out saves the compiled plan with the digest of every input")
    func savedPlan() throws {
        let folder = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let saved = folder.appendingPathComponent("release.json").path
        let output = try CLIRunner.run(["diff", "plans/acme.dealsync/2.0.1.json", "--out", saved])
        #expect(output.code == 0)
        #expect(output.stderr.contains("saved the plan to \(saved)"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: saved))) as? [String: Any]
        let inputs = try #require(json?["inputs"] as? [[String: Any]])
        #expect(inputs.map { $0["role"] as? String } == ["plan", "previous", "migration", "migration", "migration"])
        #expect(inputs.allSatisfy { ($0["sha256"] as? String)?.count == 64 })
        #expect((json?["compiled"] as? [String: Any])?["to"] as? String == "2.0.1")
    }
}
