import Foundation
import PlanStore
import ReleasePlan

/// `b24plan init`: creates the state store and, on request, a default installations table.
struct InitCommand: Command {
    let name = "init"
    let summary = "Create the state store (and a default installations table)"
    let usage = "b24plan init [--installations-table] [--database URL] [--config FILE]"
    let discussion = """
        Creates b24plan's journal tables and the migrations table in the state store (by default
        sqlite:.b24plan/state.db). With --installations-table it also creates the installations table
        the config maps (by default 'portals': member_id, domain, client_endpoint, access_token,
        refresh_token, expires_at, active), for apps that do not have one yet. Writes a default
        b24plan.config.json when there is none, and adds .b24plan/ to .gitignore (creating it): the
        default store can hold the installations' tokens. Running it again changes nothing.
        """
    var options: [OptionSpec] {
        [
            .flag("installations-table", "Also create the installations table of the config's mapping."),
            .value("format", "FORMAT", allowed: ["text", "json"], "Output format."),
        ] + StoreOptions.options
    }

    func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
        guard arguments.positionals.isEmpty else { throw UsageError(message: "init takes no arguments") }
        let config = try StoreOptions.config(arguments)
        let url = try StoreOptions.url(arguments, config: config, environment: console.environment)
        let (database, _) = try StoreOptions.open(url, mode: .create)
        defer { database.close() }
        try MigrationHistory(database: database, table: config.migrationsTable).ensureTable()
        var done = ["journal tables and \(config.migrationsTable) in \(url.redacted)"]
        if arguments.has("installations-table") {
            try database.execute(InstallationStore.createDefaultTableSQL(config.installations, dialect: database.dialect))
            done.append("installations table \(config.installations.table)")
        }
        if arguments.value("config") == nil, !FileManager.default.fileExists(atPath: AppConfig.fileName) {
            try Data(AppConfig.defaultFileText.utf8).write(to: URL(fileURLWithPath: AppConfig.fileName))
            done.append(AppConfig.fileName)
        }
        do {
            if try GitIgnoreEntry.ensure() { done.append("\(GitIgnoreEntry.stateFolder) in .gitignore") }
        } catch {
            // The store is made; the ignore entry is a convenience: say so and go on.
            console.writeError("warning: \(error)\n")
        }
        if format(arguments) == "json" {
            console.write(try JSONOutput.encode(["database": url.redacted, "created": done.joined(separator: "; ")]))
        } else {
            console.write("ready: " + done.joined(separator: "; ") + "\n")
        }
        return .success
    }
}
