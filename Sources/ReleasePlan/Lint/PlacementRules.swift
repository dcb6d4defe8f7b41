/// B24P202, B24P204, B24P212, B24P213, B24P215, B24P216, B24P217, B24P218 (placements): placements
/// against the catalogue.
struct PlacementRules: LintRule {
    func check(_ context: LintContext) -> [Diagnostic] {
        let plan = context.plan
        let scopesKnown = context.document.isIntact("scopes")
        let requested = context.requestedScopes
        var diagnostics: [Diagnostic] = []
        var firstBySingleHandlerCode: [String: Int] = [:]
        for (index, binding) in plan.placements.enumerated() {
            let path: JSONPath = ["placements", .index(index)]
            guard let placement = Bitrix24Catalogue.placement(binding.placement) else {
                let message =
                    Bitrix24Catalogue.placementProblem(binding.placement).map { problem in
                        let sentence =
                            problem.hasPrefix(binding.placement.uppercased() + ": ")
                            ? String(problem.dropFirst(binding.placement.count + 2)) : problem
                        return PlanMessages.unknownPlacement(binding.placement) + ": " + sentence
                    }
                    ?? PlanMessages.unknownPlacement(binding.placement)
                    + Suggestion.phrase(for: binding.placement.uppercased(), in: Bitrix24Catalogue.placementCodes)
                diagnostics.append(context.diagnostic("B24P202", message, at: path / "placement"))
                continue
            }
            if placement.status != .documented {
                let message = PlanMessages.removedFromDocs(
                    "placement", placement.code, source: placement.source, note: placement.removalNote,
                    deprecated: placement.status == .deprecated)
                diagnostics.append(context.diagnostic("B24P218", message, at: path / "placement"))
            }
            if scopesKnown, let scope = placement.scope, !placement.isSatisfied(by: requested) {
                if placement.isMessenger {
                    diagnostics.append(
                        context.diagnostic("B24P215", PlanMessages.messengerWithoutIM(placement.code), at: path / "placement"))
                } else {
                    let message =
                        placement.scopeDispute.map {
                            PlanMessages.needsOneOf("placement \(placement.code)", scopes: placement.acceptedScopes, dispute: $0)
                        } ?? PlanMessages.placementNeedsScope(placement.code, scope: scope)
                    diagnostics.append(context.diagnostic("B24P204", message, at: path / "placement"))
                }
            }
            if placement.allowsSingleHandler {
                if let first = firstBySingleHandlerCode[placement.code] {
                    diagnostics.append(
                        context.diagnostic("B24P212", PlanMessages.secondHandler(placement.code, first: first), at: path))
                } else {
                    firstBySingleHandlerCode[placement.code] = index
                }
            }
            diagnostics += optionFindings(context, binding, placement, path)
        }
        return diagnostics
    }

