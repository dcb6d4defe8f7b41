/// `apply --rollback OLDER` (DESIGN §6): the graph that restores an older published release's
/// bindings on every portal, compiled against the release it rolls back from.
extension PlanCompiler {
    /// `older`'s placements, events and release notice on every portal, and nothing else: one
    /// `portals.reconcile` step (migrations are forward-only). The changes are those from `newer`
    /// (what goes). When `older` declared no notice but `newer` did, the notice keeps `newer`'s
    /// option and shows `older`, so the app never announces the release that was rolled back.
    public func compileRollback(_ older: Plan, from newer: Plan?) -> CompiledPlan {
        var restored = older
        if restored.notice == nil, let notice = newer?.notice { restored.notice = notice }
        var always = self
        always.reconcile = .always
        // A rollback restores every portal at once: no waves.
        always.rolloutPolicy = nil
        var compiled = always.compile(restored, previous: newer)
        let preflight = GraphBuilder.preflightStep(compiled.preflightURLs, after: [])
        compiled.steps =
            (preflight.map { [$0] } ?? []) + [
                PlanStep(
                    id: PlanStep.Kind.portalsReconcile.rawValue, kind: .portalsReconcile, after: preflight.map { [$0.id] } ?? [],
                    actions: [
                        "restore \(older.app) \(older.version)'s placements, events and release notice on every portal "
                            + "(unbind what later releases added)",
                        "no migration runs: the schema is forward-only; ship a forward fix for data",
                    ])
            ]
        return compiled
    }
}
