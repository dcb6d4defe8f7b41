import Foundation
import ReleasePlan
import Testing

@testable import PlanStore

/// One test's database with a migrated journal, a `schema_migrations` table and an open run.
struct MigrationBench {
    let fixture: Fixture
    let journal: Journal
    let history: MigrationHistory
    let runID: Int

    init(_ backend: Backend, app: String = "acme.migrations") throws {
        fixture = try Fixture(backend)
        journal = Journal(database: fixture.db)
        try journal.migrate()
        history = try MigrationHistory(database: fixture.db)
        try history.ensureTable()
        runID = try journal.openRun(app: app, version: "1.0.0", planSHA256: "plan").id
    }

    var db: any Database { fixture.db }
    var schemaRunner: SchemaMigrationRunner { SchemaMigrationRunner(database: db, history: history, journal: journal, runID: runID) }

    func tearDown() { fixture.tearDown() }

    static func file(_ name: String, _ sql: String) -> SourceFile { SourceFile(path: "migrations/\(name)", bytes: Array(sql.utf8)) }

    static func migration(_ id: Int, _ file: SourceFile, perPortal: Bool = false, batchSize: Int? = nil, transaction: Bool = true)
        -> Migration
    {
        Migration(
            id: id, name: String(file.path.split(separator: "/").last ?? ""), file: file.path, sha256: SHA256.hex(file.bytes),
            perPortal: perPortal, batchSize: batchSize, transaction: transaction)
    }

    /// Runs a schema migration as step `migrate.schema.<id>`.
    @discardableResult
    func apply(_ id: Int, _ file: SourceFile, transaction: Bool = true) throws -> SchemaMigrationRunner.Outcome {
        try schemaRunner.run(Self.migration(id, file, transaction: transaction), file: file, stepID: "migrate.schema.\(id)")
    }

    func step(_ id: String) throws -> Journal.StepRecord? { try journal.steps(run: runID)[id] }

    /// Whether `table` exists (a query on a missing table throws on both databases).
    func tableExists(_ table: String) -> Bool { (try? db.query("SELECT COUNT(*) AS n FROM \(table)")) != nil }
}

@Suite("Schema migrations")
struct SchemaMigrationRunnerTests {
    static let createItems = MigrationBench.file(
        "0001_create_items.sql",
        "-- items of each portal\nCREATE TABLE items (id INTEGER PRIMARY KEY, member_id TEXT NOT NULL);\nCREATE INDEX items_member ON items (member_id);\n"
    )
    static let addTouched = MigrationBench.file(
        "0002_add_touched.sql", "ALTER TABLE items ADD COLUMN touched INTEGER NOT NULL DEFAULT 0;\n")
    /// `sha256sum` of `addTouched`, computed outside b24plan.
    static let addTouchedDigest = "8ec3a743925b16fd6110e5d8a10a243f074d377460eafaabbd5d2a5fb6d24343"

    /// The first statement is fine, the second (line 4) is not.
    static let failing = MigrationBench.file(
        "0003_broken.sql",
        "CREATE TABLE first_table (id INTEGER);\n-- the next statement is wrong\n\nINSERT INTO no_such_table VALUES (1);\n")

    @Test("migrations apply in order with their history rows; running again is alreadyApplied", arguments: Backend.allCases)
    func appliesInOrder(_ backend: Backend) throws {
        let bench = try MigrationBench(backend)
        defer { bench.tearDown() }
        guard case .applied = try bench.apply(1, Self.createItems) else { Issue.record("1 was not applied"); return }
        guard case .applied = try bench.apply(2, Self.addTouched) else { Issue.record("2 was not applied"); return }
        try bench.db.execute("INSERT INTO items (id, member_id, touched) VALUES (1, 'm1', 0)")

        let entries = try bench.history.entries()
        #expect(entries.keys.sorted() == [1, 2])
        let first = try #require(entries[1])
        let second = try #require(entries[2])
        #expect(first.name == "0001_create_items.sql" && second.name == "0002_add_touched.sql")
        #expect(first.checksum == SHA256.hex(Self.createItems.bytes))
        #expect(second.checksum == Self.addTouchedDigest)
        #expect(Timestamp.date(first.appliedAt) != nil && Timestamp.date(second.appliedAt) != nil)
        #expect(first.appliedAt <= second.appliedAt)
        #expect(first.executionMilliseconds >= 0 && first.executionMilliseconds < 60_000)
        #expect(try bench.step("migrate.schema.1")?.state == .done)
        #expect(try bench.step("migrate.schema.2")?.state == .done)

        #expect(try bench.apply(1, Self.createItems) == .alreadyApplied)
        #expect(try bench.apply(2, Self.addTouched) == .alreadyApplied)
        #expect(try bench.history.entries() == entries, "running again writes nothing")
        #expect(try bench.db.query("SELECT id FROM items").count == 1)
    }

