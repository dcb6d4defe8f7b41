import Foundation
import Testing

/// Held-out tests of issue 14: lint and diff of a 1 MB plan (scripts/bench/generate_release.py)
/// must stay exactly right while going fast — a clean plan lints clean with valid JSON, diff's JSON
/// validates against its schema, output is deterministic, and an error far into the file is
/// reported at the right line and UTF-8 byte column. Golden outputs of the sample plans are
/// checked elsewhere and not repeated here.
@Suite("held-out: lint and diff of a 1 MB plan (issue 14)", .serialized)
struct PerformanceHeldOutLintTests {
    /// A folder holding the generated release (acme.bench/1.0.0.json and 1.1.0.json, ~1 MB each).
    static func generate() throws -> URL {
        let folder = try CLIRunner.temporaryFolder()
        let script = CLIRunner.packageRoot.appendingPathComponent("scripts/bench/generate_release.py")
        let output = try CLIRunner.runTool("/usr/bin/env", ["python3", script.path, folder.path, "1000000"])
        try #require(output.code == 0, "generate_release.py: \(output.stderr)")
        return folder
    }

    static func lintJSON(_ folder: URL, _ file: String) throws -> (CLIRunner.Output, [String: Any]) {
        let lint = try CLIRunner.run(["lint", "--format", "json", file], in: folder)
        return (lint, (try? CLIRunner.json(lint)) ?? [:])
    }

    @Test("a 1 MB plan lints clean (exit 0, one JSON document), its diff JSON validates against the schema, and both are deterministic")
    func largePlanClean() throws {
        let folder = try Self.generate()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = "acme.bench/1.1.0.json"
        let size = (try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(file).path)[.size] as? Int) ?? 0
        #expect(size >= 1_000_000)
        let (lint, json) = try Self.lintJSON(folder, file)
        #expect(lint.code == 0, "\(lint.stdout.prefix(2000))\(lint.stderr.prefix(2000))")
        #expect(json["errors"] as? Int == 0 && json["diagnostics"] is [Any], "\(lint.stdout.prefix(1000))")
        let again = try CLIRunner.run(["lint", "--format", "json", file], in: folder)
        #expect(again.stdout == lint.stdout)
        let text = try CLIRunner.run(["lint", file], in: folder)
        #expect(text.code == 0, "\(text.stdout.prefix(1000))\(text.stderr.prefix(1000))")

