import Foundation
import ReleasePlan
import Testing

@testable import PlanStore

/// Collects the errors of the transactions a `DataMigrationRunner` rolls back.
final class RollbackLog: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [any Error] = []
    func add(_ members: [String], _ error: any Error) { lock.withLock { errors.append(error) } }
    var all: [any Error] { lock.withLock { errors } }
}

/// The statement guard (PostgreSQL `statement_timeout`, MariaDB `max_statement_time`): a batch the
/// server stops is rolled back and run again smaller; no portal fails for it, no batch is lost or
/// applied twice, and the session's own timeout is back afterwards.
@Suite("Data migrations: the statement guard")
struct DataMigrationGuardTests {
    static let members = ["member-a", "member-b", "member-c"]

    /// `rows` rows for each of `members`, each row's update slowed by `sleep` seconds (a trigger).
    static func makeSlowItems(_ bench: MigrationBench, rows: Int, sleep: Double) throws {
        let db = bench.db
        try db.execute(
            "CREATE TABLE items (id \(db.dialect.autoIncrementPrimaryKey), member_id VARCHAR(32) NOT NULL, "
                + "touched INTEGER NOT NULL DEFAULT 0, done INTEGER NOT NULL DEFAULT 0)")
        try db.transaction {
            for member in members {
                for _ in 0..<rows { try db.execute("INSERT INTO items (member_id) VALUES (?)", [.text(member)]) }
            }
        }
        switch db.dialect {
        case .postgres:
            try db.execute(
                "CREATE FUNCTION slow_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(\(sleep)); RETURN NEW; END $$")
            try db.execute("CREATE TRIGGER slow BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION slow_row()")
        case .mysql:
            try db.execute("CREATE TRIGGER slow BEFORE UPDATE ON items FOR EACH ROW SET NEW.touched = NEW.touched + SLEEP(\(sleep))")
        case .sqlite:
            break
        }
    }

    static func run(_ bench: MigrationBench, _ backend: Backend) throws -> (DataMigrationRunner.Progress, BatchLog, RollbackLog) {
        let file = backend == .mysql ? DataMigrationRunnerTests.touchMySQL : DataMigrationRunnerTests.touch
        let runner = DataMigrationRunner(
            migration: MigrationBench.migration(3, file, perPortal: true, batchSize: 16),
            script: SQLScript(path: file.path, bytes: file.bytes), runID: bench.runID, stepID: "migrate.data.3")
        runner.interruption = nil
        let batches = BatchLog()
        let rollbacks = RollbackLog()
        runner.onBatch = batches.add
        runner.onRollback = rollbacks.add
        let progress = try runner.run(memberIDs: members, connections: [.init(database: bench.db, journal: bench.journal)])
        return (progress, batches, rollbacks)
    }

    /// Every row changed once; every portal done, with the rows and batches that committed.
    static func expectComplete(_ bench: MigrationBench, rows: Int, batches: BatchLog) throws {
        #expect(try bench.db.queryFirst("SELECT COUNT(*) AS n FROM items WHERE touched <> 1 OR done <> 1")?["n"].int == 0)
        let tasks = try bench.journal.portalTasks(run: bench.runID, step: "migrate.data.3")
        #expect(tasks.count == members.count)
        for task in tasks {
            #expect(task.state == .done && task.lastError == nil, "\(task)")
            #expect(task.rowsChanged == rows, "\(task)")
            #expect(task.batches == batches.all.filter { $0.memberID == task.memberID }.count, "only committed batches count: \(task)")
        }
    }

    /// The session's own statement timeout, as the server shows it.
    static func sessionTimeout(_ db: any Database) throws -> String? {
        db.dialect == .postgres
            ? try db.queryFirst("SELECT setting FROM pg_settings WHERE name = 'statement_timeout'")?["setting"].string
            : try db.queryFirst("SELECT @@SESSION.max_statement_time AS t")?["t"].string
    }

