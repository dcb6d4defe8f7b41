import Testing

@testable import ReleasePlan

/// `.destructive` findings: `DROP TABLE`, `ALTER TABLE … DROP [COLUMN]`, `TRUNCATE` (byte offsets, 0-based).
struct SQLAnalyzerDestructiveTests {
    static let cases: [SQLFindingCase] = [
        SQLFindingCase("drop table", "DROP TABLE deal_links;", ["destructive: DROP TABLE deal_links"]),
        SQLFindingCase(
            "drop table lowercase with if exists and cascade",
            "drop table if exists public.deal_links cascade;",
            ["destructive: DROP TABLE public.deal_links"]),
        SQLFindingCase("drop table quoted name", #"DROP TABLE "Deal Links";"#, [#"destructive: DROP TABLE "Deal Links""#]),
        SQLFindingCase("drop table quoted keyword name", #"DROP TABLE "drop";"#, [#"destructive: DROP TABLE "drop""#]),
        SQLFindingCase(
            "drop table list", "DROP TABLE a, b;",
            [
                "destructive: DROP TABLE a", "destructive: DROP TABLE b",
            ]),
        SQLFindingCase(
            "drop column", "ALTER TABLE deals DROP COLUMN legacy_id;",
            ["destructive: DROP COLUMN legacy_id"]),
        SQLFindingCase(
            "drop column if exists", "ALTER TABLE deals DROP COLUMN IF EXISTS legacy_id;",
            ["destructive: DROP COLUMN legacy_id"]),
        SQLFindingCase("implied column", "ALTER TABLE deals DROP legacy_id;", ["destructive: DROP COLUMN legacy_id"]),
        SQLFindingCase(
            "implied quoted column", #"ALTER TABLE deals DROP "Legacy Id" CASCADE;"#,
            [#"destructive: DROP COLUMN "Legacy Id""#]),
        SQLFindingCase(
            "two drops in one alter", "ALTER TABLE a DROP COLUMN x, DROP COLUMN y;",
            [
                "destructive: DROP COLUMN x", "destructive: DROP COLUMN y",
            ]),
        SQLFindingCase(
            "alter table if exists only", "ALTER TABLE IF EXISTS ONLY a DROP COLUMN x;",
            ["destructive: DROP COLUMN x"]),
        SQLFindingCase("truncate", "TRUNCATE deals;", ["destructive: TRUNCATE TABLE deals"]),
        SQLFindingCase(
            "truncate table only with options", "TRUNCATE TABLE ONLY deals, leads RESTART IDENTITY CASCADE;",
            [
                "destructive: TRUNCATE TABLE deals", "destructive: TRUNCATE TABLE leads",
            ]),
        SQLFindingCase("drop constraint is not destructive", "ALTER TABLE a DROP CONSTRAINT a_fk;"),
        SQLFindingCase("drop default is not destructive", "ALTER TABLE a ALTER COLUMN b DROP DEFAULT;"),
        SQLFindingCase("drop not null is not destructive", "ALTER TABLE a ALTER COLUMN b DROP NOT NULL;"),
        SQLFindingCase("drop index is not destructive", "DROP INDEX idx_a;"),
        SQLFindingCase("drop view is out of scope", "DROP VIEW v;"),
        SQLFindingCase("column named drop", "SELECT drop FROM t;"),
        SQLFindingCase("on delete cascade is not a delete", "CREATE TABLE t (a int REFERENCES b ON DELETE CASCADE);"),
        SQLFindingCase(
            "drop constraint then drop column", "ALTER TABLE a DROP CONSTRAINT c, DROP b;",
            ["destructive: DROP COLUMN b"]),
    ]

    @Test("destructive rule", arguments: cases)
    func destructive(_ testCase: SQLFindingCase) {
        #expect(SQLFindingCase.render(testCase.sql) == testCase.expected)
    }

    @Test("keywords hidden in non-SQL tokens", arguments: SQLFindingCase.maskedDrops)
    func masked(_ testCase: SQLFindingCase) {
        #expect(SQLFindingCase.render(testCase.sql) == testCase.expected)
    }

    /// Same text outside the masks is found, so the masking cases are meaningful.
    @Test func unmaskedControl() {
        #expect(
            SQLFindingCase.render("DROP TABLE x; UPDATE y SET a = 1;") == [
                "destructive: DROP TABLE x", "updateWithoutWhere: UPDATE y",
            ])
    }

    /// `DROP TABLE` spans `DROP` through `TABLE`, including a comment in between.
    @Test func dropTableOffsets() {
        let sql = "SELECT 1;\nDROP /* x */ TABLE IF EXISTS t;"
        #expect(SQLFindingCase.locate(sql) == ["destructive@10+18"])
        #expect(SQLFindingCase.underlines(sql) == ["DROP /* x */ TABLE"])
    }

    /// Implied column drops underline only `DROP`; explicit ones `DROP COLUMN`.
    @Test func dropColumnOffsets() {
        let sql = "ALTER TABLE t DROP a, DROP COLUMN b"
        #expect(SQLFindingCase.locate(sql) == ["destructive@14+4", "destructive@22+11"])
        #expect(SQLFindingCase.underlines(sql) == ["DROP", "DROP COLUMN"])
    }

    /// Offsets count UTF-8 bytes: the comment `-- ß` is 5 bytes before the line feed.
    @Test func offsetsAfterMultibyteComment() {
        let sql = "-- ß\nTRUNCATE TABLE t;"
        #expect(SQLFindingCase.locate(sql) == ["destructive@6+14"])
        #expect(SQLFindingCase.underlines(sql) == ["TRUNCATE TABLE"])
    }

    /// A UTF-8 byte order mark is whitespace, so the first keyword is still recognised.
    @Test func byteOrderMark() {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("DROP TABLE t;".utf8)
        let analysis = SQLAnalyzer.analyze(bytes)
        #expect(analysis.findings.map(\.offset) == [3])
        #expect(analysis.findings.map(\.subject) == ["DROP TABLE t"])
        #expect(SQLTokenizer.tokenize(bytes).first == SQLToken(kind: .whitespace, range: 0..<3))
    }

    /// The `table` field carries the table name as spelled in the source.
    @Test func tableField() {
        let analysis = SQLAnalyzer.analyze(#"ALTER TABLE "Deals" DROP COLUMN x; DROP TABLE s.t;"#)
        #expect(analysis.findings.map(\.table) == [#""Deals""#, "s.t"])
        #expect(analysis.kinds == [.destructive])
    }
}
