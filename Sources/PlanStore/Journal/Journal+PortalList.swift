extension Journal {
    /// One portal as the run's reconciling steps (reconcile, canary, waves) left it: what
    /// `status --portals` lists.
    public struct PortalListRow: Sendable, Equatable {
        public var memberID: String
        /// `running` (claimed, in flight) is listed as pending: it has not ended yet.
        public var state: PortalState
        public var attempts: Int
        public var lastError: String?
        /// Comma-separated scopes the token lacked (needs-reinstall).
        public var missingScopes: String?
        public var updatedAt: String?

        public init(
            memberID: String, state: PortalState, attempts: Int = 0, lastError: String? = nil, missingScopes: String? = nil,
            updatedAt: String? = nil
        ) {
            self.memberID = memberID
            self.state = state
            self.attempts = attempts
            self.lastError = lastError
            self.missingScopes = missingScopes
            self.updatedAt = updatedAt
        }
    }

    /// A page of the run's reconciled portals in member-id order: those after `after`, at most
    /// `limit`, only in `states` when given (pending includes running).
    public func reconcilePage(run runID: Int, states: [PortalState]?, after: String?, limit: Int) throws -> [PortalListRow] {
        var sql = """
            SELECT member_id, state, attempts, last_error, missing_scopes, updated_at FROM b24plan_portal_tasks
             WHERE run_id = ? AND \(Self.reconcileSteps)
            """
        var parameters: [SQLValue] = [SQLValue(runID)]
        if let states {
            var wanted = states.map(\.rawValue)
            if states.contains(.pending) { wanted.append(PortalState.running.rawValue) }
            sql += " AND state IN (\(wanted.map { _ in "?" }.joined(separator: ", ")))"
            parameters += wanted.map { .text($0) }
        }
        if let after {
            sql += " AND member_id > ?"
            parameters.append(.text(after))
        }
        sql += " ORDER BY member_id LIMIT ?"
        parameters.append(SQLValue(limit))
        return try database.query(sql, parameters).map { row in
            let state = PortalState(rawValue: row["state"].string ?? "") ?? .pending
            return PortalListRow(
                memberID: row["member_id"].string ?? "", state: state == .running ? .pending : state, attempts: row["attempts"].int ?? 0,
                lastError: row["last_error"].string, missingScopes: row["missing_scopes"].string, updatedAt: row["updated_at"].string)
        }
    }

    /// The scopes the run's scope audit found missing, by member, for `members`.
    public func auditedMissingScopes(run runID: Int, members: [String]) throws -> [String: String] {
        var found: [String: String] = [:]
        for chunk in members.chunked(500) where !chunk.isEmpty {
            let rows = try database.query(
                """
                SELECT member_id, missing_scopes FROM b24plan_portal_tasks
                 WHERE run_id = ? AND step_id = 'portals.scope-audit' AND missing_scopes IS NOT NULL AND missing_scopes <> ''
                   AND member_id IN (\(chunk.map { _ in "?" }.joined(separator: ", ")))
                """, [SQLValue(runID)] + chunk.map { .text($0) })
            for row in rows {
                if let member = row["member_id"].string, let scopes = row["missing_scopes"].string { found[member] = scopes }
            }
        }
        return found
    }
}

extension Array {
    /// Consecutive slices of at most `size` elements.
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
