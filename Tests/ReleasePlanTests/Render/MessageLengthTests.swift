import Testing

@testable import ReleasePlan

/// A value of the user's quoted in a message is cut at 80 characters with its length, and the
/// source excerpt of a long line is a window around the column (issue 13): output stays bounded.
struct MessageLengthTests {
    @Test(arguments: [
        ("deal_links", "\"deal_links\"", "deal_links"),
        (String(repeating: "a", count: 80), "\"" + String(repeating: "a", count: 80) + "\"", String(repeating: "a", count: 80)),
        (
            String(repeating: "a", count: 81), "\"" + String(repeating: "a", count: 80) + "…\" (81 characters)",
            String(repeating: "a", count: 80) + "… (81 characters)"
        ),
        (
            String(repeating: "я", count: 100), "\"" + String(repeating: "я", count: 80) + "…\" (100 characters)",
            String(repeating: "я", count: 80) + "… (100 characters)"
        ),
    ])
    func valueIsCut(value: String, quoted: String, shown: String) {
        #expect(MessageValue.quoted(value) == quoted)
        #expect(MessageValue.shown(value) == shown)
    }

    @Test func tenMegabyteValueIsOneShortLine() {
        let value = String(repeating: "a", count: 10_485_760)
        #expect(MessageValue.quoted(value) == "\"" + String(repeating: "a", count: 80) + "…\" (10485760 characters)")
    }

    /// Huge values in every place a message quotes one: the whole text output stays small.
    @Test func hugeValuesGiveBoundedOutput() throws {
        let huge = String(repeating: "a", count: 1_048_576)
        let text = PlanText.make([
            ("scopes", "[\"crm\", \"placement\", \"\(huge)\"]"),
            ("scopeUpgrade", "\"\(huge)\""),
            ("handlerHosts", "[\"app.acme.example\"]"),
            (
                "placements",
                "[{ \"placement\": \"CRM_DEAL_DETAIL_TAB\", \"handler\": \"https://\(huge).example/x\" },\n"
                    + "    { \"placement\": \"X\(huge)\", \"handler\": \"http://\(huge).example/y\" }]"
            ),
            (huge, "1"),
        ])
        let result = Lint.run(plan: text)
        #expect(Set(result.codes) == ["B24P002", "B24P003", "B24P201", "B24P202", "B24P207", "B24P208"], "\(result.listing.prefix(2000))")
        for diagnostic in result.diagnostics {
            #expect(diagnostic.message.unicodeScalars.count < 400, "\(diagnostic.rule): \(diagnostic.message.prefix(300))")
            #expect(diagnostic.message.contains("characters)"), "\(diagnostic.rule) shows the length: \(diagnostic.message.prefix(300))")
        }
        let output = TextDiagnosticRenderer(sources: result.sources).render(result.diagnostics)
        #expect(output.utf8.count < 10_000, "\(output.utf8.count) bytes of output")
        for line in output.split(separator: "\n") { #expect(line.count < 450) }
    }

    @Test func longLineExcerptIsAWindowAroundTheColumn() throws {
        let padding = String(repeating: " ", count: 500)
        let text =
            "{\(padding)\"app\": \"acme.example\", \"version\": 1, \"changelog\": { \"en\": \"Shows the deals linked to each task.\" },"
            + " \"scopes\": [\"crm\"], \"requiredMethods\": [\"crm.deal.get\"]\(padding)}\n"
        let result = Lint.run(plan: text)
        let finding = try #require(result.only("B24P003"))
        let output = TextDiagnosticRenderer(sources: result.sources).render(finding)
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let excerpt = lines[1], underline = lines[2]
        #expect(excerpt.hasPrefix(" 1 | …") && excerpt.hasSuffix("…"), "\(excerpt)")
        #expect(excerpt.count <= " 1 | ".count + TextDiagnosticRenderer.excerptWidth + 2)
        // The caret stands under the value it points at.
        let caret = try #require(underline.firstIndex(of: "^"))
        let offset = underline.distance(from: underline.startIndex, to: caret)
        #expect(Array(excerpt)[offset] == "1", "\(excerpt)\n\(underline)")
        // A short line is printed whole.
        let short = Lint.run(plan: PlanText.make(["version": "1"]))
        #expect(!TextDiagnosticRenderer(sources: short.sources).render(short.diagnostics).contains("…"))
    }
}
