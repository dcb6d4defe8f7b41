import Foundation
import ReleasePlan
import Testing

@testable import PlanStore

@Suite("Data migrations and baseline")
struct DataMigrationRunnerTests {
    static let touch = MigrationBench.file(
        "0003_touch.sql",
        """
        -- one batch of one portal
        UPDATE items SET touched = touched + 1, done = 1
        WHERE id IN (SELECT id FROM items WHERE member_id = :member_id AND done = 0 LIMIT :batch_size);

        """)
    /// The same on MySQL/MariaDB, which takes no LIMIT in an IN subquery.
    static let touchMySQL = MigrationBench.file(
        "0003_touch.sql",
        """
        -- one batch of one portal
        UPDATE items SET touched = touched + 1, done = 1 WHERE member_id = :member_id AND done = 0 LIMIT :batch_size;

        """)
    static let members = (0..<50).map { String(format: "member-%02d", $0) }
    /// Rows per member: 0 to 7, so some portals have nothing to do and some need exactly one or more full batches.
    static func rowCount(_ index: Int) -> Int { index % 8 }
    static func batches(rows: Int, batchSize: Int) -> Int { (rows + batchSize - 1) / batchSize + 1 }

    static func makeItems(_ db: any Database) throws -> Int {
        try db.execute(
            "CREATE TABLE items (id \(db.dialect.autoIncrementPrimaryKey), member_id TEXT NOT NULL, "
                + "touched INTEGER NOT NULL DEFAULT 0, done INTEGER NOT NULL DEFAULT 0)")
        var total = 0
        try db.transaction {
            for (index, member) in members.enumerated() {
                for _ in 0..<rowCount(index) { try db.execute("INSERT INTO items (member_id) VALUES (?)", [.text(member)]) }
                total += rowCount(index)
            }
        }
        return total
    }

    @Test(
        "perPortal: every row changes exactly once, progress per portal, a second run changes nothing",
        arguments: [(Backend.sqlite, 1), (.postgres, 1), (.postgres, 4), (.mysql, 1), (.mysql, 4)])
    func perPortal(_ backend: Backend, workers: Int) throws {
        let bench = try MigrationBench(backend)
        defer { bench.tearDown() }
        let total = try Self.makeItems(bench.db)
        var connections = [DataMigrationRunner.Connection(database: bench.db, journal: bench.journal)]
        for _ in 1..<workers {
            let db = try bench.fixture.connect()
            connections.append(.init(database: db, journal: Journal(database: db)))
        }
        let touch = backend == .mysql ? Self.touchMySQL : Self.touch
        let migration = MigrationBench.migration(3, touch, perPortal: true, batchSize: 3)
        let script = SQLScript(path: touch.path, bytes: touch.bytes)
        let reports = Counter()
        let runner = DataMigrationRunner(migration: migration, script: script, runID: bench.runID, stepID: "migrate.data.3") { _ in
            reports.increment()
        }
        let batchLog = BatchLog()
        runner.onBatch = batchLog.add
        let progress = try runner.run(memberIDs: Self.members, connections: connections)
        // Batch sizes adapt (they start at 3 and grow while batches are quick): the batches are
        // those the runner reports, each portal's ending with one that changed nothing.
        let expectedBatches = batchLog.all.count
        #expect(expectedBatches >= 93, "a batch that changes nothing per portal, and one that changes rows per portal with rows")
        #expect(progress == .init(portalsDone: 50, portalsTotal: 50, batches: expectedBatches, rowsChanged: total))
        #expect(reports.value == 50)
        #expect(try bench.db.queryFirst("SELECT COUNT(*) AS n FROM items WHERE touched <> 1 OR done <> 1")?["n"].int == 0)
        #expect(try bench.db.queryFirst("SELECT COUNT(*) AS n FROM items")?["n"].int == total)

        let tasks = try bench.journal.portalTasks(run: bench.runID, step: "migrate.data.3")
        #expect(tasks.count == 50)
        for (index, member) in Self.members.enumerated() {
            let task = tasks.first { $0.memberID == member }
            #expect(task?.state == .done, "\(member)")
            #expect(task?.rowsChanged == Self.rowCount(index), "\(member)")
            let batches = batchLog.all.filter { $0.memberID == member }
            #expect(task?.batches == batches.count, "\(member)")
            #expect(batches.last?.changed == 0 && batches.dropLast().allSatisfy { $0.changed > 0 }, "\(member)")
            #expect(task?.lastError == nil)
        }

        let again = DataMigrationRunner(migration: migration, script: script, runID: bench.runID, stepID: "migrate.data.3")
        let second = try again.run(memberIDs: Self.members, connections: connections)
        #expect(second.rowsChanged == 0 && second.batches == 0 && second.portalsDone == 50)
        #expect(try bench.db.queryFirst("SELECT COUNT(*) AS n FROM items WHERE touched <> 1")?["n"].int == 0)
        #expect(try bench.journal.portalTasks(run: bench.runID, step: "migrate.data.3") == tasks)
    }

