import Foundation

/// The record of what apply did: runs (one per app and version), steps, per-portal tasks and gates.
/// Everything here is in the `b24plan_` tables of the state store.
public final class Journal: @unchecked Sendable {
    public let database: any Database
    public let now: @Sendable () -> Date

    public init(database: any Database, now: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.now = now
    }

    /// Now, as the journal writes it.
    public var timestamp: String { Timestamp.string(now()) }

    /// Creates or upgrades the journal tables; refuses a store written by a newer b24plan.
    public func migrate() throws {
        // One transaction, serialised across processes (PostgreSQL: an advisory lock; SQLite:
        // BEGIN IMMEDIATE; MySQL, where DDL commits at once: GET_LOCK around it), so workers
        // starting together do not race creating the tables.
        if database.dialect == .mysql {
            let row = try database.queryFirst("SELECT GET_LOCK('b24plan:journal', 60) AS locked")
            guard row?["locked"].int == 1 else {
                throw DatabaseError(message: "another b24plan kept the journal schema lock (b24plan:journal) for 60 seconds")
            }
        }
        defer { if database.dialect == .mysql { _ = try? database.query("SELECT RELEASE_LOCK('b24plan:journal') AS released") } }
        try database.transaction {
            if database.dialect == .postgres {
                _ = try database.query("SELECT pg_advisory_xact_lock(hashtext('b24plan:journal')) IS NULL AS locked")
            }
            let d = database.dialect
            let key = Self.metaKeyColumn(d)
            try database.execute(
                "CREATE TABLE IF NOT EXISTS b24plan_meta (\(key) \(d.keyTextType) PRIMARY KEY, value \(d.textType) NOT NULL)")
            let current =
                try database.query("SELECT value FROM b24plan_meta WHERE \(key) = 'schema_version'").first?["value"].int ?? 0
            if current > JournalSchema.version {
                throw DatabaseError(
                    message: "the state store was written by a newer b24plan "
                        + "(journal schema \(current); this one knows \(JournalSchema.version))")
            }
            let migrations = JournalSchema.migrations(database.dialect)
            for version in (current + 1)...max(current + 1, JournalSchema.version) where version <= JournalSchema.version {
                for statement in migrations[version] ?? [] { try database.execute(statement) }
                try database.execute(
                    d.upsert(
                        "INSERT INTO b24plan_meta (\(key), value) VALUES ('schema_version', ?)", conflict: [key],
                        set: "value = excluded.value"),
                    [.text(String(version))])
            }
        }
    }

    // MARK: Runs

    public enum RunState: String, Sendable, CaseIterable {
        case running, incomplete, done, failed, baseline
        /// Moderation (or the partner account) rejected the version; the run can still resume.
        case rejected
        /// Ended by `b24plan abandon`: it will never finish; the next version may start.
        case abandoned

        /// Whether the run still has work to do (it blocks another version until published or ended).
        public var isOpen: Bool { self == .running || self == .incomplete || self == .failed }
    }

    /// What a run does: a release's graph, or a rollback to an older release's bindings.
    public enum RunKind: String, Sendable, CaseIterable {
        case release, rollback
        /// `b24plan migrate`: a database brought to a release's schema (no deploy, gates or portals).
        case migrate
        /// `b24plan reconcile --all | --where | --member-id A,B`: portals repaired to the published release.
        case repair
    }

    public struct Run: Sendable, Equatable {
        public var id: Int
        public var app: String
        public var version: String
        public var planSHA256: String
        public var state: RunState
        public var kind: RunKind = .release
        public var startedAt: String
        public var updatedAt: String
        public var finishedAt: String?
    }

    /// Every column (a read-only command may meet an older journal without `kind`: read by name).
    private static let runColumns = "*"

    private func run(from row: SQLRow) -> Run {
        Run(
            id: row["id"].int ?? 0, app: row["app"].string ?? "", version: row["version"].string ?? "",
            planSHA256: row["plan_sha256"].string ?? "", state: RunState(rawValue: row["state"].string ?? "") ?? .running,
            kind: RunKind(rawValue: row["kind"].string ?? "") ?? .release, startedAt: row["started_at"].string ?? "",
            updatedAt: row["updated_at"].string ?? "",
            finishedAt: row["finished_at"].string)
    }

