import Foundation
import Testing

@Suite("b24plan new (the built binary)")
struct NewCommandTests {
    @Test("new writes plans/APP/1.0.0.json, which lints without errors but flags its placeholders")
    func writesAFirstPlan() throws {
        let folder = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = try CLIRunner.run(["new", "acme.dealsync"], in: folder)
        #expect(output.code == 0, "\(output.stderr)")
        #expect(output.stdout.hasPrefix("wrote plans/acme.dealsync/1.0.0.json\nwrote plans/release-plan.schema.json (the JSON Schema"))
        let text = try String(contentsOf: folder.appendingPathComponent("plans/acme.dealsync/1.0.0.json"), encoding: .utf8)
        #expect(text.contains("\"app\": \"acme.dealsync\""))
        #expect(
            text.hasPrefix("{\n  \"$schema\": \"../release-plan.schema.json\",\n"),
            "no schemas/ folder above: the schema beside the app folders")
        let schema = try String(contentsOf: folder.appendingPathComponent("plans/release-plan.schema.json"), encoding: .utf8)
        #expect(schema == (try CLIRunner.run(["schema", "plan"]).stdout))

        let lint = try CLIRunner.run(["lint", "--format", "json", "plans/acme.dealsync/1.0.0.json"], in: folder)
        #expect(lint.code == 0)
        let json = try CLIRunner.json(lint)
        #expect(json["errors"] as? Int == 0)
        let rules = (json["diagnostics"] as? [[String: Any]])?.compactMap { $0["rule"] as? String }
        #expect(rules == ["B24P105", "B24P211"])
    }

    @Test("$schema points at the schema relative to the new file, --dir names the folder, --format json reports the path")
    func schemaAndDir() throws {
        let folder = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("schemas"), withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: folder.appendingPathComponent("schemas/release-plan.schema.json"))
        let output = try CLIRunner.run(["new", "--format=json", "acme.x", "--dir", "apps/x/plans"], in: folder)
        #expect(output.code == 0, "\(output.stderr)")
        let json = try CLIRunner.json(output)
        #expect(json["path"] as? String == "apps/x/plans/1.0.0.json")
        #expect(json["app"] as? String == "acme.x")
        #expect(json["version"] as? String == "1.0.0")
        let text = try String(contentsOf: folder.appendingPathComponent("apps/x/plans/1.0.0.json"), encoding: .utf8)
        #expect(text.hasPrefix("{\n  \"$schema\": \"../../../schemas/release-plan.schema.json\",\n"))
    }

    @Test("a second app reuses plans/release-plan.schema.json and never overwrites it; --dir puts it above DIR")
    func schemaIsKept() throws {
        let folder = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("plans"), withIntermediateDirectories: true)
        try Data("{ \"mine\": true }\n".utf8).write(to: folder.appendingPathComponent("plans/release-plan.schema.json"))
        let output = try CLIRunner.run(["new", "acme.second"], in: folder)
        #expect(output.code == 0, "\(output.stderr)")
        #expect(
            output.stdout
                == "wrote plans/acme.second/1.0.0.json\nedit its changelog and scopes, then run: b24plan lint plans/acme.second/1.0.0.json\n"
        )
        let text = try String(contentsOf: folder.appendingPathComponent("plans/acme.second/1.0.0.json"), encoding: .utf8)
        #expect(text.hasPrefix("{\n  \"$schema\": \"../release-plan.schema.json\",\n"))
        #expect(
            try String(contentsOf: folder.appendingPathComponent("plans/release-plan.schema.json"), encoding: .utf8)
                == "{ \"mine\": true }\n")

        let json = try CLIRunner.run(["new", "acme.third", "--dir", "apps/third", "--format", "json"], in: folder)
        #expect(json.code == 0, "\(json.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("apps/release-plan.schema.json").path))
        let bumped = try CLIRunner.run(["bump", "minor", "apps/third/1.0.0.json"], in: folder)
        #expect(bumped.code == 0, "\(bumped.stderr)")
        let next = try String(contentsOf: folder.appendingPathComponent("apps/third/1.1.0.json"), encoding: .utf8)
        #expect(next.hasPrefix("{\n  \"$schema\": \"../release-plan.schema.json\",\n"), "bump keeps the $schema of the plan it copies")
    }

    @Test("new never overwrites a plan (exit 1, the file unchanged)")
    func refusesToOverwrite() throws {
        let folder = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plans = folder.appendingPathComponent("plans/acme.x")
        try FileManager.default.createDirectory(at: plans, withIntermediateDirectories: true)
        try Data("{ \"mine\": true }\n".utf8).write(to: plans.appendingPathComponent("1.0.0.json"))
        let output = try CLIRunner.run(["new", "acme.x"], in: folder)
        #expect(output.code == 1)
        #expect(output.stderr.contains("plans/acme.x/1.0.0.json already exists"))
        #expect(output.stdout.isEmpty)
        #expect(try String(contentsOf: plans.appendingPathComponent("1.0.0.json"), encoding: .utf8) == "{ \"mine\": true }\n")
    }

    @Test("usage errors exit 64", arguments: [["new"], ["new", "a", "b"], ["new", "../up"], ["new", "acme.x", "--format", "yaml"]])
    func usageErrors(arguments: [String]) throws {
        let folder = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = try CLIRunner.run(arguments, in: folder)
        #expect(output.code == 64)
        #expect(output.stderr.contains("usage: b24plan new"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty, "nothing written")
    }

    @Test("--help")
    func help() throws {
        let output = try CLIRunner.run(["new", "--help"])
        #expect(output.code == 0)
        #expect(output.stdout.hasPrefix("usage: b24plan new [--dir DIR] [--format text|json] APP\n"))
    }
}
