import Foundation
import ReleasePlan
import Testing

@testable import PlanStore

#if canImport(Glibc)
    import Glibc
#endif

extension DataMigrationRunnerTests {
    @Test("a recorded signal stops a perPortal migration between batches; running it again finishes every row once")
    func interrupted() throws {
        let bench = try MigrationBench(.sqlite)
        defer { bench.tearDown() }
        let total = try Self.makeItems(bench.db)
        let connections = [DataMigrationRunner.Connection(database: bench.db, journal: bench.journal)]
        let migration = MigrationBench.migration(3, Self.touch, perPortal: true, batchSize: 1)
        let script = SQLScript(path: Self.touch.path, bytes: Self.touch.bytes)
        let interruption = Interruption()
        let runner = DataMigrationRunner(migration: migration, script: script, runID: bench.runID, stepID: "migrate.data.3") { progress in
            if progress.portalsDone == 5 { interruption.request(SIGTERM) }
        }
        runner.interruption = interruption
        // One batch per transaction, so the signal comes between transactions (a signal inside
        // a grouped one: DataMigrationFaultTests).
        runner.transactionBudget = 0
        let error = try #require(throws: MigrationError.self) { try runner.run(memberIDs: Self.members, connections: connections) }
        #expect(error.message.contains("interrupted (signal \(SIGTERM))"), "\(error.message)")
        let touched = try bench.db.queryFirst("SELECT COUNT(*) AS n FROM items WHERE touched = 1")?["n"].int ?? 0
        #expect(touched > 0 && touched < total, "stopped part way: \(touched) of \(total)")

        let again = DataMigrationRunner(migration: migration, script: script, runID: bench.runID, stepID: "migrate.data.3")
        again.interruption = nil
        _ = try again.run(memberIDs: Self.members, connections: connections)
        #expect(try bench.db.queryFirst("SELECT COUNT(*) AS n FROM items WHERE touched <> 1 OR done <> 1")?["n"].int == 0)
    }
}
