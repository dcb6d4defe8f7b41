import Foundation
import Testing

@Suite("b24plan schema (the built binary)")
struct SchemaCommandTests {
    static func file(_ name: String) throws -> String {
        try String(contentsOf: CLIRunner.packageRoot.appendingPathComponent("schemas/\(name)"), encoding: .utf8)
    }

    @Test(
        "prints the schema of schemas/ byte for byte (plan is the default; --format json is the same text)",
        arguments: [
            (["schema"], "release-plan.schema.json"), (["schema", "plan"], "release-plan.schema.json"),
            (["schema", "--format", "json", "plan"], "release-plan.schema.json"), (["schema", "diff"], "diff-output.schema.json"),
            (["schema", "DIFF", "--format=text"], "diff-output.schema.json"),
        ])
    func printsTheSchema(arguments: [String], file: String) throws {
        let output = try CLIRunner.run(arguments, in: FileManager.default.temporaryDirectory)
        #expect(output.code == 0, "\(output.stderr)")
        #expect(output.stderr.isEmpty)
        #expect(output.stdout == (try Self.file(file)))
    }

    @Test("each schema carries its stable $id")
    func stableID() throws {
        let output = try CLIRunner.run(["schema", "plan"])
        let json = try CLIRunner.json(output)
        #expect(json["$id"] as? String == "urn:b24plan:schema:release-plan:1")
        let diff = try CLIRunner.json(try CLIRunner.run(["schema", "diff"]))
        #expect(diff["$id"] as? String == "urn:b24plan:schema:diff-output:1")
    }

    @Test(
        "an unknown name or a second one is a usage error (exit 64)",
        arguments: [
            (["schema", "plna"], "unknown schema 'plna'; did you mean 'plan'?"),
            (["schema", "sarif"], "unknown schema 'sarif'; use plan or diff"),
            (["schema", "plan", "diff"], "schema takes one name"), (["schema", "--format", "yaml"], "yaml"),
        ])
    func usageErrors(arguments: [String], message: String) throws {
        let output = try CLIRunner.run(arguments)
        #expect(output.code == 64)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.contains(message), "\(output.stderr)")
        #expect(output.stderr.contains("usage: b24plan schema"))
    }

    @Test("--help names the command, the saving recipe and its exit codes; the overview lists it")
    func help() throws {
        let output = try CLIRunner.run(["schema", "--help"])
        #expect(output.code == 0)
        #expect(output.stdout.hasPrefix("usage: b24plan schema [--format text|json] [plan|diff]\n"))
        #expect(output.stdout.contains("b24plan schema plan > plans/release-plan.schema.json"))
        #expect(output.stdout.hasSuffix("exit codes:\n  0        the schema was printed\n  64       usage error: an unknown schema name\n"))
        let overview = try CLIRunner.run(["--help"])
        #expect(overview.stdout.contains("  schema    Print the JSON Schema"))
    }
}
