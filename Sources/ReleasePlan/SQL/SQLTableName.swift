/// A table name as rules compare them: its dotted parts without quotes, lowercased (ASCII), as
/// ``SQLToken/identifierName(in:)`` reads each (`public."Deal_Links"` is `public`, `deal_links`).
struct SQLTableName: Sendable, Hashable {
    /// The parts of the dotted name, schema first (never empty).
    let parts: [String]

    /// Whether the two names can mean the same table: equal, or equal in their last part when one
    /// of them has no schema (`deal_links` and `public.deal_links`).
    func matches(_ other: SQLTableName) -> Bool {
        if parts.count == 1 || other.parts.count == 1 { return parts.last == other.parts.last }
        return parts == other.parts
    }
}

extension SQLClauseReader {
    /// The dotted name at token `index`, for comparing tables; nil when no name stands there.
    func tableName(at index: Int) -> SQLTableName? {
        guard let name = readName(at: index) else { return nil }
        var parts: [String] = []
        for cursor in index..<name.next {
            if let part = tokens[cursor].identifierName(in: source) { parts.append(part.lowercased()) }
        }
        return parts.isEmpty ? nil : SQLTableName(parts: parts)
    }

    /// The table a `CREATE [TEMPORARY] TABLE [IF NOT EXISTS] name` statement creates, else nil.
    func createdTable() -> SQLTableName? {
        let afterTemporary = skipping(1, "temporary")
        let table = skipping(afterTemporary, "table")
        guard isKeyword(0, "create"), table > afterTemporary else { return nil }
        return tableName(at: skipping(table, "if", "not", "exists"))
    }
}

extension Array where Element == SQLTableName {
    /// Whether any of these names can mean `name` (see ``SQLTableName/matches(_:)``).
    func containsTable(_ name: SQLTableName) -> Bool { contains { $0.matches(name) } }
}
