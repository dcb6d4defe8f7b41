/// B24P305–B24P312: what the SQL of each new migration does, read with a real
/// tokenizer in the plan's `database` dialect (none: PostgreSQL-flavoured; B24P307 only there,
/// B24P311 and B24P312 only under MySQL).
/// Published migrations are not checked again: they have already run. A finding points at the
/// migration's entry in the plan (what `suppress.at` names); its message and a note give the place
/// in the SQL file, with the statement's line.
struct SQLRules: LintRule {
    func check(_ context: LintContext) -> [Diagnostic] {
        let published = context.publishedMigrationIDs
        var diagnostics: [Diagnostic] = []
        for (index, migration) in context.plan.migrations.enumerated() where !published.contains(migration.id) {
            guard let file = context.migrationFiles[index] else { continue }
            let path: JSONPath = ["migrations", .index(index)]
            let analysis = SQLAnalyzer.analyze(file.bytes, dialect: context.plan.database)
            for finding in analysis.findings {
                guard
                    let (rule, message) = Self.rule(
                        for: finding, migration: migration, dialect: context.plan.database,
                        dialectKnown: context.document.isIntact("database"))
                else { continue }
                let location = file.location(of: finding.offset)
                let place = "\(MessageValue.shown(migration.file)):\(location.line):\(location.column)"
                diagnostics.append(
                    context.diagnostic(
                        rule, PlanMessages.inSQL(place, message), at: path,
                        notes: ["\(place): " + MessageValue.shown(file.lineText(location.line).trimmingWhitespace())]))
            }
            diagnostics += unknownParameters(context, file: file, migration: migration, path: path)
            if migration.perPortal, !analysis.namedParameters.contains("member_id") {
                diagnostics.append(
                    context.diagnostic("B24P308", PlanMessages.perPortalWithoutMemberID(migration.file), at: path / "perPortal"))
            }
        }
        return diagnostics
    }

    /// The parameters b24plan binds (`:member_id`, `:batch_size`, in a perPortal migration).
    static let knownParameters = ["member_id", "batch_size"]

