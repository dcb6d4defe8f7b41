import Foundation
import PlanStore
import ReleasePlan
import Rollout
import Testing

/// The fleet on a real SQLite store: a store error or a systemic failure while requests are in
/// flight ends the run with `FleetStopped`, records what is known, and hangs never.
/// How fast the real process stops is checked against the farm (FaultTests); here the time limit
/// only guards against a hang (the in-process pool is shared with every other test).
// The limit guards against a deadlock. It is generous because the whole suite's synchronous CLI
// tests can hold both threads of the 2-core machine's cooperative pool for minutes at a time
// (one took 314 s that way in a full run, and 0.1 s on its own).
@Suite("PortalFleet: stopping with requests in flight", .timeLimit(.minutes(10)))
struct FleetStopTests {
    struct Harness {
        let folder: URL
        let database: SQLiteDatabase
        let journal: Journal
        let runID: Int
        let installations: InstallationStore

        init(portals: Int) throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("fleet-stop-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            database = try SQLiteDatabase(path: folder.appendingPathComponent("state.db").path)
            journal = Journal(database: database)
            try journal.migrate()
            let mapping = AppConfig.Installations()
            try database.execute(InstallationStore.createDefaultTableSQL(mapping, dialect: .sqlite))
            for index in 1...portals {
                try database.execute(
                    "INSERT INTO portals (member_id, client_endpoint, access_token, refresh_token) VALUES (?, ?, ?, ?)",
                    [.text(String(format: "m%03d", index)), .text("https://p\(index).bitrix24.com/rest/"), "access-1", "refresh-1"])
            }
            installations = InstallationStore(database: database, mapping: mapping)
            runID = try journal.openRun(app: "acme.dealsync", version: "1.0.0", planSHA256: "x").id
        }

        func fleet(transport: any HTTPTransport, health: FleetHealth, parallel: Int = 8, journal: Journal? = nil) -> PortalFleet {
            let thread = DatabaseThread()
            let store = InstallationCredentialStore(installations: installations, thread: thread, storesEndpoints: true)
            let refresher = TokenRefresher(transport: transport, tokenURL: SessionKit.tokenURL, clientID: "c", clientSecret: "s")
            let keeper = TokenKeeper(refresher: refresher, store: store, clock: SystemClock(), health: health)
            let factory = PortalClientFactory(transport: transport, clock: SystemClock(), keeper: keeper, health: health)
            return PortalFleet(
                installations: installations, journal: journal ?? self.journal, client: factory, parallel: parallel, pageSize: 10,
                thread: thread)
        }

        func states() throws -> [String: Int] {
            Dictionary(
                uniqueKeysWithValues: try journal.portalCounts(run: runID, step: "portals.reconcile").map { ($0.key.rawValue, $0.value) })
        }

        func inactiveRows() throws -> Int {
            try database.query("SELECT COUNT(*) AS n FROM portals WHERE active = 0").first?["n"].int ?? -1
        }
    }

