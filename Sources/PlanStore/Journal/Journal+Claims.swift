import Foundation

/// Shared runs on PostgreSQL and MySQL (`apply --worker`): the portals of a step are seeded as pending task
/// rows, and every process claims a few at a time with `FOR UPDATE SKIP LOCKED` and a lease, so
/// a dead worker's portals are taken over when its lease expires.
extension Journal {
    /// Inserts a pending task for every selected installation that has none yet, and puts the
    /// tasks in `reset` states back to pending (`--retry`). Returns the pending count.
    @discardableResult
    public func seedPortalTasks(
        run runID: Int, step: String, installations: InstallationStore, where extra: String?, memberIDs: [String]?,
        reset: [PortalState], memberFilter: (@Sendable (String) -> Bool)? = nil
    ) throws -> Int {
        let mapping = installations.mapping
        let time = timestamp
        if let memberFilter {
            // A share of the installations (a wave): the ids are read page by page and filtered
            // here, then seeded in chunks through the memberIDs path below.
            var selected: [String] = []
            var after: String?
            while true {
                let page = try installations.memberIDs(after: after, limit: 1000, where: extra)
                selected += page.filter { memberFilter($0) && (memberIDs?.contains($0) ?? true) }
                guard page.count == 1000, let last = page.last else { break }
                after = last
            }
            for start in stride(from: 0, to: max(selected.count, 1), by: 500) {
                let chunk = Array(selected[start..<min(start + 500, selected.count)])
                _ = try seedPortalTasks(
                    run: runID, step: step, installations: installations, where: extra, memberIDs: chunk,
                    reset: start == 0 ? reset : [])
            }
            return try portalCounts(run: runID, step: step)[.pending] ?? 0
        }
        try database.transaction {
            var sql = """
                INSERT INTO b24plan_portal_tasks (run_id, step_id, member_id, state, updated_at)
                SELECT ?, ?, \(mapping.memberId), 'pending', ? FROM \(mapping.table) WHERE \(installations.condition(extra))
                """
            var parameters: [SQLValue] = [SQLValue(runID), .text(step), .text(time)]
            if let memberIDs {
                sql +=
                    " AND \(mapping.memberId) IN (" + (memberIDs.isEmpty ? "NULL" : memberIDs.map { _ in "?" }.joined(separator: ", "))
                    + ")"
                parameters += memberIDs.map(SQLValue.text)
            }
            try database.execute(
                database.dialect.insertIgnoringDuplicates(sql, conflict: ["run_id", "step_id", "member_id"]), parameters)
            if !reset.isEmpty {
                try database.execute(
                    "UPDATE b24plan_portal_tasks SET state = 'pending', lease_owner = NULL, lease_expires_at = NULL WHERE run_id = ? AND step_id = ? AND state IN ("
                        + reset.map { _ in "?" }.joined(separator: ", ") + ")",
                    [SQLValue(runID), .text(step)] + reset.map { .text($0.rawValue) })
            }
        }
        return try portalCounts(run: runID, step: step)[.pending] ?? 0
    }

    /// Claims up to `limit` pending tasks (or running ones whose lease expired) for `owner`.
    public func claimPortalTasks(run runID: Int, step: String, owner: String, limit: Int, leaseSeconds: TimeInterval) throws -> [String] {
        let current = timestamp
        let expires = Timestamp.string(now().addingTimeInterval(leaseSeconds))
        // A halted wave gives no more portals to any process (workers stop with the coordinator).
        let stepState = try database.query(
            "SELECT state FROM b24plan_steps WHERE run_id = ? AND step_id = ?", [SQLValue(runID), .text(step)]
        ).first?["state"].string
        if stepState == StepState.halted.rawValue { return [] }
        if database.dialect == .mysql {
            // MySQL refuses FOR UPDATE SKIP LOCKED in a subquery of an UPDATE, and has no RETURNING:
            // the ids are locked by a SELECT, then updated, in one transaction.
            return try database.transaction {
                let ids = try database.query(
                    """
                    SELECT member_id FROM b24plan_portal_tasks
                    WHERE run_id = ? AND step_id = ? AND (state = 'pending' OR (state = 'running' AND lease_expires_at < ?))
                    ORDER BY member_id LIMIT ? FOR UPDATE SKIP LOCKED
                    """,
                    [SQLValue(runID), .text(step), .text(current), SQLValue(limit)]
                ).compactMap { $0["member_id"].string }
                guard !ids.isEmpty else { return [] }
                try database.execute(
                    "UPDATE b24plan_portal_tasks SET state = 'running', lease_owner = ?, lease_expires_at = ?, updated_at = ? "
                        + "WHERE run_id = ? AND step_id = ? AND member_id IN (" + ids.map { _ in "?" }.joined(separator: ", ") + ")",
                    [.text(owner), .text(expires), .text(current), SQLValue(runID), .text(step)] + ids.map(SQLValue.text))
                return ids.sorted()
            }
        }
        let rows = try database.query(
            """
            UPDATE b24plan_portal_tasks SET state = 'running', lease_owner = ?, lease_expires_at = ?, updated_at = ?
            WHERE (run_id, step_id, member_id) IN (
              SELECT run_id, step_id, member_id FROM b24plan_portal_tasks
              WHERE run_id = ? AND step_id = ? AND (state = 'pending' OR (state = 'running' AND lease_expires_at < ?))
              ORDER BY member_id LIMIT ? FOR UPDATE SKIP LOCKED)
            RETURNING member_id
            """,
            [.text(owner), .text(expires), .text(current), SQLValue(runID), .text(step), .text(current), SQLValue(limit)])
        return rows.compactMap { $0["member_id"].string }.sorted()
    }

