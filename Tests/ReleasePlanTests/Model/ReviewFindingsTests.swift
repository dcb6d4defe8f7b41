import Testing

@testable import ReleasePlan

/// Cases an independent, DESIGN-only review of lint turned up.
@Suite("review findings")
struct ReviewFindingsTests {
    @Test("B24P005 for a key repeated inside a placement's options, at the second occurrence")
    func duplicateOptionKey() throws {
        let plan = PlanText.make([
            "scopes": "[\"im\", \"placement\"]",
            "placements":
                "[{ \"placement\": \"IM_SIDEBAR\", \"handler\": \"https://app.acme.example/im\", \"options\": { \"iconName\": \"a\", \"iconName\": \"b\" } }]",
        ])
        let result = Lint.run(plan: plan)
        let finding = try #require(result.only("B24P005"))
        #expect(finding.path == "placements[0].options.iconName")
        #expect(finding.line == 7)
        #expect(finding.column == 119)
    }

    @Test("minimumBitrix24Version must be numbers and dots", arguments: ["24.x", "latest", "24..1", ""])
    func minimumVersionForm(value: String) throws {
        let result = Lint.run(plan: PlanText.make(["minimumBitrix24Version": "\"\(value)\""]))
        let finding = try #require(result.only("B24P003"))
        #expect(finding.path == "minimumBitrix24Version")
        #expect(result.findings("B24P401").isEmpty)
    }

    @Test("nesting past the limit is one error, not a cascade of unclosed brackets")
    func deepNesting() {
        let text = "{\"app\": " + String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000) + "}"
        let parsed = JSONParser.parse(SourceFile(path: "deep.json", text: text))
        #expect(parsed.diagnostics.count == 1)
        #expect(parsed.diagnostics.first?.message == "nesting deeper than \(JSONParser.maximumDepth) levels")
    }
}
