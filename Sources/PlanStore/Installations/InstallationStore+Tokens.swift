/// One installation's credentials, and writing back what the OAuth server and a renamed portal say.
extension InstallationStore {
    public struct Installation: Sendable, Equatable {
        public var memberID: String
        /// The portal's REST address, ending in `/rest/`.
        public var endpoint: String
        public var accessToken: String
        public var refreshToken: String
        /// Unix seconds, when known.
        public var expiresAt: Int?

        public init(memberID: String, endpoint: String, accessToken: String, refreshToken: String, expiresAt: Int?) {
            self.memberID = memberID
            self.endpoint = endpoint
            self.accessToken = accessToken
            self.refreshToken = refreshToken
            self.expiresAt = expiresAt
        }
    }

    /// Active installations after `after`, in member-id order, at most `limit` (a page).
    public func installations(after: String?, limit: Int, where extra: String? = nil, memberIDs: [String]? = nil) throws -> [Installation] {
        let m = mapping
        var sql = """
            SELECT \(m.memberId) AS member_id, \(m.endpoint) AS endpoint, \(m.accessToken) AS access_token,
              \(m.refreshToken) AS refresh_token, \(m.expiresAt) AS expires_at
            FROM \(m.table) WHERE \(condition(extra))
            """
        var parameters: [SQLValue] = []
        if let memberIDs {
            guard !memberIDs.isEmpty else { return [] }
            sql += " AND \(m.memberId) IN (" + memberIDs.map { _ in "?" }.joined(separator: ", ") + ")"
            parameters += memberIDs.map(SQLValue.text)
        }
        if let after {
            sql += " AND \(m.memberId) > ?"
            parameters.append(.text(after))
        }
        sql += " ORDER BY \(m.memberId) LIMIT ?"
        parameters.append(SQLValue(limit))
        return try database.query(sql, parameters).map { row in
            Installation(
                memberID: row["member_id"].string ?? "", endpoint: row["endpoint"].string ?? "",
                accessToken: row["access_token"].string ?? "", refreshToken: row["refresh_token"].string ?? "",
                expiresAt: row["expires_at"].int)
        }
    }

    /// The row's tokens and endpoint as they are now (nil: no such installation), whatever the
    /// active condition says: re-read before every refresh (DESIGN §7, token protocol).
    public func storedCredentials(memberID: String) throws -> Installation? {
        let m = mapping
        return try database.query(
            """
            SELECT \(m.memberId) AS member_id, \(m.endpoint) AS endpoint, \(m.accessToken) AS access_token,
              \(m.refreshToken) AS refresh_token, \(m.expiresAt) AS expires_at
            FROM \(m.table) WHERE \(m.memberId) = ?
            """, [.text(memberID)]
        ).first.map { row in
            Installation(
                memberID: row["member_id"].string ?? "", endpoint: row["endpoint"].string ?? "",
                accessToken: row["access_token"].string ?? "", refreshToken: row["refresh_token"].string ?? "",
                expiresAt: row["expires_at"].int)
        }
    }

    /// Stores rotated tokens with a compare-and-swap: only while the row still holds `replacing`,
    /// the refresh token that was used (DESIGN §7, token protocol). Returns false when the row
    /// changed meanwhile (another refresher wrote first: use its tokens). Called BEFORE the new
    /// access token is used, so a crash never loses the only valid refresh token.
    public func replaceTokens(
        memberID: String, replacing: String, accessToken: String, refreshToken: String, expiresAt: Int?, endpoint: String?
    ) throws -> Bool {
        let m = mapping
        var sql = "UPDATE \(m.table) SET \(m.accessToken) = ?, \(m.refreshToken) = ?, \(m.expiresAt) = ?"
        var parameters: [SQLValue] = [.text(accessToken), .text(refreshToken), expiresAt.map(SQLValue.init) ?? .null]
        if let endpoint, !endpoint.isEmpty {
            sql += ", \(m.endpoint) = ?"
            parameters.append(.text(endpoint))
        }
        sql += " WHERE \(m.memberId) = ? AND \(m.refreshToken) = ?"
        parameters += [.text(memberID), .text(replacing)]
        return try database.execute(sql, parameters) > 0
    }

    /// Stores a renamed portal's new REST address.
    public func saveEndpoint(memberID: String, endpoint: String) throws {
        try database.execute(
            "UPDATE \(mapping.table) SET \(mapping.endpoint) = ? WHERE \(mapping.memberId) = ?", [.text(endpoint), .text(memberID)])
    }

    /// Marks an installation inactive with the config's `deactivate` assignment; the row stays.
    public func markInactive(memberID: String) throws {
        try database.execute("UPDATE \(mapping.table) SET \(mapping.deactivate) WHERE \(mapping.memberId) = ?", [.text(memberID)])
    }

    /// Marks several installations inactive in one statement (the fleet's group commit).
    public func markInactive(memberIDs: [String]) throws {
        guard !memberIDs.isEmpty else { return }
        let markers = Array(repeating: "?", count: memberIDs.count).joined(separator: ", ")
        try database.execute(
            "UPDATE \(mapping.table) SET \(mapping.deactivate) WHERE \(mapping.memberId) IN (\(markers))", memberIDs.map(SQLValue.text))
    }
}
