import Foundation
import ReleasePlan
import Testing

@testable import PlanStore

#if canImport(Glibc)
    import Glibc
#endif

/// Faults inside a transaction that holds several portals' batches: a statement failing for one
/// portal, a failed commit, a signal. What committed stays consistent with the rows, nothing is
/// applied twice, and only the portal at fault is marked failed.
@Suite("Data migrations: faults in grouped transactions")
struct DataMigrationFaultTests {
    static let members = DataMigrationRunnerTests.members

    /// Like the touch migration, but member-07's rows break a NOT NULL column: its batch fails.
    static func failing(_ backend: Backend) -> SourceFile {
        let set = "touched = touched + 1, done = 1, guarded = CASE WHEN member_id = 'member-07' THEN NULL ELSE guarded END"
        let sql =
            backend == .mysql
            ? "UPDATE items SET \(set) WHERE member_id = :member_id AND done = 0 LIMIT :batch_size;\n"
            : "UPDATE items SET \(set)\nWHERE id IN (SELECT id FROM items WHERE member_id = :member_id AND done = 0 LIMIT :batch_size);\n"
        return MigrationBench.file("0003_touch.sql", sql)
    }

    static func makeItems(_ bench: MigrationBench) throws {
        _ = try DataMigrationRunnerTests.makeItems(bench.db)
        try bench.db.execute("ALTER TABLE items ADD COLUMN guarded INTEGER NOT NULL DEFAULT 1")
    }

    static func connections(_ bench: MigrationBench, _ count: Int) throws -> [DataMigrationRunner.Connection] {
        var connections = [DataMigrationRunner.Connection(database: bench.db, journal: bench.journal)]
        for _ in 1..<count {
            let db = try bench.fixture.connect()
            connections.append(.init(database: db, journal: Journal(database: db)))
        }
        return connections
    }

    @Test(
        "a statement failing for one portal: its grouped transaction rolls back, the other portals in it run alone and are done, only that portal is failed",
        arguments: [(Backend.sqlite, 1), (.postgres, 1), (.postgres, 3), (.mysql, 1), (.mysql, 3)])
    func failingPortal(_ backend: Backend, workers: Int) throws {
        let bench = try MigrationBench(backend)
        defer { bench.tearDown() }
        try Self.makeItems(bench)
        let connections = try Self.connections(bench, workers)
        let run = GroupedRun(bench, Self.failing(backend))
        run.runner.startingWorkers = workers
        let error = try #require(throws: MigrationError.self) { try run.runner.run(memberIDs: Self.members, connections: connections) }
        #expect(error.message.contains("portal member-07:"), "\(error.message)")
        #expect(error.line == 1)

        // The transaction that failed held other portals' batches, and was retried portal by portal.
        let group = try #require(run.transactions.rollbacks.first { $0.contains("member-07") })
        // With several workers on a loaded machine, member-07's transaction may hold only its own
        // batch (the budget spent); with one worker it always holds others' too.
        #expect(group.count > 1 || workers > 1, "\(group)")
        let tasks = Dictionary(
            try bench.journal.portalTasks(run: bench.runID, step: "migrate.data.3").map { ($0.memberID, $0) },
            uniquingKeysWith: { a, _ in a })
        let failed = try #require(tasks["member-07"])
        #expect(failed.state == .failed && failed.attempts == 1 && failed.batches == 0 && failed.rowsChanged == 0)
        #expect(failed.lastError?.contains("member-07") == true, "\(failed.lastError ?? "")")
        #expect(tasks.values.filter { $0.state == .failed }.map(\.memberID) == ["member-07"], "only member-07 failed")
        for member in group where member != "member-07" {
            #expect(tasks[member]?.state == .done, "\(member) of the rolled-back transaction ran again alone")
        }
        #expect(try DataMigrationGroupingTests.touched(bench.db)["member-07"] == 0)
        try DataMigrationGroupingTests.expectConsistent(bench)

        // Fixed (another file), the migration resumes: every row changes exactly once.
        let fixed = GroupedRun(bench, DataMigrationGroupingTests.touch(backend))
        let progress = try fixed.runner.run(memberIDs: Self.members, connections: connections)
        #expect(progress.portalsDone == 50)
        #expect(try bench.db.queryFirst("SELECT COUNT(*) AS n FROM items WHERE touched <> 1")?["n"].int == 0)
        try DataMigrationGroupingTests.expectConsistent(bench)
        #expect(try bench.journal.portalTask(run: bench.runID, step: "migrate.data.3", member: "member-07")?.state == .done)
    }

