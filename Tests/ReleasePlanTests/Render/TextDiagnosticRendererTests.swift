import Testing

@testable import ReleasePlan

/// `file:line:col: severity[CODE]: message`, the source line with the span underlined, and notes;
/// compared with golden files in `Tests/Fixtures/golden/lint/`.
struct TextDiagnosticRendererTests {
    /// The linter's findings rendered (without colour) and followed by the summary line.
    static func render(_ result: Linter.Result, style: TextStyle = .plain) -> String {
        TextDiagnosticRenderer(sources: result.sources, style: style).render(result.diagnostics)
            + TextDiagnosticRenderer.summary(result.diagnostics) + "\n"
    }

    @Test func errorWithASpan() {
        let result = Lint.run(plan: PlanText.make(["scopes": "[\"crm\", \"tsk\"]"]))
        #expect(result.codes == ["B24P201"])
        Golden.check(Self.render(result), named: "error-span")
    }

    @Test func warning() {
        let result = Lint.run(plan: PlanText.make(["changelog": "{ \"en\": \"Bug fixes\" }"]))
        #expect(result.codes == ["B24P105"])
        Golden.check(Self.render(result), named: "warning")
    }

    @Test func errorWithNotes() {
        let plan = PlanText.make([
            "scopes": "[\"crm\", \"task\"]", "requiredMethods": "[\"crm.deal.get\", \"tasks.task.get\"]",
            "scopeUpgrade": "\"reinstall\"",
        ])
        let result = Lint.run(plan: plan, previous: PlanText.previous())
        #expect(result.codes == ["B24P103"])
        Golden.check(Self.render(result), named: "notes")
    }

    @Test func multibyteLine() {
        let text = "{\n  \"title\": \"Сделка 🚀\" \"next\": 1\n}\n"
        let result = Lint.run(plan: text)
        #expect(result.diagnostics.map(\.at) == ["2:32"])
        Golden.check(Self.render(result), named: "multibyte")
    }

    @Test func sqlFindingNamesThePlaceInTheSQLFile() {
        let sql = "-- Drop what 1.0 left behind\nBEGIN;\n\tALTER TABLE deal_links DROP COLUMN legacy_status;\nCOMMIT;\n"
        let entry = PlanText.migration(id: 1, name: "drop_legacy", file: "migrations/0001_drop_legacy.sql", sql: sql)
        let result = Lint.run(plan: PlanText.make(["migrations": "[\(entry)]"]), files: ["migrations/0001_drop_legacy.sql": sql])
        #expect(result.codes == ["B24P305"])
        Golden.check(Self.render(result), named: "sql-file")
    }

    @Test func severalFilesAndSeverities() {
        let sql = "CREATE INDEX deal_links_member ON deal_links (member_id);\nUPDATE deal_links SET status = 'linked';\n"
        let entry = PlanText.migration(id: 1, name: "index", file: "migrations/0001.sql", sql: sql)
        let result = Lint.run(
            plan: PlanText.make(["scopes": "[\"crm\", \"tasks\"]", "migrations": "[\(entry)]"]), files: ["migrations/0001.sql": sql])
        #expect(result.codes == ["B24P211", "B24P214", "B24P307", "B24P309"])
        Golden.check(Self.render(result), named: "several")
    }

    static let coloured: Linter.Result = Lint.run(
        plan: PlanText.make(["scopes": "[\"crm\", \"tsk\"]", "changelog": "{ \"en\": \"Bug fixes\" }"]))

    @Test func colourOn() {
        let output = Self.render(Self.coloured, style: TextStyle(enabled: true))
        #expect(output.contains("\u{1B}[1;31merror\u{1B}[0m"))
        #expect(output.contains("\u{1B}[1;33mwarning\u{1B}[0m"))
        #expect(output.contains("\u{1B}[1;31m^~~~~\u{1B}[0m"))
        Golden.check(output.replacingOccurrences(of: "\u{1B}", with: "\\e"), named: "colour-on")
    }

    @Test func colourOff() {
        let output = Self.render(Self.coloured, style: .plain)
        #expect(!output.contains("\u{1B}"))
        Golden.check(output, named: "colour-off")
    }

    @Test func noteSeverityAndMissingSource() {
        let diagnostics = [
            Diagnostic(
                rule: "B24P011", severity: .note, message: "a note without a source file", file: "elsewhere.json",
                start: ReleasePlan.SourceLocation(line: 4, column: 2), notes: ["first note", "second note"]),
            Diagnostic(
                rule: "B24P001", message: "the file is empty: expected a JSON object", file: "empty.json",
                start: ReleasePlan.SourceLocation(line: 1, column: 1)),
            Diagnostic(
                rule: "B24P004", message: "a span over two lines", file: "two.json",
                start: ReleasePlan.SourceLocation(line: 1, column: 3), end: ReleasePlan.SourceLocation(line: 2, column: 2)),
        ]
        let sources = [
            "empty.json": SourceFile(path: "empty.json", text: ""),
            "two.json": SourceFile(path: "two.json", text: "{ \"a\": [\n] }"),
        ]
        let output = TextDiagnosticRenderer(sources: sources).render(diagnostics) + TextDiagnosticRenderer.summary(diagnostics) + "\n"
        Golden.check(output, named: "notes-and-edge-cases")
    }

    @Test func summaryLine() {
        let error = Diagnostic(rule: "B24P001", message: "e", file: "f", start: ReleasePlan.SourceLocation(line: 1, column: 1))
        var warning = error
        warning.severity = .warning
        var note = error
        note.severity = .note
        #expect(TextDiagnosticRenderer.summary([]) == "no problems")
        #expect(TextDiagnosticRenderer.summary([note]) == "no problems")
        #expect(TextDiagnosticRenderer.summary([error]) == "1 error, 0 warnings")
        #expect(TextDiagnosticRenderer.summary([error, error, warning]) == "2 errors, 1 warning")
        #expect(TextDiagnosticRenderer.summary([warning, warning]) == "0 errors, 2 warnings")
    }
}
