import Foundation
import PlanStore
import ReleasePlan

/// `b24plan gate pass STEP FILE`: records that a manual step is done (who and when).
struct GateCommand: Command {
    let name = "gate"
    let summary = "Pass a manual gate (partner account, moderation, manual deploy)"
    let usage = "b24plan gate pass STEP FILE [--by NAME] [--database URL]"
    let discussion = """
        Records that a manual step of the plan's run is done: gate.partner (the version is entered in
        the partner account), gate.moderation (moderation approved it), or deploy when the plan has no
        deploy command. Passing a gate that is already passed changes nothing. Then run apply again.
        """
    var options: [OptionSpec] {
        [.value("by", "NAME", "Who passed it (default $USER)."), .value("format", "FORMAT", allowed: ["text", "json"], "Output format.")]
            + StoreOptions.options
    }

    func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
        guard arguments.positionals.count == 3, arguments.positionals[0] == "pass" else {
            throw UsageError(message: "expected: gate pass STEP FILE")
        }
        let stepID = arguments.positionals[1]
        guard let loaded = try LoadedPlan.load(arguments.positionals[2], arguments: arguments, console: console) else { return .failure }
        let compiled = loaded.compiled
        guard let step = compiled.step(stepID) else {
            let hint = Suggestion.phrase(for: stepID, in: compiled.steps.map(\.id))
            throw UsageError(message: "the plan has no step \(stepID)\(hint)")
        }
        guard step.manual else {
            throw UsageError(message: "\(stepID) is not a manual step; apply runs it")
        }
        let config = try StoreOptions.config(arguments)
        let (database, journal) = try StoreOptions.open(
            try StoreOptions.url(arguments, config: config, environment: console.environment), mode: .mustExist)
        defer { database.close() }
        let person = arguments.value("by") ?? console.environment["USER"] ?? console.environment["LOGNAME"] ?? "unknown"
        let passed = try journal.passGate(app: compiled.app, version: compiled.to, step: stepID, by: person)
        let gate = try journal.gate(app: compiled.app, version: compiled.to, step: stepID)
        if format(arguments) == "json" {
            console.write(
                JSONOutput.encode(
                    GateDocument(
                        app: compiled.app, version: compiled.to, step: stepID, passedBy: gate?.passedBy ?? person,
                        passedAt: gate?.passedAt ?? "", alreadyPassed: !passed)))
        } else if passed {
            console.write(
                "passed \(stepID) of \(compiled.app) \(compiled.to) (by \(person)); continue with: b24plan apply \(loaded.planPath)\n")
        } else {
            console.write(
                "\(stepID) of \(compiled.app) \(compiled.to) was already passed by \(gate?.passedBy ?? "?") at \(gate?.passedAt ?? "?")\n")
        }
        return .success
    }
}

struct GateDocument: Encodable {
    var app: String
    var version: String
    var step: String
    var passedBy: String
    var passedAt: String
    var alreadyPassed: Bool
}
