import Foundation
import ReleasePlan
import Testing

@testable import PlanStore

#if canImport(Glibc)
    import Glibc
#endif

extension KillResumeTests {
    /// The portal whose batch stalls (while a row is in `stall`).
    static let stalled = "member-030"

    @Test(
        "SIGKILL while one transaction holds several portals' batches (one of them stalled), then apply again: nothing of it remains, every row changes once",
        arguments: Backend.allCases)
    func killDuringGroupedTransaction(_ backend: Backend) throws {
        let folder = try StoreCLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try StoreCLI.Store(backend, folder: folder)
        defer { store.tearDown() }
        let stall = "CASE WHEN :member_id = '\(Self.stalled)' AND EXISTS (SELECT 1 FROM stall) THEN 60 ELSE 0 END"
        _ = try Self.writePlan(in: folder, backend: backend, pause: Self.pause(backend, seconds: stall), app: "acme.stall")
        let initialised = try StoreCLI.run(["init", "--installations-table", "--database", store.url], in: folder)
        try #require(initialised.exitCode == 0, "init: \(initialised.tail)")
        let db = try DatabaseConnector.open(store.url)
        defer { db.close() }
        try Self.seed(db)
        try db.execute("CREATE TABLE stall (id INTEGER)")
        try db.execute("INSERT INTO stall (id) VALUES (1)")

        let parallel = backend == .postgres ? "4" : "1"
        let apply = ["apply", "--yes", "plans/acme.stall/1.0.0.json", "--database", store.url, "--parallel", parallel]
        // Without the statement guard, which would stop the stalled batch (and regroup the portals
        // around it) instead of letting it hold its transaction until the kill.
        let child = try ChildProcess(
            [StoreCLI.binary] + apply, label: "apply", workingDirectory: folder.path,
            environment: ChildProcess.inheritedEnvironment(adding: ["B24PLAN_STATEMENT_GUARD": "0"]), timeout: 300
        ).start()
        defer { if !child.hasExited { child.kill(signal: SIGKILL); child.wait() } }
        let inFlight = try #require(try Self.waitForStall(child, db: db), "\(child.lines.suffix(20))")
        child.kill(signal: SIGKILL)
        #expect(child.wait().signal == SIGKILL)
        try Self.endStalledSessions(db)
        try Self.waitForCrashedSessions(db, backend: backend)

        // Nothing of the stalled transaction remains: its rows as they were, none of its portals done.
        let changed = try Self.changedRows(db)
        let tasks = try Self.tasks(db)
        #expect(changed[Self.stalled] == nil)
        if backend != .postgres {
            // One worker takes the portals in order: the one before the stalled portal was done
            // before it stalled, so it was in the killed transaction if it is not recorded done.
            #expect(tasks.first { $0.memberID == "member-029" }?.state != .done, "member-029 shared the killed transaction")
            #expect(changed["member-029"] == nil)
        }
        for member in inFlight.members {
            #expect(tasks.first { $0.memberID == member }?.state != .done, "\(member) was in the killed transaction")
        }
        if !inFlight.rowIDs.isEmpty {
            let ids = inFlight.rowIDs.map(String.init).joined(separator: ", ")
            let kept = try db.queryFirst("SELECT COUNT(*) AS n FROM items WHERE counter <> 0 AND id IN (\(ids))")?["n"].int
            #expect(kept == 0, "the rows the killed transaction changed are as they were")
        }
        for task in tasks { #expect(task.rowsChanged == changed[task.memberID, default: 0], "\(task.memberID) after the kill") }
        #expect(try db.queryFirst("SELECT MAX(counter) AS m FROM items")?["m"].int ?? 0 <= 1)

        try db.execute("DELETE FROM stall")
        let resumed = try ChildProcess([StoreCLI.binary] + apply, label: "apply", workingDirectory: folder.path, timeout: 300).run()
        #expect(resumed.exitCode == 3, "the resumed apply stops at the deploy gate: \(resumed.summary) \(resumed.tail)")
        #expect(try db.queryFirst("SELECT COUNT(*) AS n FROM items WHERE counter <> 1")?["n"].int == 0, "every row changed exactly once")
        let final = try Self.tasks(db)
        #expect(final.count == Self.portals && final.allSatisfy { $0.state == .done && $0.rowsChanged == Self.rowsPerPortal })
    }

    /// What the server showed of the stalled transaction (PostgreSQL; empty elsewhere): the portals
    /// whose rows it had changed, and those rows.
    struct InFlight {
        var members: [String] = []
        var rowIDs: [Int] = []
    }

    /// Waits (deadline 120 s) until the stalled batch has waited half a second. PostgreSQL shows
    /// which portals' rows the sleeping transaction changed (their `xmax`); MySQL (its sleeping
    /// thread) and SQLite (no portal committed for a second while the step runs) show nothing of
    /// the transaction: there one worker takes the portals in order, and the test finds the portal
    /// before the stalled one not done after the kill.
    static func waitForStall(_ child: RunningChild, db: any Database) throws -> InFlight? {
        let deadline = Date().addingTimeInterval(120)
        var quiet: (committed: Int, since: Date)?
        while Date() < deadline {
            if child.waitUntilExit(timeout: 0.02) {
                Issue.record("apply ended (\(child.wait().summary)) before it could be killed: \(child.lines.suffix(20))")
                return nil
            }
            switch db.dialect {
            case .postgres:
                let rows = try db.query(
                    """
                    SELECT i.id, i.member_id FROM items i JOIN pg_stat_activity a ON i.xmax = a.backend_xid
                    WHERE a.datname = current_database() AND a.wait_event = 'PgSleep' AND a.query_start < now() - interval '0.5 seconds'
                    ORDER BY i.id
                    """)
                let members = Set(rows.compactMap { $0["member_id"].string }).sorted()
                if members.contains(stalled) {
                    #expect(members.count > 1, "the stalled transaction holds other portals' batches too: \(members)")
                    return InFlight(members: members, rowIDs: rows.compactMap { $0["id"].int })
                }
            case .mysql:
                let sleeping = try db.queryFirst(
                    "SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND STATE = 'User sleep' AND TIME_MS > 500")
                if sleeping != nil { return InFlight() }
            case .sqlite:
                let running = try db.queryFirst("SELECT state FROM b24plan_steps WHERE step_id = 'migrate.data.2'")?["state"].string
                let committed = try db.queryFirst("SELECT COUNT(*) AS n FROM b24plan_portal_tasks")?["n"].int ?? 0
                if running == "running" && committed == quiet?.committed {
                    if Date().timeIntervalSince(quiet?.since ?? Date()) > 1 { return InFlight() }
                } else {
                    quiet = (committed, Date())
                }
            }
        }
        Issue.record("the batch of \(stalled) did not stall within 120 s: \(child.lines.suffix(20))")
        return nil
    }

    /// Ends the killed client's server sessions (the server would notice its closed socket only
    /// once the stalled statement ended).
    static func endStalledSessions(_ db: any Database) throws {
        switch db.dialect {
        case .postgres:
            _ = try db.query(
                "SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        case .mysql:
            let others = try db.query(
                "SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND ID <> CONNECTION_ID()")
            for id in others.compactMap({ $0["id"].int }) { _ = try? db.execute("KILL \(id)") }
        case .sqlite:
            break
        }
    }
}
