/// Finds risky clauses in migration SQL (finding offsets are 0-based bytes).
///
/// The analyzer tokenizes with ``SQLTokenizer``, splits statements with
/// ``SQLStatement/split(_:in:)`` and inspects each statement's leading keywords. Text inside
/// strings, quoted identifiers, dollar-quoted bodies (such as `CREATE FUNCTION … AS $$…$$`)
/// and comments is never analysed. Rules:
///
/// - `DROP TABLE`, `TRUNCATE`: one ``SQLFinding/Kind/destructive`` finding per named table.
/// - `DROP INDEX CONCURRENTLY`, `CREATE INDEX CONCURRENTLY`: ``SQLFinding/Kind/concurrentIndex``.
/// - `CREATE [UNIQUE] INDEX` otherwise: ``SQLFinding/Kind/indexWithoutConcurrently``, unless an
///   earlier `CREATE TABLE` of the same migration created the table (it is new and empty; names
///   compare as ``SQLTableName`` does).
/// - `ALTER TABLE`: see ``SQLAlterTableRules``.
/// - `UPDATE` / `DELETE` (also after `WITH` and inside `WITH` bodies): see ``SQLDataChangeRules``.
public enum SQLAnalyzer {
    /// Analyses UTF-8 migration SQL read in `dialect` (nil: PostgreSQL-flavoured); never traps.
    ///
    /// Under `.mysql` the findings of ``SQLMySQLRules`` are added.
    public static func analyze(_ source: [UInt8], dialect: DatabaseDialect? = nil) -> SQLAnalysis {
        let tokens = SQLTokenizer.tokenize(source, dialect: dialect)
        let statements = SQLStatement.split(tokens, in: source)
        var findings: [SQLFinding] = []
        var created: [SQLTableName] = []
        for statement in statements {
            findings += self.findings(in: statement, source: source, createdTables: created)
            if let table = SQLClauseReader(statement: statement, source: source).createdTable() { created.append(table) }
        }
        if dialect == .mysql {
            findings += SQLMySQLRules.findings(in: statements, source: source)
        }
        var parameters: Set<String> = []
        var unterminated = false
        for token in tokens {
            if token.kind == .namedParameter {
                parameters.insert(String(token.text(in: source).dropFirst()).lowercased())
            }
            unterminated = unterminated || token.isUnterminated
        }
        let ordered = findings.enumerated()
            .sorted { ($0.element.offset, $0.offset) < ($1.element.offset, $1.offset) }
            .map(\.element)
        return SQLAnalysis(
            findings: ordered,
            namedParameters: parameters,
            statementCount: statements.count,
            hasUnterminatedToken: unterminated
        )
    }

    /// Analyses the UTF-8 encoding of `text`; offsets are still UTF-8 byte offsets.
    public static func analyze(_ text: String, dialect: DatabaseDialect? = nil) -> SQLAnalysis {
        analyze(Array(text.utf8), dialect: dialect)
    }

    /// Findings of one statement whose tokens index into `source`, in clause order.
    public static func findings(in statement: SQLStatement, source: [UInt8]) -> [SQLFinding] {
        findings(in: statement, source: source, createdTables: [])
    }

    /// The same, where `createdTables` are the tables earlier statements of the migration created.
    static func findings(in statement: SQLStatement, source: [UInt8], createdTables: [SQLTableName]) -> [SQLFinding] {
        let reader = SQLClauseReader(statement: statement, source: source)
        var findings: [SQLFinding] = []
        if reader.matches(0, "drop", "table") {
            dropTable(reader, into: &findings)
        } else if reader.matches(0, "drop", "index") {
            dropIndex(reader, into: &findings)
        } else if reader.isKeyword(0, "truncate") {
            truncate(reader, into: &findings)
        } else if reader.matches(0, "create", "index") || reader.matches(0, "create", "unique", "index") {
            createIndex(reader, createdTables: createdTables, into: &findings)
        } else if reader.matches(0, "alter", "table") {
            SQLAlterTableRules.check(reader, into: &findings)
        } else {
            SQLDataChangeRules.check(reader, in: 0..<reader.count, into: &findings)
        }
        return findings
    }

