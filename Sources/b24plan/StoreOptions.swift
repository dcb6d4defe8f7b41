import Foundation
import PlanStore
import ReleasePlan

/// The options every state-store command shares (`--database`, `--config`), and opening the store.
enum StoreOptions {
    static let options: [OptionSpec] = [
        .value("database", "URL", "State store: sqlite:PATH (default sqlite:.b24plan/state.db) or postgres://… (or B24PLAN_DATABASE_URL)."),
        .value("config", "FILE", "The app's config (default b24plan.config.json in this folder, if present)."),
    ]

    /// The config named by `--config` (must exist) or the default file (may be absent).
    static func config(_ arguments: ParsedArguments) throws -> AppConfig {
        if let path = arguments.value("config") { return try AppConfig.load(path, required: true) }
        return try AppConfig.load(AppConfig.fileName, required: false)
    }

    /// `--database`, else `B24PLAN_DATABASE_URL`, else the config's `database`, else the default.
    static func url(_ arguments: ParsedArguments, config: AppConfig, environment: [String: String]) throws -> DatabaseURL {
        let text =
            arguments.value("database") ?? environment["B24PLAN_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
            ?? config.database ?? DatabaseURL.defaultURL
        do {
            return try DatabaseURL(text)
        } catch {
            throw UsageError(message: "\(error)")
        }
    }

    /// Opens the store and brings the journal tables up to date.
    static func open(_ url: DatabaseURL) throws -> (any Database, Journal) {
        let database = try DatabaseConnector.open(url)
        let journal = Journal(database: database)
        try journal.migrate()
        return (database, journal)
    }
}

/// A plan given to a store command: a release plan file (linted and compiled) or a saved plan.
struct LoadedPlan {
    var compiled: CompiledPlan
    /// SHA-256 of the plan file's bytes (what the run records).
    var planSHA256: String
    /// The plan file's folder: migration files are relative to it.
    var directory: String
    var planPath: String

    /// Nil after the problems were printed.
    static func load(_ path: String, arguments: ParsedArguments, console: Console) throws -> LoadedPlan? {
        let fileSystem = LocalFileSystem()
        if let bytes = try? fileSystem.read(path), SavedPlan.looksSaved(bytes) {
            let saved = try SavedPlan.load(path, fileSystem: fileSystem)
            guard let plan = saved.inputs.first(where: { $0.role == .plan }) else {
                throw SavedPlan.LoadError(message: "\(path) names no plan file")
            }
            return LoadedPlan(
                compiled: saved.compiled, planSHA256: plan.sha256, directory: FilePath.directory(of: plan.path), planPath: plan.path)
        }
        let compiler = try PlanCompiler.from(arguments)
        guard let outcome = CompileStep(console: console).run(path, against: arguments.value("against"), compiler: compiler, format: "text")
        else { return nil }
        return LoadedPlan(
            compiled: outcome.compiled, planSHA256: SHA256.hex(outcome.context.document.source.bytes),
            directory: FilePath.directory(of: path), planPath: path)
    }
}
