import Testing

@testable import ReleasePlan

/// One typo gives one error (issue 13): a finding that is only a consequence of another one's typo
/// is not reported beside it.
struct OneTypoTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var overrides: [(String, String?)]
        var previous: [(String, String?)]? = nil
        var files: [String: String] = [:]
        var version = "1.1.0"
        /// Every code lint reports, in output order.
        var codes: [String]
        var testDescription: String { name }
    }

    static let tab = "https://app.acme.example/tab"
    static let hook = "https://app.acme.example/hook"
    static let createThenIndex = "CREATE TABLE deal_links (id INT);\nCREATE INDEX deal_links_id ON other (id);\n"

    static let cases: [Case] = [
        Case(
            name: "a misspelt handler key in an event: B24P002, no B24P004",
            overrides: [("events", "[{ \"event\": \"ONCRMDEALUPDATE\", \"hander\": \"\(hook)\" }]")], codes: ["B24P002"]),
        Case(
            name: "an invalid scopeUpgrade: B24P003, no B24P210",
            overrides: [
                ("version", "\"2.0.0\""), ("scopes", "[\"crm\", \"task\"]"), ("scopeUpgrade", "\"re-install\""),
                ("requiredMethods", "[\"crm.deal.get\", \"task.item.get\"]"),
            ],
            previous: [], version: "2.0.0", codes: ["B24P003"]),
        Case(
            name: "without scopeUpgrade an added scope is still B24P210",
            overrides: [
                ("version", "\"2.0.0\""), ("scopes", "[\"crm\", \"task\"]"), ("requiredMethods", "[\"crm.deal.get\", \"task.item.get\"]"),
            ],
            previous: [], version: "2.0.0", codes: ["B24P210"]),
        Case(
            name: "a misspelt placement code: B24P202, not also B24P211 for its scope",
            overrides: [
                ("scopes", "[\"crm\", \"placement\", \"task\"]"),
                ("placements", "[{ \"placement\": \"TASK_VIEW_TAN\", \"handler\": \"\(tab)\" }]"),
            ], codes: ["B24P202"]),
        Case(
            name: "a misspelt placement scope: B24P201, not also B24P206",
            overrides: [
                ("scopes", "[\"crm\", \"placment\"]"),
                ("placements", "[{ \"placement\": \"CRM_DEAL_DETAIL_TAB\", \"handler\": \"\(tab)\" }]"),
            ], codes: ["B24P201"]),
        Case(
            name: "a misspelt module scope: B24P201, not also B24P204",
            overrides: [
                ("scopes", "[\"crm\", \"placement\", \"tsk\"]"),
                ("placements", "[{ \"placement\": \"TASK_VIEW_TAB\", \"handler\": \"\(tab)\" }]"),
            ], codes: ["B24P201"]),
        Case(
            name: "a misspelt scope of an event: B24P201, not also B24P205",
            overrides: [("scopes", "[\"crm\", \"tsk\"]"), ("events", "[{ \"event\": \"ONTASKADD\", \"handler\": \"\(hook)\" }]")],
            codes: ["B24P201"]),
        Case(
            name: "a misspelt published scope: B24P201, not also B24P210",
            overrides: [("scopes", "[\"crm\", \"tsk\"]"), ("requiredMethods", "[\"crm.deal.get\", \"task.item.get\"]")],
            previous: [("scopes", "[\"crm\", \"task\"]"), ("requiredMethods", "[\"crm.deal.get\", \"task.item.get\"]")], codes: ["B24P201"]),
        Case(
            name: "a misspelt event: B24P203, not also B24P211 for its scope",
            overrides: [("scopes", "[\"crm\", \"task\"]"), ("events", "[{ \"event\": \"ONTASKAD\", \"handler\": \"\(hook)\" }]")],
            codes: ["B24P203"]),
        Case(
            name: "an invalid database: B24P003, not also the PostgreSQL-only B24P307",
            overrides: [
                ("database", "\"postgress\""),
                ("migrations", "[\(PlanText.migration(id: 1, name: "index", file: "m/0001.sql", sql: createThenIndex))]"),
            ],
            files: ["m/0001.sql": createThenIndex], codes: ["B24P003"]),
        Case(
            name: "a number beyond a Double: B24P003 at the number",
            overrides: [
                ("scopes", "[\"crm\", \"placement\"]"),
                (
                    "placements",
                    "[{ \"placement\": \"CRM_DEAL_DETAIL_TAB\", \"handler\": \"\(tab)\", \"title\": \"T\", \"options\": { \"x\": -1e400 } }]"
                ),
            ], codes: ["B24P217", "B24P003"]),
        Case(
            name: "a number beyond a Double where an integer goes: B24P003 once",
            overrides: [("migrations", "[{ \"id\": 1e999, \"name\": \"a\", \"file\": \"m/0001.sql\" }]")],
            files: ["m/0001.sql": "SELECT 1;\n"],
            codes: ["B24P003"]),
    ]

    @Test(arguments: cases)
    func oneFinding(_ testCase: Case) {
        let result = Lint.run(
            plan: PlanText.make(testCase.overrides), previous: testCase.previous.map(Self.previous), files: testCase.files,
            against: testCase.previous == nil ? nil : Lint.previousPath, path: Lint.path(testCase.version))
        #expect(result.codes == testCase.codes, "\(result.listing)")
    }

    /// The published plan 1.0.0 with `overrides` (as `PlanText.previous`, from an array).
    static func previous(_ overrides: [(String, String?)]) -> String {
        var pairs: [(String, String?)] = [
            ("version", "\"1.0.0\""), ("changelog", "{ \"en\": \"The first release: deals linked to tasks.\" }"),
        ]
        for (key, value) in overrides {
            pairs.removeAll { $0.0 == key }
            pairs.append((key, value))
        }
        return PlanText.make(pairs)
    }

    @Test func numberOutOfRangeMessageAndPlace() throws {
        let text = PlanText.make([
            ("scopes", "[\"crm\", \"placement\"]"),
            ("placements", "[{ \"placement\": \"CRM_DEAL_DETAIL_TAB\", \"handler\": \"\(Self.tab)\", \"options\": { \"x\": 1e400 } }]"),
        ])
        let finding = try #require(Lint.run(plan: text).only("B24P003"))
        #expect(finding.message == "number out of range: 1e400 is beyond what a 64-bit floating-point number holds")
        #expect((finding.at, finding.path) == (locationOf("1e400", in: text), "placements[0].options.x"))
    }

    /// An element that does not decode (its required key misspelt) does not move the findings of
    /// the elements after it onto it.
    @Test func findingsAfterAnUndecodedElementKeepTheirPlace() throws {
        let text = PlanText.make([
            ("scopes", "[\"crm\", \"placement\"]"),
            (
                "placements",
                "[{ \"placment\": \"CRM_DEAL_DETAIL_TAB\", \"handler\": \"\(Self.tab)\" },\n    { \"placement\": \"CRM_DEAL_TAB\", \"handler\": \"\(Self.tab)\" }]"
            ),
            (
                "events",
                "[{ \"event\": \"ONCRMDEALUPDATE\", \"hander\": \"\(Self.hook)\" },\n    { \"event\": \"ONCRMDEALUPDATES\", \"handler\": \"\(Self.hook)\" }]"
            ),
        ])
        let result = Lint.run(plan: text)
        let placement = try #require(result.only("B24P202"))
        #expect((placement.at, placement.path) == (locationOf("\"CRM_DEAL_TAB\"", in: text), "placements[1].placement"))
        let event = try #require(result.only("B24P203"))
        #expect((event.at, event.path) == (locationOf("\"ONCRMDEALUPDATES\"", in: text), "events[1].event"))
        #expect(result.codes == ["B24P002", "B24P202", "B24P002", "B24P203"], "\(result.listing)")
    }

    @Test func digestFixWritesIntoTheRightMigrationAfterAnUndecodedOne() throws {
        let sql = "SELECT 1;\n"
        let text = PlanText.make([
            (
                "migrations",
                "[{ \"id\": 1, \"nmae\": \"a\", \"file\": \"m/0001.sql\" },\n    { \"id\": 2, \"name\": \"b\", \"file\": \"m/0002.sql\" }]"
            )
        ])
        let result = Lint.run(plan: text, files: ["m/0001.sql": sql, "m/0002.sql": sql])
        let context = try #require(result.context)
        let edits = DigestFixer.fix(context).edits
        let fixed = String(decoding: TextEdit.apply(edits, to: context.document.source.bytes), as: UTF8.self)
        #expect(
            fixed.contains("{ \"id\": 2, \"name\": \"b\", \"file\": \"m/0002.sql\", \"sha256\": \"\(SHA256.hex(Array(sql.utf8)))\" }"),
            "\(fixed)")
        #expect(fixed.contains("{ \"id\": 1, \"nmae\": \"a\", \"file\": \"m/0001.sql\" }"), "\(fixed)")
    }
}
