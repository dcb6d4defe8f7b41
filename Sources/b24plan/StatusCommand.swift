import PlanStore
import ReleasePlan

/// `b24plan status`: the journal of a run — steps with states and times, per-portal counts.
struct StatusCommand: Command {
    let name = "status"
    let planPositional: (index: Int, count: Int)? = (0, 1)
    let summary = "Show a run: steps, timings, per-portal states"
    let usage = "b24plan status [FILE] [--missing-scopes] [--database URL] [--format text|json]"
    let discussion = """
        Shows the run of FILE's app and version, or the most recent run when no FILE is given: each
        step with its state and times, and how many portals are done, need a reinstall, are inactive,
        failed or pending. --missing-scopes lists the installations whose token lacks a newly added
        scope (filled by the portals.scope-audit step).
        """
    var options: [OptionSpec] {
        [
            .flag("missing-scopes", "List installations lacking each added scope."),
            .value("format", "FORMAT", allowed: ["text", "json"], "Output format (default text)."),
            .value("against", "FILE", "The published plan to compare with (plan files only)."),
        ] + StoreOptions.options
    }

    func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
        guard arguments.positionals.count <= 1 else { throw UsageError(message: "status takes at most one FILE") }
        try requireInputs(arguments)
        let store = try OpenStore.open(arguments, console: console, mode: .readOnly)
        defer { store.close() }
        let (journal, url) = (store.journal, store.url)
        var compiled: CompiledPlan?
        if let path = arguments.positionals.first {
            guard let loaded = try store.load(path, arguments: arguments, console: console)
            else { return .failure }
            compiled = loaded.compiled
        }
        if let version = try journal.recordedSchemaVersion(), version < Journal.schemaVersion {
            console.writeError(
                "note: the journal in \(url.redacted) has schema \(version) and this b24plan writes \(Journal.schemaVersion); "
                    + "status shows it without upgrading it (the next apply, gate pass or init does)\n")
        }
        let run: Journal.Run?
        if let compiled {
            run = try journal.run(app: compiled.app, version: compiled.to)
        } else {
            run = try journal.latestRun()
        }
        guard let run else {
            let what = compiled.map { "\($0.app) \($0.to) has not been applied" } ?? "no run has been recorded"
            console.writeError("error: \(what) in this state store\n")
            return .failure
        }
        let report = try StatusReport.build(
            run: run, journal: journal, compiled: compiled, missingScopes: arguments.has("missing-scopes"),
            installations: InstallationStore(database: store.database, mapping: store.config.installations))
        if format(arguments) == "json" {
            console.write(try JSONOutput.encode(report))
        } else {
            console.write(report.text(style: TextStyle(enabled: console.colorOut)))
        }
        return .success
    }
}