    public func run(app: String, version: String) throws -> Run? {
        try database.query("SELECT \(Self.runColumns) FROM b24plan_runs WHERE app = ? AND version = ?", [.text(app), .text(version)])
            .first.map(run(from:))
    }

    /// The most recently updated run, of one app or of any.
    public func latestRun(app: String? = nil) throws -> Run? {
        let rows: [SQLRow]
        if let app {
            rows = try database.query(
                "SELECT \(Self.runColumns) FROM b24plan_runs WHERE app = ? ORDER BY updated_at DESC, id DESC LIMIT 1", [.text(app)])
        } else {
            rows = try database.query("SELECT \(Self.runColumns) FROM b24plan_runs ORDER BY updated_at DESC, id DESC LIMIT 1")
        }
        return rows.first.map(run(from:))
    }

    /// The run of (app, version), created when it does not exist; applying again resumes it.
    public func openRun(
        app: String, version: String, planSHA256: String, state: RunState = .running, kind: RunKind = .release,
        updateType: String? = nil
    ) throws -> Run {
        let time = timestamp
        try database.execute(
            database.dialect.upsert(
                """
                INSERT INTO b24plan_runs (app, version, plan_sha256, state, kind, update_type, started_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, conflict: ["app", "version"],
                set: """
                    plan_sha256 = excluded.plan_sha256, state = excluded.state,
                      update_type = COALESCE(excluded.update_type, b24plan_runs.update_type),
                      updated_at = excluded.updated_at, finished_at = NULL
                    """),
            [
                .text(app), .text(version), .text(planSHA256), .text(state.rawValue), .text(kind.rawValue), SQLValue(updateType),
                .text(time), .text(time),
            ])
        guard let run = try run(app: app, version: version) else {
            throw DatabaseError(message: "the run of \(app) \(version) could not be recorded")
        }
        return run
    }

    /// Every run of `app` (or of every app), oldest first.
    public func runs(app: String? = nil) throws -> [Run] {
        let rows: [SQLRow]
        if let app {
            rows = try database.query("SELECT \(Self.runColumns) FROM b24plan_runs WHERE app = ? ORDER BY id", [.text(app)])
        } else {
            rows = try database.query("SELECT \(Self.runColumns) FROM b24plan_runs ORDER BY id")
        }
        return rows.map(run(from:))
    }

    /// The update type recorded for a run (`initial`, `patch`, …), when known.
    public func updateType(run runID: Int) throws -> String? {
        try database.query("SELECT update_type FROM b24plan_runs WHERE id = ?", [SQLValue(runID)]).first?["update_type"].string
    }

    public func setRunState(_ runID: Int, _ state: RunState) throws {
        let time = timestamp
        let finished: SQLValue = state == .running ? .null : .text(time)
        try database.execute(
            "UPDATE b24plan_runs SET state = ?, updated_at = ?, finished_at = ? WHERE id = ?",
            [.text(state.rawValue), .text(time), finished, SQLValue(runID)])
    }

    // MARK: Steps

    public enum StepState: String, Sendable, CaseIterable {
        case pending, running, done, failed, waiting
        /// A wave whose failed share passed `rollout.halt`: later waves wait; apply again continues it.
        case halted
    }

    public struct StepRecord: Sendable, Equatable {
        public var stepID: String
        public var state: StepState
        public var startedAt: String?
        public var finishedAt: String?
        public var detail: String?
        public var outputTail: String?
    }

    public func steps(run runID: Int) throws -> [String: StepRecord] {
        let rows = try database.query(
            "SELECT step_id, state, started_at, finished_at, detail, output_tail FROM b24plan_steps WHERE run_id = ?",
            [SQLValue(runID)])
        var records: [String: StepRecord] = [:]
        for row in rows {
            let id = row["step_id"].string ?? ""
            records[id] = StepRecord(
                stepID: id, state: StepState(rawValue: row["state"].string ?? "") ?? .pending,
                startedAt: row["started_at"].string, finishedAt: row["finished_at"].string, detail: row["detail"].string,
                outputTail: row["output_tail"].string)
        }
        return records
    }

    /// Records a step's state: `started_at` is kept from the first time it ran, `finished_at` is set
    /// when it is done or failed. `ran: false` records a step that never ran (baseline): no start time.
    public func setStep(
        run runID: Int, step: String, state: StepState, detail: String? = nil, outputTail: String? = nil, ran: Bool = true
    ) throws {
        let time = timestamp
        let started: SQLValue = state == .pending || state == .waiting || !ran ? .null : .text(time)
        let finished: SQLValue = state == .done || state == .failed ? .text(time) : .null
        try database.execute(
            database.dialect.upsert(
                """
                INSERT INTO b24plan_steps (run_id, step_id, state, started_at, finished_at, detail, output_tail)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, conflict: ["run_id", "step_id"],
                set: """
                    state = excluded.state,
                      started_at = COALESCE(b24plan_steps.started_at, excluded.started_at),
                      finished_at = excluded.finished_at, detail = excluded.detail,
                      output_tail = COALESCE(excluded.output_tail, b24plan_steps.output_tail)
                    """),
            [SQLValue(runID), .text(step), .text(state.rawValue), started, finished, SQLValue(detail), SQLValue(outputTail)])
        try database.execute("UPDATE b24plan_runs SET updated_at = ? WHERE id = ?", [.text(time), SQLValue(runID)])
    }

