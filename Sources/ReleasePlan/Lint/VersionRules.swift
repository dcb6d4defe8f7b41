/// B24P101–B24P107, B24P110: the version, its bump against the published plan, and the changelog (the plan
/// among its folder's plans is `FolderRules`, B24P108–B24P109).
struct VersionRules: LintRule {
    /// Below this many characters a changelog says too little for the moderator (B24P105).
    static let shortChangelogLength = 20

    func check(_ context: LintContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let plan = context.plan
        if context.document.isIntact("version", "versioning"), context.version == nil {
            diagnostics.append(
                context.diagnostic("B24P101", PlanMessages.badVersion(plan.version, scheme: plan.versioning), at: ["version"]))
        }
        diagnostics += changelogFindings(context)
        guard let previous = context.previous else { return diagnostics }
        if !previous.plan.app.isEmpty, !plan.app.isEmpty, previous.plan.app != plan.app {
            diagnostics.append(
                context.diagnostic(
                    "B24P106", PlanMessages.differentApp(plan.app, previous: previous.plan.app, path: previous.source.path),
                    at: ["app"]))
            return diagnostics
        }
        if let version = context.version, let old = Version(previous.plan.version, scheme: plan.versioning),
            !version.isGreater(than: old)
        {
            let message =
                context.previousSource == .folderSameVersion
                ? PlanMessages.versionOfACopy(plan.version, path: previous.source.path)
                : PlanMessages.versionNotGreater(plan.version, previous: previous.plan.version, path: previous.source.path)
            diagnostics.append(context.diagnostic("B24P102", message, at: ["version"]))
            return diagnostics
        }
        if let finding = bumpFinding(context, previous: previous) { diagnostics.append(finding) }
        return diagnostics
    }

    private func bumpFinding(_ context: LintContext, previous: PlanDocument) -> Diagnostic? {
        let classification = UpdateClassification.classify(context.planAsMeant, previous: previous.plan)
        guard let declared = classification.declaredBump, let required = classification.requiredBump, declared < required,
            let change = PlanDiff.firstChange(requiring: required, in: classification.changes),
            let old = SemanticVersion(previous.plan.version)
        else { return nil }
        return context.diagnostic(
            "B24P103",
            PlanMessages.bumpTooSmall(
                reason: change.reason, required: required, next: old.bumped(required).description, declared: context.plan.version),
            at: ["version"],
            notes: [PlanMessages.bumpNote(previous: previous.plan.version, declared: declared)])
    }

    private func changelogFindings(_ context: LintContext) -> [Diagnostic] {
        guard context.document.isIntact("changelog"), context.document.root.member("changelog") != nil else { return [] }
        let changelog = context.plan.changelog
        if changelog.isEmpty {
            return [context.diagnostic("B24P104", PlanMessages.emptyChangelog, at: ["changelog"])]
        }
        var diagnostics: [Diagnostic] = []
        for (language, text) in changelog.sorted(by: { $0.key < $1.key }) {
            let trimmed = text.trimmingWhitespace()
            if trimmed.isEmpty {
                diagnostics.append(
                    context.diagnostic("B24P104", PlanMessages.emptyChangelogEntry(language), at: ["changelog", .key(language)]))
            } else if trimmed.count < Self.shortChangelogLength {
                diagnostics.append(
                    context.diagnostic(
                        "B24P105", PlanMessages.shortChangelog(language, length: trimmed.count, minimum: Self.shortChangelogLength),
                        at: ["changelog", .key(language)]))
            }
        }
        if let previous = context.previous {
            // Moderators reject a version whose changelog repeats the published one.
            for (language, text) in changelog.sorted(by: { $0.key < $1.key }) {
                let trimmed = text.trimmingWhitespace()
                guard !trimmed.isEmpty, previous.plan.changelog[language]?.trimmingWhitespace() == trimmed else { continue }
                diagnostics.append(
                    context.diagnostic(
                        "B24P110", PlanMessages.repeatedChangelog(language, version: previous.plan.version),
                        at: ["changelog", .key(language)]))
            }
            for language in previous.plan.changelog.keys.sortedByUTF8() where changelog[language] == nil {
                diagnostics.append(
                    context.diagnostic("B24P104", PlanMessages.changelogLanguageDropped(language), at: ["changelog"]))
            }
        }
        return diagnostics
    }

