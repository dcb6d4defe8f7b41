import Foundation
import ReleasePlan
import Testing

@testable import PlanStore

/// MySQL/MariaDB commit DDL at once: a schema migration is recorded as started (dirty) before it
/// runs and as done after; a failure leaves the row dirty until `migrate --mark-clean`.
@Suite("Dirty schema migrations (MySQL/MariaDB)")
struct DirtyMigrationTests {
    /// Two DDL statements; the second (line 3) fails after the first has committed.
    static let halfBroken = MigrationBench.file(
        "0002_half.sql",
        "CREATE TABLE half_first (id INTEGER);\n-- the next one names a missing table\nALTER TABLE no_such_table ADD COLUMN x INTEGER;\n")
    static let next = MigrationBench.file("0003_next.sql", "CREATE TABLE after_half (id INTEGER);\n")

    @Test("a failure after DDL leaves the row dirty, the first DDL in place, and an error naming the id, line and repair")
    func failureLeavesDirty() throws {
        let bench = try MigrationBench(.mysql)
        defer { bench.tearDown() }
        try bench.apply(1, SchemaMigrationRunnerTests.createItems)
        let error = try #require(throws: MigrationError.self) { try bench.apply(2, Self.halfBroken) }
        #expect(error.file == "migrations/0002_half.sql" && error.line == 3, "\(error)")
        #expect(error.message.contains("no_such_table"), "\(error)")
        #expect(error.message.contains("migration 2 (0002_half.sql)"), "\(error)")
        #expect(error.message.contains("half-migrated"), "\(error)")
        #expect(error.message.contains("b24plan migrate --mark-clean 2 FILE"), "\(error)")
        #expect(bench.tableExists("half_first"), "the first DDL committed")

        #expect(try bench.history.entries().keys.sorted() == [1], "a dirty row is not applied")
        let dirty = try bench.history.dirtyEntries()
        #expect(dirty.map(\.version) == [2])
        #expect(dirty.first?.checksum == SHA256.hex(Self.halfBroken.bytes))
        #expect(try bench.step("migrate.schema.2")?.state == .failed)
        #expect(try bench.step("migrate.schema.2")?.detail?.contains("--mark-clean 2") == true)
        #expect(!bench.db.isInTransaction)

        // Running it again is refused (never "already applied", never a second row).
        let again = try #require(throws: MigrationError.self) { try bench.apply(2, Self.halfBroken) }
        #expect(again.message.contains("dirty migration 2"), "\(again)")
        let refusal = try #require(throws: DirtyMigrations.self) { try bench.history.refuseDirty(planReference: "plans/x/1.1.0.json") }
        #expect(refusal.message.contains("b24plan migrate --mark-clean 2 plans/x/1.1.0.json"), "\(refusal)")
        #expect(refusal.message.contains("delete its row"), "\(refusal)")
    }

    @Test("a successful migration on MySQL ends clean, with its execution time")
    func successEndsClean() throws {
        let bench = try MigrationBench(.mysql)
        defer { bench.tearDown() }
        guard case .applied = try bench.apply(1, SchemaMigrationRunnerTests.createItems) else { Issue.record("not applied"); return }
        #expect(try bench.history.dirtyEntries().isEmpty)
        #expect(try bench.db.queryFirst("SELECT dirty FROM schema_migrations WHERE version = 1")?["dirty"].int == 0)
        let entry = try #require(try bench.history.entry(1))
        #expect(entry.executionMilliseconds >= 0 && Timestamp.date(entry.appliedAt) != nil)
    }

