import Testing

@testable import ReleasePlan

@Suite("apply --rollback: the graph")
struct RollbackCompileTests {
    static let older = GraphBuilderTests.base

    static var newer: Plan {
        var plan = GraphBuilderTests.base
        plan.version = "2.0.0"
        plan.scopes.append(ScopeRequest(code: "task"))
        plan.placements.append(PlacementBinding(placement: "TASK_VIEW_TAB", handler: "https://app.acme.example/task"))
        plan.migrations.append(Migration(id: 2, name: "more", file: "m/2.sql", sha256: "b"))
        plan.notice = Notice(option: "release_notice")
        return plan
    }

    @Test("only portals.reconcile, to the older release, shown against the newer one; no migration, no gate")
    func reconcileOnly() {
        let compiled = PlanCompiler().compileRollback(Self.older, from: Self.newer)
        #expect(compiled.steps.map(\.id) == ["portals.reconcile"])
        #expect(compiled.steps.first?.after == [])
        #expect(compiled.steps.first?.actions.contains { $0.contains("forward-only") } == true)
        #expect((compiled.from, compiled.to) == ("2.0.0", "1.0.0"))
        #expect(compiled.changes.contains { $0.kind == .placement && $0.action == .removed && $0.id == "TASK_VIEW_TAB" })
        #expect(compiled.plan.placements.map(\.placement) == ["CRM_DEAL_DETAIL_TAB"], "the older bindings are what portals get")
    }

    @Test("the notice keeps the newer release's option and announces the older one")
    func notice() {
        let compiled = PlanCompiler().compileRollback(Self.older, from: Self.newer)
        #expect(compiled.plan.notice?.option == "release_notice")
        #expect(compiled.plan.version == "1.0.0")
        #expect(PlanCompiler().compileRollback(Self.older, from: nil).plan.notice == nil, "nothing to restore without a newer notice")
    }
}
