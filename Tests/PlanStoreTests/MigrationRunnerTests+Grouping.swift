import Foundation
import ReleasePlan
import Testing

@testable import PlanStore

/// Collects the transactions a `DataMigrationRunner` commits and rolls back.
final class TransactionLog: @unchecked Sendable {
    private let lock = NSLock()
    private var committed: [DataMigrationRunner.TransactionReport] = []
    private var rolledBack: [[String]] = []
    func add(_ report: DataMigrationRunner.TransactionReport) { lock.withLock { committed.append(report) } }
    func rollBack(_ members: [String], _ error: any Error) { lock.withLock { rolledBack.append(members) } }
    var all: [DataMigrationRunner.TransactionReport] { lock.withLock { committed } }
    var rollbacks: [[String]] { lock.withLock { rolledBack } }
}

/// A runner over `DataMigrationRunnerTests.members` with its logs attached.
struct GroupedRun {
    let runner: DataMigrationRunner
    let batches = BatchLog()
    let transactions = TransactionLog()

    init(_ bench: MigrationBench, _ file: SourceFile, batchSize: Int = 3) {
        runner = DataMigrationRunner(
            migration: MigrationBench.migration(3, file, perPortal: true, batchSize: batchSize),
            script: SQLScript(path: file.path, bytes: file.bytes), runID: bench.runID, stepID: "migrate.data.3")
        runner.interruption = nil
        runner.onBatch = batches.add
        runner.onTransaction = transactions.add
        runner.onRollback = transactions.rollBack
    }
}

@Suite("Data migrations: grouped transactions")
struct DataMigrationGroupingTests {
    static let members = DataMigrationRunnerTests.members

    static func touch(_ backend: Backend) -> SourceFile {
        backend == .mysql ? DataMigrationRunnerTests.touchMySQL : DataMigrationRunnerTests.touch
    }

