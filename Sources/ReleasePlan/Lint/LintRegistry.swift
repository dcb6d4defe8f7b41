/// Every rule family, in the order they run; `explain` and the rule tests read the same list.
public enum LintRegistry {
    public static let families: [any LintRule] = [
        SyntaxRules(), SuppressionRules(), VersionRules(), FolderRules(), ScopeRules(), PlacementRules(), EventRules(),
        HandlerRules(), MigrationRules(), SQLRules(), CompatibilityRules(),
    ]

    /// The documentation of every code, sorted by code.
    public static var documentation: [RuleDocumentation] {
        families.flatMap(\.documentation).sorted { $0.code < $1.code }
    }

    public static func documentation(for code: RuleCode) -> RuleDocumentation? {
        documentation.first { $0.code == code }
    }
}