    @Test(
        "a failed commit of a grouped transaction leaves nothing of it; its portals run again alone and the run completes",
        arguments: Backend.allCases)
    func failedCommit(_ backend: Backend) throws {
        let bench = try MigrationBench(backend)
        defer { bench.tearDown() }
        let total = try DataMigrationRunnerTests.makeItems(bench.db)
        let scripted = ScriptedDatabase(bench.db, failingTransaction: 1)
        let run = GroupedRun(bench, DataMigrationGroupingTests.touch(backend))
        let progress = try run.runner.run(
            memberIDs: Self.members, connections: [.init(database: scripted, journal: Journal(database: scripted))])
        #expect(progress.portalsDone == 50 && progress.rowsChanged == total)
        let rollbacks = run.transactions.rollbacks
        #expect(rollbacks.count == 1 && (rollbacks.first?.count ?? 0) > 1, "\(rollbacks)")
        // Those portals then ran one batch per transaction.
        let alone = run.transactions.all.prefix { $0.portals == 1 && $0.batches == 1 }
        #expect(alone.count >= rollbacks.first?.count ?? 0)
        #expect(try bench.db.queryFirst("SELECT COUNT(*) AS n FROM items WHERE touched <> 1")?["n"].int == 0)
        let tasks = try bench.journal.portalTasks(run: bench.runID, step: "migrate.data.3")
        #expect(tasks.count == 50 && tasks.allSatisfy { $0.state == .done && $0.attempts == 0 })
        try DataMigrationGroupingTests.expectConsistent(bench)
    }

    @Test(
        "a signal during a grouped transaction: its batches so far commit with their progress rows, no batch starts after it; running again finishes every row once",
        arguments: Backend.allCases)
    func signalInTransaction(_ backend: Backend) throws {
        let bench = try MigrationBench(backend)
        defer { bench.tearDown() }
        let total = try DataMigrationRunnerTests.makeItems(bench.db)
        let interruption = Interruption()
        let batchesBeforeSignal = 12
        let batchStatements = Counter()
        let scripted = ScriptedDatabase(bench.db) { _, sql in
            // The 12th batch statement records the signal (as SIGTERM's handler would) and runs.
            guard sql.hasPrefix("UPDATE items") else { return }
            batchStatements.increment()
            if batchStatements.value == batchesBeforeSignal { interruption.request(SIGTERM) }
        }
        let run = GroupedRun(bench, DataMigrationGroupingTests.touch(backend))
        run.runner.interruption = interruption
        let connections = [DataMigrationRunner.Connection(database: scripted, journal: Journal(database: scripted))]
        let error = try #require(throws: MigrationError.self) { try run.runner.run(memberIDs: Self.members, connections: connections) }
        #expect(error.message.contains("interrupted (signal \(SIGTERM))"), "\(error.message)")
        #expect(run.batches.all.count == batchesBeforeSignal, "the batch that saw the signal committed; none started after it")
        #expect(run.transactions.all.count == 1 && run.transactions.all.first?.portals ?? 0 > 1, "\(run.transactions.all)")
        let touched = try bench.db.queryFirst("SELECT COUNT(*) AS n FROM items WHERE touched = 1")?["n"].int ?? 0
        #expect(touched > 0 && touched < total)
        try DataMigrationGroupingTests.expectConsistent(bench)

        let again = GroupedRun(bench, DataMigrationGroupingTests.touch(backend))
        _ = try again.runner.run(memberIDs: Self.members, connections: [.init(database: bench.db, journal: bench.journal)])
        #expect(try bench.db.queryFirst("SELECT COUNT(*) AS n FROM items WHERE touched <> 1")?["n"].int == 0)
        try DataMigrationGroupingTests.expectConsistent(bench)
    }
}
