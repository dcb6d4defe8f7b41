import Foundation
import Testing

@testable import ReleasePlan

/// A plan's control characters never reach the terminal: every text renderer escapes them with
/// `String.escapingControlCharacters`, JSON escapes them as JSON, and the renderer's own colours still work.
struct ControlCharacterEscapingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let text: String
        let escaped: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "plain text is unchanged", text: "Shows the deals", escaped: "Shows the deals"),
        Case(name: "ESC", text: "a\u{1B}[2Jb", escaped: "a\\u{1B}[2Jb"),
        Case(name: "line feed", text: "a\nb", escaped: "a\\nb"),
        Case(name: "carriage return", text: "a\rb", escaped: "a\\rb"),
        Case(name: "CRLF (one Character in Swift)", text: "a\r\nb", escaped: "a\\r\\nb"),
        Case(name: "tab", text: "a\tb", escaped: "a\\tb"),
        Case(name: "NUL", text: "a\u{0}b", escaped: "a\\u{0}b"),
        Case(name: "BEL", text: "\u{7}", escaped: "\\u{7}"),
        Case(name: "DEL", text: "a\u{7F}b", escaped: "a\\u{7F}b"),
        Case(name: "C1 CSI", text: "a\u{9B}31mb", escaped: "a\\u{9B}31mb"),
        Case(name: "C1 NEL", text: "a\u{85}b", escaped: "a\\u{85}b"),
        Case(name: "ESC followed by a combining mark", text: "\u{1B}\u{301}", escaped: "\\u{1B}\u{301}"),
        Case(name: "backslash is kept", text: "a\\nb", escaped: "a\\nb"),
        Case(name: "non-ASCII is kept", text: "Сделка 🚀 \u{A0}", escaped: "Сделка 🚀 \u{A0}"),
    ]

    @Test(arguments: cases)
    func escaping(_ testCase: Case) {
        #expect(testCase.text.escapingControlCharacters == testCase.escaped)
        #expect(testCase.escaped.escapingControlCharacters == testCase.escaped, "escaping is idempotent")
    }

    @Test func tabsCanBeKept() {
        #expect("\ta\u{1B}".escapingControlCharacters(except: ["\t"]) == "\ta\\u{1B}")
    }

    /// Whether text has a control character other than the line feeds between output lines.
    static func hasControlCharacter(_ text: String, allowingESC: Bool = false) -> Bool {
        text.unicodeScalars.contains { $0 != "\n" && !(allowingESC && $0 == "\u{1B}") && $0.isControlCharacter }
    }

    // MARK: Diagnostics

    /// A raw ESC in a JSON string is a syntax error pointing at it; the quoted line shows it escaped
    /// and the caret stays under it.
    static let rawESC = Lint.run(plan: "{\n  \"app\": \"acme\u{1B}[2J.example\"\n}\n")

    @Test func sourceLineIsEscapedAndTheCaretFollows() throws {
        let output = TextDiagnosticRenderer(sources: Self.rawESC.sources).render(Self.rawESC.diagnostics)
        #expect(!Self.hasControlCharacter(output), "\(output)")
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let quoted = try #require(lines.first { $0.hasPrefix(" 2 | ") })
        #expect(quoted == " 2 |   \"app\": \"acme\\u{1B}[2J.example\"")
        let underline = try #require(lines.first { $0.hasPrefix("   | ") && $0.contains("^") })
        let caret = try #require(underline.firstIndex(of: "^"))
        #expect(
            quoted[quoted.index(quoted.startIndex, offsetBy: underline.distance(from: underline.startIndex, to: caret))...].hasPrefix(
                "\\u{1B}"))
    }

    @Test func messageFileAndNotesAreEscapedAndColoursStillWork() {
        let diagnostic = Diagnostic(
            rule: "B24P207", message: "handler https://a.example/\u{1B}[2J is bad", file: "plans/\u{1B}]0;x\u{7}.json",
            start: ReleasePlan.SourceLocation(line: 1, column: 1), notes: ["note\r\nwith a break"])
        let plain = TextDiagnosticRenderer(sources: [:]).render(diagnostic)
        #expect(
            plain
                == "plans/\\u{1B}]0;x\\u{7}.json:1:1: error[B24P207]: handler https://a.example/\\u{1B}[2J is bad\n   = note: note\\r\\nwith a break\n"
        )
        let coloured = TextDiagnosticRenderer(sources: [:], style: TextStyle(enabled: true)).render(diagnostic)
        #expect(coloured.contains("\u{1B}[1;31merror\u{1B}[0m"), "the renderer's own colours")
        #expect(coloured.contains("\\u{1B}[2J"))
        #expect(!coloured.contains("\u{1B}[2J"))
    }

    @Test func githubKeepsLineBreaksForItsOwnEscaping() {
        let diagnostic = Diagnostic(
            rule: "B24P207", message: "a\u{1B}[2J\r\nb", file: "x\u{9B}.json", start: ReleasePlan.SourceLocation(line: 1, column: 1))
        #expect(
            GitHubDiagnosticRenderer.render([diagnostic]) == "::error file=x\\u{9B}.json,line=1,col=1,title=B24P207::a\\u{1B}[2J%0D%0Ab\n")
    }

    @Test func jsonEscapesEveryControlCharacter() throws {
        let value = "a\u{1B}[2J\u{0}\u{7F}\u{85}\u{9B}\r\nb"
        let diagnostic = Diagnostic(rule: "B24P207", message: value, file: "x.json", start: ReleasePlan.SourceLocation(line: 1, column: 1))
        let json = try JSONDiagnosticRenderer.render([diagnostic])
        #expect(!Self.hasControlCharacter(json), "\(json)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect((document["diagnostics"] as? [[String: Any]])?.first?["message"] as? String == value, "the value round-trips")
        #expect(JSONText.quoted("\u{1B}\u{7F}\u{9B}") == "\"\\u001b\\u007f\\u009b\"")
    }

    // MARK: Diff and graph

    static func placements(title: String) -> String {
        "[{ \"placement\": \"CRM_DEAL_DETAIL_TAB\", \"handler\": \"https://app.acme.example/deal\", \"title\": \"\(title)\" }]"
    }

    /// A changelog with ESC and CRLF, and a placement whose title gained a C1 CSI.
    static func compiled() throws -> CompiledPlan {
        let plan = PlanText.make([
            "changelog": "{ \"en\": \"Shows the deals linked to each task.\\u001b[2J\\r\\nPWNED\" }",
            "scopes": "[\"crm\", \"placement\"]", "placements": placements(title: "Deals\\u009b31m"),
        ])
        let previous = PlanText.previous(["scopes": "[\"crm\", \"placement\"]", "placements": placements(title: "Deals")])
        let result = Lint.run(plan: plan, previous: previous)
        let context = try #require(result.context, "\(result.listing)")
        return PlanCompiler().compile(context.plan, previous: context.previous?.plan)
    }

    @Test func diffTextEscapesThePlansValues() throws {
        let compiled = try Self.compiled()
        let plain = DiffTextRenderer().render(compiled)
        #expect(!Self.hasControlCharacter(plain), "\(plain)")
        #expect(plain.contains("Shows the deals linked to each task.\\u{1B}[2J\\r\\nPWNED"), "\(plain)")
        #expect(plain.contains("Deals\\u{9B}31m"), "\(plain)")
        let coloured = DiffTextRenderer(style: TextStyle(enabled: true)).render(compiled)
        #expect(!Self.hasControlCharacter(coloured, allowingESC: true))
        #expect(!coloured.contains("\u{1B}[2J") && coloured.contains("\u{1B}[1m"), "only the renderer's own codes are raw")
    }

    @Test func markdownKeepsTheTableWhole() throws {
        let markdown = DiffMarkdownRenderer.render(try Self.compiled(), diagnostics: [])
        #expect(!Self.hasControlCharacter(markdown), "\(markdown)")
        #expect(markdown.contains("| changelog (en) | Shows the deals linked to each task.\\u{1B}[2J<br>PWNED |"), "\(markdown)")
    }

    @Test func graphTextEscapesStepIDs() {
        let step = PlanStep(id: "deploy\u{1B}[2J", kind: .deploy, after: ["a\nb"], actions: [])
        #expect(GraphRenderer.text([step]) == "1. deploy\\u{1B}[2J ← a\\nb\n")
        #expect(!Self.hasControlCharacter(GraphRenderer.mermaid([step])))
    }
}
