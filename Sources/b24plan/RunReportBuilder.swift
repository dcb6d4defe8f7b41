import Foundation
import PlanStore
import ReleasePlan

/// Gathers a `RunReport` from the state store, reading only: the run's steps and gates, portal
/// states (as `status` counts them), the requests per second the fleet journaled, the problem
/// portals grouped by cause and the installations lacking added scopes. Lists that grow with the
/// fleet are capped (`MemberList.cap`) and hosts are looked up for the listed members only, so a
/// store of 100,000 portals gives a page of bounded size. No token column is read.
struct RunReportBuilder {
    let store: OpenStore

    func build(run: Journal.Run, planFile: (compiled: CompiledPlan, path: String)?) throws -> RunReport {
        let journal = store.journal
        let installations = InstallationStore(database: store.database, mapping: store.config.installations)
        let records = try journal.steps(run: run.id)
        let graphSource = try ReportGraphSource.choose(
            run: run, recorded: Set(records.keys), planFile: planFile, journal: journal, config: store.config)
        let status = try StatusReport.build(
            run: run, journal: journal, compiled: graphSource.compiled, missingScopes: false, installations: installations)
        let steps = status.steps.map { step in
            let planned = graphSource.compiled?.step(step.id)
            return RunReport.Step(
                id: step.id, state: step.state, manual: planned?.manual ?? step.id.hasPrefix("gate."), after: planned?.after ?? [],
                startedAt: step.startedAt, finishedAt: step.finishedAt)
        }
        let gates = try journal.gates(app: run.app, version: run.version).map {
            RunReport.GateEvent(step: $0.stepID, state: $0.state.rawValue, by: $0.passedBy, at: $0.passedAt, reason: $0.reason)
        }
        var failures = FailureGrouping.group(
            try journal.reconcileProblems(run: run.id).map {
                FailureGrouping.Problem(memberID: $0.memberID, state: $0.state.rawValue, lastError: $0.lastError)
            })
        var scopes = FailureGrouping.missingScopes(
            try journal.portalTasks(run: run.id, step: PlanStep.Kind.portalsScopeAudit.rawValue).map { ($0.memberID, $0.missingScopes) })
        let hosts = Self.hosts(
            of: failures.groups.flatMap(\.members) + scopes.flatMap(\.members), installations: installations)
        for index in failures.groups.indices { failures.groups[index].members = failures.groups[index].members.map(hosts) }
        for index in scopes.indices { scopes[index].members = scopes[index].members.map(hosts) }
        return RunReport(
            app: run.app, version: run.version, run: run.id, runState: run.state.rawValue, runKind: run.kind.rawValue,
            updateType: try? journal.updateType(run: run.id), startedAt: run.startedAt.isEmpty ? nil : run.startedAt,
            finishedAt: run.finishedAt,
            graph: RunReport.Graph(source: graphSource.source, note: graphSource.note, steps: steps),
            timeline: RunReport.Timeline(steps: steps.filter { $0.startedAt != nil }, gates: gates),
            portals: try Self.portals(status, steps: steps, run: run, journal: journal, installations: installations),
            rate: try Self.rate(journal.requestRate(run: run.id)), failures: failures,
            missingScopes: scopes)
    }

    /// Totals over every reconciling step, pending including the active installations no started
    /// or planned reconciling step has reached yet (a wave not started has none recorded); a bar per
    /// canary or wave step (one not started is empty), else one for portals.reconcile.
    static func portals(
        _ status: StatusReport, steps: [RunReport.Step], run: Journal.Run, journal: Journal, installations: InstallationStore
    ) throws -> RunReport.Portals {
        func complete(_ counts: [String: Int]) -> [String: Int] {
            var all = Dictionary(uniqueKeysWithValues: PortalStateOrder.states.map { ($0, counts[$0] ?? 0) })
            all["pending", default: 0] += counts["running"] ?? 0
            return all
        }
        let recorded = try journal.reconcileCounts(run: run.id)
        var totals = complete(Dictionary(uniqueKeysWithValues: recorded.map { ($0.key.rawValue, $0.value) }))
        let reconciling = steps.filter {
            $0.id == PlanStep.Kind.portalsReconcile.rawValue || $0.id == RolloutPolicy.canaryStep || $0.id.hasPrefix("portals.wave.")
        }
        if reconciling.contains(where: { $0.state != "done" }),
            (try? installations.database.tableExists(installations.mapping.table)) == true,
            let active = try? installations.count()
        {
            // Recorded portals that are still active: all but the inactive ones (their rows are marked).
            let reached = recorded.values.reduce(0, +) - (recorded[.inactive] ?? 0)
            totals["pending", default: 0] += max(0, active - reached)
        }
        var bars = status.steps.compactMap { step in step.portals.map { RunReport.PortalBar(step: step.id, counts: complete($0)) } }
        if bars.isEmpty, reconciling.contains(where: { $0.id == PlanStep.Kind.portalsReconcile.rawValue }) {
            bars = [RunReport.PortalBar(step: PlanStep.Kind.portalsReconcile.rawValue, counts: totals)]
        }
        return RunReport.Portals(totals: totals, bars: bars)
    }

    /// Seconds summed over the steps (in time order) and each step's totals; not recorded when the
    /// journal predates the table.
    static func rate(_ rows: [Journal.RequestRateRow]?) -> RunReport.RequestRate {
        guard let rows else { return RunReport.RequestRate(recorded: false, points: [], steps: []) }
        var points: [RunReport.RatePoint] = []
        var steps: [String: RunReport.StepRequests] = [:]
        for row in rows {
            let count = row.count
            if points.last?.second == count.second {
                points[points.count - 1].requests += count.requests
                points[points.count - 1].errors += count.errors
            } else {
                points.append(RunReport.RatePoint(second: count.second, requests: count.requests, errors: count.errors))
            }
            var step = steps[row.stepID] ?? RunReport.StepRequests(step: row.stepID, requests: 0, errors: 0, seconds: 0)
            step.requests += count.requests
            step.errors += count.errors
            step.seconds += 1
            steps[row.stepID] = step
        }
        return RunReport.RequestRate(recorded: true, points: points, steps: steps.keys.sorted().compactMap { steps[$0] })
    }

    /// Fills in each listed member's host from the installations' endpoints (none when the table
    /// cannot be read: the report names the member ids alone).
    static func hosts(of members: [RunReport.Member], installations: InstallationStore) -> (RunReport.Member) -> RunReport.Member {
        let ids = members.map(\.memberId)
        var endpoints: [String: String] = [:]
        if !ids.isEmpty, (try? installations.database.tableExists(installations.mapping.table)) == true {
            endpoints = (try? installations.endpoints(memberIDs: ids)) ?? [:]
        }
        return { member in
            var member = member
            member.host = endpoints[member.memberId].flatMap(InstallationStore.host(ofEndpoint:))
            return member
        }
    }

}
