import Testing

@testable import ReleasePlan

/// `.indexWithoutConcurrently` and `.concurrentIndex` findings (byte offsets, 0-based).
struct SQLAnalyzerIndexTests {
    static let cases: [SQLFindingCase] = [
        SQLFindingCase(
            "plain index", "CREATE INDEX idx_deals_stage ON deals (stage);",
            ["indexWithoutConcurrently: CREATE INDEX idx_deals_stage ON deals"]),
        SQLFindingCase(
            "unique index", "create unique index uq on public.deals using btree (code);",
            ["indexWithoutConcurrently: CREATE UNIQUE INDEX uq ON public.deals"]),
        SQLFindingCase(
            "unnamed index", "CREATE INDEX ON deals (stage);",
            ["indexWithoutConcurrently: CREATE INDEX ON deals"]),
        SQLFindingCase(
            "if not exists (SQLite style)", "CREATE INDEX IF NOT EXISTS i ON t(a);",
            ["indexWithoutConcurrently: CREATE INDEX i ON t"]),
        SQLFindingCase(
            "on only", "CREATE INDEX i ON ONLY parent (a);",
            ["indexWithoutConcurrently: CREATE INDEX i ON parent"]),
        SQLFindingCase(
            "concurrent index", "CREATE INDEX CONCURRENTLY idx ON deals (stage);",
            ["concurrentIndex: CREATE INDEX CONCURRENTLY idx ON deals"]),
        SQLFindingCase(
            "concurrent unique index with if not exists",
            "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS uq ON deals (code);",
            ["concurrentIndex: CREATE UNIQUE INDEX CONCURRENTLY uq ON deals"]),
        SQLFindingCase(
            "drop index concurrently", "DROP INDEX CONCURRENTLY IF EXISTS idx_old;",
            ["concurrentIndex: DROP INDEX CONCURRENTLY idx_old"]),
        SQLFindingCase("plain drop index", "DROP INDEX idx_old;"),
        SQLFindingCase("create table is not an index", "CREATE TABLE idx (a int);"),
        SQLFindingCase("index keyword inside string", "COMMENT ON TABLE t IS 'CREATE INDEX i ON t';"),
        SQLFindingCase("index in function body", "CREATE FUNCTION f() RETURNS void AS $f$ CREATE INDEX i ON t (a); $f$;"),
        SQLFindingCase(
            "quoted names", #"CREATE INDEX "Idx Stage" ON "Deals" ("Stage");"#,
            [#"indexWithoutConcurrently: CREATE INDEX "Idx Stage" ON "Deals""#]),
        SQLFindingCase(
            "comment between keywords", "CREATE /* hot table */ INDEX i ON t (a);",
            ["indexWithoutConcurrently: CREATE INDEX i ON t"]),
        SQLFindingCase(
            "partial index with where", "CREATE INDEX i ON t (a) WHERE deleted_at IS NULL;",
            ["indexWithoutConcurrently: CREATE INDEX i ON t"]),
        SQLFindingCase("unique constraint is out of scope", "ALTER TABLE t ADD CONSTRAINT u UNIQUE (a);"),
        SQLFindingCase(
            "concurrently in a comment does not count", "CREATE INDEX /* CONCURRENTLY */ i ON t (a);",
            ["indexWithoutConcurrently: CREATE INDEX i ON t"]),
        SQLFindingCase(
            "two statements", "CREATE INDEX a ON t (x); CREATE INDEX CONCURRENTLY b ON t (y);",
            [
                "indexWithoutConcurrently: CREATE INDEX a ON t", "concurrentIndex: CREATE INDEX CONCURRENTLY b ON t",
            ]),
        // An index on a table the same migration creates: new and empty, so no lock matters (B24P307).
        SQLFindingCase("index on a table created before", "CREATE TABLE deal_links (id int);\nCREATE INDEX i ON deal_links (id);"),
        SQLFindingCase("unique index on a table created before", "CREATE TABLE t (a int); CREATE UNIQUE INDEX u ON t (a);"),
        SQLFindingCase("names compare without case", "CREATE TABLE Deal_Links (id int); CREATE INDEX i ON DEAL_LINKS (id);"),
        SQLFindingCase("created with the schema", "CREATE TABLE public.deal_links (id int); CREATE INDEX i ON deal_links (id);"),
        SQLFindingCase("indexed with the schema", "CREATE TABLE deal_links (id int); CREATE INDEX i ON public.deal_links (id);"),
        SQLFindingCase("created quoted", #"CREATE TABLE "deal_links" (id int); CREATE INDEX i ON deal_links (id);"#),
        SQLFindingCase(
            "created if not exists, temporary", "CREATE TEMPORARY TABLE IF NOT EXISTS t (a int); CREATE INDEX i ON ONLY t (a);"),
        SQLFindingCase(
            "index on another table", "CREATE TABLE deal_links (id int); CREATE INDEX i ON deals (id);",
            ["indexWithoutConcurrently: CREATE INDEX i ON deals"]),
        SQLFindingCase(
            "same name in another schema", "CREATE TABLE audit.deals (id int); CREATE INDEX i ON public.deals (id);",
            ["indexWithoutConcurrently: CREATE INDEX i ON public.deals"]),
        SQLFindingCase(
            "index before the table is created", "CREATE INDEX i ON t (a); CREATE TABLE t (a int);",
            ["indexWithoutConcurrently: CREATE INDEX i ON t"]),
        SQLFindingCase(
            "a table named in a string is not created", "SELECT 'CREATE TABLE t (a int)'; CREATE INDEX i ON t (a);",
            ["indexWithoutConcurrently: CREATE INDEX i ON t"]),
        SQLFindingCase(
            "concurrently on a new table still needs no transaction", "CREATE TABLE t (a int); CREATE INDEX CONCURRENTLY i ON t (a);",
            ["concurrentIndex: CREATE INDEX CONCURRENTLY i ON t"]),
    ]

    @Test("index rules", arguments: cases)
    func indexRules(_ testCase: SQLFindingCase) {
        #expect(SQLFindingCase.render(testCase.sql) == testCase.expected)
    }

    /// Plain index: offset at `CREATE`, underline through `INDEX`.
    @Test func plainIndexOffsets() {
        let sql = "  CREATE UNIQUE INDEX i ON t (a)"
        #expect(SQLFindingCase.locate(sql) == ["indexWithoutConcurrently@2+19"])
        #expect(SQLFindingCase.underlines(sql) == ["CREATE UNIQUE INDEX"])
    }

    /// Concurrent index: underline through `CONCURRENTLY`; the analysis flags the run mode.
    @Test func concurrentIndexOffsets() {
        let sql = "CREATE INDEX CONCURRENTLY i ON t (a);\nDROP INDEX CONCURRENTLY j;"
        #expect(SQLFindingCase.underlines(sql) == ["CREATE INDEX CONCURRENTLY", "DROP INDEX CONCURRENTLY"])
        #expect(SQLFindingCase.locate(sql) == ["concurrentIndex@0+25", "concurrentIndex@38+23"])
        let analysis = SQLAnalyzer.analyze(sql)
        #expect(analysis.requiresNonTransactionalRun)
        #expect(analysis.findings.map(\.table) == ["t", nil])
    }

    /// Without `CONCURRENTLY` the run mode is unconstrained.
    @Test func plainIndexAllowsTransaction() {
        let analysis = SQLAnalyzer.analyze("CREATE INDEX i ON t (a);")
        #expect(!analysis.requiresNonTransactionalRun)
        #expect(analysis.findings(of: .indexWithoutConcurrently).count == 1)
        #expect(analysis.findings(of: .concurrentIndex).isEmpty)
    }
}
