/// Per-portal tasks of a step (data migrations, reconcile): one row per (run, step, member_id).
extension Journal {
    public enum PortalState: String, Sendable, CaseIterable, Codable {
        case pending, running, done
        case needsReinstall = "needs-reinstall"
        case inactive, failed

        /// Whether the portal needs nothing more from this step (a resumed run skips it).
        public var isTerminal: Bool { self != .pending && self != .running }
    }

    public struct PortalTask: Sendable, Equatable {
        public var memberID: String
        public var state: PortalState
        public var batches: Int
        public var rowsChanged: Int
        public var attempts: Int
        public var lastError: String?
        /// Comma-separated scope codes the portal's token lacks.
        public var missingScopes: String?

        public init(
            memberID: String, state: PortalState = .pending, batches: Int = 0, rowsChanged: Int = 0, attempts: Int = 0,
            lastError: String? = nil, missingScopes: String? = nil
        ) {
            self.memberID = memberID
            self.state = state
            self.batches = batches
            self.rowsChanged = rowsChanged
            self.attempts = attempts
            self.lastError = lastError
            self.missingScopes = missingScopes
        }
    }

    private static let taskColumns = "member_id, state, batches, rows_changed, attempts, last_error, missing_scopes"

    private func task(from row: SQLRow) -> PortalTask {
        PortalTask(
            memberID: row["member_id"].string ?? "", state: PortalState(rawValue: row["state"].string ?? "") ?? .pending,
            batches: row["batches"].int ?? 0, rowsChanged: row["rows_changed"].int ?? 0, attempts: row["attempts"].int ?? 0,
            lastError: row["last_error"].string, missingScopes: row["missing_scopes"].string)
    }

    public func portalTask(run runID: Int, step: String, member: String) throws -> PortalTask? {
        try database.query(
            "SELECT \(Self.taskColumns) FROM b24plan_portal_tasks WHERE run_id = ? AND step_id = ? AND member_id = ?",
            [SQLValue(runID), .text(step), .text(member)]
        ).first.map(task(from:))
    }

    public func portalTasks(run runID: Int, step: String) throws -> [PortalTask] {
        try database.query(
            "SELECT \(Self.taskColumns) FROM b24plan_portal_tasks WHERE run_id = ? AND step_id = ? ORDER BY member_id",
            [SQLValue(runID), .text(step)]
        ).map(task(from:))
    }

    /// Writes a portal task (inside the caller's transaction when there is one).
    public func savePortalTask(run runID: Int, step: String, _ task: PortalTask) throws {
        try database.execute(
            database.dialect.upsert(
                """
                INSERT INTO b24plan_portal_tasks
                  (run_id, step_id, member_id, state, batches, rows_changed, attempts, last_error, missing_scopes, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, conflict: ["run_id", "step_id", "member_id"],
                set: """
                    state = excluded.state, batches = excluded.batches,
                      rows_changed = excluded.rows_changed, attempts = excluded.attempts, last_error = excluded.last_error,
                      missing_scopes = excluded.missing_scopes, updated_at = excluded.updated_at,
                      lease_expires_at = NULL
                    """),
            [
                SQLValue(runID), .text(step), .text(task.memberID), .text(task.state.rawValue), SQLValue(task.batches),
                SQLValue(task.rowsChanged), SQLValue(task.attempts), SQLValue(task.lastError), SQLValue(task.missingScopes),
                .text(timestamp),
            ])
    }

    /// How many portals of a run (and step, when given) are in each state.
    public func portalCounts(run runID: Int, step: String? = nil) throws -> [PortalState: Int] {
        var sql = "SELECT state, COUNT(*) AS n FROM b24plan_portal_tasks WHERE run_id = ?"
        var parameters: [SQLValue] = [SQLValue(runID)]
        if let step {
            sql += " AND step_id = ?"
            parameters.append(.text(step))
        }
        var counts: [PortalState: Int] = [:]
        for row in try database.query(sql + " GROUP BY state", parameters) {
            if let state = PortalState(rawValue: row["state"].string ?? "") { counts[state] = row["n"].int ?? 0 }
        }
        return counts
    }

    /// The steps that reconcile portals: `portals.reconcile`, or a rollout's canary and waves.
    static let reconcileSteps = "(step_id = 'portals.reconcile' OR step_id = 'portals.canary' OR step_id LIKE 'portals.wave.%')"

    /// Portal states over every reconciling step of the run (the canary and all waves together).
    public func reconcileCounts(run runID: Int) throws -> [PortalState: Int] {
        var counts: [PortalState: Int] = [:]
        let sql = "SELECT state, COUNT(*) AS n FROM b24plan_portal_tasks WHERE run_id = ? AND \(Self.reconcileSteps) GROUP BY state"
        for row in try database.query(sql, [SQLValue(runID)]) {
            if let state = PortalState(rawValue: row["state"].string ?? "") { counts[state] = row["n"].int ?? 0 }
        }
        return counts
    }

    /// Every portal's reconcile task of the run, whichever step (canary or wave) reconciled it.
    public func reconcileTasks(run runID: Int) throws -> [PortalTask] {
        try database.query(
            "SELECT \(Self.taskColumns) FROM b24plan_portal_tasks WHERE run_id = ? AND \(Self.reconcileSteps) ORDER BY member_id",
            [SQLValue(runID)]
        ).map(task(from:))
    }
}
