import Foundation
import PlanStore
import ReleasePlan

/// A state store a command opened, with the config and the URL that named it; plans are loaded
/// against its release history (the store's newest published plan is the previous plan).
struct OpenStore {
    let database: any Database
    let journal: Journal
    let config: AppConfig
    let url: DatabaseURL

    /// `--database`, else `B24PLAN_DATABASE_URL`, else the config's, else the default; opened as
    /// `mode` allows (only apply, init, baseline and migrate create a store).
    static func open(_ arguments: ParsedArguments, console: Console, mode: StoreOptions.Mode) throws -> OpenStore {
        let config = try StoreOptions.config(arguments)
        let url = try StoreOptions.url(arguments, config: config, environment: console.environment)
        let (database, journal) = try StoreOptions.open(url, mode: mode)
        return OpenStore(database: database, journal: journal, config: config, url: url)
    }

    func close() { database.close() }

    /// Lints and compiles `path` against this store's history; nil after the problems were printed.
    func load(_ path: String, arguments: ParsedArguments, console: Console) throws -> LoadedPlan? {
        try LoadedPlan.load(path, arguments: arguments, console: console, history: StoreHistory.from(journal))
    }

    /// A plan that names its database dialect runs only on a store of that dialect (DESIGN §3):
    /// its migrations are written for it. A usage error (exit 64) before any step otherwise.
    static func checkDialect(_ loaded: LoadedPlan, store: OpenStore) throws {
        guard let wanted = loaded.compiled.plan.database else { return }
        let matches: Bool
        switch store.database.dialect {
        case .sqlite: matches = wanted == .sqlite
        case .postgres: matches = wanted == .postgresql
        case .mysql: matches = wanted == .mysql
        }
        guard matches else {
            throw UsageError(
                message: "\(loaded.planPath) says \"database\": \"\(wanted.rawValue)\", but the state store is \(store.url.redacted) "
                    + "(\(store.database.dialect.rawValue)): its migrations would run on the wrong database; "
                    + "give the matching --database (or B24PLAN_DATABASE_URL)")
        }
    }

    /// Opens the store and loads `path` against its history; nil after the plan's problems were
    /// printed. A SQLite store that does not exist yet has no history: the plan is loaded first,
    /// and a plan that fails lint creates no store.
    static func openWithPlan(_ path: String, arguments: ParsedArguments, console: Console, mode: StoreOptions.Mode) throws -> (
        OpenStore, LoadedPlan
    )? {
        let config = try StoreOptions.config(arguments)
        let url = try StoreOptions.url(arguments, config: config, environment: console.environment)
        if mode == .create, case .sqlite(let file) = url, file != ":memory:", !file.hasPrefix("file:"),
            !FileManager.default.fileExists(atPath: file)
        {
            guard let loaded = try LoadedPlan.load(path, arguments: arguments, console: console) else { return nil }
            if let wanted = loaded.compiled.plan.database, wanted != .sqlite {
                throw UsageError(
                    message: "\(loaded.planPath) says \"database\": \"\(wanted.rawValue)\", but the state store is \(url.redacted) "
                        + "(sqlite): its migrations would run on the wrong database; give the matching --database")
            }
            let store = try open(arguments, console: console, mode: mode)
            return (store, loaded)
        }
        let store = try open(arguments, console: console, mode: mode)
        guard let loaded = try store.load(path, arguments: arguments, console: console) else {
            store.close()
            return nil
        }
        do {
            try checkDialect(loaded, store: store)
        } catch {
            store.close()
            throw error
        }
        return (store, loaded)
    }
}
