import PlanStore
import ReleasePlan

/// `b24plan status`: the journal of a run — steps with states and times, per-portal counts.
struct StatusCommand: Command {
    let name = "status"
    var exitCodes: [ExitCodeHelp.Line] { ExitCodeHelp.status }
    let planPositional: (index: Int, count: Int)? = (0, 1)
    let summary = "Show a run: steps, timings, per-portal states"
    let usage =
        "b24plan status [FILE] [--missing-scopes] [--portals [--state STATE] [--limit N] [--after MEMBER_ID]] [--database URL] [--format text|json]"
    let discussion = """
        Shows the run of FILE's app and version, or the most recent run when no FILE is given: each
        step with its state and times, and how many portals are done, need a reinstall, are inactive,
        failed or pending. --missing-scopes lists the installations whose token lacks a newly added
        scope (filled by the portals.scope-audit step).

        --portals lists the portals themselves, in member-id order: member id, host, state, why
        (the scopes the token lacks, the last error such as APPLICATION_NOT_FOUND or PORTAL_DELETED),
        attempts and when it was last written. Installations the run has not reached yet are listed
        as pending. --state keeps one state; --limit N shows at most N (default 100, 0 for all);
        --after MEMBER_ID continues after the last one shown. --state, --limit and --after imply --portals.
        """
    var options: [OptionSpec] {
        [
            .flag("missing-scopes", "List installations lacking each added scope."),
            .flag("portals", "List the portals: member id, host, state, reason, attempts, when."),
            .value("state", "STATE", allowed: PortalList.states, "List only the portals in this state."),
            .value("limit", "N", "List at most N portals (default 100; 0 for all)."),
            .value("after", "MEMBER_ID", "List the portals after this member id (the next page)."),
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
        var report = try StatusReport.build(
            run: run, journal: journal, compiled: compiled, missingScopes: arguments.has("missing-scopes"),
            installations: InstallationStore(database: store.database, mapping: store.config.installations))
        if arguments.has("portals") || arguments.value("state") != nil || arguments.value("limit") != nil
            || arguments.value("after") != nil
        {
            let limit = try arguments.wholeNumber("limit") ?? PortalList.defaultLimit
            let installations = InstallationStore(database: store.database, mapping: store.config.installations)
            try installations.checkShape(store: url.redacted)
            report.portalList = try PortalList.build(
                run: run.id, journal: journal, installations: installations, state: arguments.value("state"),
                after: arguments.value("after"), limit: limit,
                includeUnreached: PortalTotals.reachesPortals(try journal.steps(run: run.id), compiled: compiled))
        }
        if format(arguments) == "json" {
            console.write(try JSONOutput.encode(report))
        } else {
            console.write(report.text(style: TextStyle(enabled: console.colorOut)))
        }
        return .success
    }
}
