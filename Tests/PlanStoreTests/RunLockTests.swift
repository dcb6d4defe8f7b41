import Foundation
import Testing

@testable import PlanStore

/// The lock that stops a second apply of the same app: an advisory lock on PostgreSQL, a lease row on SQLite.
@Suite("Run lock")
struct RunLockTests {
    /// PostgreSQL advisory locks are per database, and the fixtures share one: every test locks its own app.
    static func uniqueApp(_ name: String) -> String { "acme.\(name).\(UUID().uuidString.prefix(8).lowercased())" }

    static func prepared(_ backend: Backend) throws -> Fixture {
        let fixture = try Fixture(backend)
        try Journal(database: fixture.db).migrate()
        return fixture
    }

    @Test("a second acquire for the same app is refused while the first holds it; release lets it through", arguments: Backend.allCases)
    func secondAcquireRefused(_ backend: Backend) throws {
        let fixture = try Self.prepared(backend)
        defer { fixture.tearDown() }
        let app = Self.uniqueApp("lock")
        let first = try RunLock.acquire(database: fixture.db, app: app, owner: "first-owner")
        // A second apply is another process: another connection (an advisory lock is re-entrant within one session).
        let second = try fixture.connect()
        let error = #expect(throws: RunLock.HeldError.self) { try RunLock.acquire(database: second, app: app, owner: "second-owner") }
        let message = error?.message ?? ""
        #expect(message.contains("another b24plan apply of \(app) is running"), "\(message)")
        if backend == .sqlite {
            #expect(message.contains("first-owner") && message.contains("lease until"), "\(message)")
        } else {
            #expect(message.contains("advisory lock"), "\(message)")
        }
        // Refused again on a third connection: refusing does not take the lock either.
        #expect(throws: RunLock.HeldError.self) { try RunLock.acquire(database: try fixture.connect(), app: app, owner: "third-owner") }

        first.release()
        first.release()  // twice is harmless
        let taken = try RunLock.acquire(database: second, app: app, owner: "second-owner")
        #expect(throws: RunLock.HeldError.self) { try RunLock.acquire(database: fixture.db, app: app, owner: "first-owner") }
        taken.release()
        try RunLock.acquire(database: fixture.db, app: app, owner: "first-owner").release()
        if backend == .sqlite {
            #expect(try fixture.db.query("SELECT app FROM b24plan_locks").isEmpty, "release deletes the lease row")
        }
    }

    @Test("an advisory lock goes with its connection; a long app name still gets one (MySQL: at most 64 characters)")
    func lockEndsWithConnection() throws {
        for backend in [Backend.postgres, .mysql] {
            guard (backend == .postgres ? Backend.postgresURL : Backend.mysqlURL) != nil || Backend.isCI else { continue }
            let fixture = try Self.prepared(backend)
            defer { fixture.tearDown() }
            let app = Self.uniqueApp("lock") + String(repeating: "x", count: 80)
            let holder = try fixture.connect()
            _ = try RunLock.acquire(database: holder, app: app, owner: "holder")
            #expect(throws: RunLock.HeldError.self) { try RunLock.acquire(database: fixture.db, app: app, owner: "waiter") }
            holder.close()
            let deadline = Date().addingTimeInterval(10)
            var taken: RunLock?
            while taken == nil && Date() < deadline {
                taken = try? RunLock.acquire(database: fixture.db, app: app, owner: "waiter")
                if taken == nil { usleep(20_000) }
            }
            #expect(taken != nil, "\(backend): the lock of a closed connection is free again")
            taken?.release()
        }
    }

    @Test("another app is not blocked", arguments: Backend.allCases)
    func otherAppNotBlocked(_ backend: Backend) throws {
        let fixture = try Self.prepared(backend)
        defer { fixture.tearDown() }
        let app = Self.uniqueApp("one")
        let held = try RunLock.acquire(database: fixture.db, app: app, owner: "one")
        defer { held.release() }
        let other = try RunLock.acquire(database: try fixture.connect(), app: Self.uniqueApp("two"), owner: "two")
        other.release()
        #expect(throws: RunLock.HeldError.self) { try RunLock.acquire(database: try fixture.connect(), app: app, owner: "three") }
    }