    @Test("a recorded checksum that differs from the file is an error naming both digests", arguments: Backend.allCases)
    func checksumMismatch(_ backend: Backend) throws {
        let bench = try MigrationBench(backend)
        defer { bench.tearDown() }
        let recorded = String(repeating: "ab", count: 32)
        try bench.history.record(
            version: 1, name: "create_items", checksum: recorded, appliedAt: "2025-01-01T00:00:00.000Z", milliseconds: 3)
        let error = #expect(throws: MigrationError.self) { try bench.apply(1, Self.createItems) }
        let message = error?.description ?? ""
        #expect(message.contains(recorded), "\(message)")
        #expect(message.contains(SHA256.hex(Self.createItems.bytes)), "\(message)")
        #expect(error?.file == "migrations/0001_create_items.sql")
        #expect(!bench.tableExists("items"), "nothing ran")
        #expect(try bench.history.entry(1)?.checksum == recorded)

        // The plan's own digest is checked against the file too.
        var stale = MigrationBench.migration(2, Self.addTouched)
        stale.sha256 = String(repeating: "0", count: 64)
        let planError = #expect(throws: MigrationError.self) {
            try bench.schemaRunner.run(stale, file: Self.addTouched, stepID: "migrate.schema.2")
        }
        #expect(planError?.message.contains(Self.addTouchedDigest) == true, "\(String(describing: planError))")
    }

    @Test("a failing migration rolls back its earlier statements, records no history and names file and line", arguments: Backend.allCases)
    func failingMigrationRollsBack(_ backend: Backend) throws {
        let bench = try MigrationBench(backend)
        defer { bench.tearDown() }
        let error = #expect(throws: MigrationError.self) { try bench.apply(3, Self.failing) }
        #expect(error?.file == "migrations/0003_broken.sql")
        #expect(error?.line == 4, "the line of the failing statement")
        #expect(error?.description.hasPrefix("migrations/0003_broken.sql:4: ") == true, "\(String(describing: error))")
        #expect(error?.message.lowercased().contains("no_such_table") == true, "\(String(describing: error))")
        if backend == .mysql {
            // DDL commits at once in MySQL: the first statement stays and the row is left dirty.
            #expect(bench.tableExists("first_table"))
            #expect(try bench.history.dirtyEntries().map(\.version) == [3])
        } else {
            #expect(!bench.tableExists("first_table"), "the first statement was rolled back too")
        }
        #expect(try bench.history.entries().isEmpty)
        let step = try #require(try bench.step("migrate.schema.3"))
        #expect(step.state == .failed)
        #expect(step.detail?.contains("0003_broken.sql:4") == true)
        #expect(step.finishedAt != nil)
        // The connection is usable afterwards (no transaction left open).
        #expect(!bench.db.isInTransaction)
        guard case .applied = try bench.apply(1, Self.createItems) else { Issue.record("1 was not applied"); return }
    }

    @Test("\"transaction\": false runs statement by statement", arguments: Backend.allCases)
    func withoutTransaction(_ backend: Backend) throws {
        let bench = try MigrationBench(backend)
        defer { bench.tearDown() }
        let error = #expect(throws: MigrationError.self) { try bench.apply(3, Self.failing, transaction: false) }
        #expect(error?.line == 4)
        #expect(bench.tableExists("first_table"), "outside a transaction the first statement stays")
        #expect(try bench.history.entries().isEmpty)
        #expect(try bench.step("migrate.schema.3")?.state == .failed)

        guard backend == .postgres else { return }
        // CREATE INDEX CONCURRENTLY cannot run in a transaction: it needs "transaction": false.
        let concurrent = MigrationBench.file(
            "0004_index.sql", "CREATE TABLE big (id INTEGER);\nCREATE INDEX CONCURRENTLY big_id ON big (id);\n")
        let inTransaction = #expect(throws: MigrationError.self) { try bench.apply(4, concurrent) }
        #expect(inTransaction?.line == 2)
        #expect(!bench.tableExists("big"))
        guard case .applied = try bench.apply(4, concurrent, transaction: false) else { Issue.record("4 was not applied"); return }
        #expect(try bench.history.entry(4)?.checksum == SHA256.hex(concurrent.bytes))
        #expect(try bench.db.query("SELECT indexname FROM pg_indexes WHERE indexname = 'big_id'").count == 1)
    }

    @Test("a schema migration with a named parameter is refused before it runs", arguments: Backend.allCases)
    func namedParameterRefused(_ backend: Backend) throws {
        let bench = try MigrationBench(backend)
        defer { bench.tearDown() }
        try bench.apply(1, Self.createItems)
        let file = MigrationBench.file(
            "0002_tag.sql", "CREATE TABLE tags (id INTEGER);\nDELETE FROM items\n WHERE member_id = :member_id;\n")
        let error = #expect(throws: MigrationError.self) { try bench.apply(2, file) }
        #expect(error?.line == 2)
        #expect(
            error?.message.contains(":member_id") == true && error?.message.contains("perPortal") == true, "\(String(describing: error))")
        #expect(!bench.tableExists("tags"))
        #expect(try bench.history.entry(2) == nil)
    }
}
