import Foundation
import PlanStore
import ReleasePlan

/// Walks a compiled plan's steps in graph order and records each in the journal. A step runs when
/// every step before it is done; an unpassed gate waits (its dependents wait too, other steps go
/// on); a failed step stops the run. Applying again resumes: done steps are not run twice.
public final class ApplyExecutor: @unchecked Sendable {
    /// What the executor needs from outside.
    public struct Environment: @unchecked Sendable {
        public var database: any Database
        public var journal: Journal
        public var config: AppConfig
        /// The folder of the plan file: migration files are relative to it.
        public var planDirectory: String
        public var fileSystem: any FileSystem
        /// Opens another connection for parallel per-portal migrations (PostgreSQL); nil: one worker.
        public var openConnection: (() throws -> any Database)?
        public var parallel: Int
        /// Most database connections apply opens (PostgreSQL per-portal migrations), whatever
        /// `parallel` says (`--max-connections`).
        public var maxConnections = 16
        /// Whether perPortal batches are bounded by the server (`DataMigrationRunner.guardsStatements`;
        /// `B24PLAN_STATEMENT_GUARD=0` turns it off).
        public var guardsStatements = true
        public var deployHook: any DeployHook
        public var portalSteps: (any PortalStepRunner)?
        public var reporter: any ApplyReporter
        /// How messages name the plan (`b24plan gate pass STEP <planReference>`).
        public var planReference = "PLAN"
        /// Steps to run again even when the journal says done (`apply --retry` re-runs the portal steps).
        public var rerun: Set<String> = []
        /// The run's version when it is not the plan's (a rollback's `1.1.0+rollback.1`).
        public var runVersion: String?
        public var runKind: Journal.RunKind = .release
        /// The installations table does not exist (`migrate` on a fresh database): perPortal
        /// migrations run for no portal.
        public var noInstallationsTable = false
        /// Hides the secrets b24plan knows in the deploy output and in every step error it journals.
        public var redactor = SecretRedactor()
        /// Checked before each step: once a signal is recorded, no further step starts.
        public var interruption: Interruption?
        /// This host's name, as journaled with the deploy's pid.
        public var hostName = ProcessIdentity.currentHost
        /// The pid of a deploy journaled as running on another host that the user says has ended.
        public var endedDeploy: Int32?
        /// Checks the new or changed handler URLs (`portals.preflight`); nil: the step cannot run.
        public var preflight: HandlerPreflight?
        /// `--skip-preflight`: the step is recorded as skipped, nothing is requested.
        public var skipPreflight = false
        /// The clock soaks are measured with (tests move it).
        public var now: @Sendable () -> Date = { Date() }

        public init(
            database: any Database, journal: Journal, config: AppConfig, planDirectory: String,
            fileSystem: any FileSystem = LocalFileSystem(), openConnection: (() throws -> any Database)? = nil,
            parallel: Int = 1, deployHook: any DeployHook, portalSteps: (any PortalStepRunner)? = nil,
            reporter: any ApplyReporter = SilentReporter()
        ) {
            self.database = database
            self.journal = journal
            self.config = config
            self.planDirectory = planDirectory
            self.fileSystem = fileSystem
            self.openConnection = openConnection
            self.parallel = parallel
            self.deployHook = deployHook
            self.portalSteps = portalSteps
            self.reporter = reporter
        }
    }

    let environment: Environment

    public init(_ environment: Environment) {
        self.environment = environment
    }

