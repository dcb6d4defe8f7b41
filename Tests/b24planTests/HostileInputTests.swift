import Foundation
import Testing

/// Plans written to do harm: migration files outside the project, control characters meant for the
/// terminal. Through the built binary, as a CI job would run it.
@Suite("b24plan on hostile plans (the built binary)")
struct HostileInputTests {
    /// `plans/acme.example/1.0.0.json` in a fresh folder, with one migration whose `file` is given.
    static func planWithMigration(_ file: String) -> String {
        """
        {
          "app": "acme.example",
          "version": "1.0.0",
          "changelog": { "en": "Creates the tables the app keeps links in." },
          "scopes": [{ "code": "crm", "purpose": "Reads deals" }],
          "migrations": [{ "id": 1, "name": "a", "file": "\(file)", "sha256": "\(String(repeating: "0", count: 64))" }]
        }

        """
    }

    @Test(
        "lint refuses a migration file outside the project with B24P302 and never reads it",
        arguments: [
            ("../../../etc/passwd", "is outside the project"),
            ("/etc/passwd", "is an absolute path"),
            ("migrations/0001.sql", "resolves through a symbolic link to /etc/shadow"),
        ])
    func migrationOutsideTheProject(file: String, reason: String) throws {
        let folder = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let planFolder = folder.appendingPathComponent("plans/acme.example")
        try FileManager.default.createDirectory(at: planFolder.appendingPathComponent("migrations"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: planFolder.appendingPathComponent("migrations/0001.sql").path, withDestinationPath: "/etc/shadow")
        try Self.planWithMigration(file).write(to: planFolder.appendingPathComponent("1.0.0.json"), atomically: true, encoding: .utf8)
        let project = folder.appendingPathComponent("plans").resolvingSymlinksInPath().path

        let output = try CLIRunner.run(["lint", "plans/acme.example/1.0.0.json"], in: folder)
        #expect(output.code == 1, "\(output.stdout)\n\(output.stderr)")
        #expect(output.stdout.contains("error[B24P302]: migration file \(file) \(reason)"), "\(output.stdout)")
        #expect(output.stdout.contains("the project \(project)"), "the message names the project root: \(output.stdout)")
        #expect(!output.stdout.contains("B24P303"), "no digest of a refused file: \(output.stdout)")
        #expect(!output.stdout.contains("root:"), "nothing of the file is shown: \(output.stdout)")
    }

    /// Whether text has a control character other than the line breaks the renderer itself writes.
    static func hasControlCharacter(_ text: String) -> Bool {
        text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) }
    }

    /// Text output, which also prints the source line (JSON and GitHub print the same bounded
    /// messages: MessageLengthTests); one run, as a debug build parses 10 MB in seconds.
    @Test("a 10 MB host on one line: a few kilobytes of text output, not 10 MB per diagnostic")
    func hugeValueOnOneLine() throws {
        let folder = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let host = String(repeating: "a", count: 10_485_760)
        let plan =
            "{ \"app\": \"acme.example\", \"version\": \"1.0.0\", \"changelog\": { \"en\": \"Shows the deals linked to each task.\" }, "
            + "\"scopes\": [\"crm\", \"placement\"], \"handlerHosts\": [\"app.acme.example\"], \"placements\": ["
            + "{ \"placement\": \"CRM_DEAL_DETAIL_TAB\", \"handler\": \"https://\(host).example/a\" }] }\n"
        try plan.write(to: folder.appendingPathComponent("1.0.0.json"), atomically: true, encoding: .utf8)
        let output = try CLIRunner.run(["lint", "1.0.0.json"], in: folder)
        #expect(output.code == 1)
        #expect(output.stdout.utf8.count < 2_000, "\(output.stdout.utf8.count) bytes")
        #expect(output.stdout.contains("error[B24P208]: handler host aaaaaaaa"), "\(output.stdout.prefix(2000))")
        #expect(
            output.stdout.contains("… (10485768 characters) is not in handlerHosts (app.acme.example)"), "\(output.stdout.prefix(2000))")
    }

    @Test("a changelog's control characters are escaped in diff text, and JSON-escaped in JSON")
    func changelogControlCharactersAreEscaped() throws {
        let folder = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plan = """
            {
              "app": "acme.example",
              "version": "1.0.0",
              "changelog": { "en": "Shows the deals linked to each task.\\u001b[2J\\u009b31m\\r\\nPWNED" },
              "scopes": ["crm"],
              "requiredMethods": ["crm.deal.get"]
            }

            """
        try plan.write(to: folder.appendingPathComponent("1.0.0.json"), atomically: true, encoding: .utf8)

        let text = try CLIRunner.run(["diff", "1.0.0.json", "--format", "text"], in: folder)
        #expect(text.code == 0, "\(text.stderr)")
        #expect(text.stdout.contains("Shows the deals linked to each task.\\u{1B}[2J\\u{9B}31m\\r\\nPWNED"), "\(text.stdout)")
        #expect(!Self.hasControlCharacter(text.stdout + text.stderr), "\(text.stdout)")

        for format in ["json", "markdown"] {
            let output = try CLIRunner.run(["diff", "1.0.0.json", "--format", format], in: folder)
            #expect(output.code == 0, "\(output.stderr)")
            #expect(!Self.hasControlCharacter(output.stdout), "\(format): \(output.stdout)")
        }
        let json = try CLIRunner.json(try CLIRunner.run(["diff", "1.0.0.json", "--format", "json"], in: folder))
        let changelog = (json["partnerAccount"] as? [String: Any])?["changelog"] as? [String: String]
        #expect(changelog?["en"] == "Shows the deals linked to each task.\u{1B}[2J\u{9B}31m\r\nPWNED", "JSON keeps the value")
    }

    @Test("a handler's control characters are escaped in lint text, also in the quoted source line")
    func handlerControlCharactersAreEscaped() throws {
        let folder = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plan = """
            {
              "app": "acme.example",
              "version": "1.0.0",
              "changelog": { "en": "Shows the deals linked to each task." },
              "scopes": ["crm"],
              "events": [{ "event": "ONCRMDEALUPDATE", "handler": "https://app.acme.example/deal\u{1B}]0;x\u{7}" }]
            }

            """
        try plan.write(to: folder.appendingPathComponent("1.0.0.json"), atomically: true, encoding: .utf8)

        let lint = try CLIRunner.run(["lint", "1.0.0.json"], in: folder)
        #expect(lint.code == 1)
        #expect(
            lint.stdout.contains("error[B24P001]"), "a raw control character in a JSON string is a syntax error: \(lint.stdout)")
        #expect(lint.stdout.contains("deal\\u{1B}]0;x\\u{7}"), "the source line, escaped: \(lint.stdout)")
        #expect(!Self.hasControlCharacter(lint.stdout), "\(lint.stdout)")

        let escaped = plan.replacingOccurrences(of: "\u{1B}", with: "\\u001b").replacingOccurrences(of: "\u{7}", with: "\\u0007")
        try escaped.write(to: folder.appendingPathComponent("1.0.0.json"), atomically: true, encoding: .utf8)
        let decoded = try CLIRunner.run(["lint", "1.0.0.json"], in: folder)
        #expect(decoded.code == 1)
        #expect(
            decoded.stdout.contains(
                "error[B24P207]: handler URL https://app.acme.example/deal\\u{1B}]0;x\\u{7} has the control character U+001B"),
            "\(decoded.stdout)")
        #expect(!Self.hasControlCharacter(decoded.stdout), "\(decoded.stdout)")
        let json = try CLIRunner.run(["lint", "1.0.0.json", "--format", "json"], in: folder)
        #expect(!Self.hasControlCharacter(json.stdout), "\(json.stdout)")
        let message = (try CLIRunner.json(json)["diagnostics"] as? [[String: Any]])?.first?["message"] as? String
        #expect(message?.contains("deal\u{1B}]0;x\u{7}") == true, "JSON keeps the value, escaped by JSON: \(message ?? "")")
    }

    @Test("apply refuses a saved plan whose migration file was pointed outside the project, before any step")
    func applyRefusesAMigrationOutsideTheProject() throws {
        let ws = try ApplyWorkspace(.sqlite)
        defer { ws.tearDown() }
        try ws.prepareStore()
        try ws.writeDeployScript()
        try ws.writePlan("1.0.0")
        let saved = try CLIRunner.run(["diff", ApplyCommandTests.plan, "--out", "reviewed.json"], in: ws.folder)
        try #require(saved.code == 0, "\(saved.stderr)")
        // The inputs stay as reviewed; only the compiled plan is pointed at /etc/passwd.
        let file = "\"\(ApplyWorkspace.standardMigrations[0].file)\""
        let tampered = "\"../../../../../../../../etc/passwd\""
        let text = try #require(ws.read("reviewed.json"))
        try #require(text.contains(file))
        try ws.write("reviewed.json", text.replacingOccurrences(of: file, with: tampered))

        let applied = try ws.b24plan(["apply", "--yes", "reviewed.json"])
        #expect(applied.code == 1, "\(applied.stdout)\n\(applied.stderr)")
        // The saved plan no longer matches what its inputs compile to: refused before anything is read.
        #expect(
            applied.stderr.contains("migration.file differs (saved \"../../../../../../../../etc/passwd\""), "\(applied.stderr)")
        #expect(ws.deploys.isEmpty, "nothing ran")
        #expect(try ws.rows("SELECT touched FROM items") == nil, "migration 1 did not run")
    }
}
