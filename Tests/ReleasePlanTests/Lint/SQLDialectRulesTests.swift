import Testing

@testable import ReleasePlan

/// The SQL rules under each `database` dialect: B24P307 only for PostgreSQL (or none), B24P311 and
/// B24P312 only for MySQL.
struct SQLDialectRulesTests {
    /// One named migration, the plan's dialect and the codes lint reports for it, in order.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let dialect: DatabaseDialect?
        let sql: String
        let codes: [String]
        var extra = ""

        var testDescription: String { "\(dialect?.rawValue ?? "none"): \(name)" }
    }

    /// Lints one migration (`migrations/0001_change.sql`) in a plan of `dialect`.
    static func lint(_ sql: String, dialect: DatabaseDialect?, extra: String = "", suppress: String? = nil) -> Linter.Result {
        let entry = PlanText.migration(id: 1, name: "change", file: "migrations/0001_change.sql", sql: sql, extra: extra)
        var keys: [(String, String?)] = [("migrations", "[\(entry)]")]
        if let dialect { keys.append(("database", "\"\(dialect.rawValue)\"")) }
        if let suppress { keys.append(("suppress", suppress)) }
        return Lint.run(plan: PlanText.make(keys), files: ["migrations/0001_change.sql": sql])
    }

    static let index = "CREATE INDEX deal_links_member ON deal_links (member_id);\n"
    static let concurrent = "CREATE INDEX CONCURRENTLY deal_links_member ON deal_links (member_id);\n"
    static let instant = "ALTER TABLE deal_links ADD COLUMN status VARCHAR(20) NULL, ALGORITHM=INSTANT, LOCK=NONE;\n"

    static let cases: [Case] = [
        // B24P307 per dialect.
        Case(name: "index without CONCURRENTLY", dialect: nil, sql: index, codes: ["B24P307"]),
        Case(name: "index without CONCURRENTLY", dialect: .postgresql, sql: index, codes: ["B24P307"]),
        Case(name: "index without CONCURRENTLY", dialect: .mysql, sql: index, codes: []),
        Case(name: "index without CONCURRENTLY", dialect: .sqlite, sql: index, codes: []),
        Case(name: "CONCURRENTLY in a transaction", dialect: .postgresql, sql: concurrent, codes: ["B24P307"]),
        Case(name: "CONCURRENTLY in a transaction", dialect: .sqlite, sql: concurrent, codes: []),
        // B24P311.
        Case(name: "one DDL statement", dialect: .mysql, sql: instant, codes: []),
        Case(
            name: "two DDL statements", dialect: .mysql,
            sql: "CREATE TABLE notes (id INT PRIMARY KEY);\nCREATE TABLE tags (id INT PRIMARY KEY);\n", codes: ["B24P311"]),
        Case(
            name: "DDL then a data change", dialect: .mysql,
            sql: instant + "UPDATE deal_links SET status = 'linked' WHERE status IS NULL;\n", codes: ["B24P311"]),
        Case(
            name: "a data change then DDL", dialect: .mysql,
            sql: "DELETE FROM deal_links WHERE id = 1;\n" + instant, codes: ["B24P311"]),
        Case(
            name: "three DDL statements give one warning", dialect: .mysql,
            sql: "CREATE TABLE a (id INT);\nCREATE TABLE b (id INT);\nCREATE TABLE c (id INT);\n", codes: ["B24P311"]),
        Case(
            name: "data changes only", dialect: .mysql,
            sql: "INSERT INTO notes VALUES (1);\nUPDATE notes SET a = 1 WHERE id = 1;\n", codes: []),
        Case(
            name: "a temporary table does not commit", dialect: .mysql,
            sql: "CREATE TEMPORARY TABLE t (id INT);\nINSERT INTO t VALUES (1);\n", codes: []),
        Case(
            name: "two DDL statements elsewhere", dialect: .postgresql,
            sql: "CREATE TABLE notes (id INT PRIMARY KEY);\nCREATE TABLE tags (id INT PRIMARY KEY);\n", codes: []),
        Case(
            name: "DDL in a backslash-escaped string", dialect: .mysql,
            sql: #"INSERT INTO notes (text) VALUES ('it\'s; DROP TABLE x; CREATE TABLE y (a INT)');"# + "\n", codes: []),
        Case(
            name: "DDL in hash comments", dialect: .mysql,
            sql: "# CREATE TABLE y (a INT);\n" + instant, codes: []),
        // B24P312.
        Case(
            name: "ALTER without ALGORITHM and LOCK", dialect: .mysql,
            sql: "ALTER TABLE deal_links ADD COLUMN status VARCHAR(20) NULL;\n", codes: ["B24P312"]),
        Case(name: "ALGORITHM=INSTANT with LOCK=NONE", dialect: .mysql, sql: instant, codes: []),
        Case(
            name: "ALGORITHM=INPLACE with LOCK=NONE, spaced", dialect: .mysql,
            sql: "ALTER TABLE `deal_links` ADD INDEX member (member_id), ALGORITHM = INPLACE, LOCK = NONE;\n", codes: []),
        Case(
            name: "only ALGORITHM", dialect: .mysql,
            sql: "ALTER TABLE deal_links ADD COLUMN status VARCHAR(20) NULL, ALGORITHM=INSTANT;\n", codes: ["B24P312"]),
        Case(
            name: "only LOCK", dialect: .mysql,
            sql: "ALTER TABLE deal_links ADD COLUMN status VARCHAR(20) NULL, LOCK=NONE;\n", codes: ["B24P312"]),
        Case(
            name: "ALGORITHM=COPY", dialect: .mysql,
            sql: "ALTER TABLE deal_links ADD COLUMN status VARCHAR(20) NULL, ALGORITHM=COPY, LOCK=NONE;\n", codes: ["B24P312"]),
        Case(
            name: "ALTER on a table the migration created", dialect: .mysql,
            sql: "CREATE TABLE `Notes` (id INT PRIMARY KEY);\nALTER TABLE notes ADD COLUMN body TEXT NULL;\n", codes: ["B24P311"]),
        Case(
            name: "ALTER before the table is created", dialect: .mysql,
            sql: "ALTER TABLE notes ADD COLUMN body TEXT NULL;\nCREATE TABLE notes2 (id INT);\n", codes: ["B24P311", "B24P312"]),
        Case(
            name: "ALTER without options elsewhere", dialect: nil,
            sql: "ALTER TABLE deal_links ADD COLUMN status VARCHAR(20) NULL;\n", codes: []),
    ]

    @Test(arguments: cases)
    func codesPerDialect(_ testCase: Case) {
        let result = Self.lint(testCase.sql, dialect: testCase.dialect, extra: testCase.extra)
        #expect(result.codes == testCase.codes, "\(result.listing)")
    }

    @Test func nonAtomicMigrationPointsAtTheEntryAndTheSecondStatement() throws {
        let sql = "CREATE TABLE notes (id INT PRIMARY KEY);\n\nINSERT INTO notes VALUES (1);\n"
        let finding = try #require(Self.lint(sql, dialect: .mysql).only("B24P311"))
        #expect(finding.severity == .warning)
        #expect((finding.file, finding.path) == (Lint.planPath, "migrations[0]"))
        #expect(
            finding.message
                == "migrations/0001_change.sql:3:1: INSERT INTO notes after CREATE TABLE notes in one migration: MySQL commits each DDL statement implicitly, so a failure leaves the migration half applied; give each DDL statement its own migration"
        )
        #expect(finding.notes == ["migrations/0001_change.sql:3:1: INSERT INTO notes VALUES (1);"])
    }

    @Test func alterWithoutOnlineClausesNamesWhatIsMissing() throws {
        let sql = "ALTER TABLE deal_links ADD COLUMN status VARCHAR(20) NULL, ALGORITHM=INPLACE;\n"
        let finding = try #require(Self.lint(sql, dialect: .mysql).only("B24P312"))
        #expect(finding.path == "migrations[0]")
        #expect(
            finding.message
                == "migrations/0001_change.sql:1:1: ALTER TABLE deal_links without LOCK=NONE may copy the table and block writes on MySQL while it runs; add ALGORITHM=INSTANT (or INPLACE) and LOCK=NONE, so that MySQL refuses the change instead of locking the table"
        )
    }

    @Test(arguments: ["B24P311", "B24P312"])
    func mysqlWarningsAreSuppressible(_ code: String) {
        let sql = "ALTER TABLE deal_links ADD COLUMN status VARCHAR(20) NULL;\nUPDATE deal_links SET status = 'x' WHERE id = 1;\n"
        #expect(Self.lint(sql, dialect: .mysql).codes == ["B24P311", "B24P312"])
        let suppress = "[{ \"rule\": \"\(code)\", \"at\": \"migrations[0]\", \"reason\": \"the table is empty\" }]"
        let result = Self.lint(sql, dialect: .mysql, suppress: suppress)
        #expect(result.codes == (code == "B24P311" ? ["B24P312"] : ["B24P311"]), "\(result.listing)")
    }
}
