/// B24P201, B24P206, B24P210, B24P211, B24P214, B24P218 (scopes): the scopes the plan requests.
struct ScopeRules: LintRule {
    func check(_ context: LintContext) -> [Diagnostic] {
        guard context.document.isIntact("scopes") else { return [] }
        let plan = context.plan
        var diagnostics: [Diagnostic] = []
        let used = ScopeUsage(plan)
        for (index, scope) in plan.scopes.enumerated() {
            let path = scopePath(context, index)
            let code = scope.code
            if !Bitrix24Catalogue.scopes.contains(code) {
                let hint = Suggestion.phrase(for: code, in: Bitrix24Catalogue.scopes.sorted())
                diagnostics.append(context.diagnostic("B24P201", PlanMessages.unknownScope(code) + hint, at: path))
                continue
            }
            if let note = Bitrix24Catalogue.removedScopes[code] {
                let source = Bitrix24Catalogue.scopeTable.first { $0.codes.contains(code) }?.source ?? "scopes/permissions.md"
                diagnostics.append(
                    context.diagnostic(
                        "B24P218", PlanMessages.removedFromDocs("scope", code, source: source, note: note.isEmpty ? nil : note), at: path))
            }
            if Bitrix24Catalogue.deprecatedScopes.contains(code) {
                diagnostics.append(
                    context.diagnostic(
                        "B24P214",
                        PlanMessages.deprecatedScope(
                            code, replacement: Bitrix24Catalogue.deprecatedScopeReplacements[code],
                            note: Bitrix24Catalogue.scopeTable.first { $0.codes.contains(code) }?.note),
                        at: path))
            }
            if scope.purpose == nil, context.document.isIntact("placements", "events", "requiredMethods"),
                !used.contains(code)
            {
                diagnostics.append(context.diagnostic("B24P211", PlanMessages.unusedScope(code), at: path))
            }
        }
        let needsPlacementScope = plan.placements.contains {
            let meant = Bitrix24Catalogue.placementMeant($0.placement)
            return (meant?.binding ?? Bitrix24Catalogue.bindingMethod(forCode: $0.placement)).methodScope == "placement"
        }
        if needsPlacementScope, !context.requestedScopes.contains("placement") {
            diagnostics.append(context.diagnostic("B24P206", PlanMessages.placementScopeMissing, at: ["scopes"]))
        }
        // An invalid scopeUpgrade is B24P003 already; a misspelt scope counts as the one it misspells.
        if let previous = context.previous, plan.scopeUpgrade == nil, context.document.isIntact("scopeUpgrade") {
            let before = Set(previous.plan.scopeCodes)
            let added = plan.scopeCodes.enumerated().filter { !before.contains(Bitrix24Catalogue.scopeMeant($0.element) ?? $0.element) }
            if let first = added.first {
                diagnostics.append(
                    context.diagnostic(
                        "B24P210", PlanMessages.scopeUpgradeMissing(added.map(\.element)), at: scopePath(context, first.offset)))
            }
        }
        return diagnostics
    }

    /// `scopes[i]`, or `scopes[i].code` for the object form.
    private func scopePath(_ context: LintContext, _ index: Int) -> JSONPath {
        let path: JSONPath = ["scopes", .index(index)]
        return context.document.node(at: path)?.members != nil ? path / "code" : path
    }

    var documentation: [RuleDocumentation] {
        [
            RuleDocumentation(
                "B24P201",
                explanation: """
                    Scope codes are a fixed list (crm, task, placement, user, im, …). An unknown code makes the \
                    app's settings invalid in the partner account. The message suggests the nearest known code.
                    """,
                bad: RuleExample(plan: ExamplePlan.json(["scopes": "[\"crm\", \"tsk\"]"])),
                good: RuleExample(plan: ExamplePlan.json())),
            RuleDocumentation(
                "B24P206",
                explanation: """
                    `placement.bind` needs the scope `placement` in the app's token, in addition to the scope the \
                    placement belongs to. Without it no widget can be registered on any portal.
                    """,
                bad: RuleExample(
                    plan: ExamplePlan.json([
                        "placements": "[{ \"placement\": \"CRM_DEAL_DETAIL_TAB\", \"handler\": \"https://app.acme.example/deal\" }]"
                    ])),
                good: RuleExample(
                    plan: ExamplePlan.json([
                        "scopes": "[\"crm\", \"placement\"]",
                        "placements": "[{ \"placement\": \"CRM_DEAL_DETAIL_TAB\", \"handler\": \"https://app.acme.example/deal\" }]",
                    ]))),
            RuleDocumentation(
                "B24P210",
                explanation: """
                    New scopes do not reach installed portals by themselves: the admin must reinstall the app \
                    or confirm the new permission. Say which way the app asks with `"scopeUpgrade": \
                    "reinstall"` or `"incremental"`, so the rollout and the scope audit can plan for it.
                    """,
                bad: ExamplePlan.addingTaskScope(version: "2.0.0", scopeUpgrade: nil),
                good: ExamplePlan.addingTaskScope(version: "2.0.0", scopeUpgrade: "reinstall")),
            RuleDocumentation(
                "B24P211",
                explanation: """
                    Moderators question scopes an app does not visibly use. A scope is used by a placement \
                    (`placement` and the placement's own scope), an event, or a required method (`crm.deal.get` \
                    uses `crm`). Otherwise give a `purpose` that tells the moderator why it is needed.
                    """,
                bad: RuleExample(plan: ExamplePlan.json(["scopes": "[\"crm\", \"user\"]"])),
                good: RuleExample(
                    plan: ExamplePlan.json([
                        "scopes": "[\"crm\", { \"code\": \"user\", \"purpose\": \"Shows the responsible person's name\" }]"
                    ]))),
            RuleDocumentation(
                "B24P214",
                explanation: """
                    The scopes `tasks`, `tasks_extended` and `tasksmobile` are deprecated; request `task` instead.
                    """,
                bad: RuleExample(
                    plan: ExamplePlan.json(["scopes": "[\"crm\", \"tasks\"]", "requiredMethods": "[\"crm.deal.get\", \"tasks.task.get\"]"])),
                good: RuleExample(
                    plan: ExamplePlan.json(["scopes": "[\"crm\", \"task\"]", "requiredMethods": "[\"crm.deal.get\", \"tasks.task.get\"]"]))),
        ]
    }
}

/// Which scopes a plan's placements, events and required methods use (B24P211).
struct ScopeUsage {
    private var used: Set<String> = []

    init(_ plan: Plan) {
        // A misspelt placement or event counts as the one it misspells (B24P202/B24P203 report it).
        for binding in plan.placements {
            let meant = Bitrix24Catalogue.placementMeant(binding.placement)
            let method = meant?.binding ?? Bitrix24Catalogue.bindingMethod(forCode: binding.placement)
            if let methodScope = method.methodScope { used.insert(methodScope) }
            used.formUnion(meant?.acceptedScopes ?? (method == .landingRepository ? ["landing"] : []))
        }
        for binding in plan.events {
            used.formUnion(Bitrix24Catalogue.eventMeant(binding.event)?.acceptedScopes ?? [])
        }
        for method in plan.requiredMethods {
            guard let prefix = method.split(separator: ".").first else { continue }
            used.insert(Bitrix24Catalogue.normalizedScope(String(prefix).lowercased()))
            used.insert(String(prefix).lowercased())
        }
    }

    /// Whether `code` is used (a deprecated code counts when its replacement is used).
    func contains(_ code: String) -> Bool {
        used.contains(code) || used.contains(Bitrix24Catalogue.normalizedScope(code))
    }
}