    @Test("--mark-clean: refused for a wrong checksum, a missing or a clean row; then the next migration runs")
    func markClean() throws {
        let bench = try MigrationBench(.mysql)
        defer { bench.tearDown() }
        try bench.apply(1, SchemaMigrationRunnerTests.createItems)
        _ = #expect(throws: MigrationError.self) { try bench.apply(2, Self.halfBroken) }

        let wrong = String(repeating: "0", count: 64)
        let mismatch = try #require(throws: MigrationHistory.MarkCleanRefusal.self) {
            try bench.history.markClean(version: 2, checksum: wrong)
        }
        #expect(mismatch.message.contains(wrong) && mismatch.message.contains(SHA256.hex(Self.halfBroken.bytes)), "\(mismatch)")
        #expect(try bench.history.dirtyEntries().map(\.version) == [2], "still dirty")
        let missing = try #require(throws: MigrationHistory.MarkCleanRefusal.self) {
            try bench.history.markClean(version: 9, checksum: wrong)
        }
        #expect(missing.message.contains("no row for migration 9"), "\(missing)")
        let clean = try #require(throws: MigrationHistory.MarkCleanRefusal.self) {
            try bench.history.markClean(version: 1, checksum: SHA256.hex(SchemaMigrationRunnerTests.createItems.bytes))
        }
        #expect(clean.message.contains("is not dirty"), "\(clean)")

        // The user fixes the database by hand, then marks it clean.
        try bench.db.execute("DROP TABLE half_first")
        let marked = try bench.history.markClean(version: 2, checksum: SHA256.hex(Self.halfBroken.bytes).uppercased())
        #expect(marked.version == 2)
        #expect(try bench.history.dirtyEntries().isEmpty)
        try bench.history.refuseDirty()
        #expect(try bench.history.entries().keys.sorted() == [1, 2])
        #expect(try bench.apply(2, Self.halfBroken) == .alreadyApplied)
        guard case .applied = try bench.apply(3, Self.next) else { Issue.record("3 was not applied"); return }
        #expect(bench.tableExists("after_half"))
    }

    @Test("deleting a dirty row by hand makes the migration run again")
    func deletedRowRunsAgain() throws {
        let bench = try MigrationBench(.mysql)
        defer { bench.tearDown() }
        try bench.apply(1, SchemaMigrationRunnerTests.createItems)
        _ = #expect(throws: MigrationError.self) { try bench.apply(2, Self.halfBroken) }
        try bench.db.execute("DROP TABLE half_first")
        try bench.db.execute("CREATE TABLE no_such_table (id INTEGER)")
        try bench.db.execute("DELETE FROM schema_migrations WHERE version = 2")
        guard case .applied = try bench.apply(2, Self.halfBroken) else { Issue.record("2 was not applied"); return }
        #expect(try bench.history.entries().keys.sorted() == [1, 2])
    }

    @Test("an interrupted run (a row left started) is refused by refuseDirty, check and baseline")
    func interruptedIsRefused() throws {
        let bench = try MigrationBench(.mysql)
        defer { bench.tearDown() }
        let file = SchemaMigrationRunnerTests.createItems
        try bench.history.recordStarted(
            version: 1, name: "0001_create_items.sql", checksum: SHA256.hex(file.bytes), startedAt: "2025-01-01T00:00:00.000Z")
        #expect(try bench.history.entries().isEmpty)
        let refusal = try #require(throws: DirtyMigrations.self) { try bench.history.refuseDirty() }
        #expect(refusal.message.contains("1 (0001_create_items.sql, started at 2025-01-01T00:00:00.000Z)"), "\(refusal)")
        #expect(refusal.message.contains("--mark-clean 1 FILE"), "\(refusal)")
        _ = #expect(throws: MigrationError.self) { try bench.apply(1, file) }
        #expect(!bench.tableExists("items"), "nothing ran")

        let baseline = Baseline(database: bench.db, journal: bench.journal, history: bench.history)
        let disagreement = try #require(throws: Baseline.Disagreement.self) {
            try baseline.record(DataMigrationRunnerTests.baselinePlan(), planSHA256: "plan")
        }
        #expect(disagreement.message.contains("dirty migration 1"), "\(disagreement)")
    }

    @Test("a MySQL schema_migrations table without the dirty column gets it, existing rows clean")
    func upgradesOldTable() throws {
        let fixture = try Fixture(.mysql)
        defer { fixture.tearDown() }
        try fixture.db.execute(
            "CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, "
                + "applied_at TEXT NOT NULL, execution_ms BIGINT NOT NULL)")
        try fixture.db.execute("INSERT INTO schema_migrations VALUES (1, 'one', 'abc', '2025-01-01T00:00:00.000Z', 5)")
        let history = try MigrationHistory(database: fixture.db)
        try history.ensureTable()
        try history.ensureTable()
        #expect(try history.entries().keys.sorted() == [1])
        #expect(try history.dirtyEntries().isEmpty)
        #expect(try fixture.db.queryFirst("SELECT dirty FROM schema_migrations")?["dirty"].int == 0)
    }

    @Test(
        "SQLite and PostgreSQL: no dirty column, a failure records no row, nothing to mark clean", arguments: [Backend.sqlite, .postgres])
    func transactionalUnchanged(_ backend: Backend) throws {
        let bench = try MigrationBench(backend)
        defer { bench.tearDown() }
        #expect((try? bench.db.query("SELECT dirty FROM schema_migrations")) == nil, "no dirty column")
        let error = try #require(throws: MigrationError.self) { try bench.apply(2, Self.halfBroken) }
        #expect(!error.message.contains("mark-clean"), "\(error)")
        #expect(!bench.tableExists("half_first"), "rolled back")
        #expect(try bench.history.dirtyEntries().isEmpty)
        try bench.history.refuseDirty()
        let refusal = try #require(throws: MigrationHistory.MarkCleanRefusal.self) {
            try bench.history.markClean(version: 2, checksum: SHA256.hex(Self.halfBroken.bytes))
        }
        #expect(refusal.message.contains("only MySQL/MariaDB"), "\(refusal)")
    }
}
