import Testing

@testable import ReleasePlan

/// B24P202, B24P204, B24P212, B24P213, B24P215, B24P216, B24P217: placements against the catalogue.
struct PlacementRulesTests {
    @Test(arguments: RuleExampleCase.cases(PlacementRules()))
    func documentationExample(_ testCase: RuleExampleCase) {
        testCase.verify()
    }

    /// A plan with scopes `crm`, `placement` (plus `extraScopes`) and these placement objects, one per
    /// line from line 8, each starting at column 5.
    static func plan(_ placements: [String], extraScopes: String = "") -> String {
        PlanText.make([
            "scopes": "[\"crm\", \"placement\"\(extraScopes)]",
            "placements": "[\n    " + placements.joined(separator: ",\n    ") + "\n  ]",
        ])
    }

    static func placement(_ code: String, _ handler: String = "https://app.acme.example/p", options: String? = nil) -> String {
        "{ \"placement\": \"\(code)\", \"handler\": \"\(handler)\"" + (options.map { ", \"options\": \($0)" } ?? "") + " }"
    }

    struct Accepted: Sendable, CustomTestStringConvertible {
        let name: String
        let code: String
        let extraScopes: String
        var testDescription: String { name }
    }

    static let accepted: [Accepted] = [
        Accepted(name: "smart process tab", code: "CRM_DYNAMIC_128_DETAIL_TAB", extraScopes: ""),
        Accepted(name: "lowercase code", code: "crm_deal_detail_tab", extraScopes: ""),
        Accepted(name: "mixed case fixed code", code: "Left_Menu", extraScopes: ""),
        Accepted(name: "legacy invoice list menu", code: "CRM_INVOICE_LIST_MENU", extraScopes: ""),
        Accepted(name: "task placement with the deprecated scope", code: "TASK_VIEW_TAB", extraScopes: ", \"tasks\""),
    ]

    @Test(arguments: accepted)
    func acceptedPlacement(_ testCase: Accepted) {
        let result = Lint.run(plan: Self.plan([Self.placement(testCase.code)], extraScopes: testCase.extraScopes))
        #expect(result.findings("B24P202").isEmpty && result.findings("B24P204").isEmpty, "\(result.listing)")
        #expect(!result.diagnostics.hasErrors, "\(result.listing)")
    }

