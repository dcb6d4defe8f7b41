import ReleasePlan

/// Adopting b24plan on a live app (Flyway's `baseline`): records a plan as the published one and its
/// migrations as applied, without running them, after checking `schema_migrations` agrees.
public struct Baseline {
    public let database: any Database
    public let journal: Journal
    public let history: MigrationHistory

    public init(database: any Database, journal: Journal, history: MigrationHistory) {
        self.database = database
        self.journal = journal
        self.history = history
    }

    public struct Summary: Sendable, Equatable {
        public var runID: Int
        /// Migrations recorded now.
        public var recorded: [Int]
        /// Migrations `schema_migrations` already had, with the same checksum.
        public var alreadyRecorded: [Int]
    }

    /// Why the database disagrees with the plan; nothing was written.
    public struct Disagreement: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Records `compiled` as published (with the plan's bytes, `planJSON`) and its migrations as applied.
    public func record(_ compiled: CompiledPlan, planSHA256: String, planJSON: String = "", planPath: String? = nil) throws -> Summary {
        guard !Journal.isPreRelease(compiled.to) else {
            throw Disagreement(message: "\(compiled.to) is a pre-release, which is never published: baseline the version that is live")
        }
        try history.ensureTable()
        let dirty = try history.dirtyEntries()
        guard dirty.isEmpty else { throw Disagreement(message: DirtyMigrations(table: history.table, entries: dirty).message) }
        let entries = try history.entries()
        let migrations = Dictionary(compiled.plan.migrations.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for (id, entry) in entries.sorted(by: { $0.key < $1.key }) {
            guard let migration = migrations[id] else {
                throw Disagreement(
                    message: "\(history.table) has migration \(id) (\(entry.name)), which \(compiled.app) \(compiled.to) does not list")
            }
            if let sha256 = migration.sha256?.lowercased(), sha256 != entry.checksum {
                throw Disagreement(
                    message: "\(history.table) records migration \(id) with checksum \(entry.checksum), but the plan says \(sha256)")
            }
        }
        return try database.transaction {
            var recorded: [Int] = []
            for migration in compiled.plan.migrations.sorted(by: { $0.id < $1.id }) where entries[migration.id] == nil {
                try history.record(
                    version: migration.id, name: migration.name, checksum: migration.sha256?.lowercased() ?? "",
                    appliedAt: journal.timestamp, milliseconds: 0)
                recorded.append(migration.id)
            }
            let run = try journal.openRun(app: compiled.app, version: compiled.to, planSHA256: planSHA256, state: .baseline)
            for step in compiled.steps {
                try journal.setStep(
                    run: run.id, step: step.id, state: .done, detail: "baseline: recorded as done without running", ran: false)
            }
            try journal.setRunState(run.id, .baseline)
            try journal.recordPublished(
                app: compiled.app, version: compiled.to, planSHA256: planSHA256, planJSON: planJSON, planPath: planPath,
                updateType: compiled.updateType.rawValue, recordedBy: "baseline", runID: run.id)
            return Summary(runID: run.id, recorded: recorded, alreadyRecorded: entries.keys.sorted())
        }
    }
}
