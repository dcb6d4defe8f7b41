/// Installations' REST addresses without their tokens (for reports that name a portal's host).
extension InstallationStore {
    /// The endpoint of each of `memberIDs` that has a row, active or not (an inactive portal is
    /// marked, never deleted). Reads only the member id and endpoint columns, never a token; asks
    /// in chunks of 500 ids.
    public func endpoints(memberIDs: [String]) throws -> [String: String] {
        let m = mapping
        var found: [String: String] = [:]
        let unique = Array(Set(memberIDs)).sorted()
        for start in stride(from: 0, to: unique.count, by: 500) {
            let chunk = Array(unique[start..<min(start + 500, unique.count)])
            let sql =
                "SELECT \(m.memberId) AS member_id, \(m.endpoint) AS endpoint FROM \(m.table) WHERE \(m.memberId) IN ("
                + chunk.map { _ in "?" }.joined(separator: ", ") + ")"
            for row in try database.query(sql, chunk.map(SQLValue.text)) {
                if let member = row["member_id"].string, let endpoint = row["endpoint"].string { found[member] = endpoint }
            }
        }
        return found
    }
}
