import Testing

@testable import ReleasePlan

/// The change list between two plans and the bump each change requires (DESIGN §5).
struct PlanDiffTests {
    static let tab = PlacementBinding(
        placement: "CRM_DEAL_DETAIL_TAB", handler: "https://app.acme.example/deal", title: "DealSync",
        description: "Linked tasks", groupName: "Sync", options: ["useBuiltInInterface": .bool(true)])
    static let hook = EventBinding(event: "ONCRMDEALUPDATE", handler: "https://app.acme.example/hook")
    static let createLinks = Migration(id: 1, name: "create_deal_links", file: "migrations/0001.sql", sha256: "aa")

    /// The published plan every case starts from.
    static let base = Plan(
        app: "acme.example", version: "1.0.0", changelog: ["en": "First release of the deal tab."],
        minimumBitrix24Version: "24.300.0",
        scopes: [ScopeRequest(code: "crm"), ScopeRequest(code: "placement"), ScopeRequest(code: "user")],
        placements: [tab], events: [hook], requiredMethods: ["crm.deal.get"], migrations: [createLinks])

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let change: @Sendable (inout Plan) -> Void
        /// Each change as `kind action id requires`, in output order.
        let expected: [String]
        let bump: Bump
        var testDescription: String { name }

        init(_ name: String, _ expected: [String], _ bump: Bump, _ change: @escaping @Sendable (inout Plan) -> Void) {
            self.name = name
            self.change = change
            self.expected = expected
            self.bump = bump
        }
    }

    static let cases: [Case] = [
        Case("scope added → major", ["scope added task major"], .major) { $0.scopes.append(ScopeRequest(code: "task")) },
        Case("placement code added → major", ["placement added CRM_LEAD_DETAIL_TAB major"], .major) {
            $0.placements.append(PlacementBinding(placement: "CRM_LEAD_DETAIL_TAB", handler: "https://app.acme.example/lead"))
        },
        Case("monetization model declared (absent meant free) → added, major", ["monetization added model major"], .major) {
            $0.monetization = Monetization(model: .subscription)
        },
        Case("monetization model declared with a trial → one change, major", ["monetization added model major"], .major) {
            $0.monetization = Monetization(model: .paid, trialDays: 14)
        },
        Case("explicit free is no change", [], .patch) { $0.monetization = Monetization(model: .free) },
        Case("trial period only → no change (DESIGN §5 diffs the model)", [], .patch) {
            $0.monetization = Monetization(model: .free, trialDays: 7)
        },
        Case("event added → minor", ["event added ONCRMDEALADD minor"], .minor) {
            $0.events.append(EventBinding(event: "ONCRMDEALADD", handler: "https://app.acme.example/hook"))
        },
        Case("event removed → minor", ["event removed ONCRMDEALUPDATE minor"], .minor) { $0.events = [] },
        Case("event handler changed → minor", ["event changed ONCRMDEALUPDATE minor"], .minor) {
            $0.events[0].handler = "https://app.acme.example/hook2"
        },
        Case("placement removed → minor", ["placement removed CRM_DEAL_DETAIL_TAB minor"], .minor) { $0.placements = [] },
        Case("placement handler changed → minor", ["placement changed CRM_DEAL_DETAIL_TAB minor"], .minor) {
            $0.placements[0].handler = "https://app.acme.example/deal2"
        },
        Case("placement title changed → minor", ["placement changed CRM_DEAL_DETAIL_TAB minor"], .minor) {
            $0.placements[0].title = "DealSync 2"
        },
        Case("placement options changed → minor", ["placement changed CRM_DEAL_DETAIL_TAB minor"], .minor) {
            $0.placements[0].options = [:]
        },
        Case("placement description changed → patch", ["placement changed CRM_DEAL_DETAIL_TAB patch"], .patch) {
            $0.placements[0].description = "Tasks of the deal"
        },
        Case("placement langAll title changed → minor (a title the portal shows)", ["placement changed CRM_DEAL_DETAIL_TAB minor"], .minor)
        {
            $0.placements[0].langAll = ["ru": LocalizedPlacementText(title: "Сделки")]
        },
        Case("placement langAll description only → patch", ["placement changed CRM_DEAL_DETAIL_TAB patch"], .patch) {
            $0.placements[0].langAll = ["ru": LocalizedPlacementText(description: "Связанные задачи")]
        },
        Case("placement code case only → no change (codes are case-insensitive)", [], .patch) {
            $0.placements[0].placement = "crm_deal_detail_tab"
        },
        Case("second binding on an existing code → minor", ["placement added CRM_DEAL_DETAIL_TAB minor"], .minor) {
            $0.placements.append(PlacementBinding(placement: "CRM_DEAL_DETAIL_TAB", handler: "https://app.acme.example/deal2"))
        },
        Case("scope removed → minor", ["scope removed user minor"], .minor) { $0.scopes.removeLast() },
        Case("scope purpose added → no change", [], .patch) { $0.scopes[2].purpose = "Shows names" },
        Case("minimumBitrix24Version changed → minor", ["minimumBitrix24Version changed minimumBitrix24Version minor"], .minor) {
            $0.minimumBitrix24Version = "25.100.0"
        },
        Case("minimumBitrix24Version removed → minor", ["minimumBitrix24Version removed minimumBitrix24Version minor"], .minor) {
            $0.minimumBitrix24Version = nil
        },
        Case("required method added → minor", ["requiredMethod added crm.deal.list minor"], .minor) {
            $0.requiredMethods.append("crm.deal.list")
        },
        Case("required method removed → patch", ["requiredMethod removed crm.deal.get patch"], .patch) { $0.requiredMethods = [] },
        Case("changelog only → patch", ["changelog changed en patch"], .patch) { $0.changelog["en"] = "Fixes the tab." },
        Case("changelog language added → patch", ["changelog added ru patch"], .patch) { $0.changelog["ru"] = "Исправления." },
        Case("migration only → patch", ["migration added 2 patch"], .patch) {
            $0.migrations.append(Migration(id: 2, name: "add_status", file: "migrations/0002.sql", sha256: "bb"))
        },
        Case("migration edited → patch", ["migration changed 1 patch"], .patch) { $0.migrations[0].batchSize = 100 },
        Case("handler host added → patch", ["handlerHosts added app.acme.example patch"], .patch) {
            $0.handlerHosts = ["app.acme.example"]
        },
        Case("nothing changed", [], .patch) { $0.version = "1.0.1" },
    ]

    static func describe(_ changes: [PlanChange]) -> [String] {
        changes.map { "\($0.kind.rawValue) \($0.action.rawValue) \($0.id) \($0.requires.rawValue)" }
    }

    @Test(arguments: cases)
    func bumpRule(_ testCase: Case) {
        var plan = Self.base
        testCase.change(&plan)
        let changes = PlanDiff.changes(from: Self.base, to: plan)
        #expect(Self.describe(changes) == testCase.expected)
        #expect(PlanDiff.requiredBump(changes) == testCase.bump)
    }

    /// DESIGN §5 lists an event's handler change (as removal + addition) as minor, and "everything
    /// else" as patch: an eventType or authType change of the same binding.
    @Test func eventTypeChangeIsAPatch() {
        var plan = Self.base
        plan.events[0].eventType = .offline
        let changes = PlanDiff.changes(from: Self.base, to: plan)
        #expect(changes.map(\.kind) == [.event])
        #expect(PlanDiff.requiredBump(changes) == .patch)
    }

    @Test func singleBindingHandlerChangeIsOneChangeWithBeforeAndAfter() throws {
        var plan = Self.base
        plan.placements[0].handler = "https://app.acme.example/deal2"
        let changes = PlanDiff.changes(from: Self.base, to: plan)
        let change = try #require(changes.first)
        #expect(changes.count == 1)
        #expect((change.action, change.action.symbol, change.id) == (.changed, "~", "CRM_DEAL_DETAIL_TAB"))
        #expect(change.before == PlanValue.placement(Self.tab))
        #expect(change.before?.field("handler") == .string("https://app.acme.example/deal"))
        #expect(change.after?.field("handler") == .string("https://app.acme.example/deal2"))
        #expect(change.after?.field("title") == .string("DealSync"))
        #expect(change.path == ["placements", 0])
        #expect(change.reason == "changing the handler of placement `CRM_DEAL_DETAIL_TAB`")
    }

    @Test func handlerChangeAmongSeveralBindingsIsRemovalAndAddition() {
        var previous = Self.base
        previous.placements.append(PlacementBinding(placement: "CRM_DEAL_DETAIL_TAB", handler: "https://app.acme.example/b"))
        var plan = previous
        plan.placements[1].handler = "https://app.acme.example/c"
        let changes = PlanDiff.changes(from: previous, to: plan)
        #expect(
            changes.map { "\($0.action.symbol) \($0.id) \($0.after?.field("handler") ?? $0.before?.field("handler") ?? .null)" } == [
                "+ CRM_DEAL_DETAIL_TAB \"https://app.acme.example/c\"", "- CRM_DEAL_DETAIL_TAB \"https://app.acme.example/b\"",
            ])
        #expect(PlanDiff.requiredBump(changes) == .minor)
    }

    @Test func changesAreOrderedByKindThenId() {
        var plan = Self.base
        plan.changelog["en"] = "Second release."
        plan.requiredMethods = ["crm.deal.list", "crm.deal.get", "crm.contact.get"]
        plan.scopes += [ScopeRequest(code: "task"), ScopeRequest(code: "im")]
        plan.monetization = Monetization(model: .paid)
        let changes = PlanDiff.changes(from: Self.base, to: plan)
        #expect(
            Self.describe(changes) == [
                "scope added im major", "scope added task major", "monetization added model major",
                "requiredMethod added crm.contact.get minor", "requiredMethod added crm.deal.list minor",
                "changelog changed en patch",
            ])
        #expect(PlanDiff.firstChange(requiring: .major, in: changes)?.reason == "adding scope `im`")
        #expect(PlanDiff.firstChange(requiring: .minor, in: changes)?.reason == "adding required method `crm.contact.get`")
    }

    @Test func addedScopePathPointsIntoTheNewPlan() throws {
        var plan = Self.base
        plan.scopes.insert(ScopeRequest(code: "task"), at: 1)
        let change = try #require(PlanDiff.changes(from: Self.base, to: plan).first)
        #expect(change.path == ["scopes", 1])
        #expect((change.before, change.after) == (nil, .string("task")))
    }

    /// Ids in order on both sides are walked side by side; ids out of order go through dictionaries:
    /// both give the same changes, in id order, each at its first place in the new plan.
    @Test func migrationChangesInAndOutOfOrder() {
        func migration(_ id: Int, _ sha: String = "aa") -> Migration {
            Migration(id: id, name: "step_\(id)", file: "migrations/\(id).sql", sha256: sha)
        }
        var before = PlanDiffTests.base
        before.migrations = [1, 2, 3, 5, 8].map { migration($0) }
        var after = PlanDiffTests.base
        after.migrations = [migration(1), migration(3, "bb"), migration(4), migration(5), migration(9)]
        let inOrder = PlanDiff.changes(from: before, to: after).filter { $0.kind == .migration }
        #expect(
            inOrder.map { "\($0.action.rawValue) \($0.id) \($0.path)" } == [
                "removed 2 migrations", "changed 3 migrations[1]", "added 4 migrations[2]", "removed 8 migrations", "added 9 migrations[4]",
            ])
        var shuffled = after
        shuffled.migrations = [after.migrations[4], after.migrations[2], after.migrations[0], after.migrations[3], after.migrations[1]]
        let outOfOrder = PlanDiff.changes(from: before, to: shuffled).filter { $0.kind == .migration }
        #expect(
            outOfOrder.map { "\($0.action.rawValue) \($0.id) \($0.path)" } == [
                "removed 2 migrations", "changed 3 migrations[4]", "added 4 migrations[1]", "removed 8 migrations", "added 9 migrations[0]",
            ])
        #expect(inOrder.map(\.before) == outOfOrder.map(\.before) && inOrder.map(\.after) == outOfOrder.map(\.after))
    }
}

@Suite("monetization changes")
struct MonetizationChangeTests {
    static func change(from old: Monetization?, to new: Monetization?) -> [String] {
        var previous = PlanDiffTests.base
        previous.monetization = old
        var plan = previous
        plan.monetization = new
        return PlanDiff.changes(from: previous, to: plan).map {
            "\($0.kind.rawValue) \($0.action.rawValue) \($0.id) \($0.requires.rawValue)"
        }
    }

    @Test("a declared model changes, a paid model is dropped, free stays free")
    func actions() {
        #expect(
            Self.change(from: Monetization(model: .free), to: Monetization(model: .subscription)) == ["monetization changed model major"])
        #expect(Self.change(from: Monetization(model: .paid), to: nil) == ["monetization removed model major"])
        #expect(Self.change(from: Monetization(model: .free), to: nil).isEmpty)
        #expect(Self.change(from: nil, to: Monetization(model: .free, trialDays: 30)).isEmpty)
    }
}