    @Test func crmSuffixThatDoesNotAcceptTheEntity() throws {
        let result = Lint.run(plan: Self.plan([Self.placement("CRM_CONTACT_ACTIVITY_TIMELINE_MENU")]))
        let finding = try #require(result.only("B24P202"))
        #expect(finding.message.hasPrefix("unknown placement \"CRM_CONTACT_ACTIVITY_TIMELINE_MENU\": "))
        #expect(
            finding.message.hasSuffix(
                "the suffix ACTIVITY_TIMELINE_MENU accepts LEAD, DEAL, QUOTE, SMART_INVOICE, DYNAMIC_<id>, not CONTACT"))
        #expect((finding.at, finding.path) == ("8:20", "placements[0].placement"))
        #expect(
            finding.message
                == "unknown placement \"CRM_CONTACT_ACTIVITY_TIMELINE_MENU\": the suffix ACTIVITY_TIMELINE_MENU accepts LEAD, DEAL, QUOTE, SMART_INVOICE, DYNAMIC_<id>, not CONTACT"
        )
    }

    @Test func unknownPlacementSuggestsTheNearest() throws {
        let finding = try #require(Lint.run(plan: Self.plan([Self.placement("CRM_DEAL_DETAILS_TAB")])).only("B24P202"))
        #expect(finding.message == "unknown placement \"CRM_DEAL_DETAILS_TAB\"; did you mean 'CRM_DEAL_DETAIL_TAB'?")
    }

    @Test func placementNeedsItsScope() throws {
        let result = Lint.run(plan: Self.plan([Self.placement("CRM_DEAL_DETAIL_TAB"), Self.placement("TASK_VIEW_TAB")]))
        let finding = try #require(result.only("B24P204"))
        #expect(finding.message == "placement TASK_VIEW_TAB needs the scope \"task\", which the plan does not request")
        #expect((finding.at, finding.path) == ("9:20", "placements[1].placement"))
    }

    @Test func messengerPlacementWithoutIMIsAWarning() throws {
        let result = Lint.run(plan: Self.plan([Self.placement("IM_CONTEXT_MENU")]))
        #expect(result.findings("B24P204").isEmpty)
        let finding = try #require(result.only("B24P215"))
        #expect(finding.severity == .warning)
        #expect(finding.message.hasPrefix("messenger placement IM_CONTEXT_MENU without the scope \"im\""))
        #expect(finding.path == "placements[0].placement")
    }

    @Test func secondHandlerOnASingleHandlerPlacement() throws {
        let result = Lint.run(
            plan: Self.plan([
                Self.placement("REST_APP_URI", "https://app.acme.example/open"),
                Self.placement("CRM_DEAL_DETAIL_TAB"),
                Self.placement("rest_app_uri", "https://app.acme.example/open2"),
            ]))
        let finding = try #require(result.only("B24P212"))
        #expect(finding.message == "REST_APP_URI allows one handler per app; placements[0] already binds one")
        #expect((finding.at, finding.path) == ("10:5", "placements[2]"))
        #expect(result.findings("B24P209").isEmpty, "different handlers are not a duplicate binding")
    }

    struct WorkerCase: Sendable, CustomTestStringConvertible {
        let name: String
        let options: String?
        let path: String
        /// The text the finding points at.
        let needle: String
        var testDescription: String { name }
    }

    static let workers: [WorkerCase] = [
        WorkerCase(name: "no options: at the placement", options: nil, path: "placements[0]", needle: "{ \"placement\""),
        WorkerCase(name: "empty options: at the options", options: "{}", path: "placements[0].options", needle: "{}"),
        WorkerCase(
            name: "empty URL", options: "{ \"errorHandlerUrl\": \"\" }", path: "placements[0].options",
            needle: "{ \"errorHandlerUrl\""),
    ]

    @Test(arguments: workers)
    func backgroundWorkerNeedsAnErrorHandler(_ testCase: WorkerCase) throws {
        let text = Self.plan([Self.placement("PAGE_BACKGROUND_WORKER", options: testCase.options)])
        let finding = try #require(Lint.run(plan: text).only("B24P213"))
        #expect(finding.message == "PAGE_BACKGROUND_WORKER needs options.errorHandlerUrl")
        #expect(finding.path == testCase.path)
        #expect(finding.at == locationOf(testCase.needle, in: text))
    }

    @Test func messengerPlacementNeedsAnIcon() throws {
        let result = Lint.run(plan: Self.plan([Self.placement("IM_SIDEBAR", options: "{ \"color\": \"RED\" }")], extraScopes: ", \"im\""))
        let finding = try #require(result.only("B24P216"))
        #expect(finding.message == "IM_SIDEBAR needs options.iconName")
        #expect(finding.path == "placements[0].options")
        #expect(result.findings("B24P217").isEmpty, "color is kept by IM_SIDEBAR")
    }

    @Test func droppedOptionPointsAtTheKey() throws {
        let text = Self.plan([Self.placement("CRM_DEAL_DETAIL_TAB", options: "{ \"width\": 600 }")])
        let finding = try #require(Lint.run(plan: text).only("B24P217"))
        #expect(finding.message == "option \"width\" is dropped by the portal: CRM_DEAL_DETAIL_TAB keeps no options")
        #expect(
            (finding.at, finding.endColumn, finding.path) == (
                locationOf("\"width\"", in: text), finding.column + 7, "placements[0].options.width"
            ))
        #expect(finding.severity == .warning)
    }

    @Test func droppedOptionNamesTheKeptOnes() throws {
        let text = Self.plan(
            [Self.placement("IM_SIDEBAR", options: "{ \"iconName\": \"fa-link\", \"size\": 2 }")], extraScopes: ", \"im\"")
        let finding = try #require(Lint.run(plan: text).only("B24P217"))
        #expect(
            finding.message == "option \"size\" is dropped by the portal: IM_SIDEBAR keeps only color, context, extranet, iconName, role")
        #expect(finding.at == locationOf("\"size\"", in: text))
    }
}
