import Foundation
import Testing

@testable import ReleasePlan

/// `lint --format json|github|sarif`: the machine-readable renderers.
struct OutputFormatTests {
    /// An error, a warning (on a line with Cyrillic before it) and a note with notes.
    static let result: Linter.Result = Lint.run(
        plan: PlanText.make([
            "scopes": "[\"crm\", \"tsk\"]",
            "changelog": "{ \"en\": \"Показывает связанные сделки.\", \"ru\": \"Коротко\" }",
        ]))

    static var diagnostics: [Diagnostic] {
        var note = Diagnostic(
            rule: "B24P011", severity: .note, message: "a note", file: "plans/x.json",
            start: ReleasePlan.SourceLocation(line: 9, column: 3), path: "suppress[0]", notes: ["first", "second"])
        note.endColumn = 3
        return result.diagnostics + [note]
    }

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    // MARK: JSON

    @Test func jsonHasTheDocumentedKeys() throws {
        #expect(Self.result.codes == ["B24P105", "B24P201"])
        let document = try Self.object(try JSONDiagnosticRenderer.render(Self.diagnostics))
        #expect(Set(document.keys).isSuperset(of: ["diagnostics", "errors", "warnings"]))
        #expect(document["errors"] as? Int == 1)
        #expect(document["warnings"] as? Int == 1)
        let entries = try #require(document["diagnostics"] as? [[String: Any]])
        #expect(entries.count == 3)
        for entry in entries {
            #expect(Set(entry.keys).isSuperset(of: ["rule", "severity", "message", "file", "line", "column", "path"]))
        }
        let scope = entries[1]
        #expect(scope["rule"] as? String == "B24P201")
        #expect(scope["severity"] as? String == "error")
        #expect(scope["message"] as? String == "unknown scope \"tsk\"; did you mean 'task'?")
        #expect(scope["file"] as? String == "plans/acme.example/1.1.0.json")
        #expect(scope["line"] as? Int == 5)
        #expect(scope["column"] as? Int == 21)
        #expect(scope["path"] as? String == "scopes[1]")
        #expect(entries[0]["severity"] as? String == "warning")
        #expect(entries[2]["severity"] as? String == "note")
    }

    @Test func jsonOfNoDiagnostics() throws {
        let document = try Self.object(try JSONDiagnosticRenderer.render([]))
        #expect((document["diagnostics"] as? [Any])?.isEmpty == true)
        #expect(document["errors"] as? Int == 0 && document["warnings"] as? Int == 0)
    }

    @Test func jsonIsStableText() throws {
        let text = try JSONDiagnosticRenderer.render(Self.diagnostics)
        let again = try JSONDiagnosticRenderer.render(Self.diagnostics)
        #expect(text == again)
        #expect(text.hasSuffix("}\n"))
        #expect(text.contains("\"file\" : \"plans/acme.example/1.1.0.json\""), "slashes are not escaped")
    }

    /// A value JSON cannot hold fails the output loudly (the command exits 1 with the message)
    /// instead of printing `{}`.
    @Test func jsonOutputFailsLoudly() throws {
        #expect(throws: JSONOutput.EncodingFailure.self) { try JSONOutput.encode(["x": Double.infinity]) }
        do {
            _ = try JSONOutput.encode(["options": PlanValue.object(["x": .number("1e400")])])
            Issue.record("a number beyond a Double was encoded")
        } catch {
            #expect("\(error)".hasPrefix("cannot write the output as JSON: "), "\(error)")
            #expect("\(error)".contains("options.x"), "the message names where: \(error)")
        }
    }

    // MARK: GitHub

