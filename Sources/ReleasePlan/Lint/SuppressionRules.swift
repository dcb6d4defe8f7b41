/// B24P010 and B24P011: `suppress` entries need a reason, and each must silence something.
struct SuppressionRules: LintRule {
    func check(_ context: LintContext) -> [Diagnostic] {
        context.plan.suppress.enumerated().compactMap { index, suppression in
            guard Self.hasReason(suppression) else {
                let path: JSONPath = suppression.reason == nil ? ["suppress", .index(index)] : ["suppress", .index(index), "reason"]
                return context.diagnostic("B24P010", PlanMessages.suppressionWithoutReason(suppression.rule), at: path)
            }
            return nil
        }
    }

    static func hasReason(_ suppression: Suppression) -> Bool {
        !(suppression.reason ?? "").trimmingWhitespace().isEmpty
    }

    /// Drops the diagnostics that a suppression with a reason covers (same rule, at or under its
    /// path, in the plan file) and adds B24P011 for each suppression that covered nothing.
    static func apply(_ suppressions: [Suppression], to diagnostics: [Diagnostic], in context: LintContext) -> [Diagnostic] {
        let active: [(index: Int, rule: String, path: JSONPath)] = suppressions.enumerated().compactMap { index, item in
            guard hasReason(item), let path = JSONPath(parsing: item.at) else { return nil }
            return (index, item.rule, path)
        }
        var used = Set<Int>()
        var kept: [Diagnostic] = []
        for diagnostic in diagnostics {
            let path = JSONPath(parsing: diagnostic.path) ?? .root
            let covering = active.filter { $0.rule == diagnostic.rule.rawValue && path.isWithin($0.path) }
            if covering.isEmpty || diagnostic.rule == "B24P010" {
                kept.append(diagnostic)
            } else {
                used.formUnion(covering.map(\.index))
            }
        }
        for entry in active where !used.contains(entry.index) {
            kept.append(
                context.diagnostic(
                    "B24P011", PlanMessages.unusedSuppression(entry.rule, at: entry.path.description),
                    at: ["suppress", .index(entry.index)]))
        }
        return kept
    }

    var documentation: [RuleDocumentation] {
        [
            RuleDocumentation(
                "B24P010",
                explanation: """
                    A suppression silences one rule at one path and everything under it. It must say why, in \
                    `reason`, so that a reviewer can judge it; a suppression without a reason silences nothing.
                    """,
                bad: RuleExample(
                    plan: ExamplePlan.json([
                        "scopes": "[\"crm\", \"user\"]",
                        "suppress": "[{ \"rule\": \"B24P211\", \"at\": \"scopes[1]\" }]",
                    ])),
                good: RuleExample(
                    plan: ExamplePlan.json([
                        "scopes": "[\"crm\", \"user\"]",
                        "suppress":
                            "[{ \"rule\": \"B24P211\", \"at\": \"scopes[1]\", \"reason\": \"read by the settings page through the JS SDK\" }]",
                    ]))),
            RuleDocumentation(
                "B24P011",
                explanation: """
                    A suppression that matched no diagnostic is stale: the problem was fixed or the path moved. \
                    Remove it, so that it cannot hide a new problem at that path later.
                    """,
                bad: RuleExample(
                    plan: ExamplePlan.json([
                        "suppress": "[{ \"rule\": \"B24P211\", \"at\": \"scopes[0]\", \"reason\": \"crm is used by the deal tab\" }]"
                    ])),
                good: RuleExample(plan: ExamplePlan.json())),
        ]
    }
}
