import Foundation
import Testing

@Suite("b24plan bump (the built binary)")
struct BumpCommandTests {
    /// A temporary copy of the sample app's plans, with its migrations.
    static func sampleCopy() throws -> URL {
        let folder = try CLIRunner.temporaryFolder()
        let source = CLIRunner.packageRoot.appendingPathComponent("plans/acme.dealsync")
        try FileManager.default.copyItem(at: source, to: folder.appendingPathComponent("acme.dealsync"))
        return folder
    }

    @Test(
        "each kind writes the next plan beside FILE, and lint of it asks for the changelog (B24P104)",
        arguments: [("patch", "2.0.2"), ("minor", "2.1.0"), ("major", "3.0.0")])
    func eachKind(kind: String, version: String) throws {
        let folder = try Self.sampleCopy()
        defer { try? FileManager.default.removeItem(at: folder) }
        // 3.0.0 lies beside 2.0.1 in the sample: bump it out of the way for the major case.
        try FileManager.default.removeItem(at: folder.appendingPathComponent("acme.dealsync/3.0.0.json"))
        let output = try CLIRunner.run(["bump", kind, "acme.dealsync/2.0.1.json"], in: folder)
        #expect(output.code == 0, "\(output.stderr)")
        #expect(output.stdout.hasPrefix("wrote acme.dealsync/\(version).json (2.0.1 → \(version))\n"))
        let original = try String(contentsOf: folder.appendingPathComponent("acme.dealsync/2.0.1.json"), encoding: .utf8)
        let written = try String(contentsOf: folder.appendingPathComponent("acme.dealsync/\(version).json"), encoding: .utf8)
        #expect(written.contains("\"version\": \"\(version)\","))
        #expect(written.contains("    \"en\": \"\",\n    \"ru\": \"\"\n"))
        #expect(written.contains("\"command\": [\"./deploy.sh\", \"\(version)\"]"))
        let unchanged = { (text: String) in
            text.split(separator: "\n").filter {
                !$0.contains("version") && !$0.contains("\"en\"") && !$0.contains("\"ru\"") && !$0.contains("command")
            }
        }
        #expect(unchanged(written) == unchanged(original), "everything else is kept, line by line")

        let lint = try CLIRunner.run(["lint", "--format", "json", "acme.dealsync/\(version).json"], in: folder)
        #expect(lint.code == 1)
        let rules = (try CLIRunner.json(lint)["diagnostics"] as? [[String: Any]])?.compactMap { $0["rule"] as? String }
        #expect(rules == ["B24P104", "B24P104"], "\(lint.stdout)")
    }

    @Test("a pre-release bumps to its release; --format json reports the written path")
    func preRelease() throws {
        let folder = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plan = """
            { "app": "acme.example", "version": "2.0.0-rc.1", "changelog": { "en": "Shows the deals linked to each task." },
              "scopes": ["crm"], "requiredMethods": ["crm.deal.get"] }

            """
        try plan.write(to: folder.appendingPathComponent("2.0.0-rc.1.json"), atomically: true, encoding: .utf8)
        let output = try CLIRunner.run(["bump", "patch", "2.0.0-rc.1.json", "--format", "json"], in: folder)
        #expect(output.code == 0, "\(output.stderr)")
        let json = try CLIRunner.json(output)
        #expect(json["path"] as? String == "2.0.0.json")
        #expect(json["from"] as? String == "2.0.0-rc.1")
        #expect(json["version"] as? String == "2.0.0")
        #expect(json["app"] as? String == "acme.example")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("2.0.0.json").path))
    }

    @Test("bump never overwrites a plan (exit 1, the file unchanged)")
    func refusesToOverwrite() throws {
        let folder = try Self.sampleCopy()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("acme.dealsync/1.1.0.json")
        let before = try Data(contentsOf: target)
        let output = try CLIRunner.run(["bump", "minor", "acme.dealsync/1.0.1.json"], in: folder)
        #expect(output.code == 1)
        #expect(output.stderr.contains("acme.dealsync/1.1.0.json already exists"))
        #expect(try Data(contentsOf: target) == before)
    }

    @Test("a plan that cannot be bumped is an error (exit 1)")
    func unbumpable() throws {
        let folder = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "{ \"app\": \"a\", \"version\": \"2024.1\", \"versioning\": \"free\" }\n".write(
            to: folder.appendingPathComponent("free.json"), atomically: true, encoding: .utf8)
        let free = try CLIRunner.run(["bump", "patch", "free.json"], in: folder)
        #expect(free.code == 1)
        #expect(free.stderr.contains("bump works on semver versions only"))
        let missing = try CLIRunner.run(["bump", "patch", "none.json"], in: folder)
        #expect(missing.code == 64, "a FILE that cannot be read is a usage error (PlanInputTests)")
        #expect(missing.stderr == "error: cannot read none.json: no such file\n")
    }

    @Test(
        "usage errors exit 64",
        arguments: [["bump"], ["bump", "patch"], ["bump", "tiny", "x.json"], ["bump", "patch", "a.json", "b.json"]])
    func usageErrors(arguments: [String]) throws {
        let output = try CLIRunner.run(arguments)
        #expect(output.code == 64)
        #expect(output.stderr.contains("usage: b24plan bump"))
    }
}
