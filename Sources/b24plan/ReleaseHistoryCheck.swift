import Foundation
import PlanStore
import ReleasePlan

/// What the store's release history says about an apply (issue 9): the guards of `ReleaseGuard`,
/// the graph of a rollback, and the reconcile a release after a rollback must not skip.
struct ReleaseHistoryCheck {
    let journal: Journal
    let console: Console

    /// The plan to apply: checked against the history; recompiled with the portal reconcile when
    /// the newest release was rolled back (its portals hold an older release's bindings). Nil after
    /// printing why a saved plan cannot be used.
    func apply(_ loaded: LoadedPlan, arguments: ParsedArguments) throws -> LoadedPlan? {
        let compiled = loaded.compiled
        try ReleaseGuard(journal: journal).checkApply(app: compiled.app, version: compiled.to, planPath: loaded.planPath)
        // The newest release before this one: when it was rolled back, the portals hold an older
        // release's bindings whatever this plan's diff says.
        guard let newest = try journal.releases(app: compiled.app).first(where: { $0.version != compiled.to }),
            newest.state == .rolledBack, compiled.step("portals.reconcile") == nil
        else { return loaded }
        let note =
            "\(compiled.app) \(newest.version) was rolled back to \(newest.rolledBackTo ?? "an older release"): "
            + "the portals hold that release's bindings, so \(compiled.to) reconciles every portal"
        guard !loaded.isSaved else {
            console.writeError(
                "error: \(note); this saved plan has no portals.reconcile step: run diff --out again with --reconcile always\n")
            return nil
        }
        console.writeError("note: \(note)\n")
        var always = arguments
        always.values["reconcile"] = "always"
        return try LoadedPlan.load(loaded.planPath, arguments: always, console: console, history: StoreHistory.from(journal))
    }

    /// A rollback to `loaded` (an older published release): only `portals.reconcile`, to its
    /// bindings; migrations are forward-only. Returns the plan and the run's version.
    func rollback(_ loaded: LoadedPlan) throws -> (LoadedPlan, String) {
        let compiled = loaded.compiled
        let release = try ReleaseGuard(journal: journal).checkRollback(app: compiled.app, version: compiled.to)
        guard release.planSHA256 == loaded.planSHA256 else {
            throw ReleaseGuard.Refusal(
                message: "\(loaded.planPath) is not the plan that was published as \(compiled.app) \(compiled.to) "
                    + "(sha256 \(loaded.planSHA256), published \(release.planSHA256)): a rollback restores exactly what was "
                    + "published; restore that file (b24plan log --format json shows its digest)")
        }
        var plan = loaded
        plan.compiled = Self.rollbackGraph(compiled)
        return (plan, try journal.rollbackRunVersion(app: compiled.app, to: compiled.to))
    }

    /// The rollback graph: `portals.reconcile` to the older release's bindings, nothing else.
    static func rollbackGraph(_ compiled: CompiledPlan) -> CompiledPlan {
        var rollback = compiled
        let reconcile = PlanStep(
            id: PlanStep.Kind.portalsReconcile.rawValue, kind: .portalsReconcile,
            actions: [
                "restore \(compiled.app) \(compiled.to)'s placements, events and release notice on every portal "
                    + "(unbind what later releases added)",
                "no migration runs: the schema is forward-only; ship a forward fix for data",
            ])
        rollback.steps = [reconcile]
        return rollback
    }
}
