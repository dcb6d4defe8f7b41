/// B24P108–B24P109: the plan among the other plans of its folder, one file per release.
struct FolderRules: LintRule {
    func check(_ context: LintContext) -> [Diagnostic] {
        guard context.document.isIntact("app", "version", "versioning") else { return [] }
        var diagnostics: [Diagnostic] = []
        let plan = context.plan
        if let original = context.folder.originals(of: context.document).first {
            diagnostics.append(
                context.diagnostic(
                    "B24P108", PlanMessages.sameRelease(app: plan.app, version: plan.version, path: original.path), at: ["version"]))
        }
        let name = FilePath.fileName(of: context.document.source.path)
        if name.hasSuffix(".json"), let named = PlanFolder.versionNamed(PlanFolder.stem(of: name), scheme: plan.versioning),
            let declared = context.version, !declared.isEquivalent(to: named)
        {
            diagnostics.append(
                context.diagnostic("B24P109", PlanMessages.fileNameVersion(name, declared: plan.version), at: ["version"]))
        }
        return diagnostics
    }

    var documentation: [RuleDocumentation] {
        [
            RuleDocumentation(
                "B24P108",
                explanation: """
                    The plans of an app in one folder are its releases, one file per version. Two files that \
                    declare the same app and version make the history ambiguous: which of them was published? \
                    Of such files the original is the one named after its version (`1.0.0.json` for 1.0.0), \
                    else the first by file name (byte order); every other one gets this error at its \
                    `version`, naming the original. A plan copied without its version bumped also gets \
                    B24P102 (the original is its previous plan) and, when its name is a version, B24P109.
                    """,
                bad: RuleExample(plan: ExamplePlan.json(version: "1.0.0"), previous: ExamplePlan.previous()),
                good: RuleExample(plan: ExamplePlan.json(), previous: ExamplePlan.previous())),
            RuleDocumentation(
                "B24P109",
                explanation: """
                    A plan named after a version (`1.2.0.json`) must declare that version: people and scripts \
                    find a release by its file name, and a plan copied to a new name whose `version` was not \
                    edited would otherwise go unnoticed. Rename the file or fix `version`. A file whose name is \
                    not a version (`next.json`) is not checked.
                    """,
                bad: RuleExample(plan: ExamplePlan.json(version: "1.2.0")),
                good: RuleExample(plan: ExamplePlan.json())),
        ]
    }
}