    var documentation: [RuleDocumentation] {
        [
            RuleDocumentation(
                "B24P101",
                explanation: """
                    `version` is semver MAJOR.MINOR.PATCH, optionally with a pre-release (`1.3.0-beta.1`). The \
                    Marketplace accepts any string, but the update rules need an order and a bump. A project that \
                    numbers versions otherwise sets `"versioning": "free"`: then dot-separated segments are \
                    compared, numerically where both are numbers.
                    """,
                bad: RuleExample(plan: ExamplePlan.json(version: "1.3"), path: ExamplePlan.path("1.3.0")),
                good: RuleExample(plan: ExamplePlan.json(version: "1.3.0"), path: ExamplePlan.path("1.3.0"))),
            RuleDocumentation(
                "B24P102",
                explanation: """
                    A release must have a version greater than the published plan's (by semver precedence). \
                    The published plan is `--against FILE`; else, with a state store, the store's newest \
                    published plan of the app (when the folder alone would have compared with another plan, a \
                    note under this code says so: the store wins); else the plan with the highest lower version \
                    in the same folder that is not a pre-release. A plan beside it declaring the same app and version \
                    that comes first (named after its version, else first by file name) counts as the previous \
                    plan too: an equal version means the plan was copied without being bumped, and that is \
                    caught without `--against`.
                    """,
                bad: RuleExample(
                    plan: ExamplePlan.json(["version": "\"1.0.0\""]),
                    previous: ExamplePlan.json(["version": "\"1.0.0\"", "requiredMethods": "[\"crm.deal.list\"]"])),
                good: RuleExample(plan: ExamplePlan.json(), previous: ExamplePlan.previous())),
            RuleDocumentation(
                "B24P103",
                explanation: """
                    The version bump must be at least what the changes require: a new scope, a new placement code \
                    or a new monetization model need a major version; a new or removed event, a removed \
                    placement, a changed handler, title or options, a removed scope, a new minimum Bitrix24 \
                    version or a new required method need a minor one. The message names the change.
                    """,
                bad: ExamplePlan.addingTaskScope(version: "1.1.0", scopeUpgrade: "reinstall"),
                good: ExamplePlan.addingTaskScope(version: "2.0.0", scopeUpgrade: "reinstall")),
            RuleDocumentation(
                "B24P104",
                explanation: """
                    The moderator reads the changelog of every update, in each language the app is published \
                    in. It must have at least one language, no empty text, and every language the published \
                    plan had.
                    """,
                bad: RuleExample(
                    plan: ExamplePlan.json(["changelog": "{ \"en\": \"Shows the deals linked to each task.\", \"ru\": \"\" }"])),
                good: RuleExample(
                    plan: ExamplePlan.json([
                        "changelog":
                            "{ \"en\": \"Shows the deals linked to each task.\", \"ru\": \"Показывает сделки, связанные с задачей.\" }"
                    ]))),
            RuleDocumentation(
                "B24P105",
                explanation: """
                    A changelog of a few words ("fixes", "update") tells the moderator nothing and slows the \
                    review. Say what changed for the user in a sentence.
                    """,
                bad: RuleExample(plan: ExamplePlan.json(["changelog": "{ \"en\": \"Bug fixes\" }"])),
                good: RuleExample(plan: ExamplePlan.json())),
            RuleDocumentation(
                "B24P106",
                explanation: """
                    The previous plan found (or given with `--against`) describes another app. Plans of different \
                    apps must not share a folder, or the wrong release is used as the published one.
                    """,
                bad: RuleExample(plan: ExamplePlan.json(), previous: ExamplePlan.previous(["app": "\"acme.other\""])),
                good: RuleExample(plan: ExamplePlan.json(), previous: ExamplePlan.previous())),
            RuleDocumentation(
                "B24P107",
                explanation: """
                    The published plan must parse and decode: it is the baseline every comparison is made \
                    against. Fix it (it should be the file that was released) or name another with `--against`.
                    """,
                bad: RuleExample(plan: ExamplePlan.json(), previous: "{ \"app\": \"acme.example\", \"version\": \"1.0.0\", }\n"),
                good: RuleExample(plan: ExamplePlan.json(), previous: ExamplePlan.previous())),
            RuleDocumentation(
                "B24P110",
                explanation: """
                    Each version needs its own changelog: Marketplace moderators reject a version whose \
                    changelog repeats the published one (usually a plan copied without editing it). Say what \
                    this version changes.
                    """,
                bad: RuleExample(
                    plan: ExamplePlan.json(["changelog": "{ \"en\": \"Shows the deals linked to each task.\" }"]),
                    previous: ExamplePlan.previous(["changelog": "{ \"en\": \"Shows the deals linked to each task.\" }"])),
                good: RuleExample(
                    plan: ExamplePlan.json(["changelog": "{ \"en\": \"Shows the deals linked to each task, newest first.\" }"]),
                    previous: ExamplePlan.previous(["changelog": "{ \"en\": \"Shows the deals linked to each task.\" }"]))),
        ]
    }
}
