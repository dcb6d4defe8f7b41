import Foundation
import Testing

@Suite("b24plan lint (the built binary)")
struct LintCommandTests {
    @Test("every sample plan lints clean against its predecessor")
    func samplePlansAreClean() throws {
        let folder = CLIRunner.packageRoot.appendingPathComponent("plans/acme.dealsync")
        let plans = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        #expect(plans.count >= 6)
        for plan in plans {
            let output = try CLIRunner.run(["lint", "--format", "json", "plans/acme.dealsync/\(plan)"])
            #expect(output.code == 0, "\(plan): \(output.stdout)")
            let json = try CLIRunner.json(output)
            #expect(json["errors"] as? Int == 0)
            #expect(json["warnings"] as? Int == 0, "\(plan): \(output.stdout)")
        }
    }

    @Test("errors exit 1 and JSON carries rule, line, column and path")
    func jsonDiagnostics() throws {
        let folder = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plan = """
            {
              "app": "acme.example",
              "version": "1.0.0",
              "changelog": { "en": "Shows the deals linked to each task." },
              "scopes": ["placement"],
              "placements": [
                { "placement": "TASK_VIEW_TAB", "handler": "https://app.acme.example/task" }
              ]
            }

            """
        try plan.write(to: folder.appendingPathComponent("1.0.0.json"), atomically: true, encoding: .utf8)
        let output = try CLIRunner.run(["lint", "1.0.0.json", "--format=json"], in: folder)
        #expect(output.code == 1)
        let json = try CLIRunner.json(output)
        let diagnostics = try #require(json["diagnostics"] as? [[String: Any]])
        #expect(json["errors"] as? Int == 1)
        let first = try #require(diagnostics.first)
        #expect(first["rule"] as? String == "B24P204")
        #expect(first["severity"] as? String == "error")
        #expect(first["line"] as? Int == 7)
        #expect(first["column"] as? Int == 20)
        #expect(first["path"] as? String == "placements[0].placement")
        #expect(first["file"] as? String == "1.0.0.json")
        #expect(output.stderr.isEmpty)
    }

