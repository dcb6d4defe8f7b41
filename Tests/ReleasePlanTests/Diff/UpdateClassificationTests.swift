import Testing

@testable import ReleasePlan

/// Update type, declared/required/effective bump and the moderation row (DESIGN §5).
struct UpdateClassificationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let version: String
        let change: @Sendable (inout Plan) -> Void
        let type: UpdateClassification.UpdateType
        let declared: Bump?
        let required: Bump
        let effective: Bump
        /// `row minDays-maxDays minWeeks-maxWeeks`.
        let moderation: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "changelog only: patch, bugfix", version: "1.0.1", change: { $0.changelog["en"] = "Fixes the deal tab." },
            type: .patch, declared: .patch, required: .patch, effective: .patch, moderation: "bugfix 3-5 days 1-2 weeks"),
        Case(
            name: "event added: minor, feature", version: "1.1.0",
            change: { $0.events.append(EventBinding(event: "ONCRMDEALADD", handler: "https://app.acme.example/hook")) },
            type: .minor, declared: .minor, required: .minor, effective: .minor, moderation: "feature 5-10 days 2-6 weeks"),
        Case(
            name: "scope added: major", version: "2.0.0", change: { $0.scopes.append(ScopeRequest(code: "task")) },
            type: .major, declared: .major, required: .major, effective: .major, moderation: "major 7-14 days 3-7 weeks"),
        Case(
            name: "migration added: critical", version: "1.0.1",
            change: { $0.migrations.append(Migration(id: 2, name: "b", file: "m2.sql", sha256: "bb")) },
            type: .critical, declared: .patch, required: .patch, effective: .patch, moderation: "bugfix 3-5 days 1-2 weeks"),
        Case(
            name: "migration with a feature: critical, feature row", version: "1.1.0",
            change: {
                $0.migrations.append(Migration(id: 2, name: "b", file: "m2.sql", sha256: "bb"))
                $0.requiredMethods.append("crm.deal.list")
            },
            type: .critical, declared: .minor, required: .minor, effective: .minor, moderation: "feature 5-10 days 2-6 weeks"),
        Case(
            name: "monetization changed: monetization row", version: "2.0.0", change: { $0.monetization = Monetization(model: .paid) },
            type: .major, declared: .major, required: .major, effective: .major, moderation: "monetization 10-21 days 4-10 weeks"),
        Case(
            name: "declared bump larger than required", version: "2.0.0", change: { $0.changelog["en"] = "A new major line." },
            type: .major, declared: .major, required: .patch, effective: .major, moderation: "major 7-14 days 3-7 weeks"),
        Case(
            name: "declared bump smaller than required", version: "1.0.1", change: { $0.scopes.append(ScopeRequest(code: "task")) },
            type: .major, declared: .patch, required: .major, effective: .major, moderation: "major 7-14 days 3-7 weeks"),
        Case(
            name: "free versioning: no declared bump", version: "2024.2",
            change: {
                $0.versioning = .free
                $0.requiredMethods.append("crm.deal.list")
            },
            type: .minor, declared: nil, required: .minor, effective: .minor, moderation: "feature 5-10 days 2-6 weeks"),
        Case(
            name: "unparseable version: no declared bump", version: "next", change: { _ in },
            type: .patch, declared: nil, required: .patch, effective: .patch, moderation: "bugfix 3-5 days 1-2 weeks"),
    ]

    @Test(arguments: cases)
    func classify(_ testCase: Case) throws {
        var plan = PlanDiffTests.base
        plan.version = testCase.version
        testCase.change(&plan)
        let result = UpdateClassification.classify(plan, previous: PlanDiffTests.base)
        #expect(result.updateType == testCase.type)
        #expect(result.declaredBump == testCase.declared)
        #expect(result.requiredBump == testCase.required)
        #expect(result.effectiveLevel == testCase.effective)
        let row = try #require(result.moderation)
        #expect("\(row.row) \(row.minDays)-\(row.maxDays) days \(row.minWeeks)-\(row.maxWeeks) weeks" == testCase.moderation)
        #expect(result.changes == PlanDiff.changes(from: PlanDiffTests.base, to: plan))
    }

    @Test func initialRelease() {
        let result = UpdateClassification.classify(PlanDiffTests.base, previous: nil)
        #expect(result.updateType == .initial)
        #expect(result.declaredBump == nil && result.requiredBump == nil && result.effectiveLevel == nil)
        #expect(result.moderation == nil)
        #expect(result.changes.isEmpty)
    }

    @Test func declaredBumpComesFromTheTwoVersions() {
        var plan = PlanDiffTests.base
        plan.version = "1.3.0-beta.1"
        #expect(UpdateClassification.declaredBump(plan, previous: PlanDiffTests.base) == .minor)
        var previous = PlanDiffTests.base
        previous.version = "1.0"
        #expect(UpdateClassification.declaredBump(plan, previous: previous) == nil)
    }
}