        let diff = try CLIRunner.run(["diff", "--format", "json", file], in: folder)
        #expect(diff.code == 0, "\(diff.stderr.prefix(2000))")
        let out = folder.appendingPathComponent("diff.json")
        try diff.stdout.write(to: out, atomically: true, encoding: .utf8)
        let schema = CLIRunner.packageRoot.appendingPathComponent("schemas/diff-output.schema.json")
        let validate = try CLIRunner.runTool(
            "/usr/bin/env",
            [
                "python3", "-c",
                "import json, sys, jsonschema; jsonschema.Draft202012Validator(json.load(open(sys.argv[1]))).validate(json.load(open(sys.argv[2]))); print('ok')",
                schema.path, out.path,
            ])
        #expect(validate.stdout.contains("ok"), "diff JSON does not validate: \(validate.stderr.suffix(2000))")
        let document = (try? CLIRunner.json(diff)) ?? [:]
        let changes = document["changes"] as? [[String: Any]] ?? []
        let migrations = changes.filter { $0["kind"] as? String == "migration" && $0["action"] as? String == "added" }
        #expect(migrations.count == 10, "10 new migrations: \(migrations.count)")
        // CRM_DEAL_DETAIL_TAB has 300 bindings, so tenant 7's new handler is one binding removed
        // and one added (DESIGN §5: a `~` only when the code has one binding on each side).
        let placements = changes.filter { $0["kind"] as? String == "placement" }.map { $0["action"] as? String ?? "" }.sorted()
        #expect(placements == ["added", "removed"], "the changed handler: \(placements)")
        #expect(document["updateType"] as? String == "critical")
        let diffAgain = try CLIRunner.run(["diff", "--format", "json", file], in: folder)
        #expect(diffAgain.stdout == diff.stdout, "diff output is deterministic")
    }

    /// The 1-based line and UTF-8 byte column of the first occurrence of `needle` in `text`, plus `offset` bytes.
    static func location(of needle: String, in text: String, offset: Int = 0) -> (line: Int, column: Int)? {
        guard let range = text.range(of: needle) else { return nil }
        let before = text[..<range.lowerBound]
        let line = before.filter { $0 == "\n" }.count + 1
        let lineStart = before.lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
        return (line, text[lineStart..<range.lowerBound].utf8.count + 1 + offset)
    }

    @Test("an http handler near the end of a 1 MB plan: B24P207 at its line and column, with its JSON path")
    func errorFarIntoLargePlan() throws {
        let folder = try Self.generate()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("acme.bench/1.1.0.json")
        var text = try String(contentsOf: url, encoding: .utf8)
        let needle = "\"https://t290.acme.example/iframe/deal\""
        try #require(text.contains(needle))
        text = text.replacingOccurrences(of: needle, with: "\"http://t290.acme.example/iframe/deal\"")
        try text.write(to: url, atomically: true, encoding: .utf8)
        let expected = try #require(Self.location(of: "\"http://t290.acme.example/iframe/deal\"", in: text))
        let (lint, json) = try Self.lintJSON(folder, "acme.bench/1.1.0.json")
        #expect(lint.code == 1)
        let diagnostics = json["diagnostics"] as? [[String: Any]] ?? []
        let found = diagnostics.first { $0["rule"] as? String == "B24P207" }
        #expect(found?["line"] as? Int == expected.line, "\(found ?? [:]) expected \(expected)")
        #expect(found?["column"] as? Int == expected.column, "\(found ?? [:]) expected \(expected)")
        #expect(found?["path"] as? String == "placements[290].handler", "\(found ?? [:])")
        #expect(json["errors"] as? Int == 1, "\(diagnostics)")
        let plain = try CLIRunner.run(["lint", "acme.bench/1.1.0.json"], in: folder)
        #expect(plain.stdout.contains("1.1.0.json:\(expected.line):\(expected.column): error[B24P207]"), "\(plain.stdout.prefix(1500))")
    }

    @Test("a trailing comma after Cyrillic text near the end of a 1 MB plan: B24P001 at the comma, column in UTF-8 bytes")
    func syntaxErrorFarIntoLargePlan() throws {
        let folder = try Self.generate()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("acme.bench/1.1.0.json")
        var text = try String(contentsOf: url, encoding: .utf8)
        // The ru description of placement 299 is the last key of its object: a comma after it is
        // a trailing comma, on a line whose text before it is mostly two-byte characters.
        let start = try #require(text.range(of: "\"description\": \"Элементы клиента 299"))
        let lineEnd = try #require(text[start.upperBound...].firstIndex(of: "\n"))
        text.insert(",", at: lineEnd)
        try text.write(to: url, atomically: true, encoding: .utf8)
        let before = text[..<lineEnd]
        let line = before.filter { $0 == "\n" }.count + 1
        let lineStart = before.lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
        let column = text[lineStart..<lineEnd].utf8.count + 1
        let (lint, json) = try Self.lintJSON(folder, "acme.bench/1.1.0.json")
        #expect(lint.code == 1)
        let diagnostics = json["diagnostics"] as? [[String: Any]] ?? []
        let found = diagnostics.first { $0["rule"] as? String == "B24P001" }
        #expect(found?["line"] as? Int == line, "\(found ?? [:]) expected \(line):\(column)")
        #expect(found?["column"] as? Int == column, "\(found ?? [:]) expected \(line):\(column)")
        let message = (found?["message"] as? String ?? "").lowercased()
        #expect(message.contains("trailing comma"), "\(found ?? [:])")
    }
}
