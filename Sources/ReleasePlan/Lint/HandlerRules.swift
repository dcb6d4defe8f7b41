/// B24P207, B24P208, B24P209: handler URLs and duplicate bindings.
struct HandlerRules: LintRule {
    func check(_ context: LintContext) -> [Diagnostic] {
        let plan = context.plan
        var diagnostics: [Diagnostic] = []
        let handlers =
            plan.placements.enumerated().map { ($1.handler, JSONPath(["placements", .index($0), "handler"])) }
            + plan.events.enumerated().map { ($1.handler, JSONPath(["events", .index($0), "handler"])) }
        for (handler, path) in handlers {
            guard let url = HandlerURL(handler) else {
                diagnostics.append(context.diagnostic("B24P207", PlanMessages.handlerNotURL(handler), at: path))
                continue
            }
            if url.scheme != "https" && !(url.scheme == "http" && url.isLoopback) {
                diagnostics.append(context.diagnostic("B24P207", PlanMessages.handlerNotHTTPS(handler), at: path))
            }
            if let hosts = plan.handlerHosts, context.document.isIntact("handlerHosts"), !url.isLoopback,
                !hosts.contains(where: url.matches)
            {
                diagnostics.append(context.diagnostic("B24P208", PlanMessages.hostNotListed(url.host, hosts: hosts), at: path))
            }
        }
        diagnostics += duplicates(context, plan.placements.map(\.key), path: "placements", noun: "placement")
        diagnostics += duplicates(context, plan.events.map(\.key), path: "events", noun: "event")
        return diagnostics
    }

    private func duplicates(_ context: LintContext, _ keys: [BindingKey], path: String, noun: String) -> [Diagnostic] {
        var first: [BindingKey: Int] = [:]
        var diagnostics: [Diagnostic] = []
        for (index, key) in keys.enumerated() {
            if let earlier = first[key] {
                diagnostics.append(
                    context.diagnostic(
                        "B24P209", PlanMessages.duplicateBinding(noun, key: key, first: "\(path)[\(earlier)]"),
                        at: [.key(path), .index(index)]))
            } else {
                first[key] = index
            }
        }
        return diagnostics
    }

    var documentation: [RuleDocumentation] {
        [
            RuleDocumentation(
                "B24P207",
                explanation: """
                    Bitrix24 opens placements and posts events to the handler URL; it must be an absolute https \
                    URL. Plain http is accepted only for loopback hosts (localhost, 127.0.0.1, ::1) while \
                    developing.
                    """,
                bad: RuleExample(
                    plan: ExamplePlan.json(["events": "[{ \"event\": \"ONCRMDEALUPDATE\", \"handler\": \"http://app.acme.example/hook\" }]"]
                    )),
                good: RuleExample(
                    plan: ExamplePlan.json([
                        "events": "[{ \"event\": \"ONCRMDEALUPDATE\", \"handler\": \"https://app.acme.example/hook\" }]"
                    ]))),
            RuleDocumentation(
                "B24P208",
                explanation: """
                    With `handlerHosts`, every handler host must be one of them (exactly, case-insensitive, port \
                    ignored) or match a `*.example.com` wildcard. It catches a staging host left in a release.
                    """,
                bad: RuleExample(
                    plan: ExamplePlan.json([
                        "handlerHosts": "[\"app.acme.example\"]",
                        "events": "[{ \"event\": \"ONCRMDEALUPDATE\", \"handler\": \"https://staging.acme.example/hook\" }]",
                    ])),
                good: RuleExample(
                    plan: ExamplePlan.json([
                        "handlerHosts": "[\"app.acme.example\"]",
                        "events": "[{ \"event\": \"ONCRMDEALUPDATE\", \"handler\": \"https://app.acme.example/hook\" }]",
                    ]))),
            RuleDocumentation(
                "B24P209",
                explanation: """
                    A placement is identified by (placement, handler) and an event by (event, handler); binding \
                    the same pair twice gives "Handler already binded". The second occurrence is reported.
                    """,
                bad: RuleExample(
                    plan: ExamplePlan.json([
                        "events":
                            "[\n    { \"event\": \"ONCRMDEALUPDATE\", \"handler\": \"https://app.acme.example/hook\" },\n    { \"event\": \"ONCRMDEALUPDATE\", \"handler\": \"https://app.acme.example/hook\" }\n  ]"
                    ])),
                good: RuleExample(
                    plan: ExamplePlan.json([
                        "events":
                            "[\n    { \"event\": \"ONCRMDEALUPDATE\", \"handler\": \"https://app.acme.example/hook\" },\n    { \"event\": \"ONCRMDEALADD\", \"handler\": \"https://app.acme.example/hook\" }\n  ]"
                    ]))),
        ]
    }
}
