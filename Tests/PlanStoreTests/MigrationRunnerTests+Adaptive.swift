import Foundation
import ReleasePlan
import Testing

@testable import PlanStore

/// Collects the batches a `DataMigrationRunner` reports.
final class BatchLog: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [DataMigrationRunner.BatchReport] = []
    func add(_ report: DataMigrationRunner.BatchReport) { lock.withLock { reports.append(report) } }
    var all: [DataMigrationRunner.BatchReport] { lock.withLock { reports } }
}

@Suite("Data migrations: adaptive batch sizes")
struct DataMigrationAdaptiveTests {
    static let touch = DataMigrationRunnerTests.touch

    @Test("BatchSizer: at most doubles after quick full batches, up to the maximum; shrinks in proportion after a slow one, to a floor")
    func sizer() {
        var sizer = BatchSizer(start: 5, target: 0.05, maximum: 64)
        sizer.record(seconds: 0.001, changed: 5)
        #expect(sizer.size == 10)
        sizer.record(seconds: 0.001, changed: 3)
        #expect(sizer.size == 10, "a partial batch says nothing about a bigger one")
        sizer.record(seconds: 0.03, changed: 10)
        #expect(sizer.size == 16, "what fits the target at 3 ms a row")
        for _ in 0..<10 { sizer.record(seconds: 0.001, changed: sizer.size) }
        #expect(sizer.size == 64)
        sizer.record(seconds: 0.2, changed: 64)
        #expect(sizer.size == 8, "in proportion (16 rows), and half that again for the rise in cost per row")
        sizer.record(seconds: 10, changed: 8)
        #expect(sizer.size == 8, "not below an eighth of the largest full batch on target (64)")
        sizer.record(seconds: 10, changed: 8)
        #expect(sizer.size == 8)
        var fresh = BatchSizer(start: 100, target: 0.05)
        fresh.record(seconds: 10, changed: 100)
        #expect(fresh.size == 1, "no floor before a batch kept to the target")
        #expect(BatchSizer(start: 0).size == 1)
    }

    @Test(
        "BatchSizer: rows that cost more per row than the batch before shrink the next batch, under the target though the last batch kept to it"
    )
    func risingCostPerRow() {
        var steady = BatchSizer(start: 1000, target: 0.04)
        var rising = BatchSizer(start: 1000, target: 0.04)
        steady.record(seconds: 0.01, changed: 1000)
        rising.record(seconds: 0.01, changed: 1000)
        #expect(steady.size == 2000 && rising.size == 2000, "at most twice the last size")
        steady.record(seconds: 0.02, changed: 2000)
        rising.record(seconds: 0.03, changed: 2000)
        #expect(steady.size == 4000, "10 µs a row: 4,000 rows fit 40 ms")
        // 15 µs a row, half again the 10 µs before: the next is expected at 22.5 µs a row.
        #expect(rising.size == 1777, "\(rising.size)")
        #expect(abs(rising.expectedSeconds - 0.04) < 0.001, "\(rising.expectedSeconds)")
        // The rise counts for at most twice the last batch's cost per row.
        var steep = BatchSizer(start: 1000, target: 0.04)
        steep.record(seconds: 0.002, changed: 1000)
        steep.record(seconds: 0.02, changed: 2000)
        #expect(steep.size == 2000, "10 µs a row, 20 µs with the rise counted twice (not five times): \(steep.size)")
    }

    @Test("BatchSizer: the highest cost per row of the last few batches counts, so one quick batch does not grow the next past the target")
    func recentHighest() {
        var sizer = BatchSizer(start: 1000, target: 0.04)
        sizer.record(seconds: 0.04, changed: 1000)
        #expect(sizer.size == 1000)
        sizer.record(seconds: 0.004, changed: 1000)
        #expect(sizer.size == 1000, "still 40 µs a row: the slow batch is among the last \(BatchSizer.window)")
        for _ in 1..<BatchSizer.window { sizer.record(seconds: 0.004, changed: sizer.size) }
        #expect(sizer.size == 2000, "once it is not, the size grows again")
        var stopped = BatchSizer(start: 1000, target: 0.04)
        stopped.recordStopped(after: 0.08)
        #expect(stopped.size == 500, "a batch the server stopped after 80 ms counts as a full one of 80 ms at least")
    }

