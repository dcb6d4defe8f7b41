import Foundation
import PlanStore
import ReleasePlan
import Rollout

/// `b24plan reconcile FILE --member-id A,B | --where SQL | --all`: the published release's full
/// reconcile on the selected portals, as a repair run of its own (`<version>+repair.<n>`) that the
/// apply executor runs with apply's pacing, progress, states, signals and worker claims.
struct BulkRepair {
    let arguments: ParsedArguments
    let console: Console
    let store: OpenStore
    let loaded: LoadedPlan

    func run(memberIDs: [String]?) throws -> ExitCode {
        let (database, journal, config) = (store.database, store.journal, store.config)
        var compiled = loaded.compiled
        // A release still rolling out in waves: a bulk repair would bind it past a gate or a halt.
        if let run = try journal.run(app: compiled.app, version: compiled.to), run.state.isOpen {
            let rolling = try journal.steps(run: run.id).filter {
                ($0.key == "portals.canary" || $0.key.hasPrefix("portals.wave.")) && $0.value.state != .done
            }
            if let step = rolling.keys.sorted().first, let state = rolling[step]?.state {
                console.writeError(
                    "error: \(compiled.app) \(compiled.to) is still rolling out in waves (\(step): \(state.rawValue)): a bulk repair "
                        + "would bind it on portals its rollout has not reached; continue the rollout with b24plan apply "
                        + "\(loaded.planPath), or repair single portals with --member-id ID\n")
                return .failure
            }
        }
        let reconcile = PlanStep(
            id: "portals.reconcile", kind: .portalsReconcile, after: [],
            actions: ["the published release's full reconcile on every selected portal"])
        compiled.steps = [reconcile]
        compiled.rolloutPolicy = nil
        if let memberIDs {
            // Ids that are no active installation are named, not silently left out.
            let installations = InstallationStore(database: database, mapping: config.installations)
            var found = Set<String>()
            let unique = Array(Set(memberIDs)).sorted()
            for start in stride(from: 0, to: unique.count, by: 500) {
                let chunk = Array(unique[start..<min(start + 500, unique.count)])
                found.formUnion(try installations.installations(after: nil, limit: chunk.count, memberIDs: chunk).map(\.memberID))
            }
            let unknown = unique.filter { !found.contains($0) }
            if !unknown.isEmpty {
                let shown = unknown.prefix(10).joined(separator: ", ") + (unknown.count > 10 ? ", … (\(unknown.count - 10) more)" : "")
                console.writeError(
                    "error: \(unknown.count) of the \(unique.count) member ids \(unknown.count == 1 ? "is" : "are") no active installation: "
                        + "\(shown); nothing was reconciled\n")
                return .failure
            }
        }
        let parallel = try arguments.positiveInteger("parallel") ?? RolloutEstimate.defaultParallelism
        try OpenFileBudget(parallel: parallel).reserve()
        let json = format(arguments) == "json"
        let redactor = KnownSecrets.redactor(environment: console.environment, arguments: arguments).adding(store.url.secrets)
        let lock = try RunLock.acquire(database: database, app: compiled.app)
        _ = lock.keepAlive()
        defer { lock.release() }
        let runVersion = try journal.repairRunVersion(app: compiled.app, of: compiled.to)
        let whereClause = try PortalOptions.whereClause(arguments)
        var portalSteps = LazyPortalSteps(selection: .unfinished, whereClause: whereClause, memberIDs: memberIDs, leaseSeconds: 120) {
            try PortalOptions.fleet(
                database: database, journal: journal, config: config, parallel: parallel, arguments: arguments,
                environment: console.environment, access: .writing, store: store.url)
        }
        portalSteps.selectionIsWholeRun = true
        let url = store.url
        var environment = ApplyExecutor.Environment(
            database: database, journal: journal, config: config, planDirectory: loaded.directory,
            openConnection: { try DatabaseConnector.open(url) }, parallel: parallel,
            deployHook: ChildProcessDeployHook(redactor: redactor, interruption: .shared), portalSteps: portalSteps,
            reporter: ConsoleReporter(console: console, jsonMode: json))
        environment.planReference = loaded.planPath
        environment.redactor = redactor
        environment.interruption = .shared
        environment.runVersion = runVersion
        environment.runKind = .repair
        // A resumed repair runs its step again: portals already done in it are skipped.
        environment.rerun = [reconcile.id]
        if !json {
            let selected =
                memberIDs.map { "\($0.count) installation\($0.count == 1 ? "" : "s")" }
                ?? whereClause.map { "installations where \($0)" } ?? "every active installation"
            console.write("repair \(runVersion): \(compiled.app) \(compiled.to) on \(selected)\n")
        }
        let outcome = try ApplyExecutor(environment).apply(compiled, planSHA256: loaded.planSHA256)
        let counts = try journal.portalCounts(run: outcome.runID, step: reconcile.id)
        let unfinished = counts.filter { $0.key != .done && $0.key != .inactive }.values.reduce(0, +)
        if json {
            console.write(
                try JSONOutput.encode(
                    RepairDocument(
                        app: compiled.app, version: compiled.to, run: runVersion, complete: outcome.isComplete && unfinished == 0,
                        interrupted: Interruption.shared.signal != nil, failure: outcome.failure?.message,
                        states: Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }))))
        } else {
            var text = "\n"
            if Interruption.shared.signal != nil {
                text += "repair interrupted; every portal's state is recorded: run the same reconcile again to resume.\n"
            } else if let failure = outcome.failure {
                text += "repair failed: \(failure.message)\n"
            } else {
                text += "repair \(unfinished == 0 ? "complete" : "incomplete"): \(runVersion)\n"
            }
            console.write(text + "  portals.reconcile: " + PortalSteps.countsText(counts) + "\n")
        }
        if outcome.failure != nil { return .failure }
        return outcome.isComplete && unfinished == 0 ? .success : .incomplete
    }

    private func format(_ arguments: ParsedArguments) -> String { arguments.value("format") ?? "text" }
}

/// `reconcile --format json` of a bulk repair.
struct RepairDocument: Encodable {
    var app: String
    var version: String
    /// The repair run's version (`2.0.0+repair.1`).
    var run: String
    var complete: Bool
    var interrupted: Bool
    var failure: String?
    /// Portals by state in the repair run.
    var states: [String: Int]
}
