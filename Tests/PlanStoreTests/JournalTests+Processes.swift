import Foundation
import Testing

@testable import PlanStore

#if canImport(Glibc)
    import Glibc
#endif

/// Journal schema 2: the process a step started (pid, host, start mark), and telling whether it runs.
extension JournalTests {
    @Test("a schema 1 journal is upgraded to 2 in place, keeping its steps", arguments: Backend.allCases)
    func upgradeFromSchema1(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        defer { fixture.tearDown() }
        let db = fixture.db
        let (d, key) = (db.dialect, Journal.metaKeyColumn(db.dialect))
        try db.execute("CREATE TABLE b24plan_meta (\(key) \(d.keyTextType) PRIMARY KEY, value \(d.textType) NOT NULL)")
        for statement in JournalSchema.migrations(db.dialect)[1] ?? [] { try db.execute(statement) }
        try db.execute("INSERT INTO b24plan_meta (\(key), value) VALUES ('schema_version', '1')")
        try db.execute("INSERT INTO b24plan_steps (run_id, step_id, state, detail) VALUES (1, 'deploy', 'done', 'kept')")
        let journal = Journal(database: db)
        #expect(try journal.recordedSchemaVersion() == 1)
        try journal.migrate()
        #expect(try journal.recordedSchemaVersion() == Journal.schemaVersion)
        #expect(try journal.steps(run: 1)["deploy"]?.detail == "kept")
        #expect(try journal.stepProcess(run: 1, step: "deploy") == Journal.StepProcess(state: .done, process: nil))
    }

    @Test("a started process is journaled as running with pid, host and start; setStep keeps them", arguments: Backend.allCases)
    func stepProcess(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        defer { fixture.tearDown() }
        let journal = Journal(database: fixture.db)
        try journal.migrate()
        let run = try journal.openRun(app: "acme.journal", version: "1.0.0", planSHA256: "aa")
        let process = ProcessIdentity(pid: 4242, host: "build-1", start: "boot/123")
        try journal.startStepProcess(run: run.id, step: "deploy", process: process)
        #expect(try journal.stepProcess(run: run.id, step: "deploy") == Journal.StepProcess(state: .running, process: process))
        #expect(try journal.steps(run: run.id)["deploy"]?.startedAt != nil)
        try journal.setStep(run: run.id, step: "deploy", state: .done, detail: "ok")
        #expect(try journal.stepProcess(run: run.id, step: "deploy") == Journal.StepProcess(state: .done, process: process))
        #expect(try journal.stepProcess(run: run.id, step: "gate.partner") == nil)
    }

    @Test("ProcessIdentity: a live process runs, a dead one or a reused pid has ended, another host cannot be checked")
    func processStatus() throws {
        let child = try ChildProcess(["sleep", "30"]).start()
        defer { child.killGroup() }
        let live = ProcessIdentity.local(pid: child.pid)
        #expect(live.host == ProcessIdentity.currentHost)
        #expect(live.start != nil, "Linux has /proc")
        #expect(live.status() == .running)
        #expect(ProcessIdentity(pid: child.pid, host: live.host, start: nil).status() == .running)
        #expect(ProcessIdentity(pid: child.pid, host: live.host, start: "another-boot/1").status() == .ended, "the pid was reused")
        #expect(ProcessIdentity(pid: child.pid, host: "elsewhere.example", start: live.start).status() == .unknown)
        child.killGroup()
        child.wait()
        #expect(live.status() == .ended)
    }
}