    @Test func githubCommandsPerSeverity() {
        let output = GitHubDiagnosticRenderer.render(Self.diagnostics)
        #expect(
            output.split(separator: "\n").map(String.init) == [
                "::warning file=plans/acme.example/1.1.0.json,line=4,col=87,endColumn=103,title=B24P105::the changelog for \"ru\" has 7 characters; say what changed in at least 20",
                "::error file=plans/acme.example/1.1.0.json,line=5,col=21,endColumn=26,title=B24P201::unknown scope \"tsk\"; did you mean 'task'?",
                "::notice file=plans/x.json,line=9,col=3,title=B24P011::a note%0Anote: first%0Anote: second",
            ])
    }

    /// GitHub counts characters (UTF-16 code units, as its runner and web view do), not the UTF-8
    /// bytes of text and JSON output: the "ru" text of line 4 starts at byte 87 but character 62.
    @Test func githubColumnsAreCharacters() throws {
        let output = GitHubDiagnosticRenderer.render(Self.result.diagnostics, sources: Self.result.sources)
        #expect(output.hasPrefix("::warning file=plans/acme.example/1.1.0.json,line=4,col=62,endColumn=71,title=B24P105::"), "\(output)")
        #expect(Self.result.diagnostics.first.map { ($0.column, $0.endColumn) } ?? (0, 0) == (87, 103), "JSON keeps byte columns")
        // An emoji is two UTF-16 code units (as in SARIF, which declares utf16CodeUnits).
        let text = PlanText.make(["changelog": "{ \"en\": \"Deals 🚀 linked to each task.\", \"ru\": \"Коротко\" }"])
        let result = Lint.run(plan: text)
        let warning = try #require(result.only("B24P105"))
        let line = try #require(result.sources[Lint.planPath]?.lineText(warning.line))
        let expected = String(decoding: Array(line.utf8)[..<(warning.column - 1)], as: UTF8.self).utf16.count + 1
        let github = GitHubDiagnosticRenderer.render([warning], sources: result.sources)
        #expect(github.contains(",col=\(expected),"), "\(github)")
        let sarif = try Self.object(try SARIFRenderer.render([warning], toolVersion: "0.1.0", sources: result.sources))
        let region = try #require(
            ((((sarif["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])?.first?["locations"] as? [[String: Any]])?
                .first?["physicalLocation"] as? [String: Any])?["region"] as? [String: Any])
        #expect(region["startColumn"] as? Int == expected, "GitHub and SARIF agree")
    }

    @Test func githubEscaping() {
        let diagnostic = Diagnostic(
            rule: "B24P305", message: "100% sure:\nline two, with a comma", file: "plans/a:b,c%.json",
            start: ReleasePlan.SourceLocation(line: 2, column: 1), end: ReleasePlan.SourceLocation(line: 3, column: 4))
        #expect(
            GitHubDiagnosticRenderer.render([diagnostic])
                == "::error file=plans/a%3Ab%2Cc%25.json,line=2,col=1,title=B24P305::100%25 sure:%0Aline two, with a comma\n")
        #expect(GitHubDiagnosticRenderer.escapeProperty("a:b,c%\n\r") == "a%3Ab%2Cc%25%0A%0D")
        #expect(GitHubDiagnosticRenderer.escapeData("a:b,c%\n") == "a:b,c%25%0A")
    }

    /// "\r\n" is one Character in Swift, so replacing "\r" and "\n" as Characters misses it.
    @Test func githubEscapesCRLF() {
        let output = GitHubDiagnosticRenderer.render([
            Diagnostic(rule: "B24P305", message: "one\r\ntwo", file: "a\r\nb.sql", start: ReleasePlan.SourceLocation(line: 1, column: 1))
        ])
        #expect(output == "::error file=a%0D%0Ab.sql,line=1,col=1,title=B24P305::one%0D%0Atwo\n")
        #expect(output.hasPrefix("::error "))
    }

    // MARK: SARIF

    @Test func sarifHasTheRequiredFields() throws {
        let log = try Self.object(try SARIFRenderer.render(Self.diagnostics, toolVersion: "0.1.0"))
        #expect(log["version"] as? String == "2.1.0")
        #expect(log["$schema"] as? String == SARIFRenderer.schemaURI)
        let runs = try #require(log["runs"] as? [[String: Any]])
        #expect(runs.count == 1)
        let driver = try #require((runs[0]["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "b24plan")
        #expect(driver["version"] as? String == "0.1.0")
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.compactMap { $0["id"] as? String } == LintRegistry.documentation.map(\.code.rawValue))
        #expect((rules.first?["shortDescription"] as? [String: Any])?["text"] as? String == "The file is not valid JSON")

        let results = try #require(runs[0]["results"] as? [[String: Any]])
        #expect(results.count == 3)
        for (result, diagnostic) in zip(results, Self.diagnostics) {
            #expect(result["ruleId"] as? String == diagnostic.rule.rawValue)
            let index = try #require(result["ruleIndex"] as? Int)
            #expect(rules[index]["id"] as? String == diagnostic.rule.rawValue)
            #expect(result["level"] as? String == diagnostic.severity.rawValue)
            let message = try #require(result["message"] as? [String: Any])
            #expect(message["text"] as? String == ([diagnostic.message] + diagnostic.notes).joined(separator: "\n"))
            let locations = try #require(result["locations"] as? [[String: Any]])
            let physical = try #require(locations.first?["physicalLocation"] as? [String: Any])
            #expect((physical["artifactLocation"] as? [String: Any])?["uri"] as? String == diagnostic.file)
            let region = try #require(physical["region"] as? [String: Any])
            #expect(region["startLine"] as? Int == diagnostic.line)
            #expect((region["endColumn"] as? Int ?? 0) > (region["startColumn"] as? Int ?? 0))
        }
        let scopeRegion = try #require(
            ((results[1]["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["region"] as? [String: Any])
        #expect(scopeRegion["startColumn"] as? Int == 21)
        #expect(scopeRegion["endColumn"] as? Int == 26)
    }

    /// SARIF declares `columnKind: utf16CodeUnits`; the columns must then count UTF-16 code units.
    @Test func sarifColumnsAreUTF16CodeUnits() throws {
        let log = try Self.object(try SARIFRenderer.render(Self.result.diagnostics, toolVersion: "0.1.0", sources: Self.result.sources))
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        #expect(run["columnKind"] as? String == "utf16CodeUnits")
        let result = try #require((run["results"] as? [[String: Any]])?.first)
        let region = try #require(
            ((result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["region"] as? [String: Any])
        // Line 4: `  "changelog": { "en": "Показывает связанные сделки.", "ru": "Коротко" },` — the "ru" text starts
        // at byte column 87 but at UTF-16 column 62.
        let line = try #require(Self.result.sources[Lint.planPath]?.lineText(4))
        let prefix = String(decoding: Array(line.utf8)[..<86], as: UTF8.self)
        #expect(prefix.utf16.count + 1 == 62)
        #expect(region["startColumn"] as? Int == 62)
    }
}
