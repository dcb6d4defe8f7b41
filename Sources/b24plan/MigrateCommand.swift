import Foundation
import PlanStore
import ReleasePlan
import Rollout

/// `b24plan migrate FILE`: brings a database (a developer's laptop, CI, a staging copy) to the
/// schema of FILE's release — every migration up to FILE's, in id order — with no deploy, no gates
/// and no portals.
struct MigrateCommand: Command {
    let name = "migrate"
    var exitCodes: [ExitCodeHelp.Line] { ExitCodeHelp.migrate }
    let planPositional: (index: Int, count: Int)? = (0, 1)
    let summary = "Bring a database to a release's schema: its migrations only, in order"
    let usage = "b24plan migrate FILE [--database URL] [--parallel N] [--format text|json] | b24plan migrate --mark-clean ID FILE"
    let handlesInterruption = true
    let discussion = """
        Runs every migration FILE lists that the database's schema_migrations does not have yet, in id
        order: schema migrations each in one transaction with their row, perPortal migrations over the
        installations table in batches (an empty or missing table runs them for no portal). Nothing is deployed,
        no gate is involved and no portal is called. It refuses, before running anything, a database
        whose schema_migrations disagrees with the plans: a row the plan does not list, or a checksum
        that differs from the plan's. Running it again does nothing more; an interrupted one resumes.

        On MySQL/MariaDB DDL commits at once, so a schema migration is recorded as started (dirty)
        before it runs and as done after. A failed one stays dirty: the database may be half-migrated,
        and migrate and apply refuse to run until it is repaired. Fix the database by hand, then mark
        the migration clean with --mark-clean ID FILE (FILE must list migration ID with the checksum
        recorded); or undo its changes by hand and delete its row from schema_migrations to run it again.
        """
    var options: [OptionSpec] {
        [
            .value("mark-clean", "ID", "Mark dirty migration ID as done (MySQL/MariaDB, after fixing the database by hand); runs nothing."),
            .value(
                "parallel", "N",
                "Connections for perPortal migrations on PostgreSQL and MySQL/MariaDB (default 32, at most --max-connections); as many work at once as pay."
            ),
            .value("max-connections", "N", "Most database connections migrate opens (default 16)."),
            .value("format", "FORMAT", allowed: ["text", "json"], "Output format (default text)."),
        ] + StoreOptions.options
    }