    @Test(
        "rows of 10 ms under a first batch of 16 (160 ms): the server stops the batch, it runs again smaller, every portal ends done",
        arguments: [Backend.postgres, .mysql])
    func stopsAndRetriesSmaller(_ backend: Backend) throws {
        let bench = try MigrationBench(backend)
        defer { bench.tearDown() }
        try Self.makeSlowItems(bench, rows: 20, sleep: 0.01)
        let (progress, batches, rollbacks) = try Self.run(bench, backend)
        #expect(progress.portalsDone == 3 && progress.rowsChanged == 60)
        #expect(!rollbacks.all.isEmpty, "the first batch of 16 rows (160 ms) was stopped")
        #expect(rollbacks.all.allSatisfy { $0 is StatementGuard.Stopped }, "\(rollbacks.all)")
        let first = try #require(batches.all.first)
        #expect(first.batchSize < 16, "the batch that committed first is smaller than the stopped one: \(first)")
        try Self.expectComplete(bench, rows: 20, batches: batches)
        #expect(try Self.sessionTimeout(bench.db).map { Double($0) } == 0, "the session's own timeout is back")
    }

    @Test(
        "a statement slow whatever its size (one row: 200 ms): after a few stops the guard rests and the migration completes",
        arguments: [Backend.postgres, .mysql])
    func restsWhenEveryBatchIsSlow(_ backend: Backend) throws {
        let bench = try MigrationBench(backend)
        defer { bench.tearDown() }
        try Self.makeSlowItems(bench, rows: 1, sleep: 0.2)
        let (progress, batches, rollbacks) = try Self.run(bench, backend)
        #expect(progress.portalsDone == 3 && progress.rowsChanged == 3)
        #expect(rollbacks.all.count >= DataMigrationWorker.tripsBeforeLifting, "\(rollbacks.all)")
        try Self.expectComplete(bench, rows: 1, batches: batches)
    }

    @Test(
        "StatementGuard: sets the bound only when it must change, never past the session's own, and puts the own back",
        arguments: [Backend.postgres, .mysql])
    func boundAndLift(_ backend: Backend) throws {
        let bench = try MigrationBench(backend)
        defer { bench.tearDown() }
        let db = bench.db
        let setOwn = { (seconds: Double) in
            _ = try db.execute(
                backend == .postgres ? "SET statement_timeout = \(Int(seconds * 1000))" : "SET SESSION max_statement_time = \(seconds)")
        }
        let shown = { () throws -> Double in
            let text = try Self.sessionTimeout(db) ?? ""
            return (Double(text) ?? -1) / (backend == .postgres ? 1000 : 1)
        }
        // PostgreSQL's bound is a SET LOCAL: it lives in a transaction.
        let begin = { if backend == .postgres { try db.execute("BEGIN") } }
        let end = { (guarded: StatementGuard) in
            if backend == .postgres {
                try db.execute("ROLLBACK")
                guarded.transactionEnded(rolledBack: true)
            }
        }
        try setOwn(30)
        let guarded = try #require(StatementGuard.make(for: db))
        try begin()
        try guarded.bound(0.05)
        #expect(try shown() == 0.05)
        try guarded.bound(0.05 + StatementGuard.slack / 2)
        #expect(try shown() == 0.05, "within the slack: left as it is")
        try guarded.bound(0.2)
        #expect(try shown() == 0.2)
        try end(guarded)
        // A write of one second (MariaDB stops a SLEEP() alone without an error).
        try db.execute("CREATE TABLE slow_write (x INTEGER NOT NULL)")
        try db.execute("INSERT INTO slow_write (x) VALUES (0)")
        if backend == .postgres {
            try db.execute(
                "CREATE FUNCTION slow_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(1); RETURN NEW; END $$")
            try db.execute("CREATE TRIGGER slow BEFORE UPDATE ON slow_write FOR EACH ROW EXECUTE FUNCTION slow_row()")
        } else {
            try db.execute("CREATE TRIGGER slow BEFORE UPDATE ON slow_write FOR EACH ROW SET NEW.x = NEW.x + SLEEP(1)")
        }
        try begin()
        try guarded.bound(0.2)
        let error = try #require(throws: DatabaseError.self) { try db.execute("UPDATE slow_write SET x = 1") }
        #expect(guarded.stopped(error), "\(error.code ?? "no code"): \(error.message)")
        try end(guarded)
        try guarded.lift()
        #expect(try shown() == 30, "the session's own is in force after the transaction (PostgreSQL) or the lift (MariaDB)")
        #expect(!guarded.stopped(error), "no bound in force: a timeout is the session's own")

        try setOwn(0.03)
        let tight = try #require(StatementGuard.make(for: db))
        try begin()
        try tight.bound(0.05)
        #expect(try shown() == 0.03, "never longer than the session's own")
        try end(tight)
        try tight.lift()
        try setOwn(0)
    }

