import PlanStore
import ReleasePlan

/// A run's portals by state over its reconciling steps — done, needs-reinstall, inactive, failed,
/// pending, every key present — as `status` and `apply` report them. Pending counts the tasks not
/// ended yet and, while a reconciling step is unfinished, the active installations no step has
/// reached (counted in the database: an inactive portal with a task is never counted twice).
enum PortalTotals {
    static let states = ["done", "needs-reinstall", "inactive", "failed", "pending"]

    static func count(
        run: Int, journal: Journal, installations: InstallationStore?, records: [String: Journal.StepRecord], compiled: CompiledPlan?
    ) throws -> [String: Int] {
        let counts = try journal.reconcileCounts(run: run)
        var totals: [String: Int] = [:]
        for state in states { totals[state] = counts[Journal.PortalState(rawValue: state) ?? .pending] ?? 0 }
        totals["pending", default: 0] += counts[.running] ?? 0
        if let installations, reachesPortals(records, compiled: compiled),
            try installations.database.tableExists(installations.mapping.table)
        {
            totals["pending", default: 0] += (try? installations.unreachedCount(run: run)) ?? 0
        }
        return totals
    }

    /// Whether the run still has portals to reach: a reconciling step (reconcile, canary, a wave)
    /// recorded or planned that is not done. Its active installations without a task are pending.
    static func reachesPortals(_ records: [String: Journal.StepRecord], compiled: CompiledPlan?) -> Bool {
        let ids = Set(records.keys).union(compiled?.steps.map(\.id) ?? [])
        return ids.contains { id in
            (id == "portals.reconcile" || id == RolloutPolicy.canaryStep || id.hasPrefix("portals.wave.")) && records[id]?.state != .done
        }
    }
}