    /// Tasks not finished: pending, or running under a lease that has not expired (someone works on it).
    public func unfinishedPortalTasks(run runID: Int, step: String) throws -> (pending: Int, leased: Int) {
        let current = timestamp
        let row = try database.query(
            """
            SELECT
              SUM(CASE WHEN state = 'pending' OR (state = 'running' AND lease_expires_at < ?) THEN 1 ELSE 0 END) AS pending,
              SUM(CASE WHEN state = 'running' AND lease_expires_at >= ? THEN 1 ELSE 0 END) AS leased
            FROM b24plan_portal_tasks WHERE run_id = ? AND step_id = ?
            """,
            [.text(current), .text(current), SQLValue(runID), .text(step)]
        ).first
        return (row?["pending"].int ?? 0, row?["leased"].int ?? 0)
    }

    /// Extends the lease of tasks `owner` is still working on (call it well before they expire).
    @discardableResult
    public func renewLeases(run runID: Int, step: String, owner: String, memberIDs: [String], leaseSeconds: TimeInterval) throws -> Int {
        guard !memberIDs.isEmpty else { return 0 }
        let expires = Timestamp.string(now().addingTimeInterval(leaseSeconds))
        return try database.execute(
            "UPDATE b24plan_portal_tasks SET lease_expires_at = ? WHERE run_id = ? AND step_id = ? AND lease_owner = ? AND state = 'running' AND member_id IN ("
                + memberIDs.map { _ in "?" }.joined(separator: ", ") + ")",
            [.text(expires), SQLValue(runID), .text(step), .text(owner)] + memberIDs.map(SQLValue.text))
    }

    /// Puts claimed tasks back to pending (the owner stopped before working on them).
    @discardableResult
    public func releaseClaims(run runID: Int, step: String, owner: String, memberIDs: [String]) throws -> Int {
        guard !memberIDs.isEmpty else { return 0 }
        return try database.execute(
            "UPDATE b24plan_portal_tasks SET state = 'pending', lease_owner = NULL, lease_expires_at = NULL WHERE run_id = ? AND step_id = ? AND lease_owner = ? AND state = 'running' AND member_id IN ("
                + memberIDs.map { _ in "?" }.joined(separator: ", ") + ")",
            [SQLValue(runID), .text(step), .text(owner)] + memberIDs.map(SQLValue.text))
    }

    /// Owners holding unexpired leases on (run, step), with how many tasks and the latest expiry.
    public func leaseHolders(run runID: Int, step: String) throws -> [(owner: String, tasks: Int, expiresAt: String)] {
        try database.query(
            """
            SELECT lease_owner AS owner, COUNT(*) AS n, MAX(lease_expires_at) AS expires_at FROM b24plan_portal_tasks
            WHERE run_id = ? AND step_id = ? AND state = 'running' AND lease_expires_at >= ? GROUP BY lease_owner ORDER BY lease_owner
            """,
            [SQLValue(runID), .text(step), .text(timestamp)]
        ).map { ($0["owner"].string ?? "", $0["n"].int ?? 0, $0["expires_at"].string ?? "") }
    }

    /// Puts the tasks of owners that are dead processes on this host back to pending at once, so
    /// a resumed run need not wait for their leases to expire. Returns how many were released.
    @discardableResult
    public func releaseDeadLocalLeases(run runID: Int, step: String) throws -> Int {
        var released = 0
        for holder in try leaseHolders(run: runID, step: step) where RunLock.isDeadLocalOwner(holder.owner) {
            released += try database.execute(
                "UPDATE b24plan_portal_tasks SET state = 'pending', lease_owner = NULL, lease_expires_at = NULL WHERE run_id = ? AND step_id = ? AND lease_owner = ? AND state = 'running'",
                [SQLValue(runID), .text(step), .text(holder.owner)])
        }
        return released
    }
}
