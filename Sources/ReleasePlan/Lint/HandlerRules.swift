/// B24P207, B24P208, B24P209, B24P220: handler URLs, the hosts they may use, and duplicate bindings.
struct HandlerRules: LintRule {
    /// Whether an entry is written as a URL (a scheme, user info, a path, a query, white space) or
    /// is empty, and the host it names then (`https://a.example/` → `a.example`). A bare host, a `*.`
    /// wildcard, an IPv6 literal and a port (which matching ignores) are fine.
    static func bareHostProblem(_ entry: String) -> (problem: Bool, host: String?) {
        // ASCII letters, digits and `-.*:[]` only: bare, without trimming through Foundation.
        let bareASCII = entry.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || "-.*:[]".utf8.contains(byte)
        }
        if bareASCII && !entry.isEmpty { return (false, nil) }
        let trimmed = entry.trimmingCharacters(in: .whitespaces)
        let bare =
            !trimmed.isEmpty && trimmed == entry
            && trimmed.allSatisfy { $0.isLetter || $0.isNumber || "-.*:[]".contains($0) }
        guard !bare else { return (false, nil) }
        var rest = Substring(trimmed)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        let host = rest.prefix { !"/?#".contains($0) }
        return (true, host.isEmpty ? nil : String(host).lowercased())
    }

    func check(_ context: LintContext) -> [Diagnostic] {
        let plan = context.plan
        var diagnostics: [Diagnostic] = []
        var hostsUsable = context.document.isIntact("handlerHosts")
        for (index, entry) in (plan.handlerHosts ?? []).enumerated() {
            let (problem, host) = Self.bareHostProblem(entry)
            guard problem else { continue }
            hostsUsable = false
            diagnostics.append(
                context.diagnostic("B24P220", PlanMessages.hostNotBare(entry, host: host), at: ["handlerHosts", .index(index)]))
        }
        let handlers =
            plan.placements.enumerated().map { ($1.handler, JSONPath(["placements", .index($0), "handler"])) }
            + plan.events.enumerated().map { ($1.handler, JSONPath(["events", .index($0), "handler"])) }
        let patterns = (plan.handlerHosts ?? []).map(HandlerURL.normalizedPattern)
        for (handler, path) in handlers {
            let url = HandlerURL(handler)
            for problem in url.problems {
                diagnostics.append(context.diagnostic("B24P207", problem.message(handler), at: path))
            }
            // The host a browser reads, not the one the text seems to name.
            // Not while an entry is a URL (B24P220 says so once, instead of once per handler).
            if let host = url.host, let hosts = plan.handlerHosts, hostsUsable, !url.isLoopback,
                !patterns.contains(where: { url.matches(normalizedPattern: $0) })
            {
                diagnostics.append(context.diagnostic("B24P208", PlanMessages.hostNotListed(host, hosts: hosts), at: path))
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
                    developing. The URL must also mean the same to every parser: no user info (`user@`), no \
                    backslash (a browser reads `https://evil.example\\@app.acme.example/` as host evil.example), \
                    no control characters or white space, exactly two slashes after `https:`, a port from 0 to \
                    65535, and a host written as a browser reads it (no percent-encoding, no `010.0.0.1`-style \
                    IPv4 numbers, ASCII only: punycode for international names). `handlerHosts` (B24P208) checks \
                    the host a browser reads.
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
            RuleDocumentation(
                "B24P220",
                explanation: """
                    `handlerHosts` lists host names, as a browser reads them from a handler URL: \
                    `app.acme.example`, or `*.acme.example` for its subdomains. An entry written as a URL, or \
                    with a port or a path, matches no handler, so every handler would be reported as not listed.
                    """,
                bad: RuleExample(
                    plan: ExamplePlan.json([
                        "handlerHosts": "[\"https://app.acme.example/\"]",
                        "events": "[{ \"event\": \"ONCRMDEALUPDATE\", \"handler\": \"https://app.acme.example/hook\" }]",
                    ])),
                good: RuleExample(
                    plan: ExamplePlan.json([
                        "handlerHosts": "[\"app.acme.example\"]",
                        "events": "[{ \"event\": \"ONCRMDEALUPDATE\", \"handler\": \"https://app.acme.example/hook\" }]",
                    ]))),
        ]
    }
}
