import PlanStore
import ReleasePlan

/// Which plan the report draws a run's graph from (`RunReport.Graph.Source`): the FILE given, else
/// the plan the store keeps for the run's version recompiled against the release before it, else
/// none (the recorded steps in step order, edges unknown). A plan is used only when it has every
/// step the run recorded; otherwise it is not the graph that ran.
struct ReportGraphSource {
    var compiled: CompiledPlan?
    var source: RunReport.Graph.Source
    var note: String

    static func choose(
        run: Journal.Run, recorded: Set<String>, planFile: (compiled: CompiledPlan, path: String)?, journal: Journal, config: AppConfig
    ) throws -> ReportGraphSource {
        let unknownEdges = "the edges between the steps are not known"
        if let planFile {
            let missing = recorded.subtracting(planFile.compiled.steps.map(\.id)).sorted()
            if missing.isEmpty {
                return ReportGraphSource(
                    compiled: planFile.compiled, source: .planFile,
                    note: "Drawn from \(planFile.path), compiled as b24plan status compiles it.")
            }
            return ReportGraphSource(
                compiled: nil, source: .recordedSteps,
                note:
                    "\(planFile.path) compiles to a graph without steps this run recorded (\(missing.prefix(5).joined(separator: ", "))), "
                    + "so shown are the recorded steps in step order; \(unknownEdges).")
        }
        if let stored = try storedPlan(run: run, recorded: recorded, journal: journal, config: config) {
            return ReportGraphSource(
                compiled: stored, source: .storedPlan,
                note: "Drawn from the plan the state store keeps for \(run.app) \(run.version) (b24plan_releases), compiled again "
                    + (stored.from.map { "against \($0), the release before it." } ?? "as an initial release."))
        }
        return ReportGraphSource(
            compiled: nil, source: .recordedSteps,
            note: "The state store keeps no plan that matches this run (a version is kept once published), so shown are the "
                + "steps the run recorded, in step order; \(unknownEdges).")
    }

    /// The run's version as the store published it, compiled against the newest release below it
    /// with the config's rollout (and, when that does not give every recorded step, with the
    /// reconcile forced, as `apply --reconcile always` runs it); nil when none fits.
    static func storedPlan(run: Journal.Run, recorded: Set<String>, journal: Journal, config: AppConfig) throws -> CompiledPlan? {
        guard run.kind == .release, let schema = try journal.recordedSchemaVersion(), schema >= 3,
            let release = try journal.release(app: run.app, version: run.version), let plan = decode(release)
        else { return nil }
        let previous = try journal.releases(app: run.app).first { Journal.isNewer(run.version, than: $0.version) }.flatMap(decode)
        for mode in PlanCompiler.ReconcileMode.allCases {
            let compiled = PlanCompiler(reconcile: mode, rolloutPolicy: config.rollout).compile(plan, previous: previous)
            if recorded.isSubset(of: compiled.steps.map(\.id)) { return compiled }
        }
        return nil
    }

    private static func decode(_ release: Journal.Release) -> Plan? {
        let label = PublishedPlan.label(app: release.app, version: release.version)
        return PlanLoader(fileSystem: InMemoryFileSystem([label: release.planJSON])).load(label).document?.plan
    }
}
