import Foundation
import PlanStore
import Rollout
import Testing

/// The fleet's group commit on a real SQLite store: many portal outcomes per transaction, no read
/// per portal, the `inactive` marks inside the same transactions, and a summary that counts only
/// what was committed.
// The limit guards against a deadlock. It is generous because the whole suite's synchronous CLI
// tests can hold both threads of the 2-core machine's cooperative pool for minutes at a time
// (one took 314 s that way in a full run, and 0.1 s on its own).
@Suite("PortalFleet: outcomes by group commit", .timeLimit(.minutes(10)))
struct FleetGroupCommitTests {
    /// A real database that counts its transactions and the statements run outside one.
    final class CountingDatabase: Database, @unchecked Sendable {
        let base: any Database
        private let lock = NSLock()
        private var open = false
        private(set) var transactions = 0
        /// Journal and installations writes made outside a transaction (autocommit).
        private(set) var writesOutside: [String] = []
        private var failAt: Int?

        init(_ base: any Database, failingTransaction: Int? = nil) {
            self.base = base
            failAt = failingTransaction
        }

        var counts: (transactions: Int, writesOutside: [String]) { lock.withLock { (transactions, writesOutside) } }
        var dialect: SQLDialect { base.dialect }
        var isInTransaction: Bool { base.isInTransaction }
        func execute(_ sql: String, _ parameters: [SQLValue]) throws -> Int {
            lock.withLock {
                let write = sql.hasPrefix("INSERT INTO b24plan_portal_tasks") || sql.hasPrefix("UPDATE portals SET active")
                if write && !open { writesOutside.append(sql) }
            }
            return try base.execute(sql, parameters)
        }
        func query(_ sql: String, _ parameters: [SQLValue]) throws -> [SQLRow] { try base.query(sql, parameters) }
        func transaction<T>(_ body: () throws -> T) throws -> T {
            let number = lock.withLock {
                transactions += 1
                open = true
                return transactions
            }
            defer { lock.withLock { open = false } }
            return try base.transaction {
                let value = try body()
                if number == failAt { throw DatabaseError(message: "disk full", code: "13") }
                return value
            }
        }
        func close() { base.close() }
    }

    /// Collects progress summaries.
    final class Progress: @unchecked Sendable {
        private let lock = NSLock()
        private var summaries: [PortalFleet.Summary] = []
        func add(_ summary: PortalFleet.Summary) { lock.withLock { summaries.append(summary) } }
        var all: [PortalFleet.Summary] { lock.withLock { summaries } }
    }

    static func fleet(_ harness: FleetStopTests.Harness, database: CountingDatabase, parallel: Int) -> PortalFleet {
        let thread = DatabaseThread()
        let installations = InstallationStore(database: database, mapping: harness.installations.mapping)
        let transport = ScriptedTransport(handler: { _ in Answer.result(#"["crm"]"#) })
        let health = FleetHealth(interruption: Interruption())
        let store = InstallationCredentialStore(installations: installations, thread: thread, storesEndpoints: true)
        let refresher = TokenRefresher(transport: transport, tokenURL: SessionKit.tokenURL, clientID: "c", clientSecret: "s")
        let keeper = TokenKeeper(refresher: refresher, store: store, clock: SystemClock(), health: health)
        let factory = PortalClientFactory(transport: transport, clock: SystemClock(), keeper: keeper, health: health)
        return PortalFleet(
            installations: installations, journal: Journal(database: database), client: factory, parallel: parallel, pageSize: 100,
            thread: thread)
    }

    /// Every fifth portal is gone (`inactive`), the others are done, without a request.
    static let task: PortalFleet.PortalTask = { _, installation in
        let number = Int(installation.memberID.dropFirst()) ?? 0
        return number % 5 == 0 ? PortalOutcome(state: .inactive, lastError: "PORTAL_DELETED") : PortalOutcome(state: .done, writes: 1)
    }

    @Test("1,000 outcomes in a few dozen transactions, inactive marks inside them, attempts counted without a read")
    func fewTransactions() async throws {
        let harness = try FleetStopTests.Harness(portals: 1000)
        let database = CountingDatabase(harness.database)
        let progress = Progress()
        let summary = try await Self.fleet(harness, database: database, parallel: 64).run(
            runID: harness.runID, stepID: "portals.reconcile", selection: .unfinished, onProgress: progress.add, task: Self.task)
        #expect(summary.counts == [.done: 800, .inactive: 200])
        #expect(summary.writes == 800)
        #expect(try harness.states() == ["done": 800, "inactive": 200])
        #expect(try harness.inactiveRows() == 200)
        let (transactions, outside) = database.counts
        #expect(transactions >= 5 && transactions <= 100, "1,000 outcomes in \(transactions) transactions (200 at most per group)")
        #expect(outside.isEmpty, "every outcome and mark inside a group's transaction: \(outside.prefix(3))")
        #expect(progress.all.last?.processed == 1000)
        #expect(progress.all.count == transactions, "one progress line per committed group")
        let attempts = try harness.database.query("SELECT DISTINCT attempts FROM b24plan_portal_tasks").map { $0["attempts"].int }
        #expect(attempts == [1])

        // Again, every portal still active: their stored attempts grow by one.
        let again = try await Self.fleet(harness, database: CountingDatabase(harness.database), parallel: 8).run(
            runID: harness.runID, stepID: "portals.reconcile", selection: .any, task: Self.task)
        #expect(again.processed == 800)
        let second = try harness.database.query(
            "SELECT state, MIN(attempts) AS low, MAX(attempts) AS high FROM b24plan_portal_tasks GROUP BY state"
        )
        .map { "\($0["state"].string ?? "") \($0["low"].int ?? 0)-\($0["high"].int ?? 0)" }
        #expect(second == ["done 2-2", "inactive 1-1"])
    }

    @Test("a group that fails to commit stops the fleet; what was reported is exactly what the journal holds")
    func failedGroup() async throws {
        let harness = try FleetStopTests.Harness(portals: 600)
        let database = CountingDatabase(harness.database, failingTransaction: 3)
        let progress = Progress()
        let error = await caught {
            try await Self.fleet(harness, database: database, parallel: 32).run(
                runID: harness.runID, stepID: "portals.reconcile", selection: .unfinished, onProgress: progress.add, task: Self.task)
        }
        let stopped = try #require(error as? FleetStopped)
        guard case .store = stopped.reason else {
            Issue.record("expected a store stop, got \(stopped.reason)")
            return
        }
        let recorded = try harness.states().values.reduce(0, +)
        #expect(recorded > 0 && recorded < 600, "\(recorded)")
        #expect(progress.all.last?.processed == recorded, "progress counts committed outcomes only")
        #expect(database.counts.transactions == 3, "nothing is written after the failed group")
        #expect(try harness.inactiveRows() == (progress.all.last?.counts[.inactive] ?? 0))
    }
}
