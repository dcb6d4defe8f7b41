import Foundation
import ReleasePlan
import Testing

@testable import PlanStore

#if canImport(Glibc)
    import Glibc
#endif

extension KillResumeTests {
    @Test(
        "SIGKILL while the statement guard stops batches (every tenth portal's batch waits 150 ms), then apply again: every row changes once",
        arguments: [Backend.postgres, .mysql])
    func killWhileTheGuardStopsBatches(_ backend: Backend) throws {
        let folder = try StoreCLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try StoreCLI.Store(backend, folder: folder)
        defer { store.tearDown() }
        let slow = "CASE WHEN :member_id LIKE '%3' THEN 0.15 ELSE 0.002 END"
        _ = try Self.writePlan(in: folder, backend: backend, pause: Self.pause(backend, seconds: slow), app: "acme.guard")
        let initialised = try StoreCLI.run(["init", "--installations-table", "--database", store.url], in: folder)
        try #require(initialised.exitCode == 0, "init: \(initialised.tail)")
        let db = try DatabaseConnector.open(store.url)
        defer { db.close() }
        try Self.seed(db)
        let stopsBefore = try Self.mariaDBStops(db)

        let apply = ["apply", "--yes", "plans/acme.guard/1.0.0.json", "--database", store.url, "--parallel", "4"]
        let child = try ChildProcess([StoreCLI.binary] + apply, label: "apply", workingDirectory: folder.path, timeout: 300).start()
        defer { if !child.hasExited { child.kill(signal: SIGKILL); child.wait() } }
        // Past the portals up to member-013 and member-023, whose batches the guard stops.
        var seen: (started: Int, done: Int)?
        let deadline = Date().addingTimeInterval(120)
        while seen == nil, Date() < deadline, !child.waitUntilExit(timeout: 0.005) {
            let done =
                try db.queryFirst(
                    "SELECT COUNT(*) AS n FROM b24plan_portal_tasks WHERE step_id = 'migrate.data.2' AND state = 'done'")?["n"].int ?? 0
            if done >= 30 { seen = try Self.killIfProgressed(child, db: db) }
        }
        try #require(seen != nil, "the apply was not killed while it ran: \(child.lines.suffix(20))")
        #expect(child.wait().signal == SIGKILL)
        if backend == .mysql, let stopsBefore {
            #expect((try Self.mariaDBStops(db) ?? 0) > stopsBefore, "the server stopped batches before the kill")
        }

        let tasks = try Self.tasks(db)
        let changed = try Self.changedRows(db)
        #expect(tasks.allSatisfy { $0.state != .failed }, "a stopped batch fails no portal")
        for task in tasks { #expect(task.rowsChanged == changed[task.memberID, default: 0], "\(task.memberID) after the kill") }
        #expect(try db.queryFirst("SELECT MAX(counter) AS m FROM items")?["m"].int == 1)

        try Self.waitForCrashedSessions(db, backend: backend)
        let resumed = try ChildProcess([StoreCLI.binary] + apply, label: "apply", workingDirectory: folder.path, timeout: 300).run()
        #expect(resumed.exitCode == 3, "the resumed apply stops at the deploy gate: \(resumed.summary) \(resumed.tail)")
        #expect(try db.queryFirst("SELECT COUNT(*) AS n FROM items WHERE counter <> 1")?["n"].int == 0, "every row changed exactly once")
        let final = try Self.tasks(db)
        #expect(final.count == Self.portals && final.allSatisfy { $0.state == .done && $0.rowsChanged == Self.rowsPerPortal })
    }

    /// MariaDB's count of statements stopped by `max_statement_time` (nil elsewhere).
    static func mariaDBStops(_ db: any Database) throws -> Int? {
        guard db.dialect == .mysql else { return nil }
        return try db.queryFirst("SHOW GLOBAL STATUS LIKE 'Max_statement_time_exceeded'")?["Value"].int
    }
}