    private func optionFindings(
        _ context: LintContext, _ binding: PlacementBinding, _ placement: Bitrix24Placement, _ path: JSONPath
    ) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let options = binding.options ?? [:]
        let optionsPath = binding.options == nil ? path : path / "options"
        for required in placement.requiredOptions where options[required] == nil || options[required] == .string("") {
            let rule: RuleCode = required == "errorHandlerUrl" ? "B24P213" : "B24P216"
            diagnostics.append(context.diagnostic(rule, PlanMessages.requiredOption(required, placement: placement.code), at: optionsPath))
        }
        for key in options.keys.sortedByUTF8() where Bitrix24Catalogue.textOptions.contains(key) && placement.keptOptions.contains(key) {
            switch options[key] {
            case .string, .number: continue
            default:
                diagnostics.append(
                    context.diagnostic("B24P003", PlanMessages.textOption(key, placement: placement.code), at: optionsPath / key))
            }
        }
        if placement.binding == .landingRepository {
            for key in Bitrix24Catalogue.sitesIgnoredKeys where context.document.node(at: path / key) != nil {
                diagnostics.append(
                    context.diagnostic(
                        "B24P217", PlanMessages.sitesIgnoredKey(key, placement: placement.code), at: path / key, pointingAtKey: true))
            }
        }
        for key in options.keys.sortedByUTF8() where !placement.keptOptions.contains(key) {
            diagnostics.append(
                context.diagnostic(
                    "B24P217", PlanMessages.droppedOption(key, placement: placement.code, kept: placement.keptOptions.sorted()),
                    at: path / "options" / key, pointingAtKey: true))
        }
        return diagnostics
    }

    var documentation: [RuleDocumentation] {
        let tab = "{ \"placement\": \"CRM_DEAL_DETAIL_TAB\", \"handler\": \"https://app.acme.example/deal\" }"
        return [
            RuleDocumentation(
                "B24P202",
                explanation: """
                    Placement codes are a fixed list per module; CRM placements are CRM_<ENTITY>_<SUFFIX> and \
                    each suffix accepts only some entities (there is no CRM_CONTACT_ROBOT_DESIGNER_TOOLBAR). \
                    An unknown code fails placement.bind with ERROR_PLACEMENT_NOT_FOUND on every portal.
                    """,
                bad: RuleExample(
                    plan: ExamplePlan.json([
                        "scopes": "[\"crm\", \"placement\"]",
                        "placements": "[{ \"placement\": \"CRM_DEAL_DETAILS_TAB\", \"handler\": \"https://app.acme.example/deal\" }]",
                    ])),
                good: RuleExample(plan: ExamplePlan.json(["scopes": "[\"crm\", \"placement\"]", "placements": "[\(tab)]"]))),
            RuleDocumentation(
                "B24P204",
                explanation: """
                    A placement belongs to a module and needs that module's scope in the token (TASK_VIEW_TAB \
                    needs `task`). Without it the portal answers ERROR_PLACEMENT_NOT_FOUND.
                    """,
                bad: RuleExample(
                    plan: ExamplePlan.json([
                        "scopes": "[\"crm\", \"placement\"]",
                        "placements": "[{ \"placement\": \"TASK_VIEW_TAB\", \"handler\": \"https://app.acme.example/task\" }]",
                    ])),
                good: RuleExample(
                    plan: ExamplePlan.json([
                        "scopes": "[\"crm\", \"placement\", \"task\"]",
                        "placements": "[{ \"placement\": \"TASK_VIEW_TAB\", \"handler\": \"https://app.acme.example/task\" }]",
                    ]))),
            RuleDocumentation(
                "B24P212",
                explanation: """
                    REST_APP_URI and PAGE_BACKGROUND_WORKER take one handler per app; a second one fails with \
                    ERROR_PLACEMENT_MAX_COUNT.
                    """,
                bad: RuleExample(
                    plan: ExamplePlan.json([
                        "scopes": "[\"crm\", \"placement\"]",
                        "placements":
                            "[\n    { \"placement\": \"REST_APP_URI\", \"handler\": \"https://app.acme.example/open\" },\n    { \"placement\": \"REST_APP_URI\", \"handler\": \"https://app.acme.example/open2\" }\n  ]",
                    ])),
                good: RuleExample(
                    plan: ExamplePlan.json([
                        "scopes": "[\"crm\", \"placement\"]",
                        "placements": "[{ \"placement\": \"REST_APP_URI\", \"handler\": \"https://app.acme.example/open\" }]",
                    ]))),
            RuleDocumentation(
                "B24P213",
                explanation: """
                    PAGE_BACKGROUND_WORKER needs `options.errorHandlerUrl`; without it the portal refuses the \
                    binding with EMPTY_ERROR_HANDLER_URL.
                    """,
                bad: RuleExample(
                    plan: ExamplePlan.json([
                        "scopes": "[\"crm\", \"placement\"]",
                        "placements": "[{ \"placement\": \"PAGE_BACKGROUND_WORKER\", \"handler\": \"https://app.acme.example/worker\" }]",
                    ])),
                good: RuleExample(
                    plan: ExamplePlan.json([
                        "scopes": "[\"crm\", \"placement\"]",
                        "placements":
                            "[{ \"placement\": \"PAGE_BACKGROUND_WORKER\", \"handler\": \"https://app.acme.example/worker\", \"options\": { \"errorHandlerUrl\": \"https://app.acme.example/worker-error\" } }]",
                    ]))),
            RuleDocumentation(
                "B24P215",
                explanation: """
                    Messenger placements (IM_NAVIGATION, IM_CONTEXT_MENU, IM_SIDEBAR, IM_TEXTAREA, \
                    IMMOBILE_CONTEXT_MENU) belong to the `im` module. The documentation disagrees on whether \
                    registering them needs the scope, so this is a warning: request `im` to be safe.
                    """,
                bad: RuleExample(
                    plan: ExamplePlan.json([
                        "scopes": "[\"crm\", \"placement\"]",
                        "placements": "[{ \"placement\": \"IM_CONTEXT_MENU\", \"handler\": \"https://app.acme.example/im\" }]",
                    ])),
                good: RuleExample(
                    plan: ExamplePlan.json([
                        "scopes": "[\"crm\", \"placement\", \"im\"]",
                        "placements": "[{ \"placement\": \"IM_CONTEXT_MENU\", \"handler\": \"https://app.acme.example/im\" }]",
                    ]))),
            RuleDocumentation(
                "B24P216",
                explanation: """
                    IM_NAVIGATION, IM_SIDEBAR and IM_TEXTAREA need `options.iconName`; without it the portal \
                    answers ERROR_ARGUMENT.
                    """,
                bad: RuleExample(
                    plan: ExamplePlan.json([
                        "scopes": "[\"crm\", \"placement\", \"im\"]",
                        "placements": "[{ \"placement\": \"IM_SIDEBAR\", \"handler\": \"https://app.acme.example/im\" }]",
                    ])),
                good: RuleExample(
                    plan: ExamplePlan.json([
                        "scopes": "[\"crm\", \"placement\", \"im\"]",
                        "placements":
                            "[{ \"placement\": \"IM_SIDEBAR\", \"handler\": \"https://app.acme.example/im\", \"options\": { \"iconName\": \"fa-link\" } }]",
                    ]))),
            RuleDocumentation(
                "B24P217",
                explanation: """
                    Each placement keeps only some option keys and drops the others silently (placement.get then \
                    shows no options). A dropped option does nothing, and a reconcile that compared it would \
                    re-bind the placement on every run.
                    """,
                bad: RuleExample(
                    plan: ExamplePlan.json([
                        "scopes": "[\"crm\", \"placement\"]",
                        "placements":
                            "[{ \"placement\": \"CRM_DEAL_DETAIL_TAB\", \"handler\": \"https://app.acme.example/deal\", \"options\": { \"width\": 600 } }]",
                    ])),
                good: RuleExample(plan: ExamplePlan.json(["scopes": "[\"crm\", \"placement\"]", "placements": "[\(tab)]"]))),
            RuleDocumentation(
                "B24P218",
                explanation: """
                    The catalogue follows the Bitrix24 REST docs (`b24plan catalogue` lists each entry with its \
                    page). Scopes, placements and events the docs no longer describe still pass, because some \
                    portals may keep them, but a portal may reject them: placement.bind answers \
                    ERROR_PLACEMENT_NOT_FOUND, event.bind ERROR_EVENT_NOT_FOUND. The message names the \
                    replacement where there is one (the old invoices' placements became CRM_SMART_INVOICE_*).
                    """,
                bad: RuleExample(
                    plan: ExamplePlan.json([
                        "scopes": "[\"crm\", \"placement\"]",
                        "placements": "[{ \"placement\": \"CRM_INVOICE_LIST_MENU\", \"handler\": \"https://app.acme.example/invoice\" }]",
                    ])),
                good: RuleExample(
                    plan: ExamplePlan.json([
                        "scopes": "[\"crm\", \"placement\"]",
                        "placements":
                            "[{ \"placement\": \"CRM_SMART_INVOICE_LIST_MENU\", \"handler\": \"https://app.acme.example/invoice\" }]",
                    ]))),
        ]
    }
}
