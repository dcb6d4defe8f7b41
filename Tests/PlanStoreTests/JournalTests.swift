import Foundation
import Testing

@testable import PlanStore

/// A clock the test moves by hand, for `Journal(now:)` and `RunLock.acquire(now:)`.
final class StoreTestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000.250)) { current = start }

    var now: Date { lock.withLock { current } }
    var text: String { Timestamp.string(now) }
    func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }
    var function: @Sendable () -> Date { { [self] in self.now } }
}

/// Lines collected from several threads.
final class StoreTestLog: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [String] = []
    func append(_ line: String) { lock.withLock { collected.append(line) } }
    var lines: [String] { lock.withLock { collected } }
}

/// The journal (runs, steps, gates, portal tasks) on both databases.
@Suite("Journal")
struct JournalTests {
    static let tables = [
        "b24plan_meta", "b24plan_runs", "b24plan_steps", "b24plan_portal_tasks", "b24plan_gates", "b24plan_locks", "b24plan_request_rate",
    ]

    @Test("migrate() is idempotent and refuses a journal written by a newer b24plan", arguments: Backend.allCases)
    func migrate(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        defer { fixture.tearDown() }
        let journal = Journal(database: fixture.db)
        try journal.migrate()
        let run = try journal.openRun(app: "acme.journal", version: "1.0.0", planSHA256: "aa")
        try journal.migrate()
        try Journal(database: try fixture.connect()).migrate()
        for table in Self.tables {
            #expect(try fixture.db.query("SELECT COUNT(*) AS n FROM \(table)").count == 1, "\(table)")
        }
        #expect(try journal.run(app: "acme.journal", version: "1.0.0") == run, "migrating again keeps the data")
        let key = Journal.metaKeyColumn(fixture.db.dialect)
        let version = try fixture.db.queryFirst("SELECT value FROM b24plan_meta WHERE \(key) = 'schema_version'")
        #expect(version?["value"].int == JournalSchema.version)
        #expect(try fixture.db.query("SELECT \(key) FROM b24plan_meta").count == 1)

        try fixture.db.execute(
            "UPDATE b24plan_meta SET value = ? WHERE \(key) = 'schema_version'", [.text(String(JournalSchema.version + 1))])
        let error = #expect(throws: DatabaseError.self) { try Journal(database: try fixture.connect()).migrate() }
        #expect(error?.message.contains("newer b24plan") == true, "\(String(describing: error))")
        #expect(error?.message.contains("journal schema \(JournalSchema.version + 1)") == true)
        // Refusing wrote nothing: the newer version is still recorded.
        #expect(
            try fixture.db.queryFirst("SELECT value FROM b24plan_meta WHERE \(key) = 'schema_version'")?["value"].int
                == JournalSchema.version + 1)
    }

    @Test("several processes migrating a fresh store at once all succeed (apply --worker starts together)", arguments: Backend.allCases)
    func concurrentMigrate(_ backend: Backend) throws {
        var failures: [String] = []
        for _ in 0..<3 {
            let fixture = try Fixture(backend)
            defer { fixture.tearDown() }
            let connections = try (0..<4).map { _ in UncheckedBox(try fixture.connect()) }
            let errors = StoreTestLog()
            DispatchQueue.concurrentPerform(iterations: connections.count) { index in
                do { try Journal(database: connections[index].value).migrate() } catch { errors.append("\(error)") }
            }
            failures += errors.lines
            try Journal(database: fixture.db).migrate()
        }
        // Unserialised, racing CREATE TABLE IF NOT EXISTS fails on PostgreSQL (pg_type unique violation).
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test("openRun creates one run per (app, version) and resumes it with the same id", arguments: Backend.allCases)
    func runs(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        defer { fixture.tearDown() }
        let clock = StoreTestClock()
        let journal = Journal(database: fixture.db, now: clock.function)
        try journal.migrate()
        #expect(try journal.latestRun() == nil)
        let first = try journal.openRun(app: "acme.a", version: "1.0.0", planSHA256: "sha-1")
        #expect(first.state == .running)
        #expect(first.startedAt == clock.text)
        #expect(first.finishedAt == nil)
        clock.advance(60)
        try journal.setRunState(first.id, .incomplete)
        #expect(try journal.run(app: "acme.a", version: "1.0.0")?.finishedAt == clock.text)
        clock.advance(60)
        let resumed = try journal.openRun(app: "acme.a", version: "1.0.0", planSHA256: "sha-2")
        #expect(resumed.id == first.id)
        #expect(resumed.startedAt == first.startedAt, "the first start is kept")
        #expect(resumed.updatedAt == clock.text)
        #expect(resumed.planSHA256 == "sha-2")
        #expect(resumed.state == .running)
        #expect(resumed.finishedAt == nil)

        clock.advance(1)
        let otherVersion = try journal.openRun(app: "acme.a", version: "1.1.0", planSHA256: "sha-3")
        clock.advance(1)
        let otherApp = try journal.openRun(app: "acme.b", version: "1.0.0", planSHA256: "sha-4")
        #expect(Set([first.id, otherVersion.id, otherApp.id]).count == 3)
        #expect(try fixture.db.queryFirst("SELECT COUNT(*) AS n FROM b24plan_runs")?["n"].int == 3)
        #expect(try journal.latestRun()?.id == otherApp.id)
        #expect(try journal.latestRun(app: "acme.a")?.id == otherVersion.id)
        // A second connection sees the same run.
        #expect(try Journal(database: try fixture.connect()).openRun(app: "acme.a", version: "1.0.0", planSHA256: "sha-2").id == first.id)
    }

    @Test("setStep keeps the first started_at and sets finished_at on done or failed", arguments: Backend.allCases)
    func steps(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        defer { fixture.tearDown() }
        let clock = StoreTestClock()
        let journal = Journal(database: fixture.db, now: clock.function)
        try journal.migrate()
        let run = try journal.openRun(app: "acme.steps", version: "1.0.0", planSHA256: "x").id
        let other = try journal.openRun(app: "acme.steps", version: "1.0.1", planSHA256: "y").id

        try journal.setStep(run: run, step: "deploy", state: .pending)
        var record = try #require(try journal.steps(run: run)["deploy"])
        #expect(record.state == .pending && record.startedAt == nil && record.finishedAt == nil)

        clock.advance(10)
        let started = clock.text
        try journal.setStep(run: run, step: "deploy", state: .running)
        record = try #require(try journal.steps(run: run)["deploy"])
        #expect(record.state == .running && record.startedAt == started && record.finishedAt == nil)

        clock.advance(10)
        let failedAt = clock.text
        try journal.setStep(run: run, step: "deploy", state: .failed, detail: "exited with 7", outputTail: "boom")
        record = try #require(try journal.steps(run: run)["deploy"])
        #expect(record.state == .failed && record.startedAt == started && record.finishedAt == failedAt)
        #expect(record.detail == "exited with 7" && record.outputTail == "boom")

        clock.advance(10)
        try journal.setStep(run: run, step: "deploy", state: .running)
        record = try #require(try journal.steps(run: run)["deploy"])
        #expect(record.startedAt == started, "a retry keeps the first start")
        #expect(record.finishedAt == nil, "running again clears finished_at")
        #expect(record.outputTail == "boom", "a nil tail keeps the last one")

        clock.advance(10)
        try journal.setStep(run: run, step: "deploy", state: .done, detail: "ok")
        record = try #require(try journal.steps(run: run)["deploy"])
        #expect(record.state == .done && record.startedAt == started && record.finishedAt == clock.text && record.detail == "ok")
        #expect(try journal.run(app: "acme.steps", version: "1.0.0")?.updatedAt == clock.text, "the run's updated_at follows its steps")

        // A gate waits without a start; passing it starts and finishes it at once.
        try journal.setStep(run: run, step: "gate.partner", state: .waiting)
        #expect(try journal.steps(run: run)["gate.partner"]?.startedAt == nil)
        clock.advance(5)
        try journal.setStep(run: run, step: "gate.partner", state: .done)
        let gate = try #require(try journal.steps(run: run)["gate.partner"])
        #expect(gate.startedAt == clock.text && gate.finishedAt == clock.text)

        #expect(Set(try journal.steps(run: run).keys) == ["deploy", "gate.partner"])
        #expect(try journal.steps(run: other).isEmpty, "steps belong to their run")
    }

    @Test("passGate records who and when once; passing again is a no-op", arguments: Backend.allCases)
    func gates(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        defer { fixture.tearDown() }
        let clock = StoreTestClock()
        let journal = Journal(database: fixture.db, now: clock.function)
        try journal.migrate()
        #expect(try journal.gate(app: "acme.g", version: "1.0.0", step: "gate.partner") == nil)
        let passedAt = clock.text
        #expect(try journal.passGate(app: "acme.g", version: "1.0.0", step: "gate.partner", by: "alice") == true)
        clock.advance(30)
        #expect(try journal.passGate(app: "acme.g", version: "1.0.0", step: "gate.partner", by: "bob") == false)
        #expect(
            try Journal(database: try fixture.connect()).passGate(app: "acme.g", version: "1.0.0", step: "gate.partner", by: "carol")
                == false)
        #expect(
            try journal.gate(app: "acme.g", version: "1.0.0", step: "gate.partner")
                == Journal.Gate(stepID: "gate.partner", passedBy: "alice", passedAt: passedAt))
        #expect(try journal.gate(app: "acme.g", version: "1.0.0", step: "gate.moderation") == nil)
        #expect(try journal.gate(app: "acme.g", version: "1.0.1", step: "gate.partner") == nil)
        #expect(try journal.gate(app: "acme.other", version: "1.0.0", step: "gate.partner") == nil)
        #expect(try journal.passGate(app: "acme.g", version: "1.0.1", step: "gate.partner", by: "bob") == true)
        #expect(try fixture.db.queryFirst("SELECT COUNT(*) AS n FROM b24plan_gates")?["n"].int == 2)
    }

    @Test("portal tasks are upserted per (run, step, member) and counted by state", arguments: Backend.allCases)
    func portalTasks(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        defer { fixture.tearDown() }
        let journal = Journal(database: fixture.db)
        try journal.migrate()
        let run = try journal.openRun(app: "acme.tasks", version: "1.0.0", planSHA256: "x").id
        let step = "portals.reconcile"
        let tasks: [Journal.PortalTask] = [
            .init(memberID: "m5", state: .needsReinstall, missingScopes: "task,im"),
            .init(memberID: "m1"),
            .init(memberID: "m2", state: .running, batches: 2, rowsChanged: 10),
            .init(memberID: "m3", state: .done, batches: 4, rowsChanged: 12),
            .init(memberID: "m4", state: .failed, attempts: 3, lastError: "HTTP 500"),
            .init(memberID: "m6", state: .inactive),
        ]
        for task in tasks { try journal.savePortalTask(run: run, step: step, task) }
        #expect(try journal.portalTasks(run: run, step: step).map(\.memberID) == ["m1", "m2", "m3", "m4", "m5", "m6"])
        #expect(try journal.portalTask(run: run, step: step, member: "m5") == tasks[0])
        #expect(try journal.portalTask(run: run, step: step, member: "m4") == tasks[4])

        let finished = Journal.PortalTask(memberID: "m2", state: .done, batches: 3, rowsChanged: 12, attempts: 1)
        try journal.savePortalTask(run: run, step: step, finished)
        try journal.savePortalTask(run: run, step: step, .init(memberID: "m4", state: .done, attempts: 4))
        #expect(try journal.portalTask(run: run, step: step, member: "m2") == finished)
        #expect(try journal.portalTask(run: run, step: step, member: "m4")?.lastError == nil, "the upsert replaces the last error")
        #expect(try journal.portalTasks(run: run, step: step).count == 6)

        try journal.savePortalTask(run: run, step: "migrate.data.2", .init(memberID: "m1", state: .running, batches: 1))
        let other = try journal.openRun(app: "acme.tasks", version: "1.0.1", planSHA256: "y").id
        try journal.savePortalTask(run: other, step: step, .init(memberID: "m1", state: .failed))

        #expect(try journal.portalCounts(run: run, step: step) == [.pending: 1, .done: 3, .needsReinstall: 1, .inactive: 1])
        #expect(try journal.portalCounts(run: run) == [.pending: 1, .running: 1, .done: 3, .needsReinstall: 1, .inactive: 1])
        #expect(try journal.portalCounts(run: other, step: step) == [.failed: 1])
        #expect(try journal.portalTask(run: run, step: step, member: "m9") == nil)
        #expect(Journal.PortalState.allCases.filter(\.isTerminal) == [.done, .needsReinstall, .inactive, .failed])
    }
}