    /// Rows touched per member.
    static func touched(_ db: any Database) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try db.query("SELECT member_id, SUM(touched) AS n FROM items GROUP BY member_id") {
            counts[row["member_id"].string ?? ""] = row["n"].int ?? 0
        }
        return counts
    }

    /// What the journal says matches the rows: each portal's rows changed are the rows it touched,
    /// no row changed twice, and a done portal has every row changed.
    static func expectConsistent(_ bench: MigrationBench, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let touched = try touched(bench.db)
        #expect(try bench.db.queryFirst("SELECT MAX(touched) AS m FROM items")?["m"].int ?? 0 <= 1, sourceLocation: sourceLocation)
        for task in try bench.journal.portalTasks(run: bench.runID, step: "migrate.data.3") {
            let index = members.firstIndex(of: task.memberID) ?? 0
            #expect(task.rowsChanged == touched[task.memberID, default: 0], "\(task.memberID)", sourceLocation: sourceLocation)
            if task.state == .done {
                #expect(task.rowsChanged == DataMigrationRunnerTests.rowCount(index), "\(task.memberID)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test(
        "several portals share a transaction while it stays within the budget; each is done in the transaction of its empty batch",
        arguments: Backend.allCases)
    func portalsShareTransactions(_ backend: Backend) throws {
        let bench = try MigrationBench(backend)
        defer { bench.tearDown() }
        let total = try DataMigrationRunnerTests.makeItems(bench.db)
        let run = GroupedRun(bench, Self.touch(backend))
        let progress = try run.runner.run(memberIDs: Self.members, connections: [.init(database: bench.db, journal: bench.journal)])
        #expect(progress.portalsDone == 50 && progress.rowsChanged == total)
        let transactions = run.transactions.all
        #expect(transactions.contains { $0.portals > 1 }, "\(transactions)")
        #expect(transactions.count < 50, "fewer transactions than portals: \(transactions.count)")
        #expect(transactions.reduce(0) { $0 + $1.batches } == run.batches.all.count)
        #expect(run.runner.longestTransactionSeconds == transactions.map(\.seconds).max())
        for member in Self.members {
            let batches = run.batches.all.filter { $0.memberID == member }
            #expect(batches.last?.changed == 0 && batches.dropLast().allSatisfy { $0.changed > 0 }, "\(member)")
        }
        #expect(run.transactions.rollbacks.isEmpty)
        try Self.expectConsistent(bench)
        #expect(try bench.db.queryFirst("SELECT COUNT(*) AS n FROM items WHERE touched <> 1")?["n"].int == 0)
    }

    @Test(
        "a budget of 0 runs one batch per transaction, as before grouping",
        arguments: [Backend.sqlite, .postgres])
    func zeroBudget(_ backend: Backend) throws {
        let bench = try MigrationBench(backend)
        defer { bench.tearDown() }
        _ = try DataMigrationRunnerTests.makeItems(bench.db)
        let run = GroupedRun(bench, Self.touch(backend))
        run.runner.transactionBudget = 0
        _ = try run.runner.run(memberIDs: Self.members, connections: [.init(database: bench.db, journal: bench.journal)])
        #expect(run.transactions.all.allSatisfy { $0.batches == 1 && $0.portals == 1 })
        #expect(run.transactions.all.count == run.batches.all.count)
        try Self.expectConsistent(bench)
    }

    @Test(
        "slow rows: no transaction takes another batch past the budget, and the longest stays near 100 ms at most",
        arguments: Backend.allCases)
    func longestTransaction(_ backend: Backend) throws {
        let bench = try MigrationBench(backend)
        defer { bench.tearDown() }
        _ = try DataMigrationRunnerTests.makeItems(bench.db)
        var file = Self.touch(backend)
        switch backend {
        case .postgres:
            try bench.db.execute(
                "CREATE FUNCTION slow_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.002); RETURN NEW; END $$")
            try bench.db.execute("CREATE TRIGGER slow BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION slow_row()")
        case .mysql:
            try bench.db.execute("CREATE TRIGGER slow BEFORE UPDATE ON items FOR EACH ROW DO SLEEP(0.002)")
        case .sqlite:
            // About 2 ms a row: a recursive count that SQLite runs again for every row.
            file = MigrationBench.file(
                "0003_touch.sql",
                """
                UPDATE items SET done = 1, touched = touched + 1 + 0 * (SELECT COUNT(*) FROM (WITH RECURSIVE c(x) AS
                  (SELECT items.id UNION ALL SELECT x + 1 FROM c WHERE x < items.id + 4000) SELECT x FROM c))
                WHERE id IN (SELECT id FROM items WHERE member_id = :member_id AND done = 0 LIMIT :batch_size);
                """)
        }
        // batchSize 500 would be a second a batch: the first batch is 16 rows at most.
        let run = GroupedRun(bench, file, batchSize: 500)
        _ = try run.runner.run(memberIDs: Self.members, connections: [.init(database: bench.db, journal: bench.journal)])
        try Self.expectConsistent(bench)
        #expect(try bench.db.queryFirst("SELECT COUNT(*) AS n FROM items WHERE touched <> 1")?["n"].int == 0)
        #expect((run.batches.all.first?.batchSize ?? 0) <= BatchSizer.firstBatchLimit)
        // Batches in commit order: each transaction's are consecutive.
        var batches = run.batches.all[...]
        for transaction in run.transactions.all {
            let own = batches.prefix(transaction.batches)
            batches = batches.dropFirst(transaction.batches)
            let beforeLast = own.dropLast().reduce(0) { $0 + $1.seconds }
            #expect(beforeLast <= run.runner.transactionBudget, "another batch was started at \(beforeLast) s: \(Array(own))")
        }
        let times = run.transactions.all.map(\.seconds).sorted()
        let longest = run.runner.longestTransactionSeconds
        print("\(backend): \(times.count) transactions, median \(times[times.count / 2]) s, longest \(longest) s")
        #expect(run.transactions.all.contains { $0.portals > 1 }, "grouping still happens")
        #expect(times[times.count * 9 / 10] < 0.1, "90 % of the transactions under 100 ms: \(times)")
        // Not a hard bound on a loaded machine (a descheduled thread counts), but far from the
        // third of a second that one transaction of all these batches would take.
        #expect(longest < 0.2, "longest \(longest) s")
    }
}