    @Test("text output shows the source line with the span underlined, and no colour off a terminal")
    func textOutput() throws {
        let output = try CLIRunner.run(["lint", "Tests/Fixtures/schema-invalid/version-number.json"])
        #expect(output.code == 1)
        #expect(
            output.stdout.contains(
                "Tests/Fixtures/schema-invalid/version-number.json:4:14: error[B24P003]: `version` must be a string, found number"))
        #expect(output.stdout.contains(" 4 |   \"version\": 1,\n   |              ^\n"))
        #expect(!output.stdout.contains("\u{1B}["))
    }

    @Test("GitHub annotations and SARIF")
    func ciFormats() throws {
        let github = try CLIRunner.run(["lint", "--format", "github", "Tests/Fixtures/schema-invalid/unknown-placement-key.json"])
        #expect(github.code == 1)
        #expect(github.stdout.hasPrefix("::error file=Tests/Fixtures/schema-invalid/unknown-placement-key.json,line=16,col=7,"))
        #expect(github.stdout.contains("title=B24P002::unknown key \"titel\" in a placement"))

        let sarif = try CLIRunner.run(["lint", "--format", "sarif", "Tests/Fixtures/schema-invalid/unknown-placement-key.json"])
        #expect(sarif.code == 1)
        let log = try CLIRunner.json(sarif)
        #expect(log["version"] as? String == "2.1.0")
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "b24plan")
        #expect((driver["rules"] as? [Any])?.count == 50)
        let result = try #require((run["results"] as? [[String: Any]])?.first)
        #expect(result["ruleId"] as? String == "B24P002")
    }

    @Test("--fix writes missing and wrong sha256 values and changes nothing else")
    func fixDigests() throws {
        let folder = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("migrations"), withIntermediateDirectories: true)
        let sqlA = "CREATE TABLE a (id TEXT);\n"
        let sqlB = "CREATE TABLE b (id TEXT);\n"
        try sqlA.write(to: folder.appendingPathComponent("migrations/0001_a.sql"), atomically: true, encoding: .utf8)
        try sqlB.write(to: folder.appendingPathComponent("migrations/0002_b.sql"), atomically: true, encoding: .utf8)
        let plan = """
            {
              "app": "acme.example",
              "version": "1.0.0",
              "changelog": { "en": "Creates the tables the app keeps links in." },
              "scopes": [{ "code": "crm", "purpose": "Reads deals" }],
              "migrations": [
                {
                  "id": 1,
                  "name": "a",
                  "file": "migrations/0001_a.sql"
                },
                { "id": 2, "name": "b", "file": "migrations/0002_b.sql", "sha256": "00" }
              ]
            }

            """
        let planURL = folder.appendingPathComponent("1.0.0.json")
        try plan.write(to: planURL, atomically: true, encoding: .utf8)
        let before = try CLIRunner.run(["lint", "1.0.0.json"], in: folder)
        #expect(before.code == 1)
        #expect(before.stdout.components(separatedBy: "error[B24P303]").count == 3)

        let fixed = try CLIRunner.run(["lint", "--fix", "1.0.0.json"], in: folder)
        #expect(fixed.code == 0, "\(fixed.stdout)")
        #expect(fixed.stderr.contains("wrote 2 sha256 values"))
        let text = try String(contentsOf: planURL, encoding: .utf8)
        let expected =
            plan
            .replacingOccurrences(
                of: "\"file\": \"migrations/0001_a.sql\"\n",
                with: "\"file\": \"migrations/0001_a.sql\",\n      \"sha256\": \"\(try sha256(sqlA))\"\n"
            )
            .replacingOccurrences(of: "\"sha256\": \"00\"", with: "\"sha256\": \"\(try sha256(sqlB))\"")
        #expect(text == expected)
    }

    @Test("lint --fix over a folder never writes into a released plan, and says so")
    func fixLeavesReleasedPlansAlone() throws {
        let folder = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("migrations"), withIntermediateDirectories: true)
        let released = "CREATE TABLE a (id TEXT);\n"
        // The migration file was edited after 1.0.0 ran: its published digest no longer matches.
        try ("-- edited later\n" + released).write(
            to: folder.appendingPathComponent("migrations/0001_a.sql"), atomically: true, encoding: .utf8)
        try "CREATE TABLE b (id TEXT);\n".write(
            to: folder.appendingPathComponent("migrations/0002_b.sql"), atomically: true, encoding: .utf8)
        let first = """
            { "id": 1, "name": "a", "file": "migrations/0001_a.sql", "sha256": "\(try sha256(released))" }
            """
        let plan = { (version: String, migrations: String) in
            """
            {
              "app": "acme.example",
              "version": "\(version)",
              "changelog": { "en": "Creates the tables the app keeps links in." },
              "scopes": [{ "code": "crm", "purpose": "Reads deals" }],
              "migrations": [\(migrations)]
            }

            """
        }
        let old = plan("1.0.0", first)
        let new = plan("1.1.0", first + ", { \"id\": 2, \"name\": \"b\", \"file\": \"migrations/0002_b.sql\" }")
        try old.write(to: folder.appendingPathComponent("1.0.0.json"), atomically: true, encoding: .utf8)
        try new.write(to: folder.appendingPathComponent("1.1.0.json"), atomically: true, encoding: .utf8)
        let before = try Data(contentsOf: folder.appendingPathComponent("1.0.0.json"))

        let output = try CLIRunner.run(["lint", "--fix", "1.0.0.json", "1.1.0.json"], in: folder)
        #expect(output.code == 1, "the edited published migration is still an error")
        #expect(try Data(contentsOf: folder.appendingPathComponent("1.0.0.json")) == before, "byte-identical")
        #expect(
            output.stderr.contains(
                "warning: 1.0.0.json is released (1.1.0.json follows it): lint --fix does not write into it"), "\(output.stderr)")
        #expect(output.stderr.contains("1.1.0.json: wrote 1 sha256 value\n"), "the new migration of the open plan is fixed")
        #expect(!output.stdout.contains("lint --fix writes it"), "\(output.stdout)")
        #expect(output.stdout.contains("error[B24P303]: sha256 does not match migrations/0001_a.sql"))
        #expect(output.stdout.contains("this plan is released (1.1.0.json follows it), so its digests stay"))
        #expect(output.stdout.contains("error[B24P304]: published migration 1 was edited"))
        let fixed = try String(contentsOf: folder.appendingPathComponent("1.1.0.json"), encoding: .utf8)
        #expect(fixed.contains("\"file\": \"migrations/0002_b.sql\", \"sha256\": \"\(try sha256("CREATE TABLE b (id TEXT);\n"))\""))
        #expect(fixed.contains(first), "the published migration's entry is left as it was")
    }

    @Test(
        "usage errors exit 64 with the usage on stderr",
        arguments: [
            ["lint"], ["lint", "--formt", "json", "x.json"], ["lint", "--format", "yaml", "x.json"],
            ["lint", "--against", "a.json", "b.json", "c.json"], ["frobnicate"], [],
        ])
    func usageErrors(arguments: [String]) throws {
        let output = try CLIRunner.run(arguments)
        #expect(output.code == 64)
        #expect(output.stderr.contains("usage: b24plan"))
        #expect(output.stdout.isEmpty)
    }

    @Test("--format github counts columns in characters on a Cyrillic line; --format json keeps UTF-8 bytes")
    func githubColumnsInCharacters() throws {
        let folder = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plan = """
            {
              "app": "acme.example",
              "version": "1.0.0",
              "changelog": { "ru": "Показывает связанные со сделкой задачи.", "en": "Short" },
              "scopes": ["crm"],
              "requiredMethods": ["crm.deal.get"]
            }

            """
        try plan.write(to: folder.appendingPathComponent("1.0.0.json"), atomically: true, encoding: .utf8)
        let github = try CLIRunner.run(["lint", "--format", "github", "1.0.0.json"], in: folder)
        // `"Short"` is at character 73 of line 4 and at byte 107 (each Cyrillic letter is two bytes).
        #expect(github.stdout.hasPrefix("::warning file=1.0.0.json,line=4,col=73,endColumn=80,title=B24P105::"), "\(github.stdout)")
        let json = try CLIRunner.json(try CLIRunner.run(["lint", "--format", "json", "1.0.0.json"], in: folder))
        let diagnostic = try #require((json["diagnostics"] as? [[String: Any]])?.first)
        #expect(diagnostic["column"] as? Int == 107)
    }

    @Test("a plan that cannot be read is a usage error (64) with the reason, not a crash; nothing on stdout")
    func missingPlan() throws {
        let output = try CLIRunner.run(["lint", "--format", "json", "no/such/plan.json"])
        #expect(output.code == 64)
        #expect(output.stderr == "error: cannot read no/such/plan.json: no such file\n")
        #expect(output.stdout.isEmpty)
    }

    private func sha256(_ text: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(String(decoding: data, as: UTF8.self).prefix(64))
    }
}
