/// Compiles a linted plan into a `CompiledPlan`: classification, changes and the execution graph.
public struct PlanCompiler: Sendable {
    public enum ReconcileMode: String, Sendable, CaseIterable {
        /// Reconcile when a placement or event changed (or an initial release has some).
        case auto
        /// Always reconcile, to repair drift.
        case always
    }

    public var reconcile: ReconcileMode
    /// Installation count for the rollout estimate, with where it came from; nil: no estimate.
    public var installations: (count: Int, source: String)?
    public var parallelism: Int
    /// A rollout in waves (`rollout` in the config, `apply --waves`); nil: one reconcile step.
    public var rolloutPolicy: RolloutPolicy?

    public init(
        reconcile: ReconcileMode = .auto, installations: (count: Int, source: String)? = nil,
        parallelism: Int = RolloutEstimate.defaultParallelism, rolloutPolicy: RolloutPolicy? = nil
    ) {
        self.reconcile = reconcile
        self.installations = installations
        self.parallelism = parallelism
        self.rolloutPolicy = rolloutPolicy
    }

    public func compile(_ plan: Plan, previous: Plan?) -> CompiledPlan {
        let classification = UpdateClassification.classify(plan, previous: previous)
        let changes = previous == nil ? PlanDiff.changes(from: Plan(), to: plan) : classification.changes
        let published = Set(previous?.migrations.map(\.id) ?? [])
        let addedScopes = changes.filter { $0.kind == .scope && $0.action == .added && previous != nil }.map(\.id)
        let reconcileWork = ReconcileWork(plan: plan, changes: changes, isInitial: previous == nil)
        let runsReconcile = reconcile == .always || reconcileWork.hasBindingChanges
        var steps = GraphBuilder(
            plan: plan, newMigrations: plan.migrations.filter { !published.contains($0.id) }.sorted { $0.id < $1.id },
            moderation: classification.moderation, reconcile: runsReconcile ? reconcileWork : nil,
            addedScopes: addedScopes, scopeUpgrade: plan.scopeUpgrade, preflightURLs: HandlerPreflightTargets.urls(changes),
            rolloutPolicy: rolloutPolicy, installations: installations?.count, parallelism: parallelism
        ).build()
        if reconcile == .always, let index = steps.firstIndex(where: { $0.kind == .portalsReconcile }) {
            steps[index].actions.append("read every portal's placements and events and repair any drift (--reconcile always)")
        }
        let rollout = installations.flatMap { installations in
            runsReconcile
                ? RolloutEstimate(
                    installations: installations.count, source: installations.source,
                    writeCommands: reconcileWork.writeCommandsPerPortal, parallelism: parallelism)
                : nil
        }
        return CompiledPlan(
            app: plan.app, from: previous?.version, to: plan.version, updateType: classification.updateType,
            declaredBump: classification.declaredBump, requiredBump: classification.requiredBump,
            effectiveLevel: classification.effectiveLevel, moderation: classification.moderation, changes: changes,
            steps: steps,
            partnerAccount: PartnerAccountValues(
                version: plan.version, changelog: plan.changelog, minimumBitrix24Version: plan.minimumBitrix24Version,
                scopes: plan.scopeCodes),
            rollout: rollout, plan: plan, addedScopes: addedScopes,
            rolloutPolicy: runsReconcile ? rolloutPolicy : nil)
    }
}