    // MARK: Gates

    public enum GateState: String, Sendable, CaseIterable {
        case passed, rejected
    }

    /// A manual step's record: passed (who, when), or one rejection of it (who, when, why).
    public struct Gate: Sendable, Equatable {
        public var stepID: String
        public var passedBy: String
        public var passedAt: String
        public var state: GateState = .passed
        public var reason: String?
    }

    /// The gate's pass, when it was passed.
    public func gate(app: String, version: String, step: String) throws -> Gate? {
        try database.query(
            "SELECT step_id, passed_by, passed_at FROM b24plan_gates WHERE app = ? AND version = ? AND step_id = ?",
            [.text(app), .text(version), .text(step)]
        ).first.map {
            Gate(stepID: $0["step_id"].string ?? "", passedBy: $0["passed_by"].string ?? "", passedAt: $0["passed_at"].string ?? "")
        }
    }

    /// Every pass and every rejection of (app, version)'s gates, oldest first: nothing is erased.
    public func gates(app: String, version: String) throws -> [Gate] {
        var records = try database.query(
            "SELECT step_id, passed_by, passed_at FROM b24plan_gates WHERE app = ? AND version = ?", [.text(app), .text(version)]
        ).map {
            Gate(stepID: $0["step_id"].string ?? "", passedBy: $0["passed_by"].string ?? "", passedAt: $0["passed_at"].string ?? "")
        }
        if try database.tableExists("b24plan_gate_rejections") {
            records += try database.query(
                "SELECT step_id, rejected_by, rejected_at, reason FROM b24plan_gate_rejections WHERE app = ? AND version = ?",
                [.text(app), .text(version)]
            ).map {
                Gate(
                    stepID: $0["step_id"].string ?? "", passedBy: $0["rejected_by"].string ?? "", passedAt: $0["rejected_at"].string ?? "",
                    state: .rejected, reason: $0["reason"].string)
            }
        }
        // A rejection comes before the pass of the same gate (a passed gate is never rejected).
        return records.sorted {
            ($0.passedAt, $0.stepID, $0.state == .rejected ? 0 : 1) < ($1.passedAt, $1.stepID, $1.state == .rejected ? 0 : 1)
        }
    }

    /// Records who passed a gate and when; false (and nothing written) when it was already passed.
    @discardableResult
    public func passGate(app: String, version: String, step: String, by person: String) throws -> Bool {
        let changed = try database.execute(
            database.dialect.insertIgnoringDuplicates(
                "INSERT INTO b24plan_gates (app, version, step_id, passed_by, passed_at) VALUES (?, ?, ?, ?, ?)",
                conflict: ["app", "version", "step_id"]),
            [.text(app), .text(version), .text(step), .text(person), .text(timestamp)])
        return changed > 0
    }

    /// Records a rejection of a gate that is not passed (moderation said no), with who and why.
    public func rejectGate(app: String, version: String, step: String, by person: String, reason: String) throws {
        try database.execute(
            "INSERT INTO b24plan_gate_rejections (app, version, step_id, rejected_by, rejected_at, reason) VALUES (?, ?, ?, ?, ?, ?)",
            [.text(app), .text(version), .text(step), .text(person), .text(timestamp), .text(reason)])
    }
}
