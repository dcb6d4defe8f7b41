import Foundation
import PlanStore
import ReleasePlan

/// `b24plan gate pass|reject STEP FILE`: records that a manual step is done (who and when), or that
/// moderation rejected the version (who, when, why). Gates pass in graph order.
struct GateCommand: Command {
    let name = "gate"
    var exitCodes: [ExitCodeHelp.Line] { ExitCodeHelp.gate }
    let planPositional: (index: Int, count: Int)? = (2, 3)
    let summary = "Pass a manual gate (partner account, moderation, manual deploy), or record a rejection"
    let usage = "b24plan gate pass STEP FILE [--by NAME] [--database URL]\n       b24plan gate reject STEP FILE --reason TEXT [--by NAME]"
    let discussion = """
        pass records that a manual step of the plan's run is done: gate.partner (the version is entered
        in the partner account), gate.moderation (moderation approved it: the version is now
        published, and the store keeps its plan), or deploy when the plan has no deploy command. A
        gate passes only when the steps before it in the graph are done (apply runs them); passing it
        again changes nothing. Then run apply again.

        reject records that moderation (or the partner account) refused the version, with the reason.
        The run stays resumable: fix what was asked, then pass the gate when the resubmission is
        approved, or bump the version and apply the new one.
        """
    var options: [OptionSpec] {
        [
            .value("by", "NAME", "Who passed or rejected it (default $USER)."),
            .value("reason", "TEXT", "Why it was rejected (reject only; required)."),
            .value("format", "FORMAT", allowed: ["text", "json"], "Output format."),
        ] + StoreOptions.options
    }

    func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
        guard arguments.positionals.count == 3, ["pass", "reject"].contains(arguments.positionals[0]) else {
            throw UsageError(message: "expected: gate pass STEP FILE, or gate reject STEP FILE --reason TEXT")
        }
        let rejecting = arguments.positionals[0] == "reject"
        let reason = arguments.value("reason")?.trimmingCharacters(in: .whitespacesAndNewlines)
        if rejecting && (reason ?? "").isEmpty { throw UsageError(message: "gate reject needs --reason TEXT (what moderation said)") }
        if !rejecting && reason != nil { throw UsageError(message: "--reason goes with gate reject") }
        var stepID = arguments.positionals[1]
        try requireInputs(arguments)
        let store = try OpenStore.open(arguments, console: console, mode: .mustExist)
        defer { store.close() }
        let journal = store.journal
        guard
            let loaded = try store.load(arguments.positionals[2], arguments: arguments, console: console)
        else { return .failure }
        let compiled = loaded.compiled
        // `gate pass portals.wave.N` passes the gate after that wave (gate.wave.N), as does its own id.
        if stepID.hasPrefix("portals."), let policy = compiled.rolloutPolicy, policy.portalStepIDs.contains(stepID),
            compiled.step(policy.betweenStep(after: stepID))?.manual == true
        {
            stepID = policy.betweenStep(after: stepID)
        }
        guard let step = compiled.step(stepID) else {
            throw UsageError(message: Self.noSuchStep(stepID, in: compiled))
        }
        guard step.manual else {
            throw UsageError(message: "\(stepID) is not a manual step; apply runs it")
        }
        let person = Self.actor(arguments.value("by"), environment: console.environment)
        if let run = try journal.run(app: compiled.app, version: compiled.to), run.state == .abandoned {
            console.writeError(
                "error: \(compiled.app) \(compiled.to) was abandoned: its gates cannot be \(rejecting ? "rejected" : "passed") any more\n")
            return .failure
        }
        if rejecting, let passed = try journal.gate(app: compiled.app, version: compiled.to, step: stepID) {
            console.writeError(
                "error: \(stepID) of \(compiled.app) \(compiled.to) was passed by \(passed.passedBy.escapingControlCharacters) at \(passed.passedAt): "
                    + "a passed gate cannot be rejected"
                    + (step.kind == .gateModeration ? " (the version is published; release a newer one to change it)" : "") + "\n")
            return .failure
        }
        let waiting = try GateOrder(journal: journal, compiled: compiled).unfinishedPredecessors(of: step)
        if !waiting.isEmpty {
            console.writeError(
                "error: \(stepID) of \(compiled.app) \(compiled.to) cannot be \(rejecting ? "rejected" : "passed") yet: "
                    + waiting.joined(separator: "; ") + ". Run b24plan apply \(loaded.planPath) (and pass the gates before it) first.\n")
            return .failure
        }
        if rejecting, let reason {
            try journal.rejectGate(app: compiled.app, version: compiled.to, step: stepID, by: person, reason: reason)
            if let run = try journal.run(app: compiled.app, version: compiled.to) { try journal.setRunState(run.id, .rejected) }
            if format(arguments) == "json" {
                console.write(
                    try JSONOutput.encode(
                        GateDocument(
                            app: compiled.app, version: compiled.to, step: stepID, state: "rejected", passedBy: person,
                            passedAt: journal.timestamp, reason: reason, alreadyPassed: false, published: false)))
            } else {
                console.write(
                    "rejected \(stepID) of \(compiled.app) \(compiled.to) (by \(person.escapingControlCharacters)): \(reason.escapingControlCharacters)\n"
                        + "fix what was asked and pass the gate when the resubmission is approved, or bump the version "
                        + "(b24plan bump patch \(loaded.planPath)) and apply the new one\n")
            }
            return .success
        }
        let passed = try journal.passGate(app: compiled.app, version: compiled.to, step: stepID, by: person)
        let gate = try journal.gate(app: compiled.app, version: compiled.to, step: stepID)
        var published = false
        if step.kind == .gateModeration {
            let run = try journal.run(app: compiled.app, version: compiled.to)
            if let run, run.state == .rejected { try journal.setRunState(run.id, .incomplete) }
            published = try journal.recordPublished(
                app: compiled.app, version: compiled.to, planSHA256: loaded.planSHA256, planJSON: loaded.planJSON,
                planPath: loaded.planPath, updateType: compiled.updateType.rawValue, recordedBy: "apply", runID: run?.id)
        }
        if format(arguments) == "json" {
            console.write(
                try JSONOutput.encode(
                    GateDocument(
                        app: compiled.app, version: compiled.to, step: stepID, state: "passed", passedBy: gate?.passedBy ?? person,
                        passedAt: gate?.passedAt ?? "", reason: nil, alreadyPassed: !passed, published: published)))
            return .success
        }
        if passed {
            console.write("passed \(stepID) of \(compiled.app) \(compiled.to) (by \(person.escapingControlCharacters))\n")
        } else {
            console.write(
                "\(stepID) of \(compiled.app) \(compiled.to) was already passed by \(gate?.passedBy ?? "?") at \(gate?.passedAt ?? "?")\n")
        }
        if step.kind == .gateModeration {
            console.write(
                Journal.isPreRelease(compiled.to)
                    ? "\(compiled.to) is a pre-release: it is never recorded as published\n"
                    : published ? "\(compiled.app) \(compiled.to) is now published; the store keeps its plan\n" : "")
        }
        if passed { console.write("continue with: b24plan apply \(loaded.planPath)\n") }
        return .success
    }
}

