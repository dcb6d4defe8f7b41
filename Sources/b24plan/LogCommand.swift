import PlanStore
import ReleasePlan

/// `b24plan log [APP]`: the release history in the state store, newest first.
struct LogCommand: Command {
    let name = "log"
    let summary = "Show the release history: published, rejected, abandoned, rolled back"
    let usage = "b24plan log [APP] [--database URL] [--format text|json]"
    let discussion = """
        Every run in the state store, newest first: the version, whether it is published (moderation
        passed, or recorded by baseline), rejected, abandoned, rolled back or a rollback; its update
        type; when each step finished and who passed or rejected each gate (with the reason); and its
        portal counts. Read-only: it never creates or upgrades a store.
        """
    var options: [OptionSpec] {
        [.value("format", "FORMAT", allowed: ["text", "json"], "Output format (default text).")] + StoreOptions.options
    }

    func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
        guard arguments.positionals.count <= 1 else { throw UsageError(message: "log takes at most one APP") }
        let store = try OpenStore.open(arguments, console: console, mode: .readOnly)
        defer { store.close() }
        let (journal, url) = (store.journal, store.url)
        if let version = try journal.recordedSchemaVersion(), version < 3 {
            console.writeError(
                "note: the journal in \(url.redacted) has schema \(version), from before release history was kept; "
                    + "run b24plan init (or apply) with this b24plan to upgrade it\n")
            return .failure
        }
        let report = try LogReport.build(journal: journal, app: arguments.positionals.first)
        if format(arguments) == "json" {
            console.write(try JSONOutput.encode(report))
        } else {
            console.write(report.text(style: TextStyle(enabled: console.colorOut)))
        }
        return .success
    }
}