    @Test("PostgreSQL: the perPortal workers run at once, one per connection, even with more connections than cores")
    func postgresWorkersInParallel() throws {
        let bench = try MigrationBench(.postgres)
        defer { bench.tearDown() }
        let workers = ProcessInfo.processInfo.activeProcessorCount + 2
        try bench.db.execute(
            "CREATE TABLE items (id BIGSERIAL PRIMARY KEY, member_id TEXT NOT NULL, done INTEGER NOT NULL DEFAULT 0, worker INTEGER)")
        try bench.db.execute("INSERT INTO items (member_id) SELECT 'member-' || g FROM generate_series(1, 40) AS g")
        var connections = [DataMigrationRunner.Connection(database: bench.db, journal: bench.journal)]
        for _ in 1..<workers {
            let db = try bench.fixture.connect()
            connections.append(.init(database: db, journal: Journal(database: db)))
        }
        // Each batch takes ≥ 20 ms, so every worker that runs at all gets portals of its own.
        let file = MigrationBench.file(
            "0003_mark.sql",
            "UPDATE items SET done = 1, worker = pg_backend_pid()\nWHERE id IN (SELECT id FROM items WHERE member_id = :member_id AND done = 0 LIMIT :batch_size);\nSELECT pg_sleep(0.02);\n"
        )
        let runner = DataMigrationRunner(
            migration: MigrationBench.migration(3, file, perPortal: true, batchSize: 10),
            script: SQLScript(path: file.path, bytes: file.bytes),
            runID: bench.runID, stepID: "migrate.data.3")
        runner.startingWorkers = workers
        let progress = try runner.run(memberIDs: (1...40).map { "member-\($0)" }, connections: connections)
        #expect(progress.rowsChanged == 40)
        let used = try bench.db.queryFirst("SELECT COUNT(DISTINCT worker) AS n FROM items")?["n"].int ?? 0
        #expect(used == workers, "\(used) of \(workers) connections did any work")
    }

