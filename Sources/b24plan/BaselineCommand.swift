import PlanStore
import ReleasePlan

/// `b24plan baseline FILE`: adopt b24plan on a live app without running anything.
struct BaselineCommand: Command {
    let name = "baseline"
    let planPositional: (index: Int, count: Int)? = (0, 1)
    let summary = "Record a plan as published and its migrations as applied (adopting b24plan)"
    let usage = "b24plan baseline FILE [--database URL] [--config FILE]"
    let discussion = """
        For an app that is already live: records FILE as the published release and every migration it
        lists as applied (with its checksum) without running them, after checking that the migrations
        table does not already disagree (an unknown migration or another checksum is an error and
        nothing is written). The next release's apply then runs only what is new.
        """
    var options: [OptionSpec] {
        [.value("format", "FORMAT", allowed: ["text", "json"], "Output format.")] + StoreOptions.options
    }

    func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
        guard arguments.positionals.count == 1, let path = arguments.positionals.first else {
            throw UsageError(message: "baseline needs exactly one plan FILE")
        }
        try requireInputs(arguments)
        guard case let (store, loaded)? = try OpenStore.openWithPlan(path, arguments: arguments, console: console, mode: .create)
        else { return .failure }
        defer { store.close() }
        let (database, journal, config) = (store.database, store.journal, store.config)
        let history = try MigrationHistory(database: database, table: config.migrationsTable)
        let summary: Baseline.Summary
        do {
            try ReleaseGuard(journal: journal).checkBaseline(app: loaded.compiled.app, version: loaded.compiled.to)
            summary = try Baseline(database: database, journal: journal, history: history).record(
                loaded.compiled, planSHA256: loaded.planSHA256, planJSON: loaded.planJSON, planPath: loaded.planPath)
        } catch let disagreement as Baseline.Disagreement {
            console.writeError("error: \(disagreement.message); nothing was written\n")
            return .failure
        } catch let refusal as ReleaseGuard.Refusal {
            loaded.report(refusal, console: console, suffix: "; nothing was written")
            return .failure
        }
        let compiled = loaded.compiled
        if format(arguments) == "json" {
            console.write(
                try JSONOutput.encode(
                    BaselineDocument(
                        run: summary.runID, app: compiled.app, version: compiled.to, recorded: summary.recorded,
                        alreadyRecorded: summary.alreadyRecorded)))
        } else {
            let list = summary.recorded.isEmpty ? "none" : summary.recorded.map(String.init).joined(separator: ", ")
            console.write(
                "baseline: \(compiled.app) \(compiled.to) recorded as published; migrations recorded as applied: \(list)"
                    + (summary.alreadyRecorded.isEmpty
                        ? "" : " (already there: \(summary.alreadyRecorded.map(String.init).joined(separator: ", ")))")
                    + "\n")
        }
        return .success
    }
}

struct BaselineDocument: Encodable {
    var run: Int
    var app: String
    var version: String
    var recorded: [Int]
    var alreadyRecorded: [Int]
}
