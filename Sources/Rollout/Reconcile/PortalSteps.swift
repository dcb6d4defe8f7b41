import Foundation
import PlanStore
import ReleasePlan

/// Runs `portals.reconcile` and `portals.scope-audit` for the apply executor.
public struct PortalSteps: PortalStepRunner, @unchecked Sendable {
    public let fleet: PortalFleet
    public let selection: PortalFleet.Selection
    public let journal: Journal

    /// An extra SQL condition on the installations (`--where`).
    public let whereClause: String?
    /// Only these installations (`--member-id`).
    public let memberIDs: [String]?
    /// A worker (`apply --worker`) only claims portals; the coordinator also seeds them.
    public var isWorker = false
    /// Who claims portals in a shared run (PostgreSQL).
    public var owner = RunLock.defaultOwner()
    public var leaseSeconds: TimeInterval = 120
    /// A repair run (`reconcile --member-id A,B | --where | --all`) is about the selected portals
    /// alone: its step is done once they are. A release's apply narrowed by `--where` or
    /// `--member-id` is not: its step waits until every active installation is reached.
    public var selectionIsWholeRun = false

    public init(
        fleet: PortalFleet, journal: Journal, selection: PortalFleet.Selection = .unfinished, where whereClause: String? = nil,
        memberIDs: [String]? = nil
    ) {
        self.fleet = fleet
        self.journal = journal
        self.selection = selection
        self.whereClause = whereClause
        self.memberIDs = memberIDs
    }

