import Foundation
import ReleasePlan

/// `b24plan diff`: what changes against the published version, the update type, the bump, the
/// moderation estimate and every step `apply` would run.
struct DiffCommand: Command {
    let name = "diff"
    var exitCodes: [ExitCodeHelp.Line] { ExitCodeHelp.diff }
    let planPositional: (index: Int, count: Int)? = (0, 1)
    let summary = "Show the changes, update type, estimates and steps (a dry run)"
    let usage =
        "b24plan diff [--against FILE] [--format text|json|markdown] [--detailed-exitcode] [--out SAVED] [--installations N] FILE"
    let discussion = """
        Compares the plan with the published one (--against FILE, else the plan with the highest lower
        version in the same folder that is not a pre-release: an rc is never a baseline, and a
        pre-release plan says it is one), classifies the update (initial, patch, minor, major, critical),
        estimates moderation and time to users, and prints every step that apply would run, in order.
        Lint errors block the diff (exit 1). --out saves the compiled plan with the SHA-256 of every
        input (paths relative to the saved file); 'b24plan apply SAVED' compiles it again from those
        inputs and refuses it when any input changed or the result differs from what was saved.
        """
    let options: [OptionSpec] =
        [
            .value("against", "FILE", "The published plan to compare with."),
            .value("format", "FORMAT", allowed: ["text", "json", "markdown"], "Output format (default text)."),
            .flag("detailed-exitcode", "Exit 0 when nothing changed, 2 when something did, 1 on errors."),
            .value("out", "SAVED", "Save the compiled plan (JSON) for a later 'apply SAVED'."),
            .value("installations", "N", "Installation count for the rollout estimate."),
            .value("parallel", "N", "Portals in flight, for the rollout estimate (default 32)."),
            .value("reconcile", "WHEN", allowed: ["auto", "always"], "'always' adds the portal reconcile to repair drift."),
            .value("waves", "LIST", "Roll out in waves: cumulative shares in percent, e.g. 1,10,100 (overrides rollout.waves)."),
        ] + StoreOptions.options

    func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
        guard arguments.positionals.count == 1, let file = arguments.positionals.first else {
            var message = "diff needs exactly one plan FILE"
            if arguments.positionals.count == 2 {
                let (old, new) = (arguments.positionals[0], arguments.positionals[1])
                message +=
                    "\nhint: diff compares one plan with the published one; to compare with a particular earlier plan: "
                    + "b24plan diff --against \(ShellQuoting.quote(old)) \(ShellQuoting.quote(new))"
            }
            throw UsageError(message: message)
        }
        try requireInputs(arguments)
        let compiler = try PlanCompiler.from(arguments)
        let format = format(arguments)
        let history = StoreHistory.named(arguments, console: console)
        guard
            let outcome = try CompileStep(console: console).run(
                file, against: arguments.value("against"), history: history, compiler: compiler, format: format)
        else { return .failure }
        let compiled = outcome.compiled
        ProcessLifetime.keep(outcome)
        switch format {
        case "json":
            console.write(try JSONOutput.encode(DiffOutput(compiled, diagnostics: outcome.diagnostics)))
        case "markdown":
            console.write(DiffMarkdownRenderer.render(compiled, diagnostics: outcome.diagnostics))
        default:
            console.write(DiffTextRenderer(style: TextStyle(enabled: console.colorOut)).render(compiled))
            if !outcome.diagnostics.isEmpty {
                let style = TextStyle(enabled: console.colorOut)
                console.write("\n" + TextDiagnosticRenderer(sources: outcome.sources, style: style).render(outcome.diagnostics))
            }
        }
        if let out = arguments.value("out") {
            // Inputs are stored relative to the saved file's folder, so apply finds them from anywhere.
            let savedFolder = LocalPath.folder(of: out)
            let saved = SavedPlan(compiled: compiled, context: outcome.context, compiler: compiler) { path in
                let physical = LocalPath.physical(path)
                return FilePath.relative(physical, from: savedFolder) ?? physical
            }
            let text = try saved.encoded()  // an encoding failure ends the command (exit 1) before anything is written
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
                console.writeError("saved the plan to \(out); apply it with: b24plan apply \(out)\n")
            } catch {
                console.writeError("error: cannot write \(out): \(error.localizedDescription)\n")
                return .failure
            }
        }
        if arguments.has("detailed-exitcode") {
            return compiled.changes.isEmpty ? .success : .changes
        }
        return .success
    }
}

extension PlanCompiler {
    /// The compiler options shared by diff, graph and apply.
    static func from(_ arguments: ParsedArguments) throws -> PlanCompiler {
        let installations = try arguments.wholeNumber("installations").map { (count: $0, source: "--installations") }
        let parallel = try arguments.positiveInteger("parallel") ?? RolloutEstimate.defaultParallelism
        let mode = ReconcileMode(rawValue: arguments.value("reconcile") ?? "auto") ?? .auto
        return PlanCompiler(
            reconcile: mode, installations: installations, parallelism: parallel, rolloutPolicy: try rolloutPolicy(arguments))
    }

    /// The config's `rollout`, with `--waves 1,10,100` replacing its waves (or making one with gates).
    static func rolloutPolicy(_ arguments: ParsedArguments) throws -> RolloutPolicy? {
        var policy = try StoreOptions.config(arguments).rollout
        if let text = arguments.value("waves") {
            guard let waves = RolloutPolicy.parseWaves(text) else {
                throw UsageError(message: "--waves takes cumulative shares in percent, e.g. 1,10,100; got '\(text)'")
            }
            if let problem = RolloutPolicy.wavesProblem(waves) { throw UsageError(message: "--waves: \(problem)") }
            if policy == nil { policy = RolloutPolicy(waves: waves) } else { policy?.waves = waves }
        }
        return policy
    }
}
