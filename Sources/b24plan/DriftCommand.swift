import Foundation
import PlanStore
import ReleasePlan
import Rollout

/// `b24plan drift FILE`: the read half of the reconcile on every portal; no writes.
struct DriftCommand: Command {
    let name = "drift"
    let planPositional: (index: Int, count: Int)? = (0, 1)
    let handlesInterruption = true
    var exitCodes: [ExitCodeHelp.Line] { ExitCodeHelp.drift }
    let summary = "Compare every portal's placements and events with the plan (read-only)"
    let usage = "b24plan drift FILE [--where SQL] [--member-id ID] [--parallel N] [--database URL] [--format text|json]"
    let discussion = """
        Reads each active installation's placements, event handlers and scopes (one batch request per
        portal) and prints what differs from the plan. Changes nothing on the portals, marks no
        installation and stores no new address; the only write it may make is a rotated token (an
        expired access token is refreshed under the token protocol, and the new tokens must be stored).
        Portals it could not read are reported as unknown, with the reason. The Sites placements
        (LANDING_SETTINGS, LANDING_BLOCK_<CODE>, bound with landing.repo.bind) cannot be read back from a
        portal: they are listed as not checked (apply binds them again on every run). Exit code 2 when
        any portal differs, 1 when any is unknown (or on errors), 0 when every portal matches.
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
        try requireInputs(arguments)
        let store = try OpenStore.open(arguments, console: console, mode: .mustExistLeavingJournal)
        defer { store.close() }
        let (database, config) = (store.database, store.config)
        guard let loaded = try store.load(path, arguments: arguments, console: console) else {
            return .failure
        }
        let parallel = try arguments.positiveInteger("parallel") ?? RolloutEstimate.defaultParallelism
        let whereClause = try PortalOptions.whereClause(arguments)
        try OpenFileBudget(parallel: parallel).reserve()
        let fleet = try PortalOptions.fleet(
            database: database, journal: nil, config: config, parallel: parallel, arguments: arguments, environment: console.environment,
            access: .readOnly, store: store.url)
        fleet.health.setNoticeHandler { FileHandle.standardError.write(Data("note: \($0)\n".utf8)) }
        let task = PortalReconcileTask(plan: loaded.compiled.plan, mode: .readOnly)
        let summary = try BlockingTask.run { [arguments] in
            try await fleet.run(
                runID: nil, stepID: "drift", selection: .unfinished, where: whereClause,
                memberIDs: PortalOptions.memberIDs(arguments)
            ) { session, _ in await task.run(session) }
        }
        let notChecked = loaded.compiled.plan.placements
            .filter { PortalReconciler.bindingMethod($0.placement) == .landingRepository }
            .map { "placement \($0.placement) → \($0.handler)" }
        let drifted = summary.drifted.sorted { $0.memberID < $1.memberID }
        let unknown = summary.failures.sorted { $0.memberID < $1.memberID }
        if format(arguments) == "json" {
            console.write(
                try JSONOutput.encode(
                    DriftDocument(
                        portals: summary.processed, drifted: drifted.map { .init(memberId: $0.memberID, differences: $0.differences) },
                        unknown: unknown.map { .init(memberId: $0.memberID, reason: $0.reason) }, notChecked: notChecked,
                        repair: Self.repairCommand(path, drifted: drifted.map(\.memberID)),
                        states: Dictionary(uniqueKeysWithValues: summary.counts.map { ($0.key.rawValue, $0.value) }))))
        } else {
            for portal in drifted {
                // A portal's answers are not ours: their control characters are shown, never sent to the terminal.
                console.write(
                    "\(portal.memberID.escapingControlCharacters):\n"
                        + portal.differences.map { "  \($0.escapingControlCharacters)\n" }.joined())
            }
            for portal in unknown {
                console.write("\(portal.memberID.escapingControlCharacters): unknown — \(portal.reason.escapingControlCharacters)\n")
            }
            let read = summary.processed - unknown.count
            var line = "\(drifted.count) of \(read) portals read differ from \(loaded.compiled.app) \(loaded.compiled.to)"
            if !unknown.isEmpty { line += "; \(unknown.count) could not be read (unknown)" }
            console.write(line + "\n")
            if let repair = Self.repairCommand(path, drifted: drifted.map(\.memberID)) {
                console.write("repair with: \(repair)\n")
            }
            for item in notChecked {
                console.write("not checked: \(item) (landing.repo.bind has no read method; apply binds it again)\n")
            }
        }
        if !unknown.isEmpty { return .failure }
        return drifted.isEmpty ? .success : .changes
    }

    /// The `reconcile` command that repairs the drifted portals: their ids, or `--all` past 100.
    static func repairCommand(_ path: String, drifted: [String]) -> String? {
        guard !drifted.isEmpty else { return nil }
        let selection = drifted.count > 100 ? "--all" : "--member-id " + ShellQuoting.quote(drifted.joined(separator: ","))
        return "b24plan reconcile \(ShellQuoting.quote(path)) \(selection)"
    }
}

struct DriftDocument: Encodable {
    struct Portal: Encodable {
        var memberId: String
        var differences: [String]
    }
    struct Unknown: Encodable {
        var memberId: String
        var reason: String
    }
    var portals: Int
    var drifted: [Portal]
    /// Portals that could not be read, with why.
    var unknown: [Unknown]
    /// Plan items no portal can show (the Sites placements), so drift cannot compare them.
    var notChecked: [String]
    /// The `b24plan reconcile` command that repairs the drifted portals; null when none drifted.
    var repair: String?
    var states: [String: Int]
}
