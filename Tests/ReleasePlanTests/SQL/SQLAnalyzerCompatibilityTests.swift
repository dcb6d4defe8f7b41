import Testing

@testable import ReleasePlan

/// `.incompatible` findings: renames, type changes, `SET NOT NULL`, `ADD COLUMN … NOT NULL` (byte offsets, 0-based).
struct SQLAnalyzerCompatibilityTests {
    static let cases: [SQLFindingCase] = [
        SQLFindingCase("rename table", "ALTER TABLE deals RENAME TO crm_deals;", ["incompatible: RENAME TO crm_deals"]),
        SQLFindingCase(
            "rename column", "ALTER TABLE deals RENAME COLUMN title TO name;",
            ["incompatible: RENAME COLUMN title TO name"]),
        SQLFindingCase(
            "rename implied column", "ALTER TABLE deals RENAME title TO name;",
            ["incompatible: RENAME COLUMN title TO name"]),
        SQLFindingCase(
            "rename quoted column", #"ALTER TABLE deals RENAME COLUMN "Title" TO "Name";"#,
            [#"incompatible: RENAME COLUMN "Title" TO "Name""#]),
        SQLFindingCase(
            "rename constraint", "ALTER TABLE deals RENAME CONSTRAINT a TO b;",
            ["incompatible: RENAME CONSTRAINT a TO b"]),
        SQLFindingCase("alter index rename is not a table rename", "ALTER INDEX idx RENAME TO idx2;"),
        SQLFindingCase("alter sequence rename is ignored", "ALTER SEQUENCE s RENAME TO s2;"),
        SQLFindingCase(
            "type change", "ALTER TABLE deals ALTER COLUMN status TYPE text USING status::text;",
            ["incompatible: ALTER COLUMN status TYPE"]),
        SQLFindingCase(
            "type change without COLUMN keyword", "ALTER TABLE deals ALTER status TYPE varchar(20);",
            ["incompatible: ALTER COLUMN status TYPE"]),
        SQLFindingCase(
            "set data type", "ALTER TABLE deals ALTER COLUMN amount SET DATA TYPE numeric(12, 2);",
            ["incompatible: ALTER COLUMN amount SET DATA TYPE"]),
        SQLFindingCase(
            "set not null", "ALTER TABLE deals ALTER COLUMN stage SET NOT NULL;",
            ["incompatible: ALTER COLUMN stage SET NOT NULL"]),
        SQLFindingCase("drop not null is compatible", "ALTER TABLE deals ALTER COLUMN stage DROP NOT NULL;"),
        SQLFindingCase("set default is compatible", "ALTER TABLE deals ALTER COLUMN stage SET DEFAULT 'new';"),
        SQLFindingCase(
            "add column not null without default", "ALTER TABLE deals ADD COLUMN owner_id bigint NOT NULL;",
            ["incompatible: ADD COLUMN owner_id NOT NULL without DEFAULT"]),
        SQLFindingCase(
            "add implied column not null", "ALTER TABLE deals ADD owner_id int NOT NULL REFERENCES users (id);",
            ["incompatible: ADD COLUMN owner_id NOT NULL without DEFAULT"]),
        SQLFindingCase(
            "add column if not exists", "ALTER TABLE deals ADD COLUMN IF NOT EXISTS x int NOT NULL;",
            ["incompatible: ADD COLUMN x NOT NULL without DEFAULT"]),
        SQLFindingCase("add column not null with default", "ALTER TABLE deals ADD COLUMN x int NOT NULL DEFAULT 0;"),
        SQLFindingCase("add column default before not null", "ALTER TABLE deals ADD x text DEFAULT '' NOT NULL;"),
        SQLFindingCase("add identity column", "ALTER TABLE deals ADD id bigint GENERATED ALWAYS AS IDENTITY NOT NULL;"),
        SQLFindingCase("add serial column", "ALTER TABLE deals ADD COLUMN n bigserial NOT NULL;"),
        SQLFindingCase("add nullable column", "ALTER TABLE deals ADD COLUMN note text;"),
        SQLFindingCase("not null only inside check", "ALTER TABLE deals ADD COLUMN x int CHECK (x IS NOT NULL);"),
        SQLFindingCase("add constraint is not a column", "ALTER TABLE deals ADD CONSTRAINT c CHECK (x IS NOT NULL);"),
        SQLFindingCase("add primary key is not a column", "ALTER TABLE deals ADD PRIMARY KEY (id);"),
        SQLFindingCase(
            "default belongs to another add clause",
            "ALTER TABLE deals ADD COLUMN a int NOT NULL, ADD COLUMN b int NOT NULL DEFAULT 1;",
            ["incompatible: ADD COLUMN a NOT NULL without DEFAULT"]),
        SQLFindingCase("not null in create table is fine", "CREATE TABLE t (a int NOT NULL);"),
        SQLFindingCase(
            "mixed actions",
            """
            ALTER TABLE deals
              RENAME COLUMN a TO b;
            ALTER TABLE deals
              ALTER COLUMN c TYPE int,
              DROP COLUMN d,
              ALTER COLUMN e SET NOT NULL;
            """,
            [
                "incompatible: RENAME COLUMN a TO b", "incompatible: ALTER COLUMN c TYPE",
                "destructive: DROP COLUMN d", "incompatible: ALTER COLUMN e SET NOT NULL",
            ]),
    ]

    @Test("incompatible rule", arguments: cases)
    func incompatible(_ testCase: SQLFindingCase) {
        #expect(SQLFindingCase.render(testCase.sql) == testCase.expected)
    }

    /// `SET NOT NULL` and `SET DATA TYPE` underline only their keywords.
    @Test func alterColumnOffsets() {
        let sql = "ALTER TABLE t ALTER COLUMN c SET NOT NULL, ALTER c SET DATA TYPE int, ALTER c TYPE int"
        #expect(SQLFindingCase.locate(sql) == ["incompatible@29+12", "incompatible@51+13", "incompatible@78+4"])
        #expect(SQLFindingCase.underlines(sql) == ["SET NOT NULL", "SET DATA TYPE", "TYPE"])
    }

    /// Renames underline `RENAME TO`, `RENAME COLUMN` or a bare `RENAME`.
    @Test func renameOffsets() {
        let sql = "ALTER TABLE t RENAME TO u;\r\nALTER TABLE u RENAME COLUMN a TO b;\r\nALTER TABLE u RENAME b TO c;"
        #expect(SQLFindingCase.underlines(sql) == ["RENAME TO", "RENAME COLUMN", "RENAME"])
        #expect(SQLFindingCase.locate(sql) == ["incompatible@14+9", "incompatible@42+13", "incompatible@79+6"])
        #expect(SQLAnalyzer.analyze(sql).findings.map(\.table) == ["t", "u", "u"])
    }

    /// `ADD COLUMN` underlines `ADD COLUMN`, or `ADD` when the keyword is omitted.
    @Test func addColumnOffsets() {
        let sql = "ALTER TABLE t ADD COLUMN a int NOT NULL, ADD b int NOT NULL"
        #expect(SQLFindingCase.underlines(sql) == ["ADD COLUMN", "ADD"])
        #expect(SQLFindingCase.locate(sql) == ["incompatible@14+10", "incompatible@41+3"])
    }
}
