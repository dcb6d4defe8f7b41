import Foundation
import PlanStore
import ReleasePlan
import Rollout

/// `b24plan reconcile --member-id ID FILE`: one portal, now — for the app's ONAPPUPDATE /
/// ONAPPINSTALL handler, so a portal that reinstalled for new scopes is completed at once.
struct ReconcileCommand: Command {
    let name = "reconcile"
    let handlesInterruption = true
    let summary = "Reconcile one portal now (for ONAPPINSTALL / ONAPPUPDATE handlers)"
    let usage = "b24plan reconcile --member-id ID FILE [--database URL] [--format text|json]"
    let discussion = """
        Runs the per-portal reconcile of FILE on one installation synchronously and records the result
        in the run of FILE's version. Exit 0 when the portal is done, 3 when it still needs a
        reinstall or failed, 1 on errors.
        """
    var options: [OptionSpec] {
        [
            .value("format", "FORMAT", allowed: ["text", "json"], "Output format (default text)."),
            .value("against", "FILE", "The published plan to compare with (plan files only)."),
        ] + PortalOptions.options + StoreOptions.options
    }

    func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
        guard arguments.positionals.count == 1, let path = arguments.positionals.first else {
            throw UsageError(message: "reconcile needs exactly one plan FILE")
        }
        guard let memberIDs = PortalOptions.memberIDs(arguments), memberIDs.count == 1 else {
            throw UsageError(message: "reconcile needs --member-id ID (one installation)")
        }
        let store = try OpenStore.open(arguments, console: console, mode: .mustExist)
        defer { store.close() }
        let (database, journal, config) = (store.database, store.journal, store.config)
        guard let loaded = try store.load(path, arguments: arguments, console: console) else {
            return .failure
        }
        let compiled = loaded.compiled
        do {
            try ReleaseGuard(journal: journal).checkReconcile(app: compiled.app, version: compiled.to)
        } catch let refusal as ReleaseGuard.Refusal {
            loaded.report(refusal, console: console)
            return .failure
        }
        let run =
            try journal.run(app: compiled.app, version: compiled.to)
            ?? journal.openRun(app: compiled.app, version: compiled.to, planSHA256: loaded.planSHA256, state: .incomplete)
        let fleet = try PortalOptions.fleet(
            database: database, journal: journal, config: config, parallel: 1, arguments: arguments, environment: console.environment,
            access: .writing)
        fleet.health.setNoticeHandler { FileHandle.standardError.write(Data("note: \($0)\n".utf8)) }
        let task = PortalReconcileTask(plan: compiled.plan, landingUnbinds: compiled.landingUnbinds, mode: .apply)
        // The portal's row keeps its state while it is reconciled (an apply beside it sees no
        // "pending" portal); the outcome replaces it.
        let summary = try BlockingTask.run {
            try await fleet.run(runID: run.id, stepID: "portals.reconcile", selection: .any, memberIDs: memberIDs) { session, _ in
                await task.run(session)
            }
        }
        guard summary.processed == 1, let outcome = try journal.portalTask(run: run.id, step: "portals.reconcile", member: memberIDs[0])
        else {
            console.writeError("error: no active installation with member_id \(memberIDs[0])\n")
            return .failure
        }
        if format(arguments) == "json" {
            console.write(
                JSONOutput.encode(["memberId": outcome.memberID, "state": outcome.state.rawValue, "detail": outcome.lastError ?? ""]))
        } else {
            console.write("\(outcome.memberID): \(outcome.state.rawValue)" + (outcome.lastError.map { " — \($0)" } ?? "") + "\n")
        }
        return outcome.state == .done ? .success : .incomplete
    }
}
