import Foundation
import Testing

@testable import PlanStore

/// Shared runs on PostgreSQL and MySQL: seeding portal tasks, claiming them with SKIP LOCKED, and taking over
/// the portals of a worker whose lease expired.
@Suite("portal task claims (PostgreSQL, MySQL)")
struct PortalClaimTests {
    static func installations(_ db: any Database) throws -> InstallationStore {
        let mapping = AppConfig.Installations()
        try db.execute(InstallationStore.createDefaultTableSQL(mapping, dialect: db.dialect))
        for index in 1...10 {
            try db.execute(
                "INSERT INTO portals (member_id, client_endpoint, active) VALUES (?, 'https://p/rest/', ?)",
                [.text(String(format: "m%02d", index)), SQLValue(index == 10 ? 0 : 1)])
        }
        return InstallationStore(database: db, mapping: mapping)
    }

    /// The backends that share runs between workers.
    static let shared: [Backend] = [.postgres, .mysql]

    @Test("seed, claim without overlap, lease expiry takeover, retry reset", arguments: shared)
    func claims(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        defer { fixture.tearDown() }
        let clock = StoreTestClock()
        let journal = Journal(database: fixture.db, now: clock.function)
        try journal.migrate()
        let installations = try Self.installations(fixture.db)
        let run = try journal.openRun(app: "acme.claims", version: "2.0.0", planSHA256: "aa")
        let seeded = try journal.seedPortalTasks(
            run: run.id, step: "portals.reconcile", installations: installations, where: nil, memberIDs: nil, reset: [])
        #expect(seeded == 9, "the inactive installation is not seeded")

        let other = Journal(database: try fixture.connect(), now: clock.function)
        let first = try journal.claimPortalTasks(run: run.id, step: "portals.reconcile", owner: "a", limit: 4, leaseSeconds: 60)
        let second = try other.claimPortalTasks(run: run.id, step: "portals.reconcile", owner: "b", limit: 4, leaseSeconds: 60)
        #expect(first == ["m01", "m02", "m03", "m04"])
        #expect(second == ["m05", "m06", "m07", "m08"])
        #expect(try journal.unfinishedPortalTasks(run: run.id, step: "portals.reconcile") == (pending: 1, leased: 8))

        // A row another transaction holds locked is skipped, not waited for.
        let locker = try fixture.connect()
        try locker.transaction {
            _ = try locker.query("SELECT member_id FROM b24plan_portal_tasks WHERE member_id = 'm09' FOR UPDATE")
            #expect(try other.claimPortalTasks(run: run.id, step: "portals.reconcile", owner: "c", limit: 4, leaseSeconds: 60).isEmpty)
        }

        // "a" finishes its portals; "b" dies. After b's lease expires its portals are claimable again.
        for member in first {
            try journal.savePortalTask(run: run.id, step: "portals.reconcile", Journal.PortalTask(memberID: member, state: .done))
        }
        let third = try journal.claimPortalTasks(run: run.id, step: "portals.reconcile", owner: "a", limit: 10, leaseSeconds: 60)
        #expect(third == ["m09"])
        clock.advance(61)
        let takeover = try journal.claimPortalTasks(run: run.id, step: "portals.reconcile", owner: "a", limit: 10, leaseSeconds: 60)
        #expect(takeover == ["m05", "m06", "m07", "m08", "m09"])

        // --retry failed puts failed portals back to pending; seeding again adds nothing new.
        try journal.savePortalTask(run: run.id, step: "portals.reconcile", Journal.PortalTask(memberID: "m05", state: .failed))
        let pending = try journal.seedPortalTasks(
            run: run.id, step: "portals.reconcile", installations: installations, where: nil, memberIDs: nil, reset: [.failed])
        #expect(pending == 1)
        #expect(try journal.portalTasks(run: run.id, step: "portals.reconcile").count == 9)
    }

    @Test(
        "leases: renewed while worked on, released when given back, a dead local owner's taken over at once, another host's waited for",
        arguments: shared)
    func leases(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        defer { fixture.tearDown() }
        let clock = StoreTestClock()
        let journal = Journal(database: fixture.db, now: clock.function)
        try journal.migrate()
        let installations = try Self.installations(fixture.db)
        let run = try journal.openRun(app: "acme.leases", version: "2.0.0", planSHA256: "aa")
        let step = "portals.reconcile"
        try journal.seedPortalTasks(run: run.id, step: step, installations: installations, where: nil, memberIDs: nil, reset: [])
        let host = ProcessInfo.processInfo.hostName
        let live = "\(host):\(getpid()):live"
        let dead = "\(host):2147483646:dead"
        let remote = "elsewhere.example:4242:remote"
        #expect(try journal.claimPortalTasks(run: run.id, step: step, owner: live, limit: 2, leaseSeconds: 10) == ["m01", "m02"])
        #expect(try journal.claimPortalTasks(run: run.id, step: step, owner: dead, limit: 2, leaseSeconds: 10) == ["m03", "m04"])
        #expect(try journal.claimPortalTasks(run: run.id, step: step, owner: remote, limit: 2, leaseSeconds: 10) == ["m05", "m06"])

        // Renewed before it expires, the live owner's lease outlasts the others.
        clock.advance(8)
        #expect(try journal.renewLeases(run: run.id, step: step, owner: live, memberIDs: ["m01", "m02"], leaseSeconds: 10) == 2)
        clock.advance(1)
        #expect(try journal.releaseDeadLocalLeases(run: run.id, step: step) == 2, "the dead local process's portals come back at once")
        let holders = try journal.leaseHolders(run: run.id, step: step).map(\.owner)
        #expect(holders == [remote, live].sorted())
        #expect(
            try journal.claimPortalTasks(run: run.id, step: step, owner: live, limit: 10, leaseSeconds: 10) == [
                "m03", "m04", "m07", "m08", "m09",
            ])
        clock.advance(2)
        // The remote lease has expired now; the renewed ones have not.
        #expect(try journal.claimPortalTasks(run: run.id, step: step, owner: "other:1:x", limit: 10, leaseSeconds: 10) == ["m05", "m06"])

        // Given back (the fleet stopped): pending again, for anyone.
        #expect(try journal.releaseClaims(run: run.id, step: step, owner: live, memberIDs: ["m01"]) == 1)
        #expect(try journal.claimPortalTasks(run: run.id, step: step, owner: "other:1:x", limit: 10, leaseSeconds: 10) == ["m01"])
    }
}