    public func run(_ step: PlanStep, compiled: CompiledPlan, runID: Int, reporter: any ApplyReporter) throws -> (Journal.StepState, String)
    {
        let fleet = self.fleet
        let whereClause = self.whereClause
        let memberIDs = self.memberIDs
        let started = Date()
        // A canary or wave records its members as pending before it starts: the journal holds the
        // membership, a halt leaves the unvisited ones pending, and --retry failed continues the
        // whole wave (its unvisited portals too).
        let isWave = step.kind == .portalsCanary || step.kind == .portalsWave
        let scope = isWave ? try WaveScope(step: step, policy: compiled.rolloutPolicy, journal: journal, runID: runID) : WaveScope()
        if isWave {
            _ = try journal.seedPortalTasks(
                run: runID, step: step.id, installations: fleet.installations, where: WaveScope.combine(whereClause, scope.whereClause),
                memberIDs: WaveScope.combine(memberIDs, scope.memberIDs), reset: [], memberFilter: scope.memberFilter)
        }
        if step.kind == .portalsCanary, try journal.portalCounts(run: runID, step: step.id).values.reduce(0, +) == 0 {
            let named: String
            switch compiled.rolloutPolicy?.canary {
            case .memberIDs(let ids)?: named = "memberIds " + ids.prefix(10).joined(separator: ", ") + (ids.count > 10 ? ", …" : "")
            case .whereClause(let clause)?: named = "where \(clause)"
            case nil: named = "nothing"
            }
            throw BitrixError.malformed(
                "the canary (rollout.canary: \(named)) matched no active installation: it would prove nothing; "
                    + "name installed member ids or a where that matches some, then apply again")
        }
        let selection: PortalFleet.Selection = isWave && self.selection == .failed ? .unfinished : self.selection
        // Portals this run will visit, for "remaining" and the ETA (an estimate: --retry narrows it).
        let before = try journal.portalCounts(run: runID, step: step.id)
        let settled = [Journal.PortalState.done, .needsReinstall, .inactive].map { before[$0] ?? 0 }.reduce(0, +)
        let total =
            isWave
            ? before.values.reduce(0, +) - (selection == .unfinished ? settled : 0)
            : memberIDs?.count ?? max(0, (try? fleet.installations.count(where: whereClause)) ?? 0)
                - (selection == .unfinished ? settled : 0)
        if selection == .unfinished, let failed = before[.failed], failed > 0 {
            reporter.output(
                step,
                line: "retrying \(failed) failed portal\(failed == 1 ? "" : "s") and every portal not yet done; "
                    + "\(before[.needsReinstall] ?? 0) needs-reinstall and \(before[.inactive] ?? 0) inactive are left as they are "
                    + "(--retry needs-reinstall takes those)")
        }
        let progress: @Sendable (PortalFleet.Summary) -> Void = { summary in
            let elapsed = max(0.001, Date().timeIntervalSince(started))
            reporter.progress(step, Self.progressText(summary, total: total, elapsed: elapsed))
        }
        switch step.kind {
        case .portalsReconcile, .portalsCanary, .portalsWave:
            let task = PortalReconcileTask(plan: compiled.plan, landingUnbinds: try journal.sitesUnbinds(for: compiled), mode: .apply)
            var watch = progress
            if let policy = compiled.rolloutPolicy, step.kind != .portalsReconcile {
                let health = fleet.health
                watch = { summary in
                    progress(summary)
                    if let reason = WaveHalt.reason(summary.counts, policy: policy, finished: false) { health.stop(.halted(reason)) }
                }
            }
            do {
                try runPortals(step, runID: runID, reporter: reporter, selection: selection, scope: scope, onProgress: watch) {
                    session, _ in
                    await task.run(session)
                }
            } catch let stopped as FleetStopped {
                guard case .halted = stopped.reason else { throw stopped }
            }
            if let policy = compiled.rolloutPolicy, step.kind != .portalsReconcile {
                let counts = try journal.portalCounts(run: runID, step: step.id)
                if let reason = WaveHalt.reason(counts, policy: policy, finished: true) {
                    let causes = WaveHalt.causes(try journal.portalTasks(run: runID, step: step.id))
                    return (
                        .halted,
                        "\(step.id) halted: \(reason). \(causes) Later waves were not started. Fix the cause, then "
                            + "apply again (or apply --retry failed) to continue this wave. (\(Self.countsText(counts)))"
                    )
                }
            }
        case .portalsScopeAudit:
            let added = compiled.addedScopes
            let reconciled = Dictionary(
                (try journal.reconcileTasks(run: runID)).map { ($0.memberID, $0) },
                uniquingKeysWith: { first, _ in first })
            try runPortals(step, runID: runID, reporter: reporter, selection: selection, onProgress: progress) { session, installation in
                await ScopeAudit(addedScopes: added).run(session, reconciled: reconciled[installation.memberID])
            }
        default:
            throw BitrixError.malformed("\(step.id) is not a portal step")
        }
        let counts = try journal.portalCounts(run: runID, step: step.id)
        let detail = Self.countsText(counts)
        // A wave below its halt threshold is done with its failed portals recorded: the next wave may
        // start (apply --retry failed retries them); the single reconcile waits for every portal.
        let failedCount = step.kind == .portalsCanary || step.kind == .portalsWave ? 0 : counts[.failed] ?? 0
        let unfinished = failedCount + (counts[.pending] ?? 0) + (counts[.running] ?? 0)
        // --where or --member-id narrowed this run: the step is done only once every active
        // installation has its task, or a later plain apply would never reach the others.
        if !isWave, !selectionIsWholeRun, unfinished == 0, whereClause != nil || memberIDs != nil {
            let others = try fleet.installations.unreachedCount(run: runID, step: step.id)
            if others > 0 {
                return (
                    .waiting,
                    "\(detail); \(others) other active installation\(others == 1 ? "" : "s") not reached (--where/--member-id "
                        + "narrowed this apply): apply again without them to finish the step"
                )
            }
        }
        return (unfinished == 0 ? .done : .waiting, detail)
    }