    /// B24P310: a named parameter b24plan does not bind (`:batchsize`, `:memberId`), at its place in
    /// the SQL, with the nearest known one.
    private func unknownParameters(
        _ context: LintContext, file: SourceFile, migration: Migration, path: JSONPath
    ) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for token in SQLTokenizer.tokenize(file.bytes, dialect: context.plan.database) where token.kind == .namedParameter {
            let name = String(token.text(in: file.bytes).dropFirst())
            // A schema migration gets no parameters at all (apply refuses it before running it).
            guard !migration.perPortal || !Self.knownParameters.contains(name.lowercased()) else { continue }
            let location = file.location(of: token.range.lowerBound)
            let place = "\(MessageValue.shown(migration.file)):\(location.line):\(location.column)"
            let message =
                migration.perPortal
                ? PlanMessages.unknownParameter(name) + Suggestion.phrase(for: name.lowercased(), in: Self.knownParameters)
                : PlanMessages.parameterInSchemaMigration(name)
            diagnostics.append(
                context.diagnostic(
                    "B24P310", PlanMessages.inSQL(place, message), at: path,
                    notes: ["\(place): " + MessageValue.shown(file.lineText(location.line).trimmingWhitespace())]))
        }
        return diagnostics
    }

    /// The rule and message of a finding; `dialectKnown` is false when the plan's `database` is
    /// invalid (B24P003), so PostgreSQL-only advice does not echo that typo.
    private static func rule(
        for finding: SQLFinding, migration: Migration, dialect: DatabaseDialect?, dialectKnown: Bool
    ) -> (RuleCode, String)? {
        switch finding.kind {
        case .destructive:
            return ("B24P305", PlanMessages.destructiveSQL(finding.subject))
        case .incompatible:
            return ("B24P306", PlanMessages.incompatibleSQL(finding.subject))
        case .indexWithoutConcurrently:
            guard dialectKnown, DatabaseDialect.isPostgreSQL(dialect) else { return nil }
            return ("B24P307", PlanMessages.indexWithoutConcurrently(finding.subject))
        case .concurrentIndex:
            guard dialectKnown, DatabaseDialect.isPostgreSQL(dialect), migration.transaction else { return nil }
            return ("B24P307", PlanMessages.concurrentIndexInTransaction(finding.subject))
        case .updateWithoutWhere, .deleteWithoutWhere:
            return migration.perPortal ? nil : ("B24P309", PlanMessages.unboundedDataChange(finding.subject))
        case .nonAtomicDDL:
            return ("B24P311", PlanMessages.nonAtomicDDL(finding.subject))
        case .alterWithoutOnlineDDL:
            return ("B24P312", PlanMessages.alterWithoutOnlineDDL(finding.subject))
        }
    }

    var documentation: [RuleDocumentation] {
        func example(
            _ sql: String, perPortal: Bool = false, transaction: Bool = true, database: DatabaseDialect? = nil
        ) -> RuleExample {
            let digest = SHA256.hex(Array(sql.utf8))
            var entry =
                "{ \"id\": 1, \"name\": \"change\", \"file\": \"migrations/0001_change.sql\", \"sha256\": \"\(digest)\""
            if perPortal { entry += ", \"perPortal\": true, \"batchSize\": 500" }
            if !transaction { entry += ", \"transaction\": false" }
            var overrides: [(String, String?)] = [("migrations", "[\(entry) }]")]
            if let database { overrides.append(("database", "\"\(database.rawValue)\"")) }
            return RuleExample(plan: ExamplePlan.json(overrides), files: ["migrations/0001_change.sql": sql])
        }
        return [
            RuleDocumentation(
                "B24P305",
                explanation: """
                    DROP TABLE, DROP COLUMN and TRUNCATE destroy data, and the previous release, still running \
                    while the update rolls out, may read it. Stop using the data in one release and drop it in a \
                    later one, with a suppression that says why it is safe.
                    """,
                bad: example("ALTER TABLE deal_links DROP COLUMN legacy_status;\n"),
                good: example("ALTER TABLE deal_links ADD COLUMN status TEXT;\n")),
            RuleDocumentation(
                "B24P306",
                explanation: """
                    Renames, column type changes, SET NOT NULL and ADD COLUMN … NOT NULL without DEFAULT break \
                    the code of the previous release, which keeps running until every server is updated. Add a \
                    new nullable column (or one with a default), backfill it, and switch over in steps.
                    """,
                bad: example("ALTER TABLE deal_links RENAME COLUMN status TO link_status;\n"),
                good: example("ALTER TABLE deal_links ADD COLUMN link_status TEXT DEFAULT 'linked';\n")),
            RuleDocumentation(
                "B24P307",
                explanation: """
                    On PostgreSQL, CREATE INDEX locks the table against writes while it builds. CREATE INDEX \
                    CONCURRENTLY does not, but cannot run inside a transaction: give the migration \
                    `"transaction": false`. An index on a table that the same migration creates (an earlier \
                    `CREATE TABLE` of it, with or without the schema or quotes) is not reported: that table is new \
                    and empty. Checked when the plan's `database` is `postgresql` or absent, not under `mysql` or \
                    `sqlite` (nor when `database` is invalid: B24P003 reports that).
                    """,
                bad: example("CREATE INDEX deal_links_member ON deal_links (member_id);\n"),
                good: example("CREATE INDEX CONCURRENTLY deal_links_member ON deal_links (member_id);\n", transaction: false)),
            RuleDocumentation(
                "B24P308",
                explanation: """
                    A `perPortal` migration runs once per installation with `:member_id` and `:batch_size` bound, \
                    repeated until a batch changes no row. Without `:member_id` every run would touch every \
                    portal's rows.
                    """,
                bad: example(
                    "UPDATE deal_links SET status = 'linked' WHERE id IN (SELECT id FROM deal_links WHERE status IS NULL LIMIT :batch_size);\n",
                    perPortal: true),
                good: example(
                    "UPDATE deal_links SET status = 'linked' WHERE id IN (SELECT id FROM deal_links WHERE member_id = :member_id AND status IS NULL LIMIT :batch_size);\n",
                    perPortal: true)),
            RuleDocumentation(
                "B24P309",
                explanation: """
                    An UPDATE or DELETE without WHERE in a schema migration changes every row of every portal in \
                    one transaction, holding locks for its whole length. Make it a `perPortal` migration that \
                    works in batches, or add the WHERE that was meant.
                    """,
                bad: example("UPDATE deal_links SET status = 'linked';\n"),
                good: example("UPDATE deal_links SET status = 'linked' WHERE status IS NULL;\n")),
            RuleDocumentation(
                "B24P310",
                explanation: """
                    b24plan binds two named parameters, `:member_id` and `:batch_size` (in a `perPortal` \
                    migration). Any other `:name` is sent to the database as written and fails there, after \
                    earlier migrations of the release already ran. The message names the nearest known one.
                    """,
                bad: example(
                    "UPDATE deal_links SET status = 'linked' WHERE id IN (SELECT id FROM deal_links WHERE member_id = :memberId AND status IS NULL LIMIT :batch_size);\n",
                    perPortal: true),
                good: example(
                    "UPDATE deal_links SET status = 'linked' WHERE id IN (SELECT id FROM deal_links WHERE member_id = :member_id AND status IS NULL LIMIT :batch_size);\n",
                    perPortal: true)),
            RuleDocumentation(
                "B24P311",
                explanation: """
                    Under `"database": "mysql"`: MySQL (and MariaDB) commit every DDL statement (CREATE, ALTER, \
                    DROP, TRUNCATE, RENAME) implicitly, so a migration with two of them, or with DDL and data \
                    changes, is not atomic: when a later statement fails, the earlier ones stay applied and the \
                    migration can be neither rolled back nor simply run again. Give each DDL statement its own \
                    migration, and put data changes in migrations of their own.
                    """,
                bad: example(
                    "ALTER TABLE deal_links ADD COLUMN status VARCHAR(20) NULL, ALGORITHM=INSTANT, LOCK=NONE;\nUPDATE deal_links SET status = 'linked' WHERE status IS NULL;\n",
                    database: .mysql),
                good: example(
                    "ALTER TABLE deal_links ADD COLUMN status VARCHAR(20) NULL, ALGORITHM=INSTANT, LOCK=NONE;\n",
                    database: .mysql)),
            RuleDocumentation(
                "B24P312",
                explanation: """
                    Under `"database": "mysql"`: an ALTER TABLE on an existing table may copy the table and block \
                    writes while it runs, for minutes on a large table. Ask for an online change with both \
                    ALGORITHM=INSTANT (or INPLACE) and LOCK=NONE: MySQL then refuses the statement when it cannot \
                    honour them, instead of silently locking. A table created earlier in the same migration is \
                    empty and is not checked.
                    """,
                bad: example("ALTER TABLE deal_links ADD COLUMN status VARCHAR(20) NULL;\n", database: .mysql),
                good: example(
                    "ALTER TABLE deal_links ADD COLUMN status VARCHAR(20) NULL, ALGORITHM=INSTANT, LOCK=NONE;\n",
                    database: .mysql)),
        ]
    }
}
