import Testing

@testable import ReleasePlan

/// `.updateWithoutWhere` / `.deleteWithoutWhere` findings and named parameters (byte offsets, 0-based).
struct SQLAnalyzerDataChangeTests {
    static let cases: [SQLFindingCase] = [
        SQLFindingCase("update without where", "UPDATE deals SET stage = 'new';", ["updateWithoutWhere: UPDATE deals"]),
        SQLFindingCase("update with where", "UPDATE deals SET stage = 'new' WHERE stage IS NULL;"),
        SQLFindingCase("update only schema-qualified", "update only crm.deals set a = 1;", ["updateWithoutWhere: UPDATE crm.deals"]),
        SQLFindingCase("update quoted table", #"UPDATE "Deals" SET a = 1;"#, [#"updateWithoutWhere: UPDATE "Deals""#]),
        SQLFindingCase(
            "where only inside subquery", "UPDATE deals SET a = (SELECT max(b) FROM c WHERE c.id = 1);",
            ["updateWithoutWhere: UPDATE deals"]),
        SQLFindingCase("update from with where", "UPDATE deals d SET a = s.a FROM src s WHERE s.id = d.id;"),
        SQLFindingCase("where current of", "UPDATE deals SET a = 1 WHERE CURRENT OF cur;"),
        SQLFindingCase("delete without where", "DELETE FROM deal_links;", ["deleteWithoutWhere: DELETE FROM deal_links"]),
        SQLFindingCase("delete with where", "DELETE FROM deal_links WHERE deal_id = :member_id;"),
        SQLFindingCase(
            "delete where in subquery only",
            "DELETE FROM a USING (SELECT id FROM b WHERE x) s RETURNING *;",
            ["deleteWithoutWhere: DELETE FROM a"]),
        SQLFindingCase(
            "with then update", "WITH s AS (SELECT 1) UPDATE deals SET a = 1;",
            ["updateWithoutWhere: UPDATE deals"]),
        SQLFindingCase(
            "with recursive then delete with where",
            "WITH RECURSIVE r(n) AS (SELECT 1 UNION SELECT n + 1 FROM r WHERE n < 5) DELETE FROM t WHERE id IN (SELECT n FROM r);"),
        SQLFindingCase(
            "delete inside with body", "WITH gone AS MATERIALIZED (DELETE FROM old RETURNING *) INSERT INTO arch SELECT * FROM gone;",
            ["deleteWithoutWhere: DELETE FROM old"]),
        SQLFindingCase(
            "with body and main verb both", "WITH x AS (UPDATE a SET b = 1 RETURNING id) DELETE FROM c;",
            [
                "updateWithoutWhere: UPDATE a", "deleteWithoutWhere: DELETE FROM c",
            ]),
        SQLFindingCase("insert on conflict do update", "INSERT INTO t (a) VALUES (1) ON CONFLICT (a) DO UPDATE SET b = 2;"),
        SQLFindingCase("select for update", "SELECT * FROM t FOR UPDATE;"),
        SQLFindingCase("trigger on update", "CREATE TRIGGER tr BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION f();"),
        SQLFindingCase("grant update", "GRANT UPDATE, DELETE ON t TO app;"),
        SQLFindingCase("update inside function body", "CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ UPDATE t SET a = 1 $$;"),
        SQLFindingCase(
            "where in a comment does not count", "DELETE FROM t /* WHERE id = 1 */;",
            ["deleteWithoutWhere: DELETE FROM t"]),
        SQLFindingCase(
            "where in a string does not count", "UPDATE t SET note = 'WHERE';",
            ["updateWithoutWhere: UPDATE t"]),
        SQLFindingCase(
            "quoted where is an identifier", #"DELETE FROM t "where";"#,
            ["deleteWithoutWhere: DELETE FROM t"]),
        SQLFindingCase("delete without from (SQL Server style)", "DELETE t;", ["deleteWithoutWhere: DELETE FROM t"]),
        SQLFindingCase("update with named parameters in where", "UPDATE t SET a = :v WHERE id = :id;"),
        SQLFindingCase("sqlite update or replace", "UPDATE OR REPLACE t SET a = 1;", ["updateWithoutWhere: UPDATE t"]),
    ]

    @Test("update/delete rules", arguments: cases)
    func dataChange(_ testCase: SQLFindingCase) {
        #expect(SQLFindingCase.render(testCase.sql) == testCase.expected)
    }

    /// `UPDATE` underlines the verb; `DELETE FROM` both keywords, after a multibyte string.
    @Test func offsets() {
        let sql = "SELECT 'ñ';\nUPDATE t SET a = 1;\nDELETE FROM t"
        #expect(SQLFindingCase.locate(sql) == ["updateWithoutWhere@13+6", "deleteWithoutWhere@33+11"])
        #expect(SQLFindingCase.underlines(sql) == ["UPDATE", "DELETE FROM"])
    }

    /// Named parameters are collected lowercased, never from casts, strings or comments.
    @Test func namedParameters() {
        let sql = """
            UPDATE deals SET owner = :Member_ID, at = now()::timestamptz
            WHERE id IN (SELECT id FROM d LIMIT :batch_size) -- :ignored
              AND note <> ':not_a_param' AND x = $1 AND y = ?;
            """
        let analysis = SQLAnalyzer.analyze(sql)
        #expect(analysis.namedParameters == ["member_id", "batch_size"])
        #expect(analysis.sortedNamedParameters == ["batch_size", "member_id"])
        #expect(analysis.undeclaredParameters(given: ["member_id"]) == ["batch_size"])
        #expect(analysis.unusedParameters(among: ["MEMBER_ID", "extra"]) == ["extra"])
        #expect(analysis.findings.isEmpty)
    }

    /// Findings of several statements come back in source order with the expected kinds.
    @Test func multipleStatementsInOrder() {
        let sql = """
            DELETE FROM a;
            CREATE INDEX i ON b (x);
            ALTER TABLE c RENAME TO d;
            DROP TABLE e;
            """
        let analysis = SQLAnalyzer.analyze(sql)
        #expect(analysis.statementCount == 4)
        #expect(
            analysis.findings.map(\.kind) == [
                .deleteWithoutWhere, .indexWithoutConcurrently, .incompatible, .destructive,
            ])
        #expect(analysis.findings.map(\.offset) == analysis.findings.map(\.offset).sorted())
    }
}
