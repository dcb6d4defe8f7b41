import Foundation
import ReleasePlan
import Testing

@testable import PlanStore

/// A batch transaction rolled back by a conflict with another transaction (a deadlock, a
/// serialization failure, a lock wait timeout, SQLite busy) is run again: no portal fails for it,
/// and every row still changes exactly once. Only a conflict that keeps coming back fails the portal.
@Suite("Data migrations: conflicts with other transactions")
struct DataMigrationConflictTests {
    /// The server's code for a deadlock.
    static func deadlock(_ backend: Backend) -> DatabaseError {
        switch backend {
        case .postgres: DatabaseError(message: "deadlock detected (scripted)", code: "40P01")
        case .mysql: DatabaseError(message: "Deadlock found when trying to get lock (scripted)", code: "1213")
        case .sqlite: DatabaseError(message: "database is locked (scripted)", code: "5")
        }
    }

    @Test(
        "deadlocks in a batch and in the progress rows: the transactions run again, every portal is done, every row changed once",
        arguments: Backend.allCases)
    func runAgain(_ backend: Backend) throws {
        let bench = try MigrationBench(backend)
        defer { bench.tearDown() }
        let total = try DataMigrationRunnerTests.makeItems(bench.db)
        let batches = Counter()
        let progress = Counter()
        let scripted = ScriptedDatabase(bench.db) { _, sql in
            if sql.hasPrefix("UPDATE items") {
                batches.increment()
                // The 3rd batch statement, and the 10th and 11th in a row.
                if [3, 10, 11].contains(batches.value) { throw Self.deadlock(backend) }
            } else if sql.contains("b24plan_portal_tasks") && !sql.hasPrefix("SELECT") {
                progress.increment()
                if progress.value == 1 { throw Self.deadlock(backend) }
            }
        }
        let run = GroupedRun(bench, DataMigrationGroupingTests.touch(backend))
        let result = try run.runner.run(
            memberIDs: DataMigrationFaultTests.members, connections: [.init(database: scripted, journal: Journal(database: scripted))])
        #expect(result.portalsDone == 50 && result.rowsChanged == total)
        #expect(progress.value >= 2, "the progress rows met a conflict too")
        #expect(run.transactions.rollbacks.count >= 3, "\(run.transactions.rollbacks)")
        let tasks = try bench.journal.portalTasks(run: bench.runID, step: "migrate.data.3")
        #expect(tasks.count == 50 && tasks.allSatisfy { $0.state == .done }, "\(tasks.filter { $0.state != .done })")
        #expect(try bench.db.queryFirst("SELECT COUNT(*) AS n FROM items WHERE touched <> 1")?["n"].int == 0)
        try DataMigrationGroupingTests.expectConsistent(bench)
    }

    @Test("a conflict that comes back every time fails that portal after a bounded number of attempts, naming the server's words")
    func givesUp() throws {
        let bench = try MigrationBench(.postgres)
        defer { bench.tearDown() }
        _ = try DataMigrationRunnerTests.makeItems(bench.db)
        let scripted = ScriptedDatabase(bench.db) { _, sql in
            if sql.hasPrefix("UPDATE items") { throw Self.deadlock(.postgres) }
        }
        let run = GroupedRun(bench, DataMigrationGroupingTests.touch(.postgres))
        let error = try #require(throws: MigrationError.self) {
            try run.runner.run(
                memberIDs: DataMigrationFaultTests.members, connections: [.init(database: scripted, journal: Journal(database: scripted))])
        }
        #expect(error.message.contains("deadlock detected (scripted)"), "\(error.message)")
        #expect(error.message.contains("times in a row"), "\(error.message)")
        #expect(try bench.db.queryFirst("SELECT COUNT(*) AS n FROM items WHERE touched <> 0")?["n"].int == 0)
        try DataMigrationGroupingTests.expectConsistent(bench)
    }
}
