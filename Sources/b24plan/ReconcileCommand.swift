import Foundation
import PlanStore
import ReleasePlan
import Rollout

/// `b24plan reconcile FILE`: the full reconcile of selected portals against the store's published
/// release. One `--member-id ID` runs now and records in the release's run (for the app's
/// ONAPPINSTALL / ONAPPUPDATE handler); several ids, `--where SQL` or `--all` is a bulk repair,
/// journaled as its own run (`<version>+repair.<n>`) with apply's pacing, progress and states.
struct ReconcileCommand: Command {
    let name = "reconcile"
    let planPositional: (index: Int, count: Int)? = (0, 1)
    let handlesInterruption = true
    var exitCodes: [ExitCodeHelp.Line] { ExitCodeHelp.reconcile }
    let summary = "Repair portals to the published release: one now (ONAPPINSTALL/ONAPPUPDATE), or in bulk"
    let usage = "b24plan reconcile FILE (--member-id ID[,ID…] | --where SQL | --all) [--parallel N] [--database URL] [--format text|json]"
    let discussion = """
        Runs the per-portal reconcile of FILE, which must be the store's published release of the app,
        on the selected installations: it binds what is missing, unbinds what the release does not
        have and rewrites what differs, as apply does.

        With one --member-id it runs on that portal now and records the result in the run of FILE's
        version: call it from the app's ONAPPINSTALL / ONAPPUPDATE handler so a portal that reinstalled
        for new scopes is completed at once. Exit 0 when the portal is done, 3 when it still needs a
        reinstall or failed.

        With several --member-id values, --where SQL or --all it is a bulk repair (what drift found):
        a repair run of its own (`<version>+repair.<n>`, in `b24plan log` and `status`), with apply's
        pacing, progress and per-portal states; an interrupted repair resumes when run again. Exit 0
        when every selected portal is done (inactive ones are reported), 3 when some still need a
        reinstall or failed, 1 on errors.
        """
    var options: [OptionSpec] {
        [
            .value("format", "FORMAT", allowed: ["text", "json"], "Output format (default text)."),
            .value("against", "FILE", "The published plan to compare with (plan files only)."),
            .flag("all", "Every active installation (a bulk repair)."),
            .value("parallel", "N", "Portals in flight in a bulk repair (default 32)."),
        ] + PortalOptions.options + StoreOptions.options
    }

    func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
        guard arguments.positionals.count == 1, let path = arguments.positionals.first else {
            throw UsageError(message: "reconcile needs exactly one plan FILE")
        }
        let memberIDs = PortalOptions.memberIDs(arguments)?.filter { !$0.isEmpty }
        let selectors = [memberIDs != nil, try PortalOptions.whereClause(arguments) != nil, arguments.has("all")].filter { $0 }.count
        guard selectors == 1 else {
            throw UsageError(message: "reconcile needs exactly one of --member-id ID[,ID…], --where SQL or --all")
        }
        if let memberIDs, memberIDs.isEmpty { throw UsageError(message: "--member-id needs at least one id") }
        try requireInputs(arguments)
        // Every path below sends requests: libcurl is loaded (or refused) before the store records anything.
        try ClientLibrary.curl.load()
        let store = try OpenStore.open(arguments, console: console, mode: .mustExist)
        defer { store.close() }
        let (database, journal, config) = (store.database, store.journal, store.config)
        guard let loaded = try store.load(path, arguments: arguments, console: console) else {
            return .failure
        }
        let compiled = loaded.compiled
        do {
            try ReleaseHistoryCheck(journal: journal).reconcile(loaded)
        } catch let refusal as ReleaseGuard.Refusal {
            loaded.report(refusal, console: console)
            return .failure
        }
        guard let memberIDs, memberIDs.count == 1 else {
            return try BulkRepair(arguments: arguments, console: console, store: store, loaded: loaded).run(memberIDs: memberIDs)
        }
        try OpenFileBudget(parallel: 1).reserve(option: nil)
        let run =
            try journal.run(app: compiled.app, version: compiled.to)
            ?? journal.openRun(app: compiled.app, version: compiled.to, planSHA256: loaded.planSHA256, state: .incomplete)
        let fleet = try PortalOptions.fleet(
            database: database, journal: journal, config: config, parallel: 1, arguments: arguments, environment: console.environment,
            access: .writing, store: store.url)
        fleet.health.setNoticeHandler { FileHandle.standardError.write(Data("note: \($0)\n".utf8)) }
        let task = PortalReconcileTask(plan: compiled.plan, landingUnbinds: try journal.sitesUnbinds(for: compiled), mode: .apply)
        // The portal's row keeps its state while it is reconciled (an apply beside it sees no
        // "pending" portal); the outcome replaces it.
        let stepID = try journal.reconcileStep(for: memberIDs[0], compiled: compiled, run: run.id)
        let summary = try BlockingTask.run {
            try await fleet.run(runID: run.id, stepID: stepID, selection: .any, memberIDs: memberIDs) { session, _ in
                await task.run(session)
            }
        }
        guard summary.processed == 1, let outcome = try journal.portalTask(run: run.id, step: stepID, member: memberIDs[0])
        else {
            console.writeError("error: no active installation with member_id \(memberIDs[0])\n")
            return .failure
        }
        if format(arguments) == "json" {
            console.write(
                try JSONOutput.encode(["memberId": outcome.memberID, "state": outcome.state.rawValue, "detail": outcome.lastError ?? ""]))
        } else {
            console.write(
                "\(outcome.memberID.escapingControlCharacters): \(outcome.state.rawValue)"
                    + (outcome.lastError.map { " — \($0.escapingControlCharacters)" } ?? "") + "\n")
        }
        return outcome.state == .done ? .success : .incomplete
    }
}
