import Testing

@testable import ReleasePlan

/// "Did you mean": by spelling, and for `_`-separated codes by whole segments (issue 13).
struct SuggestionTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var word: String
        var expected: String?
        var candidates: Candidates
        var testDescription: String { "\(word) → \(expected ?? "nothing")" }
    }

    enum Candidates: Sendable { case placements, scopes, events }

    static let cases: [Case] = [
        Case(word: "CRM_DEAL_TAB", expected: "CRM_DEAL_DETAIL_TAB", candidates: .placements),
        Case(word: "crm_deal_tab", expected: "CRM_DEAL_DETAIL_TAB", candidates: .placements),
        Case(word: "CRM_CONTACT_LIST_MENUU", expected: "CRM_CONTACT_LIST_MENU", candidates: .placements),
        Case(word: "CRM_DEAL_DETAILS_TAB", expected: "CRM_DEAL_DETAIL_TAB", candidates: .placements),
        Case(word: "TASK_VIEW_TAN", expected: "TASK_VIEW_TAB", candidates: .placements),
        Case(word: "CRM_DEAL_DETAIL_TAB_EXTRA", expected: "CRM_DEAL_DETAIL_TAB", candidates: .placements),
        Case(word: "FOO_BAR_BAZ", expected: nil, candidates: .placements),
        Case(word: "XYZZY", expected: nil, candidates: .placements),
        Case(word: "FOO_MENU", expected: nil, candidates: .placements),
        Case(word: "CRM_QWERTY_ASDFGH", expected: nil, candidates: .placements),
        Case(word: "tsk", expected: "task", candidates: .scopes),
        Case(word: "placment", expected: "placement", candidates: .scopes),
        Case(word: "qwertyuiop", expected: nil, candidates: .scopes),
        Case(word: "ONCRMDEALUPDAT", expected: "ONCRMDEALUPDATE", candidates: .events),
        Case(word: "ONSOMETHINGELSE", expected: nil, candidates: .events),
    ]

    @Test(arguments: cases)
    func suggestion(_ testCase: Case) {
        let candidates: [String]
        switch testCase.candidates {
        case .placements: candidates = Bitrix24Catalogue.placementCodes
        case .scopes: candidates = Bitrix24Catalogue.scopes.sorted()
        case .events: candidates = Bitrix24Catalogue.eventNames
        }
        #expect(Suggestion.closest(to: testCase.word, in: candidates) == testCase.expected)
    }

    @Test func segmentsOnlyForCodesOfSeveralSegments() {
        #expect(Suggestion.closest(to: "partner", in: ["gate.partner", "gate.moderation"]) == nil)
        #expect(Suggestion.closest(to: "wave.1", in: ["gate.wave.1", "portals.wave.1"]) == "gate.wave.1")
    }

    /// B24P201, B24P202 and B24P203 say what was meant.
    @Test(arguments: [
        ("scopes", "[\"crm\", \"tsk\"]", "B24P201", "unknown scope \"tsk\"; did you mean 'task'?"),
        (
            "placements", "[{ \"placement\": \"CRM_DEAL_TAB\", \"handler\": \"https://app.acme.example/t\" }]", "B24P202",
            "unknown placement \"CRM_DEAL_TAB\"; did you mean 'CRM_DEAL_DETAIL_TAB'?"
        ),
        (
            "placements", "[{ \"placement\": \"CRM_CONTACT_LIST_MENUU\", \"handler\": \"https://app.acme.example/t\" }]", "B24P202",
            "unknown placement \"CRM_CONTACT_LIST_MENUU\"; did you mean 'CRM_CONTACT_LIST_MENU'?"
        ),
        (
            "placements", "[{ \"placement\": \"FOO_BAR_BAZ\", \"handler\": \"https://app.acme.example/t\" }]", "B24P202",
            "unknown placement \"FOO_BAR_BAZ\""
        ),
        (
            "events", "[{ \"event\": \"ONCRMDEALUPDAT\", \"handler\": \"https://app.acme.example/h\" }]", "B24P203",
            "unknown event \"ONCRMDEALUPDAT\"; did you mean 'ONCRMDEALUPDATE'?"
        ),
    ])
    func lintSaysWhatWasMeant(key: String, value: String, code: String, message: String) throws {
        var overrides: [(String, String?)] = [(key, value)]
        if key == "placements" { overrides.append(("scopes", "[\"crm\", \"placement\"]")) }
        let finding = try #require(Lint.run(plan: PlanText.make(overrides)).only(RuleCode(rawValue: code)))
        #expect(finding.message == message)
    }
}