    /// A problem found before any step ran (nothing was changed).
    public struct PreconditionError: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    public func apply(_ compiled: CompiledPlan, planSHA256: String) throws -> ApplyOutcome {
        try checkMigrationFiles(compiled)
        let journal = environment.journal
        let history = try MigrationHistory(database: environment.database, table: environment.config.migrationsTable)
        try history.ensureTable()
        // MySQL/MariaDB: a migration that started and never finished may have left the schema half-migrated.
        try history.refuseDirty(planReference: environment.planReference)
        try checkPublishedMigrations(compiled, history: history)
        try checkNoDeployRunning(compiled)
        let run = try journal.openRun(
            app: compiled.app, version: environment.runVersion ?? compiled.to, planSHA256: planSHA256, kind: environment.runKind,
            updateType: environment.runKind == .release ? compiled.updateType.rawValue : environment.runKind.rawValue)
        var states = try journal.steps(run: run.id).mapValues(\.state)
        var outcome = ApplyOutcome(runID: run.id, states: [:], pendingGates: [], blocked: [], failure: nil)
        for step in compiled.steps {
            if environment.interruption?.isRequested == true {
                outcome.interrupted = true
                break
            }
            if states[step.id] == .done && !environment.rerun.contains(step.id) { continue }
            // Every step before it in the graph must be done, not only its direct predecessors: a
            // graph that changed between two applies (a canary added) never lets a later step jump a
            // gate that is still pending.
            guard Self.ancestors(of: step, in: compiled.steps).allSatisfy({ states[$0] == .done }) else {
                outcome.blocked.append(step.id)
                if states[step.id] == nil {
                    try journal.setStep(run: run.id, step: step.id, state: .pending)
                    states[step.id] = .pending
                }
                continue
            }
            environment.reporter.stepStarted(step)
            // Recorded as started now, so the journal keeps when it began (not only when it ended).
            if !step.manual { try journal.setStep(run: run.id, step: step.id, state: .running) }
            let state: Journal.StepState
            let detail: String
            do {
                (state, detail) = try execute(step, compiled: compiled, runID: run.id, history: history)
            } catch let stopped as FleetStopped where stopped.isInterruption {
                // A signal: the step stays resumable; portals not finished stay pending.
                let message = "\(stopped.reason); run apply again to resume"
                try? journal.setStep(run: run.id, step: step.id, state: .pending, detail: message)
                states[step.id] = .pending
                outcome.interrupted = true
                environment.reporter.stepFinished(step, state: .pending, detail: message)
                break
            } catch {
                let message = environment.redactor.redact("\(error)")
                try? journal.setStep(run: run.id, step: step.id, state: .failed, detail: message)
                states[step.id] = .failed
                outcome.failure = (step.id, message)
                environment.reporter.stepFinished(step, state: .failed, detail: message)
                break
            }
            try journal.setStep(run: run.id, step: step.id, state: state, detail: detail)
            states[step.id] = state
            if state == .halted {
                // A halted wave stops the run like a failure (exit 1); later waves stay untouched.
                outcome.failure = (step.id, detail)
                environment.reporter.stepFinished(step, state: state, detail: detail)
                break
            }
            if state == .waiting && step.manual { outcome.pendingGates.append(step.id) }
            environment.reporter.stepFinished(step, state: state, detail: detail)
        }
        for step in compiled.steps { outcome.states[step.id] = states[step.id] ?? .pending }
        let runState: Journal.RunState = outcome.failure != nil ? .failed : outcome.isComplete ? .done : .incomplete
        try journal.setRunState(run.id, runState)
        return outcome
    }

    private func execute(_ step: PlanStep, compiled: CompiledPlan, runID: Int, history: MigrationHistory) throws -> (
        Journal.StepState, String
    ) {
        switch step.kind {
        case .migrateSchema:
            guard let migration = step.migration else { throw PreconditionError(message: "\(step.id) has no migration") }
            let file = try migrationFile(migration)
            var runner = SchemaMigrationRunner(database: environment.database, history: history, journal: environment.journal, runID: runID)
            runner.planReference = environment.planReference
            switch try runner.run(migration, file: file, stepID: step.id) {
            case .alreadyApplied: return (.done, "already in \(history.table)")
            case .applied(let milliseconds): return (.done, "applied in \(milliseconds) ms")
            }
        case .migrateData:
            return try runDataMigration(step, runID: runID, history: history)
        case .deploy:
            guard let command = step.command, !command.isEmpty else { return try gate(step, compiled: compiled) }
            return try runDeploy(step, command: command, runID: runID)
        case .gatePartner, .gateModeration, .gateWave:
            return try gate(step, compiled: compiled)
        case .soak:
            return try soak(step, runID: runID)
        case .portalsPreflight:
            if environment.skipPreflight { return (.done, "skipped (--skip-preflight): no handler URL was checked") }
            guard let preflight = environment.preflight else {
                throw PreconditionError(message: "\(step.id) needs an HTTP client, which this command was not given")
            }
            return (.done, try preflight.run(compiled.preflightURLs))
        case .portalsReconcile, .portalsCanary, .portalsWave, .portalsScopeAudit:
            guard let runner = environment.portalSteps else {
                throw PreconditionError(message: "\(step.id) needs the portal client, which this command was not given")
            }
            return try runner.run(step, compiled: compiled, runID: runID, reporter: environment.reporter)
        }
    }

