/// Which journal schema a store holds, read without writing (for read-only commands).
extension Journal {
    /// The journal schema this b24plan creates and upgrades to.
    /// The `key` column of `b24plan_meta` as a statement names it: `key` is a reserved word in
    /// MySQL, so it is quoted there (SQLite and PostgreSQL take it as it is).
    static func metaKeyColumn(_ dialect: SQLDialect) -> String {
        dialect == .mysql ? dialect.quoted("key") : "key"
    }

    public static var schemaVersion: Int { JournalSchema.version }

    /// The journal schema recorded in the store (0: tables without a version), or nil when the store
    /// has no b24plan journal at all. Only reads.
    public func recordedSchemaVersion() throws -> Int? {
        let found: Bool
        switch database.dialect {
        case .sqlite:
            found = try database.queryFirst("SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = 'b24plan_meta'") != nil
        case .postgres:
            found = try database.queryFirst("SELECT to_regclass('b24plan_meta') IS NOT NULL AS found")?["found"].int == 1
        case .mysql:
            found = try database.tableExists("b24plan_meta")
        }
        guard found else { return nil }
        return try database.queryFirst(
            "SELECT value FROM b24plan_meta WHERE \(Self.metaKeyColumn(database.dialect)) = 'schema_version'")?["value"].int ?? 0
    }
}