    func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
        guard arguments.positionals.count == 1, let path = arguments.positionals.first else {
            throw UsageError(message: "migrate needs exactly one plan FILE")
        }
        let json = format(arguments) == "json"
        if let id = arguments.value("mark-clean") {
            guard let version = Int(id) else { throw UsageError(message: "option '--mark-clean' needs a migration id, not '\(id)'") }
            try requireInputs(arguments)
            return try markClean(version, path: path, arguments: arguments, console: console)
        }
        try requireInputs(arguments)
        let parallel = try arguments.positiveInteger("parallel") ?? RolloutEstimate.defaultParallelism
        let maxConnections = try arguments.positiveInteger("max-connections") ?? 16
        guard case let (store, loaded)? = try OpenStore.openWithPlan(path, arguments: arguments, console: console, mode: .create)
        else { return .failure }
        defer { store.close() }
        let (database, journal, config, url) = (store.database, store.journal, store.config, store.url)
        let plan = loaded.compiled.plan
        // The run lock first: another migrate or apply of the app may be creating the migrations
        // table or running a migration (recorded as dirty while it runs on MySQL/MariaDB).
        let lock = try RunLock.acquire(database: database, app: plan.app)
        _ = lock.keepAlive()
        defer { lock.release() }
        let history = try MigrationHistory(database: database, table: config.migrationsTable)
        try history.ensureTable()
        do {
            try history.refuseDirty(planReference: loaded.planPath)
        } catch let dirty as DirtyMigrations {
            console.writeError("error: \(dirty.message)\n")
            return .failure
        }
        if let disagreement = try Self.disagreement(plan, history: history) {
            console.writeError("error: \(disagreement); nothing was run\n")
            return .failure
        }
        let recorded = try history.entries()
        let pending = plan.migrations.sorted { $0.id < $1.id }.filter { recorded[$0.id] == nil }
        let noInstallationsTable = try pending.contains(where: \.perPortal) && !database.tableExists(config.installations.table)
        if noInstallationsTable {
            console.writeError(
                "note: the installations table \(config.installations.table) does not exist in this database: "
                    + "perPortal migrations run for no portal (and are recorded as applied)\n")
        }
        var compiled = loaded.compiled
        compiled.steps = Self.steps(pending)
        let redactor = KnownSecrets.redactor(environment: console.environment, arguments: arguments).adding(url.secrets)
        var environment = ApplyExecutor.Environment(
            database: database, journal: journal, config: config, planDirectory: loaded.directory,
            openConnection: { try DatabaseConnector.open(url) }, parallel: parallel, deployHook: ChildProcessDeployHook(redactor: redactor),
            reporter: ConsoleReporter(console: console, jsonMode: json))
        environment.maxConnections = maxConnections
        environment.guardsStatements = StatementGuard.isEnabled(environment: console.environment)
        environment.redactor = redactor
        environment.interruption = .shared
        environment.runVersion = plan.version + "+migrate"
        environment.runKind = .migrate
        environment.noInstallationsTable = noInstallationsTable
        environment.planReference = loaded.planPath
        let outcome = try ApplyExecutor(environment).apply(compiled, planSHA256: loaded.planSHA256)
        let applied = compiled.steps.filter { outcome.states[$0.id] == .done }.compactMap { $0.migration?.id }
        if json {
            console.write(
                try JSONOutput.encode(
                    MigrateDocument(
                        app: plan.app, version: plan.version, applied: applied, alreadyApplied: recorded.keys.sorted(),
                        failure: outcome.failure.map { ApplyDocument.Failure(step: $0.step, message: $0.message) })))
        } else if let failure = outcome.failure {
            console.write("migrate failed at \(failure.step); fix the cause and run migrate again to resume.\n")
        } else if !outcome.interrupted {
            let list = applied.isEmpty ? "none (the database is up to date)" : applied.map(String.init).joined(separator: ", ")
            console.write("migrate: \(url.redacted) is at the schema of \(plan.app) \(plan.version); applied now: \(list)\n")
        }
        return outcome.failure != nil ? .failure : outcome.isComplete ? .success : .incomplete
    }

    /// `migrate --mark-clean ID FILE`: marks a dirty migration done, when FILE lists it with the
    /// checksum its row records; runs nothing.
    private func markClean(_ version: Int, path: String, arguments: ParsedArguments, console: Console) throws -> ExitCode {
        guard case let (store, loaded)? = try OpenStore.openWithPlan(path, arguments: arguments, console: console, mode: .mustExist)
        else { return .failure }
        defer { store.close() }
        let plan = loaded.compiled.plan
        guard let migration = plan.migrations.first(where: { $0.id == version }) else {
            console.writeError(
                "error: \(loaded.planPath) (\(plan.app) \(plan.version)) does not list migration \(version); nothing changed\n")
            return .failure
        }
        let resolver = MigrationFileResolver(fileSystem: LocalFileSystem(), planDirectory: loaded.directory)
        let checksum: String
        do {
            checksum = SHA256.hex(try resolver.read(migration.file).bytes)
        } catch {
            console.writeError("error: \(FilePath.join(loaded.directory, migration.file)): \(error.description); nothing changed\n")
            return .failure
        }
        if let declared = migration.sha256?.lowercased(), declared != checksum {
            console.writeError(
                "error: \(migration.file) changed since the plan was written: the plan says sha256 \(declared), the file is \(checksum); "
                    + "nothing changed\n")
            return .failure
        }
        let history = try MigrationHistory(database: store.database, table: store.config.migrationsTable)
        try history.ensureTable()
        let lock = try RunLock.acquire(database: store.database, app: plan.app)
        defer { lock.release() }
        do {
            try history.markClean(version: version, checksum: checksum)
        } catch let refusal as MigrationHistory.MarkCleanRefusal {
            console.writeError("error: \(refusal.message)\n")
            return .failure
        }
        console.write(
            "migrate: marked migration \(version) (\(migration.name)) clean in \(history.table) of \(store.url.redacted), "
                + "as applied without running it again; run b24plan migrate \(loaded.planPath) or apply to go on\n")
        return .success
    }

    /// The migrations in id order, each after the one before (schema and perPortal alike).
    static func steps(_ migrations: [Migration]) -> [PlanStep] {
        var steps: [PlanStep] = []
        for migration in migrations {
            let kind: PlanStep.Kind = migration.perPortal ? .migrateData : .migrateSchema
            steps.append(
                PlanStep(
                    id: "\(kind.rawValue).\(migration.id)", kind: kind, after: steps.last.map { [$0.id] } ?? [],
                    actions: ["run migration \(migration.id) (\(migration.name))"], migration: migration))
        }
        return steps
    }

    /// Why the database's migrations table disagrees with the plan, naming the row; nil when it agrees.
    static func disagreement(_ plan: Plan, history: MigrationHistory) throws -> String? {
        let migrations = Dictionary(plan.migrations.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for (id, entry) in try history.entries().sorted(by: { $0.key < $1.key }) {
            guard let migration = migrations[id] else {
                return "\(history.table) has migration \(id) (\(entry.name)), which \(plan.app) \(plan.version) does not list"
            }
            if let sha256 = migration.sha256?.lowercased(), sha256 != entry.checksum {
                return
                    "\(history.table) records migration \(id) (\(entry.name)) with checksum \(entry.checksum), but the plan says \(sha256)"
            }
        }
        return nil
    }
}

struct MigrateDocument: Encodable {
    var app: String
    var version: String
    var applied: [Int]
    var alreadyApplied: [Int]
    var failure: ApplyDocument.Failure?
}