    /// Every step `step` depends on, directly or through others.
    static func ancestors(of step: PlanStep, in steps: [PlanStep]) -> Set<String> {
        let byID = Dictionary(steps.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var found = Set<String>()
        var stack = step.after
        while let id = stack.popLast() {
            guard found.insert(id).inserted else { continue }
            stack += byID[id]?.after ?? []
        }
        return found
    }

    /// A timed soak: done once its length has passed since the wave before it finished; until then
    /// waiting (apply exits 3 and says when to run it again).
    private func soak(_ step: PlanStep, runID: Int) throws -> (Journal.StepState, String) {
        let seconds = step.soakSeconds ?? 0
        let steps = try environment.journal.steps(run: runID)
        guard let wave = step.after.first, let finished = steps[wave]?.finishedAt.flatMap(Timestamp.date) else {
            return (.waiting, "waiting for \(step.after.first ?? "the wave before it") to finish")
        }
        let until = finished.addingTimeInterval(TimeInterval(seconds))
        if environment.now() >= until { return (.done, "soaked \(seconds) s after \(wave) finished") }
        return (.waiting, "soaking until \(Timestamp.string(until)); run apply again then to start the next wave")
    }

    private func gate(_ step: PlanStep, compiled: CompiledPlan) throws -> (Journal.StepState, String) {
        if let gate = try environment.journal.gate(app: compiled.app, version: compiled.to, step: step.id) {
            return (.done, "passed by \(gate.passedBy) at \(gate.passedAt)")
        }
        return (.waiting, "not passed yet: b24plan gate pass \(step.id) \(environment.planReference) passes it")
    }

    /// A per-portal migration runs on every installation, then gets its `schema_migrations` row
    /// like any migration (so the next release sees it applied).
    private func runDataMigration(_ step: PlanStep, runID: Int, history: MigrationHistory) throws -> (Journal.StepState, String) {
        guard let migration = step.migration else { throw PreconditionError(message: "\(step.id) has no migration") }
        let file = try migrationFile(migration)
        let (checksum, recorded) = try history.check(migration, file: file)
        if recorded != nil { return (.done, "already in \(history.table)") }
        let started = Date()
        let script = SQLScript(path: file.path, bytes: file.bytes)
        let installations = InstallationStore(database: environment.database, mapping: environment.config.installations)
        var memberIDs: [String] = []
        if !environment.noInstallationsTable { try installations.forEachMemberID { memberIDs.append($0) } }
        let first = DataMigrationRunner.Connection(database: environment.database, journal: environment.journal)
        // More connections: opened by the runner as its workers start, and closed by it.
        var more = 0
        var open: () throws -> DataMigrationRunner.Connection = { throw PreconditionError(message: "no connection to open") }
        if environment.database.dialect != .sqlite, let connect = environment.openConnection {
            more = max(1, min(environment.parallel, environment.maxConnections)) - 1
            let now = environment.journal.now
            open = {
                let database = try connect()
                return DataMigrationRunner.Connection(database: database, journal: Journal(database: database, now: now))
            }
        }
        let reporter = environment.reporter
        try environment.journal.setStep(run: runID, step: step.id, state: .running)
        let runner = DataMigrationRunner(migration: migration, script: script, runID: runID, stepID: step.id) { progress in
            reporter.progress(
                step,
                "\(progress.portalsDone)/\(progress.portalsTotal) portals, \(progress.rowsChanged) rows in \(progress.batches) batches")
        }
        runner.guardsStatements = environment.guardsStatements
        let summary = try runner.run(memberIDs: memberIDs, first: first, more: more, open: open)
        try history.record(
            version: migration.id, name: migration.name, checksum: checksum, appliedAt: environment.journal.timestamp,
            milliseconds: Int(Date().timeIntervalSince(started) * 1000))
        return (.done, "\(summary.portalsTotal) portals, \(summary.rowsChanged) rows changed in \(summary.batches) batches")
    }

    /// The migration's file, through the resolver lint uses: a file outside the project is refused
    /// (`MigrationError` naming it) and never read.
    private func migrationFile(_ migration: Migration) throws -> SourceFile {
        let resolver = MigrationFileResolver(fileSystem: environment.fileSystem, planDirectory: environment.planDirectory)
        do {
            return try resolver.read(migration.file)
        } catch {
            throw MigrationError(file: FilePath.join(environment.planDirectory, migration.file), line: 1, message: error.description)
        }
    }

    /// Refuses the run before any step when a migration file it would run is outside the project.
    private func checkMigrationFiles(_ compiled: CompiledPlan) throws {
        let resolver = MigrationFileResolver(fileSystem: environment.fileSystem, planDirectory: environment.planDirectory)
        for migration in compiled.steps.compactMap(\.migration) {
            do {
                _ = try resolver.resolve(migration.file)
            } catch {
                // A missing or unreadable file is reported by its step when it runs.
                guard error.isOutsideProject else { continue }
                throw MigrationError(file: FilePath.join(environment.planDirectory, migration.file), line: 1, message: error.description)
            }
        }
    }

    /// Migrations of earlier releases must be in `schema_migrations` with the same checksum.
    private func checkPublishedMigrations(_ compiled: CompiledPlan, history: MigrationHistory) throws {
        let new = Set(compiled.steps.compactMap { $0.migration?.id })
        let recorded = try history.entries()
        for migration in compiled.plan.migrations where !new.contains(migration.id) {
            guard let entry = recorded[migration.id] else {
                throw PreconditionError(
                    message: "migration \(migration.id) (\(migration.name)) of an earlier release is not in \(history.table): "
                        + "apply that release first, or record the live database with b24plan baseline")
            }
            if let sha256 = migration.sha256, sha256.lowercased() != entry.checksum {
                throw PreconditionError(
                    message:
                        "\(history.table) records migration \(migration.id) with checksum \(entry.checksum), but the plan says \(sha256)")
            }
        }
    }
}
