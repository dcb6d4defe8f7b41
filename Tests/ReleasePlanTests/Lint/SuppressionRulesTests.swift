import Testing

@testable import ReleasePlan

/// B24P010 and B24P011, and what a suppression covers.
struct SuppressionRulesTests {
    @Test(arguments: RuleExampleCase.cases(SuppressionRules()))
    func documentationExample(_ testCase: RuleExampleCase) {
        testCase.verify()
    }

    /// Two events whose handlers use http: B24P207 at `events[0].handler` and `events[1].handler`.
    static let httpEvents = """
        [
            { "event": "ONCRMDEALUPDATE", "handler": "http://app.acme.example/a" },
            { "event": "ONCRMDEALADD", "handler": "http://app.acme.example/b" }
          ]
        """

    static func plan(suppress: String) -> String {
        PlanText.make(["events": httpEvents, "suppress": suppress])
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let at: String
        /// Paths of the B24P207 findings left.
        let remaining: [String]
        let unused: Bool
        var testDescription: String { name }
    }

    static let coverage: [Case] = [
        Case(name: "exact path", at: "events[0].handler", remaining: ["events[1].handler"], unused: false),
        Case(name: "an ancestor covers everything under it", at: "events[1]", remaining: ["events[0].handler"], unused: false),
        Case(name: "the whole array", at: "events", remaining: [], unused: false),
        Case(name: "the root", at: "", remaining: [], unused: false),
        Case(name: "a sibling path", at: "events[0].event", remaining: ["events[0].handler", "events[1].handler"], unused: true),
        Case(
            name: "an index that only shares a prefix", at: "events[10]", remaining: ["events[0].handler", "events[1].handler"],
            unused: true),
        Case(
            name: "a path below the finding", at: "events[0].handler.host", remaining: ["events[0].handler", "events[1].handler"],
            unused: true),
    ]

    @Test(arguments: coverage)
    func suppressionCoversItsPathAndEverythingUnderIt(_ testCase: Case) {
        let result = Lint.run(
            plan: Self.plan(suppress: "[{ \"rule\": \"B24P207\", \"at\": \"\(testCase.at)\", \"reason\": \"local test rig\" }]"))
        #expect(result.findings("B24P207").map(\.path) == testCase.remaining)
        #expect(result.findings("B24P011").count == (testCase.unused ? 1 : 0))
        #expect(!result.codes.contains("B24P010"))
    }

    @Test func otherRuleAtTheSamePathIsNotSuppressed() throws {
        let result = Lint.run(plan: Self.plan(suppress: "[{ \"rule\": \"B24P208\", \"at\": \"events\", \"reason\": \"wrong rule\" }]"))
        #expect(result.findings("B24P207").count == 2)
        let unused = try #require(result.only("B24P011"))
        #expect(unused.message == "the suppression of B24P208 at events matched nothing; remove it")
        #expect(unused.severity == .warning)
        #expect(unused.path == "suppress[0]")
        #expect(unused.at == "11:16")
    }

    @Test func suppressionWithoutReasonDoesNotSuppress() throws {
        let result = Lint.run(plan: Self.plan(suppress: "[{ \"rule\": \"B24P207\", \"at\": \"events\" }]"))
        #expect(result.findings("B24P207").count == 2)
        let finding = try #require(result.only("B24P010"))
        #expect(finding.message == "the suppression of B24P207 has no reason: say in \"reason\" why the finding is acceptable")
        #expect((finding.at, finding.path) == ("11:16", "suppress[0]"))
        #expect(result.findings("B24P011").isEmpty, "an inactive suppression is not also reported as unused")
    }

    @Test func blankReasonPointsAtTheReason() throws {
        let text = Self.plan(suppress: "[{ \"rule\": \"B24P207\", \"at\": \"events\", \"reason\": \"  \" }]")
        let result = Lint.run(plan: text)
        #expect(result.findings("B24P207").count == 2)
        let finding = try #require(result.only("B24P010"))
        #expect((finding.at, finding.path) == (locationOf("\"  \"", in: text), "suppress[0].reason"))
    }

    @Test func unusedSuppressionOfAnUnknownPath() throws {
        let text = PlanText.make([
            "suppress":
                "[\n    { \"rule\": \"B24P211\", \"at\": \"scopes[0]\", \"reason\": \"crm is used\" },\n    { \"rule\": \"B24P201\", \"at\": \"scopes[7]\", \"reason\": \"gone\" }\n  ]"
        ])
        let result = Lint.run(plan: text)
        #expect(
            result.findings("B24P011").map { "\($0.at) \($0.message)" } == [
                "8:5 the suppression of B24P211 at scopes[0] matched nothing; remove it",
                "9:5 the suppression of B24P201 at scopes[7] matched nothing; remove it",
            ])
        #expect(!result.diagnostics.hasErrors)
    }

    @Test func oneFindingUsesEveryCoveringSuppression() {
        let result = Lint.run(
            plan: Self.plan(
                suppress:
                    "[{ \"rule\": \"B24P207\", \"at\": \"events\", \"reason\": \"rig\" }, { \"rule\": \"B24P207\", \"at\": \"events[0]\", \"reason\": \"rig\" }]"
            ))
        #expect(result.codes.isEmpty, "\(result.listing)")
    }

    @Test func suppressionCoversSQLFindingsOfItsMigration() {
        let sql = "DROP TABLE legacy_links;\n"
        let migration = PlanText.migration(id: 1, name: "drop_legacy", file: "migrations/0001.sql", sql: sql)
        let files = ["migrations/0001.sql": sql]
        let bare = Lint.run(plan: PlanText.make(["migrations": "[\(migration)]"]), files: files)
        #expect(bare.codes == ["B24P305"])
        let suppressed = Lint.run(
            plan: PlanText.make([
                "migrations": "[\(migration)]",
                "suppress": "[{ \"rule\": \"B24P305\", \"at\": \"migrations[0]\", \"reason\": \"table is empty in production\" }]",
            ]),
            files: files)
        #expect(suppressed.codes.isEmpty, "\(suppressed.listing)")
    }

    @Test func invalidSuppressionEntriesAreDecodeErrors() {
        let text = PlanText.make([
            "suppress": "[{ \"rule\": \"B24P2O4\", \"at\": \"a[\", \"reason\": \"typo\" }]"
        ])
        let result = Lint.run(plan: text)
        #expect(
            result.findings("B24P003").map(\.message) == [
                "unknown rule code \"B24P2O4\"; did you mean 'B24P204'?",
                "\"a[\" is not a path of the form placements[2].handler",
            ])
        #expect(result.findings("B24P011").isEmpty)
    }
}
