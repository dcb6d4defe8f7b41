/// Rules for migrations of a `"database": "mysql"` plan (findings carry 0-based byte offsets).
///
/// - ``SQLFinding/Kind/nonAtomicDDL``: MySQL commits each DDL statement (`CREATE`, `ALTER`,
///   `DROP`, `TRUNCATE`, `RENAME`; not `CREATE TEMPORARY TABLE`) implicitly, so a migration with
///   more than one, or with DDL and data changes (`INSERT`, `UPDATE`, `DELETE`, `REPLACE`, …),
///   cannot be rolled back as a whole. One finding per migration, at the first statement that
///   makes it so; its subject names that statement and the one before it.
/// - ``SQLFinding/Kind/alterWithoutOnlineDDL``: `ALTER [ONLINE] [IGNORE] TABLE name` on a table
///   that no earlier `CREATE TABLE` of the same migration created, without both a top-level
///   `ALGORITHM[=]INSTANT|INPLACE` and `LOCK[=]NONE`: MySQL may copy the table and block writes.
///   Table names compare as ``SQLTableName`` does (without quotes and ASCII case).
enum SQLMySQLRules {
    /// Verbs of statements that commit implicitly on MySQL (lowercase).
    static let ddlVerbs: Set<String> = ["create", "alter", "drop", "truncate", "rename"]
    /// Verbs of statements that change rows (lowercase).
    static let dataVerbs: Set<String> = ["insert", "update", "delete", "replace", "merge", "load"]
    /// Words read into a statement's heading after its verb (lowercase).
    static let headingWords: Set<String> = [
        "table", "index", "unique", "temporary", "view", "into", "from", "ignore", "online", "fulltext", "spatial",
    ]

    /// What a statement is for the atomicity rule.
    enum StatementKind { case ddl, data, other }

    /// Findings of both rules over a migration's statements, in statement order.
    static func findings(in statements: [SQLStatement], source: [UInt8]) -> [SQLFinding] {
        var findings: [SQLFinding] = []
        var created: [SQLTableName] = []
        var firstDDL: String?
        var firstData: String?
        var reported = false
        for statement in statements {
            let reader = SQLClauseReader(statement: statement, source: source)
            let kind = kind(of: reader)
            let heading = heading(of: reader)
            let earlier = kind == .ddl ? (firstDDL ?? firstData) : kind == .data ? firstDDL : nil
            if !reported, let earlier {
                reported = true
                let (offset, length) = reader.span(0, through: heading.lastKeyword)
                findings.append(
                    SQLFinding(
                        kind: .nonAtomicDDL, offset: offset, length: length, subject: "\(heading.text) after \(earlier)"))
            }
            if kind == .ddl, firstDDL == nil { firstDDL = heading.text }
            if kind == .data, firstData == nil { firstData = heading.text }
            if let table = reader.createdTable() { created.append(table) }
            alterTable(reader, created: created, into: &findings)
        }
        return findings
    }

    /// DDL, data change or neither, from the statement's leading keywords.
    static func kind(of reader: SQLClauseReader) -> StatementKind {
        if reader.matches(0, "create", "temporary") { return .other }
        if reader.isAnyKeyword(0, ddlVerbs) { return .ddl }
        if reader.isAnyKeyword(0, dataVerbs) { return .data }
        let changes: Set<String> = ["insert", "update", "delete", "replace"]
        if reader.isKeyword(0, "with"), (1..<max(reader.count, 1)).contains(where: { reader.isAnyKeyword($0, changes) }) {
            return .data
        }
        return .other
    }

    /// `CREATE TABLE deal_links`, `INSERT INTO notes`: the verb, its object words and the name.
    static func heading(of reader: SQLClauseReader) -> (text: String, lastKeyword: Int) {
        var words = [reader.text(0).uppercased()]
        var index = 1
        while reader.isAnyKeyword(index, headingWords) {
            words.append(reader.text(index).uppercased())
            index += 1
        }
        let lastKeyword = index - 1
        index = reader.skipping(reader.skipping(index, "if", "not", "exists"), "if", "exists")
        if let name = reader.readName(at: index) { words.append(name.text) }
        return (words.joined(separator: " "), lastKeyword)
    }

    /// `ALTER [ONLINE] [IGNORE] TABLE name …` without both online clauses, on an existing table.
    static func alterTable(_ reader: SQLClauseReader, created: [SQLTableName], into findings: inout [SQLFinding]) {
        guard reader.isKeyword(0, "alter") else { return }
        let tableKeyword = reader.skipping(reader.skipping(1, "online"), "ignore")
        guard reader.isKeyword(tableKeyword, "table") else { return }
        let nameIndex = reader.skipping(tableKeyword + 1, "if", "exists")
        guard let name = reader.readName(at: nameIndex), let normalized = reader.tableName(at: nameIndex),
            !created.containsTable(normalized)
        else { return }
        let range = name.next..<reader.count
        let hasAlgorithm = hasOption(reader, "algorithm", in: range, values: ["instant", "inplace"])
        let hasLock = hasOption(reader, "lock", in: range, values: ["none"])
        guard !hasAlgorithm || !hasLock else { return }
        let missing = [hasAlgorithm ? nil : "ALGORITHM=INSTANT|INPLACE", hasLock ? nil : "LOCK=NONE"].compactMap { $0 }
        let (offset, length) = reader.span(0, through: tableKeyword)
        findings.append(
            SQLFinding(
                kind: .alterWithoutOnlineDDL, offset: offset, length: length,
                subject: "ALTER TABLE \(name.text) without " + missing.joined(separator: " and "), table: name.text))
    }

    /// True when `option [=] value` stands at the top level of `range` with a value in `values`.
    static func hasOption(_ reader: SQLClauseReader, _ option: String, in range: Range<Int>, values: Set<String>) -> Bool {
        range.contains { index in
            guard reader.depth(index) == 0, reader.isKeyword(index, option) else { return false }
            return reader.isAnyKeyword(reader.isSymbol(index + 1, "=") ? index + 2 : index + 1, values)
        }
    }
}
