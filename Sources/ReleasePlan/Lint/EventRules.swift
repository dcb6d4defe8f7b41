/// B24P203, B24P205, B24P218 (events) and B24P219: event names, the scopes they need, and how they
/// are delivered.
struct EventRules: LintRule {
    func check(_ context: LintContext) -> [Diagnostic] {
        let requested = context.requestedScopes
        var diagnostics: [Diagnostic] = []
        for (index, binding) in context.plan.events.enumerated() {
            let path: JSONPath = ["events", .index(index), "event"]
            guard let event = Bitrix24Catalogue.event(binding.event) else {
                if let family = Bitrix24Catalogue.deliveryFamily(of: binding.event) {
                    let message = PlanMessages.notBindable(binding.event.uppercased(), delivery: family.delivery, source: family.source)
                    diagnostics.append(context.diagnostic("B24P219", message, at: path))
                    continue
                }
                let hint = Suggestion.phrase(for: binding.event.uppercased(), in: Bitrix24Catalogue.eventNames)
                diagnostics.append(context.diagnostic("B24P203", PlanMessages.unknownEvent(binding.event) + hint, at: path))
                continue
            }
            if event.delivery != .eventBind {
                diagnostics.append(
                    context.diagnostic(
                        "B24P219", PlanMessages.notBindable(event.name, delivery: event.delivery, source: event.source), at: path))
            }
            if event.status != .documented {
                let message = PlanMessages.removedFromDocs(
                    "event", event.name, source: event.source, note: event.removalNote, deprecated: event.status == .deprecated)
                diagnostics.append(context.diagnostic("B24P218", message, at: path))
            }
            if context.document.isIntact("scopes"), let scope = event.scope, !event.isSatisfied(by: requested) {
                let message =
                    event.scopeDispute.map { PlanMessages.needsOneOf("event \(event.name)", scopes: event.acceptedScopes, dispute: $0) }
                    ?? PlanMessages.eventNeedsScope(event.name, scope: scope)
                diagnostics.append(context.diagnostic("B24P205", message, at: path))
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
            RuleDocumentation(
                "B24P219",
                explanation: """
                    Some events do not come through event.bind. The new chat events ONIMV2* are fetched by \
                    polling im.v2.Event.get (webhook mode is not supported), and a v2 bot's ONIMBOTV2* events \
                    are subscribed by imbot.v2.Bot.register, where binding them with event.bind may lead to a \
                    mismatch. Remove them from `events` and use that mechanism in the app; the plan keeps the \
                    events that event.bind delivers.
                    """,
                bad: RuleExample(
                    plan: ExamplePlan.json([
                        "scopes": "[\"crm\", \"im\"]",
                        "events": "[{ \"event\": \"ONIMV2MESSAGEADD\", \"handler\": \"https://app.acme.example/hook\" }]",
                    ])),
                good: RuleExample(
                    plan: ExamplePlan.json([
                        "events": "[{ \"event\": \"ONCRMDEALUPDATE\", \"handler\": \"https://app.acme.example/hook\" }]"
                    ]))),
        ]
    }
}
