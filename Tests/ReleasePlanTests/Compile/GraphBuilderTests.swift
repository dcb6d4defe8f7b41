import Testing

@testable import ReleasePlan

@Suite("execution graph")
struct GraphBuilderTests {
    static let base = Plan(
        app: "acme.example", version: "1.0.0", changelog: ["en": "Shows the deals linked to each task."],
        scopes: [ScopeRequest(code: "crm"), ScopeRequest(code: "placement")],
        placements: [PlacementBinding(placement: "CRM_DEAL_DETAIL_TAB", handler: "https://app.acme.example/deal")],
        migrations: [Migration(id: 1, name: "create", file: "m/1.sql", sha256: "a")],
        deploy: Deploy(command: ["./deploy.sh"]))

    func ids(_ plan: Plan, previous: Plan?, reconcile: PlanCompiler.ReconcileMode = .auto) -> [String] {
        PlanCompiler(reconcile: reconcile).compile(plan, previous: previous).steps.map(\.id)
    }

    @Test("schema migrations in id order, then data migrations; deploy waits for the schema only")
    func migrationOrder() throws {
        var plan = Self.base
        plan.version = "1.0.1"
        plan.migrations += [
            Migration(id: 2, name: "backfill", file: "m/2.sql", sha256: "b", perPortal: true, batchSize: 100),
            Migration(id: 3, name: "add", file: "m/3.sql", sha256: "c"),
            Migration(id: 4, name: "index", file: "m/4.sql", sha256: "d", transaction: false),
        ]
        let compiled = PlanCompiler().compile(plan, previous: Self.base)
        #expect(
            compiled.steps.map(\.id) == [
                "migrate.schema.3", "migrate.schema.4", "migrate.data.2", "deploy", "gate.partner", "gate.moderation",
            ])
        #expect(compiled.step("migrate.schema.3")?.after == [])
        #expect(compiled.step("migrate.schema.4")?.after == ["migrate.schema.3"])
        #expect(compiled.step("migrate.data.2")?.after == ["migrate.schema.4"])
        #expect(compiled.step("deploy")?.after == ["migrate.schema.4"])
        #expect(compiled.step("migrate.schema.4")?.actions.first?.contains("outside a transaction") == true)
        #expect(compiled.updateType == .critical)
    }

    @Test("steps with nothing to do are left out")
    func omittedSteps() {
        var patch = Self.base
        patch.version = "1.0.1"
        patch.changelog = ["en": "Fixes the tab's layout on narrow screens."]
        #expect(ids(patch, previous: Self.base) == ["deploy", "gate.partner", "gate.moderation"])
        #expect(ids(patch, previous: Self.base, reconcile: .always) == ["deploy", "gate.partner", "gate.moderation", "portals.reconcile"])
    }

    @Test("an initial release with placements reconciles; a scope added brings the scope audit")
    func reconcileAndAudit() {
        // New handler URLs: the preflight checks them before the reconcile.
        #expect(
            ids(Self.base, previous: nil) == [
                "migrate.schema.1", "deploy", "gate.partner", "gate.moderation", "portals.preflight", "portals.reconcile",
            ])
        var major = Self.base
        major.version = "2.0.0"
        major.scopes.append(ScopeRequest(code: "task"))
        major.scopeUpgrade = .incremental
        major.placements.append(PlacementBinding(placement: "TASK_VIEW_TAB", handler: "https://app.acme.example/task"))
        let compiled = PlanCompiler().compile(major, previous: Self.base)
        #expect(
            compiled.steps.map(\.id) == [
                "deploy", "gate.partner", "gate.moderation", "portals.preflight", "portals.reconcile", "portals.scope-audit",
            ])
        #expect(compiled.step("portals.preflight")?.after == ["gate.moderation"])
        #expect(compiled.step("portals.reconcile")?.after == ["portals.preflight"])
        #expect(
            compiled.preflightURLs == compiled.step("portals.preflight")?.actions.dropFirst().map { String($0.dropFirst("check ".count)) })
        #expect(compiled.step("portals.scope-audit")?.after == ["portals.reconcile"])
        #expect(compiled.step("portals.scope-audit")?.actions.first?.contains("extra OAuth flow") == true)
        #expect(compiled.addedScopes == ["task"])
        #expect(compiled.step("portals.reconcile")?.actions.contains { $0.hasPrefix("placement.bind TASK_VIEW_TAB") } == true)
    }

    @Test("a scope added without binding changes: the audit follows moderation directly")
    func auditWithoutReconcile() {
        var plan = Self.base
        plan.version = "2.0.0"
        plan.scopes.append(ScopeRequest(code: "user", purpose: "names"))
        plan.scopeUpgrade = .reinstall
        let compiled = PlanCompiler().compile(plan, previous: Self.base)
        #expect(compiled.steps.map(\.id) == ["deploy", "gate.partner", "gate.moderation", "portals.scope-audit"])
        #expect(compiled.step("portals.scope-audit")?.after == ["gate.moderation"])
    }

    @Test("deploy without a command is a manual gate; gates are manual")
    func manualSteps() {
        var plan = Self.base
        plan.deploy = nil
        let compiled = PlanCompiler().compile(plan, previous: nil)
        #expect(compiled.step("deploy")?.manual == true)
        #expect(compiled.step("deploy")?.command == nil)
        #expect(compiled.steps.filter(\.manual).map(\.id) == ["deploy", "gate.partner", "gate.moderation"])
        #expect(PlanCompiler().compile(Self.base, previous: nil).step("deploy")?.command == ["./deploy.sh"])
    }

    @Test("compilation is deterministic, and every edge points at an earlier step")
    func determinism() {
        var plan = Self.base
        plan.version = "2.0.0"
        plan.events = (0..<20).map { EventBinding(event: "ONCRMDEALUPDATE", handler: "https://app.acme.example/h\($0)") }
        plan.placements = []
        let first = PlanCompiler().compile(plan, previous: Self.base)
        for _ in 0..<20 {
            #expect(PlanCompiler().compile(plan, previous: Self.base) == first)
        }
        var seen = Set<String>()
        for step in first.steps {
            #expect(step.after.allSatisfy(seen.contains), "\(step.id) depends on a later step")
            seen.insert(step.id)
        }
    }

    @Test("rollout estimate: installations × requests ÷ (parallel × 2/s), with its inputs")
    func rollout() throws {
        var plan = Self.base
        plan.version = "1.1.0"
        plan.events = (0..<60).map { EventBinding(event: "ONCRMDEALUPDATE", handler: "https://app.acme.example/h\($0)") }
        let compiled = PlanCompiler(installations: (count: 6400, source: "--installations"), parallelism: 32)
            .compile(plan, previous: Self.base)
        let rollout = try #require(compiled.rollout)
        #expect(rollout.requestsPerPortal == 3)  // one read batch + 60 binds in two write batches
        #expect(rollout.seconds == 300)
        #expect(
            rollout.summary
                == "6400 installations (--installations) × 3 requests ÷ (32 portals in parallel × 2 requests/s per portal) ≈ 5 min 0 s")
    }
}
