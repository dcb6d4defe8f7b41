import Foundation

/// What `status --portals` needs from the app's table: the portals' addresses, and the active
/// installations a run has not reached yet.
extension InstallationStore {
    /// The client endpoint of each of `members` that has a row.
    public func endpoints(of members: [String]) throws -> [String: String] {
        let m = mapping
        var found: [String: String] = [:]
        for chunk in members.chunked(500) where !chunk.isEmpty {
            let rows = try database.query(
                """
                SELECT \(m.memberId) AS member_id, \(m.endpoint) AS endpoint FROM \(m.table)
                 WHERE \(m.memberId) IN (\(chunk.map { _ in "?" }.joined(separator: ", ")))
                """, chunk.map { .text($0) })
            for row in rows {
                if let member = row["member_id"].string, let endpoint = row["endpoint"].string { found[member] = endpoint }
            }
        }
        return found
    }

    /// Active member ids after `after`, in member-id order, at most `limit`, that no reconciling
    /// step of run `runID` has a task for: the portals that run has not reached yet.
    public func unreached(run runID: Int, after: String?, limit: Int) throws -> [String] {
        let m = mapping
        var sql = """
            SELECT i.\(m.memberId) AS member_id FROM \(m.table) i
             WHERE \(condition(nil))
               AND NOT EXISTS (SELECT 1 FROM b24plan_portal_tasks t
                                WHERE t.run_id = ? AND \(Journal.reconcileSteps) AND t.member_id = i.\(m.memberId))
            """
        var parameters: [SQLValue] = [SQLValue(runID)]
        if let after {
            sql += " AND i.\(m.memberId) > ?"
            parameters.append(.text(after))
        }
        sql += " ORDER BY i.\(m.memberId) LIMIT ?"
        parameters.append(SQLValue(limit))
        return try database.query(sql, parameters).compactMap { $0["member_id"].string }
    }

    /// The host of a client endpoint (`https://acme.bitrix24.com/rest/` → `acme.bitrix24.com`).
    public static func host(ofEndpoint endpoint: String) -> String? {
        URLComponents(string: endpoint)?.host.flatMap { $0.isEmpty ? nil : $0 }
    }
}
