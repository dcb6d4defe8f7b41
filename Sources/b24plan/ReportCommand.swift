import Foundation
import PlanStore
import ReleasePlan

/// `b24plan report`: one self-contained HTML page (or one JSON document) about a run: its graph,
/// timeline, portal states, requests per second, failures by cause and missing scopes.
struct ReportCommand: Command {
    let name = "report"
    let summary = "Write one self-contained HTML page (or JSON) about a run"
    let usage = "b24plan report [FILE] [--format html|json] [--out PATH] [--database URL] [--config FILE]"
    let discussion = """
        Reports on the run of FILE's app and version, or on the most recent run when no FILE is given
        (as status picks it), in six sections: the execution graph drawn as SVG (from FILE, else from
        the plan the store keeps for a published version, else the recorded steps with their edges
        unknown), a timeline of steps and gates, portal states per wave (or for portals.reconcile),
        the requests per second the fleet measured, failed, needs-reinstall and inactive portals
        grouped by cause, and the installations lacking each added scope. Lists are capped at 50
        members per group.

        The page has inline CSS and SVG only: no script, nothing fetched; it prints. The same journal
        gives the same bytes. --format json prints the same data as one JSON document. Read-only: it
        creates no store and writes nothing to it. Exit 0 when the report is written, 1 when FILE's
        version (or the store) has no run, 64 on a usage error or a missing store.
        """
    var options: [OptionSpec] {
        [
            .value("format", "FORMAT", allowed: ["html", "json"], "Output format (default html)."),
            .value("out", "PATH", "Write the report to PATH instead of stdout."),
            .value("against", "FILE", "The published plan to compare FILE with (plan files only)."),
        ] + StoreOptions.options
    }

    func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
        guard arguments.positionals.count <= 1 else { throw UsageError(message: "report takes at most one FILE") }
        if let out = arguments.value("out"), out.isEmpty { throw UsageError(message: "--out needs a file path") }
        let store = try OpenStore.open(arguments, console: console, mode: .readOnly)
        defer { store.close() }
        var planFile: (compiled: CompiledPlan, path: String)?
        if let path = arguments.positionals.first {
            guard let loaded = try store.load(path, arguments: arguments, console: console) else { return .failure }
            planFile = (loaded.compiled, loaded.planPath)
        }
        let journal = store.journal
        if let version = try journal.recordedSchemaVersion(), version < Journal.schemaVersion {
            console.writeError(
                "note: the journal in \(store.url.redacted) has schema \(version) and this b24plan writes \(Journal.schemaVersion); "
                    + "report reads it without upgrading it (runs before schema 4 have no requests per second)\n")
        }
        let run = try planFile.map { try journal.run(app: $0.compiled.app, version: $0.compiled.to) } ?? journal.latestRun()
        guard let run else {
            let what = planFile.map { "\($0.compiled.app) \($0.compiled.to) has not been applied" } ?? "no run has been recorded"
            console.writeError("error: \(what) in the state store \(store.url.redacted): there is no run to report on\n")
            return .failure
        }
        let report = try RunReportBuilder(store: store).build(run: run, planFile: planFile)
        let document = arguments.value("format") == "json" ? JSONOutput.encode(report) : RunReportHTMLRenderer.render(report)
        guard let out = arguments.value("out") else {
            console.write(document)
            return .success
        }
        do {
            try Data(document.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
        } catch {
            console.writeError("error: cannot write the report to \(out): \(error.localizedDescription)\n")
            return .failure
        }
        console.writeError("wrote the report of \(run.app) \(run.version) (run \(run.id)) to \(out)\n")
        return .success
    }
}