    @Test("SQLite: an expired lease of another owner is taken over; the old owner's release leaves it alone")
    func sqliteLeaseExpiry() throws {
        let fixture = try Self.prepared(.sqlite)
        defer { fixture.tearDown() }
        let clock = StoreTestClock()
        let app = "acme.lease"
        let other = try fixture.connect()
        let crashed = try RunLock.acquire(database: fixture.db, app: app, owner: "crashed", leaseSeconds: 120, now: clock.function)
        #expect(
            try fixture.db.queryFirst("SELECT owner, expires_at FROM b24plan_locks WHERE app = ?", [.text(app)])
                == SQLRow(columns: ["owner", "expires_at"], values: [.text("crashed"), .text(Timestamp.string(clock.now + 120))]))

        clock.advance(119)
        #expect(throws: RunLock.HeldError.self) {
            try RunLock.acquire(database: other, app: app, owner: "next", leaseSeconds: 120, now: clock.function)
        }
        clock.advance(2)  // 121 s: the lease ran out
        let next = try RunLock.acquire(database: other, app: app, owner: "next", leaseSeconds: 120, now: clock.function)
        let row = try #require(try fixture.db.queryFirst("SELECT owner, expires_at FROM b24plan_locks WHERE app = ?", [.text(app)]))
        #expect(row["owner"] == "next")
        #expect(row["expires_at"].string == Timestamp.string(clock.now + 120))

        crashed.release()  // the old owner comes back: it must not delete the new lease
        #expect(try fixture.db.queryFirst("SELECT owner FROM b24plan_locks WHERE app = ?", [.text(app)])?["owner"] == "next")
        #expect(throws: RunLock.HeldError.self) {
            try RunLock.acquire(database: fixture.db, app: app, owner: "third", leaseSeconds: 120, now: clock.function)
        }

        // renew() extends the lease from now.
        clock.advance(100)
        try next.renew()
        clock.advance(100)  // 200 s after taking it, 100 s after renewing
        #expect(throws: RunLock.HeldError.self) {
            try RunLock.acquire(database: fixture.db, app: app, owner: "third", leaseSeconds: 120, now: clock.function)
        }
        // The same owner may take its own lease again (a resumed apply in the same process).
        try RunLock.acquire(database: other, app: app, owner: "next", leaseSeconds: 120, now: clock.function).release()
        #expect(try fixture.db.query("SELECT owner FROM b24plan_locks").isEmpty)
        try RunLock.acquire(database: fixture.db, app: app, owner: "third", leaseSeconds: 120, now: clock.function).release()
    }

    @Test("PostgreSQL: the lock dies with the connection that holds it (a crashed apply blocks nobody)")
    func postgresLockDiesWithConnection() throws {
        let fixture = try Self.prepared(.postgres)
        defer { fixture.tearDown() }
        let app = Self.uniqueApp("crash")
        let holder = try fixture.connect()
        _ = try RunLock.acquire(database: holder, app: app, owner: "crashed")
        #expect(throws: RunLock.HeldError.self) { try RunLock.acquire(database: fixture.db, app: app, owner: "next") }
        holder.close()
        // The server ends the session (and its advisory locks) once it sees the connection closed.
        let deadline = Date().addingTimeInterval(10)
        var taken: RunLock?
        while taken == nil && Date() < deadline {
            taken = try? RunLock.acquire(database: fixture.db, app: app, owner: "next")
            if taken == nil { usleep(20_000) }
        }
        #expect(taken != nil, "the lock was not freed within 10 s of closing its connection")
        taken?.release()
    }

    @Test("MySQL/MariaDB: the same app in two databases of one server is locked apart; in one database, once")
    func mysqlLockPerDatabase() throws {
        let staging = try Self.prepared(.mysql)
        defer { staging.tearDown() }
        let production = try Self.prepared(.mysql)
        defer { production.tearDown() }
        let app = Self.uniqueApp("per-database")
        let first = try RunLock.acquire(database: staging.db, app: app, owner: "staging")
        let second = try RunLock.acquire(database: production.db, app: app, owner: "production")
        #expect(first.mysqlLockName != second.mysqlLockName)
        let database = try staging.db.queryFirst("SELECT DATABASE() AS name")?["name"].string ?? "?"
        #expect(first.mysqlLockName.contains(database), "\(first.mysqlLockName)")
        #expect(throws: RunLock.HeldError.self) { try RunLock.acquire(database: try production.connect(), app: app, owner: "again") }
        first.release()
        second.release()
    }
}
