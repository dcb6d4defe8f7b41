import Testing

@testable import ReleasePlan

/// B24P305–B24P309: findings in the SQL of new migrations, at the migration entry in the plan, with
/// the place in the SQL file in the message.
struct SQLRulesTests {
    @Test(arguments: RuleExampleCase.cases(SQLRules()))
    func documentationExample(_ testCase: RuleExampleCase) {
        testCase.verify()
    }

    static let sqlPath = "plans/acme.example/migrations/0001_change.sql"

    /// Lints one migration (`migrations/0001_change.sql`) whose entry gets `extra` keys.
    static func lint(_ sql: String, extra: String = "", previousSQL: String? = nil) -> Linter.Result {
        let entry = PlanText.migration(id: 1, name: "change", file: "migrations/0001_change.sql", sql: sql, extra: extra)
        return Lint.run(
            plan: PlanText.make(["migrations": "[\(entry)]"]),
            previous: previousSQL.map { _ in PlanText.previous(["migrations": "[\(entry)]"]) },
            files: ["migrations/0001_change.sql": sql])
    }

    @Test func findingPointsAtTheEntryAndNamesThePlaceInTheSQLFile() throws {
        let sql =
            "-- Удалить старую колонку\nCREATE TABLE deal_links_v2 (id TEXT PRIMARY KEY);\nALTER TABLE deal_links DROP COLUMN legacy_status;\n"
        let result = Self.lint(sql)
        let finding = try #require(result.only("B24P305"))
        #expect(finding.file == Lint.planPath)
        #expect((finding.line, finding.column) == (7, 18))
        #expect(finding.path == "migrations[0]")
        #expect(
            finding.message
                == "migrations/0001_change.sql:3:24: destructive SQL: DROP COLUMN legacy_status destroys data the previous release may still read"
        )
        #expect(finding.notes == ["migrations/0001_change.sql:3:24: ALTER TABLE deal_links DROP COLUMN legacy_status;"])
    }

    @Test func columnCountsBytesOfMultibyteSQL() throws {
        // "/* ключ */ " is 15 bytes (11 characters).
        let finding = try #require(Self.lint("SELECT 1;\r\n/* ключ */ DROP TABLE old_links;\r\n").only("B24P305"))
        #expect(finding.message.hasPrefix("migrations/0001_change.sql:2:16: "))
    }

    @Test func keywordsInStringsAndCommentsAreNotFindings() {
        let sql = """
            INSERT INTO notes (text) VALUES ('DROP TABLE deal_links; TRUNCATE x');
            -- DROP TABLE deal_links;
            /* ALTER TABLE deal_links DROP COLUMN status; */
            SELECT "UPDATE t SET a = 1" FROM t WHERE id = 1;
            """
        #expect(Self.lint(sql).codes.isEmpty, "\(Self.lint(sql).listing)")
    }

    @Test func publishedMigrationsAreNotCheckedAgain() {
        let sql = "DROP TABLE legacy_links;\n"
        #expect(Self.lint(sql).codes == ["B24P305"])
        let result = Self.lint(sql, previousSQL: sql)
        #expect(result.context?.previous != nil)
        #expect(result.codes.isEmpty, "\(result.listing)")
    }

    @Test func onlyTheNewMigrationIsChecked() throws {
        let old = "DROP TABLE legacy_links;\n"
        let new = "TRUNCATE deal_links;\n"
        let first = PlanText.migration(id: 1, name: "drop_legacy", file: "migrations/0001.sql", sql: old)
        let second = PlanText.migration(id: 2, name: "truncate", file: "migrations/0002.sql", sql: new)
        let result = Lint.run(
            plan: PlanText.make(["migrations": "[\(first), \(second)]"]),
            previous: PlanText.previous(["migrations": "[\(first)]"]),
            files: ["migrations/0001.sql": old, "migrations/0002.sql": new])
        let finding = try #require(result.only("B24P305"))
        #expect((finding.file, finding.path) == (Lint.planPath, "migrations[1]"))
        #expect(finding.message.hasPrefix("migrations/0002.sql:1:1: destructive SQL: TRUNCATE TABLE deal_links"))
    }

    @Test func incompatibleChange() throws {
        let finding = try #require(Self.lint("ALTER TABLE deal_links ALTER COLUMN status SET NOT NULL;\n").only("B24P306"))
        #expect(finding.message.hasPrefix("migrations/0001_change.sql:1:44: backward-incompatible SQL: "))
        #expect(finding.message.hasSuffix("breaks the previous release while it still runs"))
        #expect(finding.line == 7)
    }

    @Test func indexWithoutConcurrently() throws {
        let finding = try #require(Self.lint("\nCREATE INDEX deal_links_member ON deal_links (member_id);\n").only("B24P307"))
        #expect(finding.severity == .warning)
        #expect((finding.line, finding.column, finding.endColumn) == (7, 18, 19))
        #expect(
            finding.message
                == "migrations/0001_change.sql:2:1: CREATE INDEX deal_links_member ON deal_links without CONCURRENTLY locks writes on PostgreSQL while it builds (CONCURRENTLY needs \"transaction\": false)"
        )
    }

    /// DESIGN §4: not for a table the same migration creates (it is new and empty); still for any other.
    @Test func indexOnATableTheMigrationCreates() throws {
        let created =
            "CREATE TABLE deal_links (id BIGINT, member_id TEXT);\nCREATE INDEX deal_links_member ON Public.\"deal_links\" (member_id);\n"
        #expect(Self.lint(created).codes.isEmpty, "\(Self.lint(created).listing)")
        let other = "CREATE TABLE deal_links (id BIGINT, deal_id BIGINT);\nCREATE INDEX deals_stage ON deals (stage);\n"
        let finding = try #require(Self.lint(other).only("B24P307"))
        #expect(finding.message.hasPrefix("migrations/0001_change.sql:2:1: CREATE INDEX deals_stage ON deals without CONCURRENTLY"))
        let explanation = try #require(LintRegistry.documentation(for: "B24P307")).explanation
        #expect(explanation.contains("An index on a table that the same migration creates"))
    }

    @Test func concurrentlyInsideATransaction() throws {
        let sql = "CREATE INDEX CONCURRENTLY deal_links_member ON deal_links (member_id);\n"
        let finding = try #require(Self.lint(sql).only("B24P307"))
        #expect(
            finding.message
                == "migrations/0001_change.sql:1:1: CREATE INDEX CONCURRENTLY deal_links_member ON deal_links cannot run inside a transaction: set \"transaction\": false on this migration"
        )
        #expect((finding.column, finding.endColumn) == (18, 19))
        #expect(Self.lint(sql, extra: ", \"transaction\": false").codes.isEmpty)
    }

    @Test func unboundedDataChange() throws {
        let finding = try #require(Self.lint("UPDATE deal_links SET status = 'linked';\n").only("B24P309"))
        #expect(
            finding.message
                == "migrations/0001_change.sql:1:1: UPDATE deal_links has no WHERE: it changes every row in one transaction; make the migration perPortal or add a WHERE"
        )
        #expect((finding.severity, finding.column, finding.endColumn) == (.warning, 18, 19))
    }

    @Test func perPortalSuppressesTheUnboundedWarning() {
        let sql = "UPDATE deal_links SET member_id = :member_id;\nDELETE FROM deal_links;\n"
        // A schema migration gets no parameters: its :member_id is B24P310 too (apply would refuse it).
        #expect(Self.lint(sql).codes == ["B24P309", "B24P309", "B24P310"])
        let result = Self.lint(sql, extra: ", \"perPortal\": true, \"batchSize\": 100")
        #expect(result.codes.isEmpty, "\(result.listing)")
    }

    @Test func perPortalWithoutMemberID() throws {
        let sql = "UPDATE deal_links SET status = 'linked' WHERE id IN (SELECT id FROM deal_links LIMIT :batch_size);\n"
        let extra = ", \"perPortal\": true"
        let finding = try #require(Self.lint(sql, extra: extra).only("B24P308"))
        #expect(
            finding.message
                == "perPortal migration migrations/0001_change.sql does not use :member_id, so each portal's run would touch every portal's rows"
        )
        #expect((finding.file, finding.path) == (Lint.planPath, "migrations[0].perPortal"))
        let plan = PlanText.make([
            "migrations": "[\(PlanText.migration(id: 1, name: "change", file: "migrations/0001_change.sql", sql: sql, extra: extra))]"
        ])
        #expect(finding.at == locationOf("true", in: plan))
    }

    @Test func memberIDInACommentDoesNotCount() {
        let sql = "-- :member_id\nUPDATE deal_links SET status = 'x' WHERE status = ':member_id';\n"
        #expect(Self.lint(sql, extra: ", \"perPortal\": true").codes == ["B24P308"])
    }

    @Test func unreadableFileHasNoSQLFindings() {
        let entry = PlanText.migration(id: 1, name: "change", file: "migrations/0001_change.sql", sql: "DROP TABLE x;")
        let result = Lint.run(plan: PlanText.make(["migrations": "[\(entry)]"]))
        #expect(result.codes == ["B24P302"])
    }
}