    /// Pages through the installations (SQLite), or seeds and claims them (PostgreSQL), so that
    /// workers can share the run.
    private func runPortals(
        _ step: PlanStep, runID: Int, reporter: any ApplyReporter, selection: PortalFleet.Selection, scope: WaveScope = WaveScope(),
        onProgress: @escaping @Sendable (PortalFleet.Summary) -> Void,
        task: @escaping @Sendable (PortalSession, InstallationStore.Installation) async -> PortalOutcome
    ) throws {
        let fleet = self.fleet
        fleet.health.setNoticeHandler { reporter.output(step, line: $0) }
        let whereClause = WaveScope.combine(self.whereClause, scope.whereClause)
        let memberIDs = WaveScope.combine(self.memberIDs, scope.memberIDs)
        let memberFilter = scope.memberFilter
        // A server database (PostgreSQL, MySQL/MariaDB) shares the run through claims; SQLite pages.
        guard journal.database.dialect != .sqlite else {
            _ = try BlockingTask.run {
                try await fleet.run(
                    runID: runID, stepID: step.id, selection: selection, where: whereClause, memberIDs: memberIDs,
                    memberFilter: memberFilter, onProgress: onProgress, task: task)
            }
            return
        }
        if !isWorker {
            let reset: [Journal.PortalState]
            switch selection {
            case .unfinished: reset = [.failed]
            case .failed: reset = [.failed]
            case .needsReinstall: reset = [.needsReinstall]
            case .any: reset = [.done, .failed, .needsReinstall, .inactive]
            }
            try journal.seedPortalTasks(
                run: runID, step: step.id, installations: fleet.installations, where: whereClause, memberIDs: memberIDs, reset: reset,
                memberFilter: memberFilter)
        }
        let (owner, lease) = (self.owner, self.leaseSeconds)
        _ = try BlockingTask.run {
            try await fleet.runClaiming(
                runID: runID, stepID: step.id, owner: owner, leaseSeconds: lease, onProgress: onProgress,
                onNotice: { reporter.output(step, line: $0) }, task: task)
        }
    }

    public static func countsText(_ counts: [Journal.PortalState: Int]) -> String {
        let order: [Journal.PortalState] = [.done, .needsReinstall, .inactive, .failed, .pending]
        return order.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
    }

    /// "120/2000 portals (…), 2 failed, 1880 remaining, 95.0/s, ETA 20 s".
    static func progressText(_ summary: PortalFleet.Summary, total: Int, elapsed: Double) -> String {
        let rate = Double(summary.processed) / elapsed
        let remaining = max(0, total - summary.processed)
        let eta = rate > 0 ? Int((Double(remaining) / rate).rounded(.up)) : 0
        return "\(summary.processed)/\(max(total, summary.processed)) portals (\(countsText(summary.counts))), "
            + "\(remaining) remaining, \(String(format: "%.1f", rate))/s, ETA \(eta / 60) min \(eta % 60) s"
    }
}

/// `portals.scope-audit` for one portal: which newly added scopes its token lacks.
struct ScopeAudit: Sendable {
    let addedScopes: [String]

    func run(_ session: PortalSession, reconciled: Journal.PortalTask?) async -> PortalOutcome {
        if let reconciled, reconciled.state == .done || reconciled.state == .needsReinstall {
            let missing = Set((reconciled.missingScopes ?? "").split(separator: ",").map(String.init))
            let lacking = addedScopes.filter(missing.contains)
            return PortalOutcome(state: lacking.isEmpty ? .done : .needsReinstall, missingScopes: lacking)
        }
        do {
            let granted = Set(try await session.call("scope").elementsOrEmpty.compactMap(\.text))
            let lacking = addedScopes.filter { !granted.contains($0) }
            return PortalOutcome(state: lacking.isEmpty ? .done : .needsReinstall, missingScopes: lacking)
        } catch {
            return PortalOutcome.from(error, health: session.health)
        }
    }
}

/// Runs async work from synchronous code (the CLI and the executor are synchronous).
public enum BlockingTask {
    final class Box<T>: @unchecked Sendable {
        var result: Result<T, Error>?
    }

    public static func run<T>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let box = Box<T>()
        let semaphore = DispatchSemaphore(value: 0)
        Task.detached {
            do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
            semaphore.signal()
        }
        semaphore.wait()
        return try box.result!.get()
    }
}
