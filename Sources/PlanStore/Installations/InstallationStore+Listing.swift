import Foundation

/// What `status --portals` needs from the app's table beyond the endpoints: the active
/// installations a run has not reached yet.
extension InstallationStore {
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

    /// How many active installations have no task in step `step` of run `runID` (no reconciling
    /// step at all when `step` is nil): the portals that step has not reached.
    public func unreachedCount(run runID: Int, step: String? = nil) throws -> Int {
        let m = mapping
        let steps = step == nil ? Journal.reconcileSteps : "t.step_id = ?"
        let sql = """
            SELECT COUNT(*) AS n FROM \(m.table) i
             WHERE \(condition(nil))
               AND NOT EXISTS (SELECT 1 FROM b24plan_portal_tasks t
                                WHERE t.run_id = ? AND \(steps) AND t.member_id = i.\(m.memberId))
            """
        return try database.queryFirst(sql, [SQLValue(runID)] + (step.map { [SQLValue.text($0)] } ?? []))?["n"].int ?? 0
    }

    /// `host[:port]` of a client endpoint (`https://acme.bitrix24.com/rest/` → `acme.bitrix24.com`),
    /// nil when it has none.
    public static func host(ofEndpoint endpoint: String) -> String? {
        guard let url = URLComponents(string: endpoint.trimmingCharacters(in: .whitespaces)), let host = url.host, !host.isEmpty
        else { return nil }
        return url.port.map { "\(host):\($0)" } ?? host
    }
}
