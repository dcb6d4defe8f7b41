/// Portal outcomes written in groups (the fleet's group commit): one statement for many portals,
/// no read per portal.
extension Journal {
    /// One portal's final outcome in a step, as the fleet records it.
    public struct PortalOutcomeRow: Sendable, Equatable {
        public var memberID: String
        public var state: PortalState
        public var batches: Int
        public var lastError: String?
        /// Comma-separated scope codes the portal's token lacks.
        public var missingScopes: String?

        public init(memberID: String, state: PortalState, batches: Int = 0, lastError: String? = nil, missingScopes: String? = nil) {
            self.memberID = memberID
            self.state = state
            self.batches = batches
            self.lastError = lastError
            self.missingScopes = missingScopes
        }
    }

    /// Rows per statement: 9 parameters each stays far below every backend's limit.
    static let outcomesPerStatement = 200

    /// Writes the outcomes of (run, step) with one upsert per 200 portals (inside the caller's
    /// transaction when there is one): `attempts` grows by one on the stored row (1 for a new one),
    /// the lease is released and `rows_changed` is 0, as `savePortalTask` of a reconcile writes it. A portal named twice is written
    /// twice, in order (its attempts grow by two).
    public func savePortalOutcomes(run runID: Int, step: String, _ outcomes: [PortalOutcomeRow]) throws {
        try Self.inStatements(outcomes, of: Self.outcomesPerStatement, memberID: \.memberID) {
            try upsertOutcomes(run: runID, step: step, $0)
        }
    }

    /// Hands `rows` to `write` in order, at most `size` at a time, and never one member twice in the
    /// same call (one statement may not change a row twice: PostgreSQL's ON CONFLICT refuses it).
    static func inStatements<Row>(
        _ rows: [Row], of size: Int, memberID: KeyPath<Row, String>, _ write: ([Row]) throws -> Void
    ) throws {
        var chunk: [Row] = []
        var members: Set<String> = []
        for row in rows {
            if chunk.count == size || members.contains(row[keyPath: memberID]) {
                try write(chunk)
                chunk.removeAll(keepingCapacity: true)
                members.removeAll(keepingCapacity: true)
            }
            chunk.append(row)
            members.insert(row[keyPath: memberID])
        }
        if !chunk.isEmpty { try write(chunk) }
    }

    private func upsertOutcomes(run runID: Int, step: String, _ outcomes: [PortalOutcomeRow]) throws {
        guard !outcomes.isEmpty else { return }
        let time = timestamp
        let tuples = Array(repeating: "(?, ?, ?, ?, ?, 0, 1, ?, ?, ?)", count: outcomes.count).joined(separator: ", ")
        var parameters: [SQLValue] = []
        parameters.reserveCapacity(outcomes.count * 8)
        for outcome in outcomes {
            parameters += [
                SQLValue(runID), .text(step), .text(outcome.memberID), .text(outcome.state.rawValue), SQLValue(outcome.batches),
                SQLValue(outcome.lastError), SQLValue(outcome.missingScopes), .text(time),
            ]
        }
        try database.execute(
            database.dialect.upsert(
                """
                INSERT INTO b24plan_portal_tasks
                  (run_id, step_id, member_id, state, batches, rows_changed, attempts, last_error, missing_scopes, updated_at)
                VALUES \(tuples)
                """, conflict: ["run_id", "step_id", "member_id"],
                set: """
                    state = excluded.state, batches = excluded.batches, rows_changed = excluded.rows_changed,
                      attempts = b24plan_portal_tasks.attempts + 1, last_error = excluded.last_error,
                      missing_scopes = excluded.missing_scopes, updated_at = excluded.updated_at,
                      lease_expires_at = NULL
                    """),
            parameters)
    }
}