    @Test("SQLite: on a quick table the batches grow from the plan's batchSize, and every row changes once")
    func growsOnAQuickTable() throws {
        let bench = try MigrationBench(.sqlite)
        defer { bench.tearDown() }
        try bench.db.execute(
            "CREATE TABLE items (id INTEGER PRIMARY KEY, member_id TEXT NOT NULL, touched INTEGER NOT NULL DEFAULT 0, "
                + "done INTEGER NOT NULL DEFAULT 0)")
        try bench.db.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) INSERT INTO items (member_id) SELECT 'member-a' FROM n"
        )
        let log = BatchLog()
        let runner = DataMigrationRunner(
            migration: MigrationBench.migration(3, Self.touch, perPortal: true, batchSize: 5),
            script: SQLScript(path: Self.touch.path, bytes: Self.touch.bytes), runID: bench.runID, stepID: "migrate.data.3")
        runner.onBatch = log.add
        let progress = try runner.run(memberIDs: ["member-a"], connections: [.init(database: bench.db, journal: bench.journal)])
        #expect(progress.rowsChanged == 5000)
        let sizes = log.all.map(\.batchSize)
        #expect(sizes.first == 5)
        #expect((sizes.max() ?? 0) >= 320, "grew from 5: \(sizes)")
        #expect(sizes.count < 100, "\(sizes.count) batches for 5,000 rows (1,000 at 5 rows each)")
        #expect(try bench.db.queryFirst("SELECT COUNT(*) AS n FROM items WHERE touched <> 1")?["n"].int == 0)
        let task = try bench.journal.portalTask(run: bench.runID, step: "migrate.data.3", member: "member-a")
        #expect(task?.batches == sizes.count && task?.rowsChanged == 5000 && task?.state == .done)
    }

    @Test("PostgreSQL: slow rows (2 ms each) under a batchSize of 200: the first batch is at most 16 rows, all stay near the target")
    func shrinksWhenSlow() throws {
        let bench = try MigrationBench(.postgres)
        defer { bench.tearDown() }
        try bench.db.execute(
            "CREATE TABLE items (id BIGSERIAL PRIMARY KEY, member_id TEXT NOT NULL, touched INTEGER NOT NULL DEFAULT 0, "
                + "done INTEGER NOT NULL DEFAULT 0)")
        try bench.db.execute("INSERT INTO items (member_id) SELECT 'member-a' FROM generate_series(1, 400)")
        try bench.db.execute(
            "CREATE FUNCTION slow_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.002); RETURN NEW; END $$")
        try bench.db.execute("CREATE TRIGGER slow BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION slow_row()")
        let log = BatchLog()
        let runner = DataMigrationRunner(
            migration: MigrationBench.migration(3, Self.touch, perPortal: true, batchSize: 200),
            script: SQLScript(path: Self.touch.path, bytes: Self.touch.bytes), runID: bench.runID, stepID: "migrate.data.3")
        runner.onBatch = log.add
        let progress = try runner.run(memberIDs: ["member-a"], connections: [.init(database: bench.db, journal: bench.journal)])
        #expect(progress.rowsChanged == 400)
        let batches = log.all
        #expect(batches.first?.batchSize == BatchSizer.firstBatchLimit, "not the plan's 200 rows (0.4 s): \(batches.first as Any)")
        let later = batches.filter { $0.changed > 0 }
        #expect(!later.isEmpty && later.allSatisfy { $0.batchSize <= 50 }, "\(later.map(\.batchSize))")
        let times = later.map(\.seconds).sorted()
        #expect(times.isEmpty || times[times.count / 2] < 0.1, "the median batch stays under 100 ms: \(times)")
        #expect(try bench.db.queryFirst("SELECT COUNT(*) AS n FROM items WHERE touched <> 1")?["n"].int == 0)
    }

    @Test("MySQL/MariaDB: the batches run at READ COMMITTED, and the session's own level is back afterwards")
    func readCommittedOnMySQL() throws {
        let bench = try MigrationBench(.mysql)
        defer { bench.tearDown() }
        try bench.db.execute(
            "CREATE TABLE items (id INTEGER PRIMARY KEY AUTO_INCREMENT, member_id VARCHAR(32) NOT NULL, touched INTEGER NOT NULL DEFAULT 0, "
                + "done INTEGER NOT NULL DEFAULT 0, level VARCHAR(32))")
        try bench.db.execute("INSERT INTO items (member_id) VALUES ('member-a'), ('member-a'), ('member-b')")
        let file = MigrationBench.file(
            "0003_level.sql",
            "UPDATE items SET done = 1, level = @@SESSION.tx_isolation WHERE member_id = :member_id AND done = 0 LIMIT :batch_size;\n")
        let runner = DataMigrationRunner(
            migration: MigrationBench.migration(3, file, perPortal: true, batchSize: 5),
            script: SQLScript(path: file.path, bytes: file.bytes), runID: bench.runID, stepID: "migrate.data.3")
        let progress = try runner.run(
            memberIDs: ["member-a", "member-b"], connections: [.init(database: bench.db, journal: bench.journal)])
        #expect(progress.rowsChanged == 3)
        let levels = try bench.db.query("SELECT DISTINCT level FROM items").map { $0["level"].string }
        #expect(levels == ["READ-COMMITTED"])
        #expect(try bench.db.queryFirst("SELECT @@SESSION.tx_isolation AS level")?["level"].string == "REPEATABLE-READ")
    }
}