extension GateCommand {
    /// "the plan has no step partner; did you mean gate.partner?", and a line with the plan's manual steps.
    /// A gate written without its `gate.` prefix (`partner`, `moderation`, `wave.1`) is the prefixed
    /// step when the plan has it; else the nearest step id, if any is close.
    static func noSuchStep(_ stepID: String, in compiled: CompiledPlan) -> String {
        let ids = compiled.steps.map(\.id)
        let gates = compiled.steps.filter(\.manual).map(\.id)
        let meant =
            ids.first { $0.lowercased() == "gate." + stepID.lowercased() } ?? ids.first { $0.lowercased() == stepID.lowercased() }
            ?? Suggestion.closest(to: stepID, in: ids)
        var message = "the plan has no step \(stepID)"
        if let meant { message += "; did you mean \(meant)?" }
        message += gates.isEmpty ? "\nthe plan has no manual steps" : "\nthe plan's manual steps: " + gates.joined(separator: ", ")
        return message
    }

    /// Who passes or rejects a gate: `--by`, else `$USER`, else `$LOGNAME`, else the account name of
    /// the effective user in the password database, else `uid N` (never a made-up "unknown").
    static func actor(_ by: String?, environment: [String: String]) -> String {
        for candidate in [by, environment["USER"], environment["LOGNAME"]] {
            if let name = candidate?.trimmingCharacters(in: .whitespacesAndNewlines), !name.isEmpty { return name }
        }
        let uid = geteuid()
        if let entry = getpwuid(uid), let name = entry.pointee.pw_name {
            let account = String(cString: name)
            if !account.isEmpty { return account }
        }
        return "uid \(uid)"
    }
}

/// Gates pass in graph order: every step before one must be done (a manual one passed).
struct GateOrder {
    let journal: Journal
    let compiled: CompiledPlan

    /// What is not done yet before `step`, each as "deploy has not run" / "gate.partner is not passed".
    func unfinishedPredecessors(of step: PlanStep) throws -> [String] {
        let run = try journal.run(app: compiled.app, version: compiled.to)
        let steps = try run.map { try journal.steps(run: $0.id) } ?? [:]
        var waiting: [String] = []
        for id in step.after {
            guard let predecessor = compiled.step(id) else { continue }
            if steps[id]?.state == .done { continue }
            if predecessor.manual {
                if try journal.gate(app: compiled.app, version: compiled.to, step: id) != nil { continue }
                waiting.append("\(id) is not passed")
            } else {
                let state = steps[id]?.state.rawValue ?? "not started"
                waiting.append("\(id) is not done (\(state))")
            }
        }
        return waiting
    }
}

struct GateDocument: Encodable {
    var app: String
    var version: String
    var step: String
    /// `passed` or `rejected`.
    var state: String
    /// Who passed or rejected it, and when.
    var passedBy: String
    var passedAt: String
    var reason: String?
    var alreadyPassed: Bool
    /// True when passing gate.moderation recorded the version as published now.
    var published: Bool
}
