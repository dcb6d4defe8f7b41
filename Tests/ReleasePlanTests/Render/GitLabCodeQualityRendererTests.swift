import Foundation
import Testing

@testable import ReleasePlan

/// `lint --format gitlab`: GitLab's Code Quality report, compared with the golden file
/// `Tests/Fixtures/golden/lint/gitlab.txt`.
struct GitLabCodeQualityRendererTests {
    /// Two errors at one JSON path (two destructive statements in one migration), warnings, and a note.
    static let result: Linter.Result = {
        let sql = "ALTER TABLE deal_links DROP COLUMN a;\nDROP TABLE legacy;\nUPDATE deal_links SET status = 'linked';\n"
        let entry = PlanText.migration(id: 1, name: "cleanup", file: "migrations/0001.sql", sql: sql)
        return Lint.run(
            plan: PlanText.make(["scopes": "[\"crm\", \"tasks\"]", "migrations": "[\(entry)]"]), files: ["migrations/0001.sql": sql])
    }()

    static var diagnostics: [Diagnostic] {
        let note = Diagnostic(
            rule: "B24P011", severity: .note, message: "a note", file: "./plans/x/../acme.example/1.1.0.json",
            start: ReleasePlan.SourceLocation(line: 9, column: 3), path: "suppress[0]", notes: ["first"])
        return result.diagnostics + [note]
    }

    static func issues(_ text: String) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
    }

    @Test func golden() throws {
        #expect(Self.result.codes == ["B24P211", "B24P214", "B24P305", "B24P305", "B24P309"])
        Golden.check(try GitLabCodeQualityRenderer.render(Self.diagnostics), named: "gitlab")
    }

    @Test func everyIssueHasWhatGitLabRequires() throws {
        let issues = try Self.issues(try GitLabCodeQualityRenderer.render(Self.diagnostics))
        #expect(issues.count == 6)
        for issue in issues {
            #expect(Set(issue.keys) == ["description", "check_name", "fingerprint", "severity", "location"])
            #expect((issue["fingerprint"] as? String)?.count == 64)
            let location = try #require(issue["location"] as? [String: Any])
            #expect(location["path"] as? String == "plans/acme.example/1.1.0.json", "./ and .. resolved")
            #expect(((location["lines"] as? [String: Any])?["begin"] as? Int ?? 0) >= 1)
        }
        #expect(issues.compactMap { $0["severity"] as? String } == ["minor", "minor", "major", "major", "minor", "info"])
        #expect(issues.compactMap { $0["check_name"] as? String } == Self.diagnostics.map(\.rule.rawValue))
        #expect(Set(issues.compactMap { $0["fingerprint"] as? String }).count == 6, "two findings at one path stay apart")
        #expect((issues[5]["description"] as? String) == "B24P011: a note — first")
    }

    @Test("the fingerprint ignores the line and the message, so moving a finding keeps it")
    func fingerprintSurvivesEdits() throws {
        var moved = Self.diagnostics[2]
        moved.line += 7
        moved.message = "reworded"
        let before = try Self.issues(try GitLabCodeQualityRenderer.render([Self.diagnostics[2]]))
        let after = try Self.issues(try GitLabCodeQualityRenderer.render([moved]))
        #expect(before[0]["fingerprint"] as? String == after[0]["fingerprint"] as? String)
        var elsewhere = moved
        elsewhere.path = "migrations[1]"
        let other = try Self.issues(try GitLabCodeQualityRenderer.render([elsewhere]))
        #expect(other[0]["fingerprint"] as? String != before[0]["fingerprint"] as? String)
    }

    @Test(
        "paths are made relative to the working directory",
        arguments: [
            ("/repo/plans/a.json", "/repo", "plans/a.json"), ("/repo/plans/a.json", "/repo/", "plans/a.json"),
            ("/elsewhere/a.json", "/repo", "/elsewhere/a.json"), ("plans/./a.json", "/repo", "plans/a.json"),
            ("/repository/a.json", "/repo", "/repository/a.json"), ("/a.json", "/", "a.json"),
        ])
    func relativePaths(file: String, workingDirectory: String, expected: String) {
        #expect(GitLabCodeQualityRenderer.reportPath(file, workingDirectory: workingDirectory) == expected)
    }

    @Test func noFindingsIsAnEmptyArray() throws {
        #expect(try Self.issues(try GitLabCodeQualityRenderer.render([])).isEmpty)
    }
}
