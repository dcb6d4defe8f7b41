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
    /// A config that cannot be read or is invalid is a setup error (exit 64) naming the file and
    /// the first problem at its place.
    static func config(_ arguments: ParsedArguments) throws -> AppConfig {
        let path = arguments.value("config") ?? AppConfig.fileName
        do {
            return try AppConfig.load(path, required: arguments.value("config") != nil)
        } catch let error as AppConfig.ConfigError {
            guard let first = error.diagnostics.first else { throw SetupError("the config \(path) cannot be read") }
            let more = error.diagnostics.count > 1 ? " (and \(error.diagnostics.count - 1) more)" : ""
            let named = arguments.value("config") != nil ? ", named by --config" : ""
            throw SetupError("the config \(path)\(named): \(first.file):\(first.line):\(first.column): \(first.message)\(more)")
        }
    }

    /// `--database`, else `B24PLAN_DATABASE_URL`, else the config's `database`, else the default.
    static func url(_ arguments: ParsedArguments, config: AppConfig, environment: [String: String]) throws -> DatabaseURL {
        let environmentURL = environment["B24PLAN_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        let (text, source): (String, String) =
            if let flag = arguments.value("database") {
                (flag, "--database")
            } else if let environmentURL {
                (environmentURL, "B24PLAN_DATABASE_URL")
            } else if let configured = config.database {
                (configured, "\"database\" in the config")
            } else {
                (DatabaseURL.defaultURL, "the default")
            }
        do {
            return try DatabaseURL(text)
        } catch {
            throw SetupError("the state store URL \"\(Self.withoutSecrets(text))\" from \(source): \(error)")
        }
    }

    /// A URL that did not parse, shown with whatever may be a password hidden: the user info
    /// (before the last `@`) and every query value, as `***`; at most 200 characters.
    static func withoutSecrets(_ text: String) -> String {
        var shown = text
        if let scheme = shown.range(of: "://") {
            let authorityEnd = shown[scheme.upperBound...].firstIndex(where: { $0 == "/" || $0 == "?" }) ?? shown.endIndex
            if let at = shown[scheme.upperBound..<authorityEnd].lastIndex(of: "@") {
                shown.replaceSubrange(scheme.upperBound..<at, with: "***")
            }
        }
        if let query = shown.firstIndex(of: "?") {
            let pairs = shown[shown.index(after: query)...].split(separator: "&").map { pair in
                pair.split(separator: "=", maxSplits: 1).first.map { "\($0)=***" } ?? "***"
            }
            shown = String(shown[...query]) + pairs.joined(separator: "&")
        }
        return String(shown.prefix(200)).escapingControlCharacters
    }

    /// What a command may do to the state store (DESIGN §7: only `apply`, `init` and `baseline` create one).
    enum Mode: Equatable {
        /// `apply`, `init`, `baseline`: create the store when missing, create or upgrade the journal.
        case create
        /// `gate pass`, `reconcile`: the store and its journal must exist; the journal is upgraded when older.
        case mustExist
        /// `drift`: the store must exist; the journal is not touched (drift writes only rotated tokens).
        case mustExistLeavingJournal
        /// `status`: the store and its journal must exist; opened read-only, the journal is not upgraded.
        case readOnly
    }

    /// Opens the store as `mode` allows. A missing store (no SQLite file, or no journal where one is
    /// needed) is a usage error that names it; nothing is created then.
    static func open(_ url: DatabaseURL, mode: Mode) throws -> (any Database, Journal) {
        if mode != .create, case .sqlite(let path) = url, path != ":memory:", !path.hasPrefix("file:"),
            !FileManager.default.fileExists(atPath: path)
        {
            throw UsageError(
                message: "the state store \(url.redacted) does not exist: name the right one with --database URL "
                    + "(or B24PLAN_DATABASE_URL), or create it with b24plan init")
        }
        if mode == .mustExist, case .sqlite = url {
            // Look before opening for writing: even setting WAL mode would write to a file that is no store.
            let probe = try DatabaseConnector.open(url, access: .readOnly)
            defer { probe.close() }
            _ = try requireJournal(Journal(database: probe), url: url)
        }
        let database: any Database
        do {
            database = try DatabaseConnector.open(url, access: mode == .readOnly ? .readOnly : mode == .create ? .create : .existing)
        } catch let error as DatabaseError {
            var reason = error.message.split(separator: "\n").first.map(String.init) ?? error.message
            if let named = reason.range(of: "cannot connect to \(url.redacted): ") { reason = String(reason[named.upperBound...]) }
            throw SetupError(
                "cannot open the state store \(url.redacted): \(reason.trimmingCharacters(in: .whitespaces)) "
                    + "(the store is named by --database, else B24PLAN_DATABASE_URL, else \"database\" in b24plan.config.json)")
        }
        let journal = Journal(database: database)
        do {
            switch mode {
            case .create:
                try journal.migrate()
            case .mustExistLeavingJournal:
                break
            case .mustExist:
                _ = try requireJournal(journal, url: url)
                try journal.migrate()
            case .readOnly:
                let version = try requireJournal(journal, url: url)
                if version > Journal.schemaVersion {
                    throw DatabaseError(
                        message: "the state store was written by a newer b24plan "
                            + "(journal schema \(version); this one knows \(Journal.schemaVersion))")
                }
            }
        } catch {
            database.close()
            throw error
        }
        return (database, journal)
    }

    /// The journal's schema version, or a usage error naming the store when it has no journal.
    private static func requireJournal(_ journal: Journal, url: DatabaseURL) throws -> Int {
        guard let version = try journal.recordedSchemaVersion() else {
            throw UsageError(
                message: "\(url.redacted) holds no b24plan journal: name the right store with --database URL "
                    + "(or B24PLAN_DATABASE_URL), or create it with b24plan init")
        }
        return version
    }
}