    @Test("perPortal: an unknown named parameter is an error naming it, the file and the line", arguments: Backend.allCases)
    func unknownParameter(_ backend: Backend) throws {
        let bench = try MigrationBench(backend)
        defer { bench.tearDown() }
        _ = try Self.makeItems(bench.db)
        let file = MigrationBench.file(
            "0003_tenant.sql",
            "UPDATE items SET done = 1\nWHERE id IN (SELECT id FROM items WHERE member_id = :member_id AND done = :tenant_flag LIMIT :batch_size);\n"
        )
        let runner = DataMigrationRunner(
            migration: MigrationBench.migration(3, file, perPortal: true, batchSize: 5),
            script: SQLScript(path: file.path, bytes: file.bytes),
            runID: bench.runID, stepID: "migrate.data.3")
        let error = #expect(throws: MigrationError.self) {
            try runner.run(memberIDs: Self.members, connections: [.init(database: bench.db, journal: bench.journal)])
        }
        #expect(error?.file == "migrations/0003_tenant.sql")
        #expect(error?.line == 1)
        let message = error?.message ?? ""
        #expect(message.contains("unknown parameter :tenant_flag"), "\(message)")
        #expect(message.contains(":batch_size") && message.contains(":member_id"), "\(message)")
        #expect(try bench.db.queryFirst("SELECT COUNT(*) AS n FROM items WHERE done <> 0")?["n"].int == 0)
        let failed = try bench.journal.portalTasks(run: bench.runID, step: "migrate.data.3").filter { $0.state == .failed }
        #expect(failed.count == 1)
        #expect(failed.first?.lastError?.contains(":tenant_flag") == true)
    }

    // MARK: Baseline

    static let baselineFiles = [
        MigrationBench.file("0001_create.sql", "CREATE TABLE baseline_one (id INTEGER);\n"),
        MigrationBench.file("0002_backfill.sql", "UPDATE baseline_two SET x = 1 WHERE member_id = :member_id;\n"),
        MigrationBench.file("0003_more.sql", "CREATE TABLE baseline_three (id INTEGER);\n"),
    ]

    static func baselinePlan() -> CompiledPlan {
        let files = baselineFiles
        let plan = Plan(
            app: "acme.baseline", version: "1.4.0", changelog: ["en": "Adopts b24plan for the live application."],
            scopes: [.init(code: "crm")],
            requiredMethods: ["crm.deal.get"],
            migrations: [
                MigrationBench.migration(1, files[0]), MigrationBench.migration(2, files[1], perPortal: true, batchSize: 100),
                MigrationBench.migration(3, files[2]),
            ])
        return PlanCompiler().compile(plan, previous: nil)
    }

    @Test("baseline records the missing migrations without running them", arguments: Backend.allCases)
    func baselineRecords(_ backend: Backend) throws {
        let bench = try MigrationBench(backend, app: "acme.other")
        defer { bench.tearDown() }
        let compiled = Self.baselinePlan()
        let existing = SHA256.hex(Self.baselineFiles[0].bytes)
        try bench.history.record(version: 1, name: "create", checksum: existing, appliedAt: "2024-05-01T10:00:00.000Z", milliseconds: 42)
        let summary = try Baseline(database: bench.db, journal: bench.journal, history: bench.history).record(
            compiled, planSHA256: "plan-sha")
        #expect(summary.recorded == [2, 3])
        #expect(summary.alreadyRecorded == [1])
        let entries = try bench.history.entries()
        #expect(entries.keys.sorted() == [1, 2, 3])
        #expect(entries[1]?.appliedAt == "2024-05-01T10:00:00.000Z" && entries[1]?.executionMilliseconds == 42, "kept as it was")
        #expect(entries[2]?.checksum == SHA256.hex(Self.baselineFiles[1].bytes))
        #expect(entries[3]?.checksum == SHA256.hex(Self.baselineFiles[2].bytes))
        #expect(entries[3]?.name == "0003_more.sql")
        #expect(!bench.tableExists("baseline_three"), "baseline runs nothing")
        let run = try #require(try bench.journal.run(app: "acme.baseline", version: "1.4.0"))
        #expect(run.id == summary.runID && run.state == .baseline && run.planSHA256 == "plan-sha")
        let steps = try bench.journal.steps(run: run.id)
        #expect(Set(steps.keys) == Set(compiled.steps.map(\.id)))
        #expect(steps.values.allSatisfy { $0.state == .done })
    }

    @Test(
        "baseline refuses an unknown migration or another checksum in schema_migrations, and writes nothing",
        arguments: Backend.allCases, [true, false])
    func baselineRefuses(_ backend: Backend, unknownID: Bool) throws {
        let bench = try MigrationBench(backend, app: "acme.other")
        defer { bench.tearDown() }
        let other = String(repeating: "cd", count: 32)
        if unknownID {
            try bench.history.record(
                version: 7, name: "from_elsewhere", checksum: other, appliedAt: "2024-05-01T10:00:00.000Z", milliseconds: 1)
        } else {
            try bench.history.record(version: 1, name: "create", checksum: other, appliedAt: "2024-05-01T10:00:00.000Z", milliseconds: 1)
        }
        let before = try bench.history.entries()
        let error = #expect(throws: Baseline.Disagreement.self) {
            try Baseline(database: bench.db, journal: bench.journal, history: bench.history).record(Self.baselinePlan(), planSHA256: "p")
        }
        let message = error?.message ?? ""
        if unknownID {
            #expect(message.contains("migration 7") && message.contains("from_elsewhere"), "\(message)")
        } else {
            #expect(message.contains(other) && message.contains(SHA256.hex(Self.baselineFiles[0].bytes)), "\(message)")
        }
        #expect(try bench.history.entries() == before)
        #expect(try bench.journal.run(app: "acme.baseline", version: "1.4.0") == nil)
        #expect(try bench.db.queryFirst("SELECT COUNT(*) AS n FROM b24plan_steps")?["n"].int == 0)
    }
}
