/// The app's own installations table, read through the mapping of `b24plan.config.json`: member
/// ids page by page (never every row in memory), and one installation's tokens when needed.
public struct InstallationStore: Sendable {
    public let database: any Database
    public let mapping: AppConfig.Installations

    public init(database: any Database, mapping: AppConfig.Installations) {
        self.database = database
        self.mapping = mapping
    }

    /// The condition that selects active installations, plus an optional extra one (`--where`).
    public func condition(_ extra: String?) -> String {
        var clauses = ["(\(mapping.whereClause))"]
        if let extra, !extra.isEmpty { clauses.append("(\(extra))") }
        return clauses.joined(separator: " AND ")
    }

    /// Active member ids after `after` in member-id order, at most `limit`.
    public func memberIDs(after: String?, limit: Int, where extra: String? = nil) throws -> [String] {
        let m = mapping
        var sql = "SELECT \(m.memberId) AS member_id FROM \(m.table) WHERE \(condition(extra))"
        var parameters: [SQLValue] = []
        if let after {
            sql += " AND \(m.memberId) > ?"
            parameters.append(.text(after))
        }
        sql += " ORDER BY \(m.memberId) LIMIT ?"
        parameters.append(SQLValue(limit))
        return try database.query(sql, parameters).compactMap { $0["member_id"].string }
    }

    /// Calls `body` for every active member id, a page at a time.
    public func forEachMemberID(pageSize: Int = 500, where extra: String? = nil, _ body: (String) throws -> Void) throws {
        var last: String?
        while true {
            let page = try memberIDs(after: last, limit: pageSize, where: extra)
            for id in page { try body(id) }
            guard page.count == pageSize, let tail = page.last else { return }
            last = tail
        }
    }

    /// How many installations are active.
    public func count(where extra: String? = nil) throws -> Int {
        try database.query("SELECT COUNT(*) AS n FROM \(mapping.table) WHERE \(condition(extra))").first?["n"].int ?? 0
    }

    /// The default table `b24plan init --installations-table` creates, for apps starting fresh.
    public static func createDefaultTableSQL(_ mapping: AppConfig.Installations, dialect: SQLDialect) -> String {
        """
        CREATE TABLE IF NOT EXISTS \(mapping.table) (
          \(mapping.memberId) \(dialect.keyTextType) PRIMARY KEY,
          domain \(dialect.textType),
          \(mapping.endpoint) \(dialect.textType) NOT NULL,
          \(mapping.accessToken) \(dialect.textType),
          \(mapping.refreshToken) \(dialect.textType),
          \(mapping.expiresAt) BIGINT,
          active INTEGER NOT NULL DEFAULT 1
        )
        """
    }
}

extension InstallationStore {
    /// The mapped columns with the config key that names each (`installations.<key>`).
    public var mappedColumns: [(key: String, column: String)] {
        let m = mapping
        return [
            ("memberId", m.memberId), ("endpoint", m.endpoint), ("accessToken", m.accessToken), ("refreshToken", m.refreshToken),
            ("expiresAt", m.expiresAt),
        ]
    }

    /// Refuses, in one sentence, an installations table that is missing, lacks a mapped column, or
    /// whose `where` condition does not run: before any step, so nothing is half done.
    /// - Parameters:
    ///   - store: how the state store is named in messages (its URL, redacted).
    ///   - marksInactive: the command may mark portals inactive: `installations.deactivate` must run
    ///     too (tried on no row).
    public func checkShape(store: String, marksInactive: Bool = false) throws {
        let table = mapping.table
        let expected = mappedColumns.map(\.column).joined(separator: ", ")
        guard let missing = try TableShape.missingColumns(mappedColumns.map(\.column), in: table, database: database) else {
            throw SetupError(
                "the installations table \"\(table)\" does not exist in \(store): b24plan reads the installed portals from "
                    + "the app's own table (columns \(expected)); name yours with installations.table in b24plan.config.json, "
                    + "or create the default one with b24plan init --installations-table")
        }
        if !missing.isEmpty {
            let keys = mappedColumns.filter { missing.contains($0.column) }.map { "installations.\($0.key)" }
            throw SetupError(
                "the installations table \"\(table)\" has no column \(missing.map { "\"\($0)\"" }.joined(separator: ", ")): "
                    + "b24plan reads \(expected) from it; map your columns with \(keys.joined(separator: ", ")) "
                    + "in b24plan.config.json")
        }
        if let problem = TableShape.conditionProblem(mapping.whereClause, in: table, database: database) {
            throw SetupError(
                "installations.where \"\(mapping.whereClause)\" in b24plan.config.json does not run on \"\(table)\": \(problem)")
        }
        if marksInactive {
            do {
                try database.execute("UPDATE \(table) SET \(mapping.deactivate) WHERE 1 = 0")
            } catch {
                let problem = (error as? DatabaseError)?.message ?? "\(error)"
                throw SetupError(
                    "installations.deactivate \"\(mapping.deactivate)\" in b24plan.config.json does not run on \"\(table)\": \(problem)")
            }
        }
    }
}
