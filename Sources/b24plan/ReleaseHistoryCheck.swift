import Foundation
import PlanStore
import ReleasePlan

/// What the store's release history says about an apply (issue 9): the guards of `ReleaseGuard`,
/// the graph of a rollback, and the reconcile a release after a rollback must not skip.
struct ReleaseHistoryCheck {
    let journal: Journal
    let console: Console

    /// Checks the plan to apply against the history (a plan that follows a rolled-back release
    /// already reconciles every portal: the compiler sees the history).
    func apply(_ loaded: LoadedPlan) throws {
        let compiled = loaded.compiled
        try ReleaseGuard(journal: journal).checkApply(app: compiled.app, version: compiled.to, planPath: loaded.planPath)
        // Resuming a published release runs what was published, never a later edit of its file.
        if let release = try journal.release(app: compiled.app, version: compiled.to), release.planSHA256 != loaded.planSHA256 {
            throw ReleaseGuard.Refusal(
                message: "\(loaded.planPath) is not the plan published as \(compiled.app) \(compiled.to) (sha256 \(loaded.planSHA256), "
                    + "published \(release.planSHA256)): a published release is not edited; restore the file, or bump the version "
                    + "(b24plan bump patch \(loaded.planPath)) for the change")
        }
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
        // Shown and compiled against the release it rolls back from, so the diff lists what goes.
        var older = compiled.plan
        var newer: Plan?
        if let newest = try journal.newestPublished(app: compiled.app) {
            let label = PublishedPlan.label(app: newest.app, version: newest.version)
            newer = PlanLoader(fileSystem: InMemoryFileSystem([label: newest.planJSON])).load(label).document?.plan
        }
        // The app's notice shows the restored release (under the newer release's option when the
        // older one declared none), never the release that was rolled back.
        if older.notice == nil, let notice = newer?.notice { older.notice = notice }
        var plan = loaded
        plan.compiled = Self.rollbackGraph(PlanCompiler(reconcile: .always).compile(older, previous: newer))
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
