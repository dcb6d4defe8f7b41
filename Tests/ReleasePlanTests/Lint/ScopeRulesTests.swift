import Testing

@testable import ReleasePlan

/// B24P201, B24P206, B24P210, B24P211, B24P214: the scopes a plan requests.
struct ScopeRulesTests {
    @Test(arguments: RuleExampleCase.cases(ScopeRules()))
    func documentationExample(_ testCase: RuleExampleCase) {
        testCase.verify()
    }

    @Test func unknownScopeSuggestsTheNearest() throws {
        let result = Lint.run(plan: PlanText.make(["scopes": "[\"crm\", \"tsk\"]"]))
        let finding = try #require(result.only("B24P201"))
        #expect(finding.message == "unknown scope \"tsk\"; did you mean 'task'?")
        #expect((finding.at, finding.endColumn, finding.path) == ("5:21", 26, "scopes[1]"))
        #expect(result.findings("B24P211").isEmpty, "an unknown scope is not also reported as unused")
    }

    @Test func objectFormPointsAtTheCode() throws {
        let text = PlanText.make(["scopes": "[\"crm\", { \"code\": \"tsk\", \"purpose\": \"Reads tasks\" }]"])
        let finding = try #require(Lint.run(plan: text).only("B24P201"))
        #expect((finding.at, finding.path) == (locationOf("\"tsk\"", in: text), "scopes[1].code"))
    }

    @Test func unusedScopeWithoutPurpose() throws {
        let text = PlanText.make(["scopes": "[\"crm\", { \"code\": \"user\" }, \"task\"]"])
        let result = Lint.run(plan: text)
        #expect(
            result.findings("B24P211").map { "\($0.at) \($0.path) \($0.severity)" } == [
                "\(locationOf("\"user\"", in: text)) scopes[1].code warning",
                "\(locationOf("\"task\"", in: text)) scopes[2] warning",
            ])
        #expect(
            result.findings("B24P211").first?.message
                == "scope \"user\" is requested but no placement, event or required method uses it; give a \"purpose\" for the moderator or remove it"
        )
    }

    @Test func requiredMethodOfTheDeprecatedPrefixUsesTask() {
        // `tasks.task.get` starts with `tasks`, which counts as `task`.
        let result = Lint.run(
            plan: PlanText.make(["scopes": "[\"crm\", \"task\"]", "requiredMethods": "[\"crm.deal.get\", \"tasks.task.get\"]"]))
        #expect(result.codes.isEmpty, "\(result.listing)")
    }

    @Test func placementsAndEventsUseScopes() {
        let result = Lint.run(
            plan: PlanText.make([
                "scopes": "[\"crm\", \"placement\", \"task\", \"user\"]", "requiredMethods": "[]",
                "placements": "[{ \"placement\": \"TASK_VIEW_TAB\", \"handler\": \"https://app.acme.example/task\" }]",
                "events":
                    "[{ \"event\": \"ONCRMDEALADD\", \"handler\": \"https://app.acme.example/h\" }, { \"event\": \"ONUSERADD\", \"handler\": \"https://app.acme.example/h\" }]",
            ]))
        #expect(result.codes.isEmpty, "\(result.listing)")
    }

    @Test func deprecatedScope() throws {
        let result = Lint.run(
            plan: PlanText.make(["scopes": "[\"crm\", \"tasks\"]", "requiredMethods": "[\"crm.deal.get\", \"tasks.task.get\"]"]))
        let finding = try #require(result.only("B24P214"))
        #expect(finding.message == "scope \"tasks\" is deprecated; request \"task\" instead")
        #expect((finding.severity, finding.at, finding.path) == (.warning, "5:21", "scopes[1]"))
        #expect(result.codes == ["B24P214"], "the deprecated scope is still used by tasks.task.get")
    }

    @Test(arguments: ["tasks_extended", "tasksmobile"])
    func everyDeprecatedScopeNamesTheReplacement(_ code: String) throws {
        let result = Lint.run(
            plan: PlanText.make(["scopes": "[\"crm\", \"\(code)\"]", "requiredMethods": "[\"crm.deal.get\", \"tasks.task.get\"]"]))
        let finding = try #require(result.only("B24P214"))
        #expect(finding.message == "scope \"\(code)\" is deprecated; request \"task\" instead")
    }

    @Test func placementsWithoutThePlacementScope() throws {
        let result = Lint.run(
            plan: PlanText.make([
                "placements": "[{ \"placement\": \"CRM_DEAL_DETAIL_TAB\", \"handler\": \"https://app.acme.example/deal\" }]"
            ]))
        let finding = try #require(result.only("B24P206"))
        #expect(
            finding.message == "the plan has placements but does not request the scope \"placement\", which placement.bind needs")
        #expect((finding.at, finding.endColumn, finding.path) == ("5:13", 14, "scopes"))
    }

    @Test func scopesAddedWithoutScopeUpgrade() throws {
        let plan = PlanText.make([
            "version": "\"2.0.0\"", "scopes": "[\"crm\", \"task\", { \"code\": \"user\", \"purpose\": \"Shows names\" }]",
            "requiredMethods": "[\"crm.deal.get\", \"tasks.task.get\"]",
        ])
        let result = Lint.run(plan: plan, previous: PlanText.previous(), path: Lint.path("2.0.0"))
        let finding = try #require(result.only("B24P210"))
        #expect(
            finding.message
                == "scopes \"task\", \"user\" added since the published release, but \"scopeUpgrade\" is not set: choose \"reinstall\" or \"incremental\" to say how installed portals get them"
        )
        #expect((finding.at, finding.path) == ("5:21", "scopes[1]"))
        #expect(result.codes == ["B24P210"])
    }

    @Test func scopeUpgradeIsNotNeededForAnInitialRelease() {
        let result = Lint.run(
            plan: PlanText.make(["scopes": "[\"crm\", \"task\"]", "requiredMethods": "[\"crm.deal.get\", \"task.item.list\"]"]))
        #expect(result.codes.isEmpty, "\(result.listing)")
    }
}