    @Test(
        "B24PLAN_STATEMENT_GUARD: off only for 0, off, false or no",
        arguments: [
            (nil, true), ("1", true), ("on", true), ("", true), ("0", false), ("off", false), ("OFF", false), ("false", false),
            ("no", false),
        ] as [(String?, Bool)])
    func environmentSwitch(_ value: String?, enabled: Bool) {
        let environment = value.map { [StatementGuard.environmentVariable: $0] } ?? [:]
        #expect(StatementGuard.isEnabled(environment: environment) == enabled)
    }

    @Test("StatementGuard: none on SQLite")
    func noneOnSQLite() throws {
        let bench = try MigrationBench(.sqlite)
        defer { bench.tearDown() }
        #expect(StatementGuard.make(for: bench.db) == nil)
    }

    @Test(
        "PostgreSQL: the batches commit asynchronously, and the session's own synchronous_commit is back afterwards",
        arguments: [true, false])
    func asynchronousCommit(_ asynchronously: Bool) throws {
        let bench = try MigrationBench(.postgres)
        defer { bench.tearDown() }
        try bench.db.execute(
            "CREATE TABLE items (id BIGSERIAL PRIMARY KEY, member_id TEXT NOT NULL, done INTEGER NOT NULL DEFAULT 0, commits TEXT)")
        try bench.db.execute("INSERT INTO items (member_id) VALUES ('member-a'), ('member-a'), ('member-b')")
        let file = MigrationBench.file(
            "0003_commits.sql",
            "UPDATE items SET done = 1, commits = current_setting('synchronous_commit')\n"
                + "WHERE id IN (SELECT id FROM items WHERE member_id = :member_id AND done = 0 LIMIT :batch_size);\n")
        let runner = DataMigrationRunner(
            migration: MigrationBench.migration(3, file, perPortal: true, batchSize: 5),
            script: SQLScript(path: file.path, bytes: file.bytes), runID: bench.runID, stepID: "migrate.data.3")
        runner.commitsAsynchronously = asynchronously
        let progress = try runner.run(
            memberIDs: ["member-a", "member-b"], connections: [.init(database: bench.db, journal: bench.journal)])
        #expect(progress.rowsChanged == 3)
        let settings = try bench.db.query("SELECT DISTINCT commits FROM items").map { $0["commits"].string }
        #expect(settings == [asynchronously ? "off" : "on"])
        #expect(try bench.db.queryFirst("SELECT current_setting('synchronous_commit') AS s")?["s"].string == "on")
    }
}

extension DataMigrationGuardTests {
    @Test("MariaDB: a SELECT stopped while its rows are read fails with the server's error (1969), not an empty one")
    func stoppedSelectOnMariaDB() throws {
        let bench = try MigrationBench(.mysql)
        defer { bench.tearDown() }
        try bench.db.execute("SET SESSION max_statement_time = 0.05")
        defer { _ = try? bench.db.execute("SET SESSION max_statement_time = 0") }
        let error = try #require(throws: DatabaseError.self) { try bench.db.query("SELECT SLEEP(1) AS s") }
        #expect(error.code == "1969", "\(error.code ?? "no code"): \(error.message)")
        #expect(error.message.contains("max_statement_time"), "\(error.message)")
    }
}
