import Testing

@testable import ReleasePlan

/// The registry documents every code of the rule table exactly once.
struct LintRegistryTests {
    @Test func everyCodeHasExactlyOneDocumentationEntry() {
        let documented = LintRegistry.documentation.map(\.code)
        for entry in RuleTable.entries {
            #expect(documented.filter { $0 == entry.code }.count == 1, "\(entry.code)")
        }
        #expect(Set(documented) == Set(RuleTable.entries.map(\.code)), "no documentation for a code outside the table")
        #expect(documented == documented.sorted())
    }

    @Test func ruleTableCodesAreUniqueAndSeveritiesMatchTheDesign() {
        let codes = RuleTable.entries.map(\.code)
        #expect(Set(codes).count == codes.count)
        let warnings = RuleTable.entries.filter { $0.severity == .warning }.map(\.code.rawValue)
        #expect(
            warnings == [
                "B24P011", "B24P105", "B24P110", "B24P211", "B24P214", "B24P215", "B24P217", "B24P218", "B24P307", "B24P309", "B24P311",
                "B24P312",
                "B24P401",
            ])
        #expect(RuleCode("B24P204").defaultSeverity == .error)
        #expect(RuleCode("B24P999").defaultSeverity == .error)
    }

    @Test func documentationReadsTheTable() throws {
        let doc = try #require(LintRegistry.documentation(for: "B24P307"))
        #expect(doc.severity == .warning)
        #expect(doc.title == "CREATE INDEX without CONCURRENTLY")
        #expect(!doc.explanation.isEmpty)
        #expect(LintRegistry.documentation(for: "B24P999") == nil)
    }

    @Test func familiesDoNotShareCodes() {
        let perFamily = LintRegistry.families.map { Set($0.documentation.map(\.code)) }
        for (index, codes) in perFamily.enumerated() {
            for other in perFamily[(index + 1)...] {
                #expect(codes.isDisjoint(with: other))
            }
        }
    }
}
