import Foundation
import ReleasePlan

/// Stops a second `apply` of the same app: a PostgreSQL advisory lock or a MySQL `GET_LOCK` (held
/// by the connection, so released when it closes), or
/// on SQLite a lease row in `b24plan_locks` that expires, so a crashed apply does not block forever.
public final class RunLock: @unchecked Sendable {
    public let app: String
    public let owner: String
    let database: any Database
    let leaseSeconds: TimeInterval
    let now: @Sendable () -> Date
    private var released = false
    private var keepAliveTimer: DispatchSourceTimer?
    /// MySQL/MariaDB: the database the journal is in. `GET_LOCK` names are server-wide, so the name
    /// carries it: two databases of one server (staging and production) do not block each other,
    /// as PostgreSQL's advisory locks, which are per database, do not.
    private var mysqlDatabase = ""

    /// Why the lock could not be taken: someone else holds it.
    public struct HeldError: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    private init(database: any Database, app: String, owner: String, leaseSeconds: TimeInterval, now: @escaping @Sendable () -> Date) {
        self.database = database
        self.app = app
        self.owner = owner
        self.leaseSeconds = leaseSeconds
        self.now = now
    }

    /// A name for this process: host, pid and a random part.
    public static func defaultOwner() -> String {
        "\(ProcessInfo.processInfo.hostName):\(getpid()):\(UUID().uuidString.prefix(8))"
    }

    public static func acquire(
        database: any Database, app: String, owner: String = defaultOwner(), leaseSeconds: TimeInterval = 120,
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws -> RunLock {
        let lock = RunLock(database: database, app: app, owner: owner, leaseSeconds: leaseSeconds, now: now)
        switch database.dialect {
        case .postgres:
            // A process that has just ended may hold the lock a moment longer: its server session
            // ends after it. Asked again for up to `patience`.
            let deadline = Date().addingTimeInterval(patience)
            while try database.query("SELECT pg_try_advisory_lock(hashtext(?)) AS locked", [.text(lock.key)]).first?["locked"].int != 1 {
                guard Date() < deadline else {
                    throw HeldError(message: "another b24plan apply of \(app) is running (it holds the PostgreSQL advisory lock)")
                }
                usleep(50_000)
            }
        case .mysql:
            lock.mysqlDatabase = try database.queryFirst("SELECT DATABASE() AS name")?["name"].string ?? ""
            let row = try database.queryFirst("SELECT GET_LOCK(?, ?) AS locked", [.text(lock.mysqlLockName), .real(patience)])
            guard row?["locked"].int == 1 else {
                throw HeldError(
                    message: "another b24plan apply of \(app) is running (it holds the MySQL advisory lock \(lock.mysqlLockName))")
            }
        case .sqlite:
            try lock.takeLease()
        }
        return lock
    }

    /// Seconds a held lock is waited for before the run is refused: enough for the server to end
    /// the session of a process that has just exited (and with it, its lock).
    static let patience: TimeInterval = 3

    var key: String { "b24plan:" + app }

    /// `b24plan:DATABASE:APP`, or when longer than the 64 characters `GET_LOCK` takes, `b24plan:`
    /// and a SHA-256 prefix of it.
    var mysqlLockName: String {
        let name = "b24plan:\(mysqlDatabase):\(app)"
        return name.count <= 64 ? name : "b24plan:" + String(SHA256.hex(Array(name.utf8)).prefix(56))
    }

    private func takeLease() throws {
        try database.transaction {
            let current = Timestamp.string(now())
            if let row = try database.query("SELECT owner, expires_at FROM b24plan_locks WHERE app = ?", [.text(app)]).first,
                let holder = row["owner"].string, holder != owner, let expires = row["expires_at"].string, expires > current,
                !Self.isDeadLocalOwner(holder)
            {
                throw HeldError(
                    message: "another b24plan apply of \(app) is running (\(holder), lease until \(expires)); "
                        + "if that process is gone, the lease expires by itself")
            }
            try database.execute(
                "INSERT INTO b24plan_locks (app, owner, expires_at) VALUES (?, ?, ?) ON CONFLICT (app) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at",
                [.text(app), .text(owner), .text(Timestamp.string(now().addingTimeInterval(leaseSeconds)))])
        }
    }

    /// Whether `owner` names a process on this host that no longer exists (a crashed apply), so
    /// its lease need not be waited out.
    static func isDeadLocalOwner(_ owner: String) -> Bool {
        let parts = owner.split(separator: ":")
        guard parts.count >= 3, String(parts[0]) == ProcessInfo.processInfo.hostName, let pid = Int32(parts[1]), pid > 0 else {
            return false
        }
        return kill(pid, 0) == -1 && errno == ESRCH
    }

    /// Renews the lease every `interval` seconds until the returned timer is cancelled (SQLite only).
    public func keepAlive(every interval: TimeInterval = 30) -> DispatchSourceTimer {
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global())
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler { [self] in try? renew() }
        timer.resume()
        keepAliveTimer = timer
        return timer
    }

    /// Extends the SQLite lease (call it during long work); a no-op on PostgreSQL and MySQL.
    public func renew() throws {
        guard database.dialect == .sqlite, !released else { return }
        try database.execute(
            "UPDATE b24plan_locks SET expires_at = ? WHERE app = ? AND owner = ?",
            [.text(Timestamp.string(now().addingTimeInterval(leaseSeconds))), .text(app), .text(owner)])
    }

    public func release() {
        guard !released else { return }
        released = true
        keepAliveTimer?.cancel()
        switch database.dialect {
        case .postgres:
            _ = try? database.query("SELECT pg_advisory_unlock(hashtext(?))", [.text(key)])
        case .mysql:
            _ = try? database.query("SELECT RELEASE_LOCK(?) AS released", [.text(mysqlLockName)])
        case .sqlite:
            _ = try? database.execute("DELETE FROM b24plan_locks WHERE app = ? AND owner = ?", [.text(app), .text(owner)])
        }
    }
}
