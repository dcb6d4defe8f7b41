/// B24P203 and B24P205: event names and the scopes they need.
struct EventRules: LintRule {
    func check(_ context: LintContext) -> [Diagnostic] {
        let requested = Set(context.plan.scopeCodes.map(Bitrix24Catalogue.normalizedScope))
        var diagnostics: [Diagnostic] = []
        for (index, binding) in context.plan.events.enumerated() {
            let path: JSONPath = ["events", .index(index), "event"]
            guard let event = Bitrix24Catalogue.event(binding.event) else {
                let hint = Suggestion.phrase(for: binding.event.uppercased(), in: Bitrix24Catalogue.eventNames)
                diagnostics.append(context.diagnostic("B24P203", PlanMessages.unknownEvent(binding.event) + hint, at: path))
                continue
            }
            if context.document.isIntact("scopes"), let scope = event.scope, !requested.contains(scope) {
                diagnostics.append(context.diagnostic("B24P205", PlanMessages.eventNeedsScope(event.name, scope: scope), at: path))
            }
        }
        return diagnostics
    }

    var documentation: [RuleDocumentation] {
        [
            RuleDocumentation(
                "B24P203",
                explanation: """
                    Event names are a fixed list per module (ONCRMDEALUPDATE, ONTASKADD, ONAPPUPDATE, …); they \
                    are case-insensitive. An unknown name fails event.bind with ERROR_EVENT_NOT_FOUND.
                    """,
                bad: RuleExample(
                    plan: ExamplePlan.json([
                        "events": "[{ \"event\": \"ONCRMDEALCHANGE\", \"handler\": \"https://app.acme.example/hook\" }]"
                    ])),
                good: RuleExample(
                    plan: ExamplePlan.json([
                        "events": "[{ \"event\": \"ONCRMDEALUPDATE\", \"handler\": \"https://app.acme.example/hook\" }]"
                    ]))),
            RuleDocumentation(
                "B24P205",
                explanation: """
                    An event belongs to a module and its scope must be in the token (ONTASKADD needs `task`); \
                    otherwise event.bind answers ERROR_EVENT_NOT_FOUND, as for an unknown event.
                    """,
                bad: RuleExample(
                    plan: ExamplePlan.json(["events": "[{ \"event\": \"ONTASKADD\", \"handler\": \"https://app.acme.example/hook\" }]"])),
                good: RuleExample(
                    plan: ExamplePlan.json([
                        "scopes": "[\"crm\", \"task\"]",
                        "events": "[{ \"event\": \"ONTASKADD\", \"handler\": \"https://app.acme.example/hook\" }]",
                    ]))),
        ]
    }
}