/// A plan given to a store command: a release plan file (linted and compiled) or a saved plan
/// (compiled again from its inputs, and refused unless that gives what was saved).
struct LoadedPlan {
    var compiled: CompiledPlan
    /// SHA-256 of the plan file's bytes (what the run records).
    var planSHA256: String
    /// The plan file's folder: migration files are relative to it.
    var directory: String
    /// The plan file, as messages show it.
    var planPath: String
    /// The plan file's bytes (the store keeps them when the version is published).
    var planJSON: String
    /// `file:line:column` of the plan's `version` (where a release-history refusal points).
    var versionLocation: String?

    /// Nil after the problems were printed.
    /// `history`: what the state store records as published (its newest plan is the previous plan).
    static func load(_ path: String, arguments: ParsedArguments, console: Console, history: PublishedHistory? = nil) throws -> LoadedPlan? {
        let fileSystem = LocalFileSystem()
        if let bytes = try? fileSystem.read(path), SavedPlan.looksSaved(bytes) {
            return try loadSaved(path, arguments: arguments, console: console, fileSystem: fileSystem, history: history)
        }
        let compiler = try PlanCompiler.from(arguments)
        guard
            let outcome = try CompileStep(console: console).run(
                path, against: arguments.value("against"), history: history, compiler: compiler, format: "text")
        else { return nil }
        // Notes say what the user should know before the plan runs (the store and the folder disagree).
        let notes = outcome.diagnostics.filter { $0.severity == .note }
        if !notes.isEmpty {
            console.writeError(
                TextDiagnosticRenderer(sources: outcome.sources, style: TextStyle(enabled: console.colorError)).render(notes))
        }
        let version = outcome.context.document.diagnostic("B24P102", "", at: ["version"])
        return LoadedPlan(
            compiled: outcome.compiled, planSHA256: SHA256.hex(outcome.context.document.source.bytes),
            directory: FilePath.directory(of: path), planPath: path,
            planJSON: String(decoding: outcome.context.document.source.bytes, as: UTF8.self),
            versionLocation: "\(version.file):\(version.line):\(version.column)")
    }

    /// A saved plan: its inputs (relative to its folder) must be unchanged, must still lint, and
    /// must compile to exactly the saved plan; what runs and what is shown is that recompiled plan.
    private static func loadSaved(
        _ path: String, arguments: ParsedArguments, console: Console, fileSystem: LocalFileSystem, history: PublishedHistory?
    ) throws -> LoadedPlan? {
        for option in ["against", "reconcile", "waves"] where arguments.value(option) != nil {
            throw UsageError(
                message: "--\(option) applies to plan files; \(path) is a saved plan, compiled with the options it was saved with")
        }
        let folder = LocalPath.folder(of: path)
        let saved = try SavedPlan.load(path, fileSystem: fileSystem, directory: folder)
        let recompiled = try saved.recompile(in: folder, fileSystem: fileSystem, history: history)
        guard let compiled = recompiled.compiled, let plan = saved.inputs.first(where: { $0.role == .plan }) else {
            console.writeError("error: the inputs of the saved plan \(path) do not pass lint any more:\n")
            try CompileStep(console: console).printDiagnostics(
                recompiled.lint.diagnostics, sources: recompiled.lint.sources, format: "text")
            return nil
        }
        if let difference = saved.difference(from: compiled) {
            throw SavedPlan.LoadError(message: difference)
        }
        return LoadedPlan(
            compiled: compiled, planSHA256: plan.sha256, directory: FilePath.directory(of: recompiled.planPath),
            planPath: LocalPath.display(recompiled.planPath),
            planJSON: String(decoding: (try? fileSystem.read(recompiled.planPath)) ?? [], as: UTF8.self))
    }
}

extension LoadedPlan {
    /// A release-history refusal as a located diagnostic: `file:line:column: error[B24P102]: …` at
    /// the plan's `version`, when the refusal is about it.
    func report(_ refusal: ReleaseGuard.Refusal, console: Console, suffix: String = "") {
        let location = versionLocation.map { $0 + ": " } ?? ""
        let rule = refusal.rule.map { "[\($0)]" } ?? ""
        console.writeError("\(location)error\(rule): \(refusal.message)\(suffix)\n")
    }
}
