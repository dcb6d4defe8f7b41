import Foundation
import PlanStore
import ReleasePlan

/// `b24plan abandon FILE`: ends a run that will never finish (the version will not be published),
/// so the next version can start. The run stays in the journal and in `log`.
struct AbandonCommand: Command {
    let name = "abandon"
    let planPositional: (index: Int, count: Int)? = (0, 1)
    let summary = "End a run that will never finish, so the next version can start"
    let usage = "b24plan abandon FILE [--database URL] [--format text|json]"
    let discussion = """
        Marks the run of FILE's version as abandoned: apply starts no step of it again, and a later
        version may start while this one was never published. Nothing that already ran is undone
        (migrations are forward-only). A published version cannot be abandoned: release a newer one.
        """
    var options: [OptionSpec] {
        [.value("format", "FORMAT", allowed: ["text", "json"], "Output format (default text).")] + StoreOptions.options
    }

    func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
        guard arguments.positionals.count == 1, let path = arguments.positionals.first else {
            throw UsageError(message: "abandon needs exactly one plan FILE")
        }
        try requireInputs(arguments)
        let store = try OpenStore.open(arguments, console: console, mode: .mustExist)
        defer { store.close() }
        let (database, journal, config) = (store.database, store.journal, store.config)
        guard let loaded = try store.load(path, arguments: arguments, console: console) else {
            return .failure
        }
        let compiled = loaded.compiled
        guard let run = try journal.run(app: compiled.app, version: compiled.to), run.kind == .release else {
            console.writeError("error: \(compiled.app) \(compiled.to) has no run in this store: there is nothing to abandon\n")
            return .failure
        }
        if try journal.release(app: compiled.app, version: compiled.to) != nil {
            console.writeError(
                "error: \(compiled.app) \(compiled.to) is published: it cannot be abandoned; release a newer version instead\n")
            return .failure
        }
        let lock = try RunLock.acquire(database: database, app: compiled.app)
        defer { lock.release() }
        let already = run.state == .abandoned
        if !already { try journal.setRunState(run.id, .abandoned) }
        if format(arguments) == "json" {
            console.write(
                try JSONOutput.encode(
                    AbandonDocument(app: compiled.app, version: compiled.to, state: "abandoned", alreadyAbandoned: already)))
        } else {
            console.write(
                already
                    ? "\(compiled.app) \(compiled.to) was already abandoned\n"
                    : "abandoned \(compiled.app) \(compiled.to) (it was \(run.state.rawValue)); the next version can start\n")
        }
        return .success
    }
}

struct AbandonDocument: Encodable {
    var app: String
    var version: String
    var state: String
    var alreadyAbandoned: Bool
}