    /// Counts requests; runs `sideEffect` once at request number `at`.
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func next() -> Int {
            lock.withLock {
                count += 1; return count
            }
        }
        var value: Int { lock.withLock { count } }
    }

    /// A real database whose statements start failing when told to (a disk that fills up).
    final class FailingDatabase: Database, @unchecked Sendable {
        let base: any Database
        private let lock = NSLock()
        private var error: DatabaseError?

        init(_ base: any Database) { self.base = base }

        func fail(_ error: DatabaseError) { lock.withLock { self.error = error } }
        private func check() throws { if let error = lock.withLock({ error }) { throw error } }

        var dialect: SQLDialect { base.dialect }
        var isInTransaction: Bool { base.isInTransaction }
        func execute(_ sql: String, _ parameters: [SQLValue]) throws -> Int {
            try check()
            return try base.execute(sql, parameters)
        }
        func query(_ sql: String, _ parameters: [SQLValue]) throws -> [SQLRow] {
            try check()
            return try base.query(sql, parameters)
        }
        func transaction<T>(_ body: () throws -> T) throws -> T {
            try check()
            return try base.transaction(body)
        }
        func close() { base.close() }
    }

    static let task: PortalFleet.PortalTask = { session, _ in
        do {
            _ = try await session.call("scope")
            return PortalOutcome(state: .done)
        } catch {
            return PortalOutcome.from(error, health: session.health)
        }
    }

    @Test("the journal failing mid-run stops within seconds, in-flight portals end, nothing hangs")
    func storeFailure() async throws {
        let harness = try Harness(portals: 60)
        let failing = FailingDatabase(harness.database)
        let counter = Counter()
        let transport = ScriptedTransport(handler: { _ in
            if counter.next() == 12 { failing.fail(DatabaseError(message: "disk I/O error", code: "522")) }
            try await Task.sleep(nanoseconds: 20_000_000)
            return Answer.result(#"["crm"]"#)
        })
        let health = FleetHealth(interruption: Interruption())
        let fleet = harness.fleet(transport: transport, health: health, journal: Journal(database: failing))
        let error = await caught {
            try await fleet.run(runID: harness.runID, stepID: "portals.reconcile", selection: .unfinished, task: Self.task)
        }
        let stopped = try #require(error as? FleetStopped)
        guard case .store = stopped.reason else {
            Issue.record("expected a store stop, got \(stopped.reason)")
            return
        }
        #expect(counter.value < 60, "no new portal starts once the store failed")
    }

    @Test("a wrong client secret: the step stops and no portal is marked, in the journal or the installations table")
    func wrongSecret() async throws {
        let harness = try Harness(portals: 40)
        let transport = ScriptedTransport(handler: { request in
            if request.url.hasPrefix(SessionKit.tokenURL) { return Answer.error("invalid_client", "Invalid client", status: 401) }
            // Every third portal's token has expired.
            let portal = Int(request.url.dropFirst("https://p".count).prefix { $0.isNumber }) ?? 0
            return portal % 3 == 0 ? Answer.error("expired_token", "", status: 401) : Answer.result(#"["crm"]"#)
        })
        let health = FleetHealth(tokenURL: SessionKit.tokenURL, interruption: Interruption())
        let fleet = harness.fleet(transport: transport, health: health)
        let error = await caught {
            try await fleet.run(runID: harness.runID, stepID: "portals.reconcile", selection: .unfinished, task: Self.task)
        }
        let stopped = try #require(error as? FleetStopped)
        #expect("\(stopped)".contains("B24_CLIENT_SECRET"))
        #expect(try harness.inactiveRows() == 0)
        let states = try harness.states()
        #expect(states["failed"] == nil && states["inactive"] == nil && states["needs-reinstall"] == nil, "\(states)")
        // The tokens are untouched.
        #expect(try harness.database.query("SELECT COUNT(*) AS n FROM portals WHERE refresh_token = 'refresh-1'").first?["n"].int == 40)
    }

    @Test("one portal refused by the OAuth server while others refresh fine fails alone")
    func onePortalFailsAlone() async throws {
        let harness = try Harness(portals: 12)
        let transport = ScriptedTransport(handler: { request in
            if request.url.hasPrefix(SessionKit.tokenURL) {
                return request.query["refresh_token"] == "refresh-bad"
                    ? Answer.error("invalid_client", "Invalid client", status: 401)
                    : Answer.token(access: "access-2", refresh: "refresh-2")
            }
            return request.auth == "access-2" ? Answer.result(#"["crm"]"#) : Answer.error("expired_token", "", status: 401)
        })
        try harness.database.execute("UPDATE portals SET refresh_token = 'refresh-bad' WHERE member_id = 'm001'")
        let health = FleetHealth(interruption: Interruption())
        let summary = try await harness.fleet(transport: transport, health: health, parallel: 1).run(
            runID: harness.runID, stepID: "portals.reconcile", selection: .unfinished, task: Self.task)
        #expect(summary.counts[.done] == 11)
        #expect(summary.counts[.failed] == 1)
        #expect(try harness.inactiveRows() == 0)
        #expect(try harness.database.query("SELECT COUNT(*) AS n FROM portals WHERE refresh_token = 'refresh-2'").first?["n"].int == 11)
    }

    @Test("no portal answers at all: the step stops naming the network and marks nothing")
    func networkDown() async throws {
        let harness = try Harness(portals: 30)
        let transport = ScriptedTransport(handler: { _ in throw TransportError(message: "Could not connect to the server.") })
        let health = FleetHealth(interruption: Interruption())
        let error = await caught {
            try await harness.fleet(transport: transport, health: health).run(
                runID: harness.runID, stepID: "portals.reconcile", selection: .unfinished, task: Self.task)
        }
        #expect("\(try #require(error as? FleetStopped))".contains("network"))
        #expect(try harness.states().isEmpty)
    }

    @Test("SIGINT: in-flight portals end at their next request, finished ones are recorded, the rest stay pending")
    func interruption() async throws {
        let harness = try Harness(portals: 50)
        let interruption = Interruption()
        let counter = Counter()
        let transport = ScriptedTransport(handler: { _ in
            if counter.next() == 20 { interruption.request(SIGINT) }
            try await Task.sleep(nanoseconds: 5_000_000)
            return Answer.result(#"["crm"]"#)
        })
        let health = FleetHealth(interruption: interruption)
        let error = await caught {
            try await harness.fleet(transport: transport, health: health).run(
                runID: harness.runID, stepID: "portals.reconcile", selection: .unfinished, task: Self.task)
        }
        #expect((error as? FleetStopped)?.isInterruption == true)
        let done = try harness.states()["done"] ?? 0
        #expect(done >= 12 && done <= 27, "portals whose request finished are recorded: \(done)")
        #expect(counter.value < 30)
        #expect(try harness.states().keys.allSatisfy { $0 == "done" })
    }
}

extension FleetStopTests {
    @Test("a wrong secret with only two portals needing a refresh: no success ever cleared it, so the step stops and marks nothing")
    func wrongSecretBelowTheThreshold() async throws {
        let harness = try Harness(portals: 20)
        try harness.database.execute("UPDATE portals SET access_token = 'expired' WHERE member_id IN ('m003', 'm011')")
        let transport = ScriptedTransport(handler: { request in
            if request.url.hasPrefix(SessionKit.tokenURL) { return Answer.error("invalid_client", "Invalid client", status: 401) }
            return request.auth == "expired" ? Answer.error("expired_token", "", status: 401) : Answer.result(#"["crm"]"#)
        })
        let health = FleetHealth(tokenURL: SessionKit.tokenURL, interruption: Interruption())
        let error = await caught {
            try await harness.fleet(transport: transport, health: health).run(
                runID: harness.runID, stepID: "portals.reconcile", selection: .unfinished, task: Self.task)
        }
        #expect("\(try #require(error as? FleetStopped))".contains("B24_CLIENT_SECRET"))
        let states = try harness.states()
        #expect(states == ["done": 18], "the two portals stay pending, nothing is marked: \(states)")
        #expect(try harness.inactiveRows() == 0)
    }
}
