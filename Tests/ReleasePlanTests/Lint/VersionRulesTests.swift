import Testing

@testable import ReleasePlan

/// B24P101–B24P107: the version, its bump against the published plan, and the changelog.
struct VersionRulesTests {
    @Test(arguments: RuleExampleCase.cases(VersionRules()))
    func documentationExample(_ testCase: RuleExampleCase) {
        testCase.verify()
    }

    @Test func versionNotSemver() throws {
        let result = Lint.run(plan: PlanText.make(["version": "\"1.3\""]))
        let finding = try #require(result.only("B24P101"))
        #expect((finding.at, finding.endColumn, finding.path) == ("3:14", 19, "version"))
        #expect(finding.message.hasPrefix("version \"1.3\" is not semver MAJOR.MINOR.PATCH"))
        #expect(finding.message.contains("\"versioning\": \"free\""))
    }

    @Test func freeVersioningAcceptsOtherForms() throws {
        let free = PlanText.make(["version": "\"1.3\"", "versioning": "\"free\""])
        #expect(Lint.run(plan: free, path: Lint.path("1.3")).codes.isEmpty)
        let result = Lint.run(plan: PlanText.make(["version": "\"1..3\"", "versioning": "\"free\""]))
        let finding = try #require(result.only("B24P101"))
        #expect(finding.message.contains("is not a dot-separated version"))
    }

    /// 1.1.0.json was copied from 1.0.0.json and its version not bumped.
    static let copiedPlan = PlanText.make(["version": "\"1.0.0\""])

