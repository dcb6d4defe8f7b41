import Foundation
import PlanStore
import ReleasePlan
import Rollout

/// `b24plan drift FILE`: the read half of the reconcile on every portal; no writes.
struct DriftCommand: Command {
    let name = "drift"
    let summary = "Compare every portal's placements and events with the plan (read-only)"
    let usage = "b24plan drift FILE [--where SQL] [--member-id ID] [--parallel N] [--database URL] [--format text|json]"
    let discussion = """
        Reads each active installation's placements, event handlers and scopes (one batch request per
        portal) and prints what differs from the plan. Changes nothing. Exit code 2 when any portal
        differs, 0 when none does.
        """
    var options: [OptionSpec] {
        [
            .value("format", "FORMAT", allowed: ["text", "json"], "Output format (default text)."),
            .value("parallel", "N", "Portals in flight (default 32)."),
            .value("against", "FILE", "The published plan to compare with (plan files only)."),
        ] + PortalOptions.options + StoreOptions.options
    }

    func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
        guard arguments.positionals.count == 1, let path = arguments.positionals.first else {
            throw UsageError(message: "drift needs exactly one plan FILE")
        }
        guard let loaded = try LoadedPlan.load(path, arguments: arguments, console: console) else { return .failure }
        let config = try StoreOptions.config(arguments)
        let (database, _) = try StoreOptions.open(
            try StoreOptions.url(arguments, config: config, environment: console.environment), mode: .mustExistLeavingJournal)
        defer { database.close() }
        let parallel = try arguments.positiveInteger("parallel") ?? RolloutEstimate.defaultParallelism
        let fleet = try PortalOptions.fleet(
            database: database, journal: nil, config: config, parallel: parallel, environment: console.environment)
        let task = PortalReconcileTask(plan: loaded.compiled.plan, mode: .readOnly)
        let summary = try BlockingTask.run { [arguments] in
            try await fleet.run(
                runID: nil, stepID: "drift", selection: .unfinished, where: arguments.value("where"),
                memberIDs: PortalOptions.memberIDs(arguments)
            ) { session, _ in await task.run(session) }
        }
        let drifted = summary.drifted.sorted { $0.memberID < $1.memberID }
        if format(arguments) == "json" {
            console.write(
                JSONOutput.encode(
                    DriftDocument(
                        portals: summary.processed, drifted: drifted.map { .init(memberId: $0.memberID, differences: $0.differences) },
                        states: Dictionary(uniqueKeysWithValues: summary.counts.map { ($0.key.rawValue, $0.value) }))))
        } else {
            for portal in drifted {
                console.write("\(portal.memberID):\n" + portal.differences.map { "  \($0)\n" }.joined())
            }
            console.write("\(drifted.count) of \(summary.processed) portals differ from \(loaded.compiled.app) \(loaded.compiled.to)\n")
        }
        return drifted.isEmpty ? .success : .changes
    }
}

struct DriftDocument: Encodable {
    struct Portal: Encodable {
        var memberId: String
        var differences: [String]
    }
    var portals: Int
    var drifted: [Portal]
    var states: [String: Int]
}
