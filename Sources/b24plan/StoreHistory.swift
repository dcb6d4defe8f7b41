import Foundation
import PlanStore
import ReleasePlan

/// The store's release history as the plan core takes it (`PublishedHistory`): each app's newest
/// published plan (its bytes as published) and every published version.
enum StoreHistory {
    /// What `journal` records as published; nil when nothing is (then the folder decides) or the
    /// journal predates release history.
    static func from(_ journal: Journal) throws -> PublishedHistory? {
        if let version = try journal.recordedSchemaVersion(), version < 3 { return nil }
        let releases = try journal.releases()
        guard !releases.isEmpty else { return nil }
        var history = PublishedHistory()
        for release in releases {
            history.releases.insert(PublishedRelease(app: release.app, version: release.version))
            history.plans[PublishedRelease(app: release.app, version: release.version)] = PublishedPlan(
                app: release.app, version: release.version, bytes: Array(release.planJSON.utf8))
            if release.state == .rolledBack { history.rolledBack.insert(PublishedRelease(app: release.app, version: release.version)) }
            if history.newest[release.app] == nil {  // newest first
                history.newest[release.app] = PublishedPlan(app: release.app, version: release.version, bytes: Array(release.planJSON.utf8))
            }
        }
        return history
    }

    /// For lint and diff: the history of the store that `--database`, `B24PLAN_DATABASE_URL` or the
    /// config names, opened read-only (never created). Nil when none is named, or when it cannot be
    /// read (a note says why): the folder decides, as in CI without a store.
    static func named(_ arguments: ParsedArguments, console: Console) -> PublishedHistory? {
        lookup(arguments, console: console).history
    }

    /// `named`, and why the named store could not be read (nil when it was read, or none is named,
    /// or it does not exist yet): then what is published is not known, and `lint --fix` writes nothing.
    static func lookup(_ arguments: ParsedArguments, console: Console) -> (history: PublishedHistory?, unreadable: String?) {
        let config = (try? StoreOptions.config(arguments)) ?? AppConfig()
        let named =
            arguments.value("database") ?? console.environment["B24PLAN_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
            ?? config.database
        guard let named else { return (nil, nil) }
        do {
            let url = try DatabaseURL(named)
            if case .sqlite(let path) = url, !FileManager.default.fileExists(atPath: path) {
                console.writeError("note: the state store \(url.redacted) does not exist: comparing with the plans in the folder\n")
                return (nil, nil)
            }
            let (database, journal) = try StoreOptions.open(url, mode: .readOnly)
            defer { database.close() }
            return (try from(journal), nil)
        } catch {
            console.writeError("note: the state store cannot be read (\(error)): comparing with the plans in the folder\n")
            return (nil, "\(error)")
        }
    }
}