    @Test func copiedPlanIsCaughtWithoutAgainst() throws {
        // The plan beside it of the same app and version is its previous plan (DESIGN §3).
        let result = Lint.run(plan: Self.copiedPlan, previous: PlanText.previous())
        let finding = try #require(result.only("B24P102"))
        #expect(
            finding.message
                == "version 1.0.0 is not greater than the previous plan's: plans/acme.example/1.0.0.json beside it declares "
                + "the same app and version; bump the version of a copied plan")
        #expect((finding.file, finding.at, finding.path) == (Lint.planPath, "3:14", "version"))
        #expect(result.context?.previousSource == .folderSameVersion)
    }

    @Test func theOriginalOfACopyIsNotReported() {
        let fileSystem = InMemoryFileSystem([Lint.planPath: Self.copiedPlan, Lint.previousPath: PlanText.previous()])
        let result = Linter(fileSystem: fileSystem).lint(path: Lint.previousPath)
        #expect(result.findings("B24P102").isEmpty, "\(result.listing)")
        #expect(result.context?.previous == nil)
    }

    @Test func copiedPlanAgainstThePublishedPlan() throws {
        let result = Lint.run(plan: Self.copiedPlan, previous: PlanText.previous(), against: Lint.previousPath)
        let finding = try #require(result.only("B24P102"))
        #expect(finding.message == "version 1.0.0 is not greater than the published 1.0.0 (plans/acme.example/1.0.0.json)")
        #expect((finding.file, finding.at, finding.path) == (Lint.planPath, "3:14", "version"))
        #expect(result.codes == ["B24P102", "B24P108", "B24P109"], "no bump check after B24P102")
    }

    @Test func lowerVersionAgainstAnExplicitPlan() throws {
        let result = Lint.run(
            plan: PlanText.make(["version": "\"1.0.0-rc.1\""]), previous: PlanText.previous(), against: Lint.previousPath)
        let finding = try #require(result.only("B24P102"))
        #expect(finding.message.hasPrefix("version 1.0.0-rc.1 is not greater than the published 1.0.0"))
    }

    @Test func bumpTooSmallNamesTheChange() throws {
        let plan = PlanText.make([
            "scopes": "[\"crm\", \"task\"]", "requiredMethods": "[\"crm.deal.get\", \"tasks.task.get\"]",
            "scopeUpgrade": "\"reinstall\"",
        ])
        let result = Lint.run(plan: plan, previous: PlanText.previous())
        let finding = try #require(result.only("B24P103"))
        #expect(finding.message == "adding scope `task` requires a major version (2.0.0); the plan declares 1.1.0")
        #expect(finding.notes == ["the published version is 1.0.0; this plan's version is a minor bump"])
        #expect((finding.at, finding.path) == ("3:14", "version"))
    }

    @Test func bumpTooSmallForAMinorChange() throws {
        let plan = PlanText.make(["version": "\"1.0.1\"", "requiredMethods": "[\"crm.deal.get\", \"crm.deal.list\"]"])
        let result = Lint.run(plan: plan, previous: PlanText.previous())
        let finding = try #require(result.only("B24P103"))
        #expect(finding.message == "adding required method `crm.deal.list` requires a minor version (1.1.0); the plan declares 1.0.1")
    }

    @Test func freeVersioningNeverGivesB24P103() {
        let plan = PlanText.make([
            "version": "\"2024.2\"", "versioning": "\"free\"", "scopes": "[\"crm\", \"task\"]",
            "requiredMethods": "[\"crm.deal.get\", \"tasks.task.get\"]", "scopeUpgrade": "\"reinstall\"",
        ])
        let previous = PlanText.previous(["version": "\"2024.1\"", "versioning": "\"free\""])
        let result = Lint.run(plan: plan, previous: previous, path: Lint.path("2024.2"))
        #expect(result.context?.previous != nil, "the published plan is found")
        #expect(result.codes.isEmpty, "\(result.listing)")
    }

    @Test func changelogLanguageDropped() throws {
        let previous = PlanText.previous([
            "changelog": "{ \"en\": \"Shows the deals linked to each task.\", \"ru\": \"Показывает сделки задачи.\" }"
        ])
        let result = Lint.run(plan: PlanText.make(["version": "\"1.0.1\""]), previous: previous)
        let finding = try #require(result.only("B24P104"))
        #expect(finding.message == "the changelog has no \"ru\" text; the published release had one")
        #expect((finding.at, finding.path) == ("4:16", "changelog"))
    }

    @Test func changelogEmpty() throws {
        let empty = Lint.run(plan: PlanText.make(["changelog": "{}"]))
        #expect(empty.only("B24P104")?.message.hasPrefix("the changelog has no entries") == true)
        let text = PlanText.make(["changelog": "{ \"en\": \"Shows the deals linked to each task.\", \"ru\": \" \\n \" }"])
        let blank = Lint.run(plan: text)
        let finding = try #require(blank.only("B24P104"))
        #expect(finding.message == "the changelog for \"ru\" is empty")
        #expect((finding.at, finding.path) == (locationOf("\" \\n \"", in: text), "changelog.ru"))
    }

    @Test func missingChangelogIsB24P004NotB24P104() {
        let result = Lint.run(plan: PlanText.make(["changelog": nil]))
        #expect(result.codes == ["B24P004"])
    }

    @Test func shortChangelogCountsCharactersNotBytes() {
        // "Исправлены ошибки" is 17 characters (33 bytes): short.
        let result = Lint.run(plan: PlanText.make(["changelog": "{ \"en\": \"Bug fixes\", \"ru\": \"Исправлены ошибки\" }"]))
        #expect(
            result.findings("B24P105").map { "\($0.path) \($0.severity) \($0.message)" } == [
                "changelog.en warning the changelog for \"en\" has 9 characters; say what changed in at least 20",
                "changelog.ru warning the changelog for \"ru\" has 17 characters; say what changed in at least 20",
            ])
    }

    @Test func previousPlanForAnotherApp() throws {
        let result = Lint.run(
            plan: PlanText.make(["scopes": "[\"crm\", \"user\"]"]), previous: PlanText.previous(["app": "\"acme.other\""]))
        let finding = try #require(result.only("B24P106"))
        #expect(
            finding.message
                == "this plan is for app \"acme.example\" but the previous plan plans/acme.example/1.0.0.json is for \"acme.other\"")
        #expect((finding.at, finding.path) == ("2:10", "app"))
        #expect(result.findings("B24P103").isEmpty, "no bump check against another app's plan")
    }

    @Test func brokenPreviousPlan() throws {
        let result = Lint.run(plan: PlanText.make(), previous: "{ \"app\": \"acme.example\", \"version\": \"1.0.0\", }\n")
        let finding = try #require(result.only("B24P107"))
        #expect(
            finding.message
                == "the previous plan plans/acme.example/1.0.0.json cannot be used: trailing comma in object: remove the ',' before '}'")
        #expect((finding.file, finding.at) == (Lint.previousPath, "1:44"))
        #expect(result.context?.previous == nil)
        #expect(result.diagnostics.hasErrors)
    }

    @Test func previousPlanThatDoesNotDecode() throws {
        let previous = PlanText.previous(["scopes": "\"crm\""])
        let result = Lint.run(plan: PlanText.make(), previous: previous, against: Lint.previousPath)
        let finding = try #require(result.only("B24P107"))
        #expect(finding.message.hasSuffix("cannot be used: `scopes` must be an array, found string"))
        #expect((finding.file, finding.at) == (Lint.previousPath, "5:13"))
    }

    @Test func missingAgainstFilePointsAtTheVersion() throws {
        let result = Lint.run(plan: PlanText.make(), against: "plans/acme.example/0.9.0.json")
        let finding = try #require(result.only("B24P107"))
        #expect(finding.message == "the previous plan plans/acme.example/0.9.0.json cannot be used: cannot read the plan: no such file")
        #expect((finding.file, finding.at, finding.path) == (Lint.planPath, "3:14", "version"))
    }
}
