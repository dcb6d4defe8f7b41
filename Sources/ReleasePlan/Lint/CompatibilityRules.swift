/// B24P401: a raised minimum Bitrix24 version leaves older portals without the update.
struct CompatibilityRules: LintRule {
    func check(_ context: LintContext) -> [Diagnostic] {
        guard let previous = context.previous, let new = context.plan.minimumBitrix24Version else { return [] }
        let old = previous.plan.minimumBitrix24Version
        let raised = old.map { Version.compareSegments(Self.segments(new), Self.segments($0)) > 0 } ?? true
        guard raised else { return [] }
        return [context.diagnostic("B24P401", PlanMessages.minimumVersionRaised(from: old, to: new), at: ["minimumBitrix24Version"])]
    }

    private static func segments(_ version: String) -> [String] {
        version.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }

    var documentation: [RuleDocumentation] {
        [
            RuleDocumentation(
                "B24P401",
                explanation: """
                    Portals running an older Bitrix24 than `minimumBitrix24Version` do not get the update at all. \
                    Raising it is sometimes needed (a method appeared in that version), but it should be a \
                    decision: check how many installations are below it first.
                    """,
                bad: RuleExample(
                    plan: ExamplePlan.json(["minimumBitrix24Version": "\"25.100.0\""]),
                    previous: ExamplePlan.previous(["minimumBitrix24Version": "\"24.300.0\""])),
                good: RuleExample(
                    plan: ExamplePlan.json(["minimumBitrix24Version": "\"24.300.0\""]),
                    previous: ExamplePlan.previous(["minimumBitrix24Version": "\"24.300.0\""])))
        ]
    }
}
