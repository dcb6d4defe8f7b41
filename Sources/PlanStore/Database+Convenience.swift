/// Small helpers on top of `Database` and `SQLValue` that every caller would otherwise write.
extension Database {
    /// The first row `sql` returns, or nil when it returns none.
    public func queryFirst(_ sql: String, _ parameters: [SQLValue] = []) throws -> SQLRow? {
        try query(sql, parameters).first
    }

    /// Whether a table (optionally `schema.table` on PostgreSQL, `database.table` on MySQL) exists.
    public func tableExists(_ name: String) throws -> Bool {
        switch dialect {
        case .sqlite:
            return try queryFirst("SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = ?", [.text(name)]) != nil
        case .postgres:
            return try queryFirst("SELECT to_regclass(?) IS NOT NULL AS found", [.text(name)])?["found"].int == 1
        case .mysql:
            let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
            let schema: SQLValue = parts.count == 2 ? .text(parts[0]) : .null
            return try queryFirst(
                "SELECT 1 AS found FROM information_schema.tables WHERE table_schema = COALESCE(?, DATABASE()) AND table_name = ?",
                [schema, .text(parts.last ?? name)]) != nil
        }
    }
}

extension SQLValue {
    /// A double for `.real` and `.integer`, nil otherwise.
    public var double: Double? {
        switch self {
        case .real(let value): return value
        case .integer(let value): return Double(value)
        default: return nil
        }
    }

    /// The bytes of a `.blob`, nil otherwise.
    public var bytes: [UInt8]? {
        if case .blob(let value) = self { return value }
        return nil
    }

    public init(_ value: Double) { self = .real(value) }
    public init(_ value: [UInt8]) { self = .blob(value) }
    /// `true` as 1 and `false` as 0: flags are integer columns on both dialects.
    public init(_ value: Bool) { self = .integer(value ? 1 : 0) }
}
