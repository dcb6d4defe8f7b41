import Foundation
import PlanStore
import ReleasePlan

/// What the store's release history says about an apply (issue 9): the guards of `ReleaseGuard`,
/// and a rollback's plan (`PlanCompiler.compileRollback`) against the release it rolls back from.
struct ReleaseHistoryCheck {
    let journal: Journal

    /// Checks the plan to apply against the history (a plan that follows a rolled-back release
    /// already reconciles every portal: the compiler sees the history).
    func apply(_ loaded: LoadedPlan) throws {
        let compiled = loaded.compiled
        try ReleaseGuard(journal: journal).checkApply(app: compiled.app, version: compiled.to, planPath: loaded.planPath)
        try checkUnedited(loaded)
    }

    /// `reconcile` binds the published release on portals: its file as published, never an edit.
    func reconcile(_ loaded: LoadedPlan) throws {
        try ReleaseGuard(journal: journal).checkReconcile(app: loaded.compiled.app, version: loaded.compiled.to)
        try checkUnedited(loaded)
    }

    /// A published release runs what was published, never a later edit of its file.
    private func checkUnedited(_ loaded: LoadedPlan) throws {
        let compiled = loaded.compiled
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
        // Compiled against the release it rolls back from, so the plan shown lists what goes.
        var newer: Plan?
        if let newest = try journal.newestPublished(app: compiled.app) {
            let label = PublishedPlan.label(app: newest.app, version: newest.version)
            newer = PlanLoader(fileSystem: InMemoryFileSystem([label: newest.planJSON])).load(label).document?.plan
        }
        var plan = loaded
        plan.compiled = PlanCompiler().compileRollback(compiled.plan, from: newer)
        return (plan, try journal.rollbackRunVersion(app: compiled.app, to: compiled.to))
    }
}