    /// `DROP TABLE [IF EXISTS] a, b …`: one destructive finding per table, all at `DROP`.
    static func dropTable(_ reader: SQLClauseReader, into findings: inout [SQLFinding]) {
        let (offset, length) = reader.span(0, through: 1)
        let names = reader.readNameList(at: reader.skipping(2, "if", "exists"))
        destructivePerTable("DROP TABLE", names: names, offset: offset, length: length, into: &findings)
    }

    /// One destructive finding per table named (or one without a table when none could be read).
    static func destructivePerTable(
        _ verb: String, names: [String], offset: Int, length: Int, into findings: inout [SQLFinding]
    ) {
        guard !names.isEmpty else {
            findings.append(SQLFinding(kind: .destructive, offset: offset, length: length, subject: verb))
            return
        }
        for name in names {
            findings.append(
                SQLFinding(kind: .destructive, offset: offset, length: length, subject: "\(verb) \(name)", table: name))
        }
    }

    /// `DROP INDEX CONCURRENTLY [IF EXISTS] name`: a concurrent-index finding; else nothing.
    static func dropIndex(_ reader: SQLClauseReader, into findings: inout [SQLFinding]) {
        guard reader.isKeyword(2, "concurrently") else { return }
        let (offset, length) = reader.span(0, through: 2)
        let names = reader.readNameList(at: reader.skipping(3, "if", "exists"))
        let subject =
            names.isEmpty
            ? "DROP INDEX CONCURRENTLY"
            : "DROP INDEX CONCURRENTLY " + names.joined(separator: ", ")
        findings.append(SQLFinding(kind: .concurrentIndex, offset: offset, length: length, subject: subject))
    }

    /// `TRUNCATE [TABLE] [ONLY] a, b …`: one destructive finding per table, all at `TRUNCATE`.
    static func truncate(_ reader: SQLClauseReader, into findings: inout [SQLFinding]) {
        let hasTable = reader.isKeyword(1, "table")
        let (offset, length) = reader.span(0, through: hasTable ? 1 : 0)
        let names = reader.readNameList(at: hasTable ? 2 : 1)
        destructivePerTable("TRUNCATE TABLE", names: names, offset: offset, length: length, into: &findings)
    }

    /// `CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] [name] ON [ONLY] table`.
    ///
    /// Offset is at `CREATE`; length spans through `INDEX`, or through `CONCURRENTLY`.
    static func createIndex(_ reader: SQLClauseReader, createdTables: [SQLTableName] = [], into findings: inout [SQLFinding]) {
        let isUnique = reader.isKeyword(1, "unique")
        let indexKeyword = isUnique ? 2 : 1
        let isConcurrent = reader.isKeyword(indexKeyword + 1, "concurrently")
        let lastKeyword = isConcurrent ? indexKeyword + 1 : indexKeyword
        var cursor = reader.skipping(lastKeyword + 1, "if", "not", "exists")
        var indexName: String?
        if !reader.isKeyword(cursor, "on"), let name = reader.readName(at: cursor) {
            indexName = name.text
            cursor = name.next
        }
        var table: String?
        if reader.isKeyword(cursor, "on") {
            let tableIndex = reader.skipping(cursor + 1, "only")
            table = reader.readName(at: tableIndex)?.text
            // An index on a table this migration created locks nobody out: the table is new and empty.
            if !isConcurrent, let name = reader.tableName(at: tableIndex), createdTables.containsTable(name) { return }
        }
        var words = [isUnique ? "CREATE UNIQUE INDEX" : "CREATE INDEX"]
        if isConcurrent { words.append("CONCURRENTLY") }
        if let indexName { words.append(indexName) }
        if let table { words.append("ON \(table)") }
        let (offset, length) = reader.span(0, through: lastKeyword)
        findings.append(
            SQLFinding(
                kind: isConcurrent ? .concurrentIndex : .indexWithoutConcurrently,
                offset: offset, length: length,
                subject: words.joined(separator: " "), table: table
            ))
    }
}
