import Testing

@testable import ReleasePlan

/// B24P203 and B24P205: event names and the scopes they need.
struct EventRulesTests {
    @Test(arguments: RuleExampleCase.cases(EventRules()))
    func documentationExample(_ testCase: RuleExampleCase) {
        testCase.verify()
    }

    /// A plan with these events, one per line from line 8, each starting at column 5.
    static func plan(_ events: [String], scopes: String = "[\"crm\"]") -> String {
        let objects = events.map { "{ \"event\": \"\($0)\", \"handler\": \"https://app.acme.example/hook\" }" }
        return PlanText.make(["scopes": scopes, "events": "[\n    " + objects.joined(separator: ",\n    ") + "\n  ]"])
    }

    @Test func unknownEventSuggestsTheNearest() throws {
        let result = Lint.run(plan: Self.plan(["ONCRMDEALUPDATE", "onCrmDealUpdat"]))
        let finding = try #require(result.only("B24P203"))
        #expect(finding.message == "unknown event \"onCrmDealUpdat\"; did you mean 'ONCRMDEALUPDATE'?")
        #expect((finding.at, finding.endColumn, finding.path) == ("9:16", 32, "events[1].event"))
    }

    @Test(arguments: ["onCrmDealUpdate", "ONAPPUPDATE", "ONCRMDYNAMICITEMADD_128", "oncrmdynamicitemupdate_1"])
    func knownEventsAnyCase(_ name: String) {
        let result = Lint.run(plan: Self.plan([name]))
        #expect(result.codes.isEmpty, "\(result.listing)")
    }

    @Test(arguments: ["ONCRMDYNAMICITEMADD_", "ONCRMDYNAMICITEMADD_12A", "ONCRMDEALUPDATE_128"])
    func malformedPerTypeEvents(_ name: String) {
        #expect(Lint.run(plan: Self.plan([name])).findings("B24P203").count == 1)
    }

    @Test func eventNeedsItsScope() throws {
        let result = Lint.run(plan: Self.plan(["ONCRMDEALADD", "ONTASKADD"]))
        let finding = try #require(result.only("B24P205"))
        #expect(finding.message == "event ONTASKADD needs the scope \"task\", which the plan does not request")
        #expect((finding.at, finding.path) == ("9:16", "events[1].event"))
    }

    @Test func deprecatedScopeSatisfiesTheEvent() {
        let result = Lint.run(plan: Self.plan(["ontaskadd"], scopes: "[\"crm\", \"tasks\"]"))
        #expect(result.findings("B24P205").isEmpty)
        #expect(result.codes == ["B24P214"], "\(result.listing)")
    }

    @Test func applicationEventsNeedNoScope() {
        #expect(Lint.run(plan: Self.plan(["ONAPPINSTALL", "ONAPPUNINSTALL"])).codes.isEmpty)
    }
}
