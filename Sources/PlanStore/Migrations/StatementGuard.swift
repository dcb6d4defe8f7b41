/// A server-side bound on how long one statement of a `perPortal` batch may run, so that a batch
/// that takes far longer than expected (a loaded server: two or three times, now and then) is
/// stopped by the server and its transaction rolled back, instead of holding its row locks past
/// the transaction's time.
///
/// PostgreSQL: `SET LOCAL statement_timeout`, for the transaction only (the statement fails with
/// SQLSTATE 57014, and its transaction with it). MariaDB: the session's `max_statement_time` (error 1969). MySQL has no
/// such bound for writes (`max_execution_time` is for `SELECT` only) and SQLite none at all: no
/// guard there.
///
/// The bound is set only when it must change: when the time left is shorter than the bound in force
/// by more than `slack`, or longer by more than `slack` (a round trip for every batch of a quick
/// portal would cost more than the batch). It is never longer than the session's own timeout, and
/// `lift` puts the session's own back (a worker lifts it before it ends, and before batches whose
/// failure must count as a failure).
public final class StatementGuard {
    /// How far the bound in force may be from the time left before it is set again, in seconds.
    static let slack = 0.01
    /// The shortest bound, in seconds.
    static let shortest = 0.005

    let dialect: SQLDialect
    private let database: any Database
    /// The session's own timeout, in seconds (0: none).
    private let ownSeconds: Double
    /// The bound in force, in seconds (nil: the session's own).
    private(set) var current: Double?
    /// Whether `current` is what the session has (a PostgreSQL `SET` in a transaction that rolls
    /// back is undone with it).
    private var known = true

    private init(database: any Database, ownSeconds: Double) {
        self.database = database
        self.dialect = database.dialect
        self.ownSeconds = ownSeconds
    }

    /// The variable that turns the guard off: `B24PLAN_STATEMENT_GUARD=0` (or `off`, `false`, `no`).
    public static let environmentVariable = "B24PLAN_STATEMENT_GUARD"

    /// Whether `environment` leaves the guard on (unset, or anything but `0`, `off`, `false`, `no`).
    public static func isEnabled(environment: [String: String]) -> Bool {
        guard let value = environment[environmentVariable]?.lowercased() else { return true }
        return !["0", "off", "false", "no"].contains(value)
    }

    /// The guard for `database`'s session, or nil where the server has no bound on a statement's time.
    static func make(for database: any Database) -> StatementGuard? {
        switch database.dialect {
        case .sqlite:
            return nil
        case .postgres:
            // pg_settings gives the value in its unit, milliseconds.
            let row = try? database.queryFirst("SELECT setting FROM pg_settings WHERE name = 'statement_timeout'")
            guard let milliseconds = row?["setting"].int else { return nil }
            return StatementGuard(database: database, ownSeconds: Double(milliseconds) / 1000)
        case .mysql:
            // MySQL has no max_statement_time: the query fails there.
            guard let row = try? database.queryFirst("SELECT @@SESSION.max_statement_time AS seconds"),
                let seconds = Self.seconds(row["seconds"])
            else { return nil }
            return StatementGuard(database: database, ownSeconds: seconds)
        }
    }

    /// Bounds the statements that follow to about `seconds` (at least `shortest`, at most the
    /// session's own timeout).
    func bound(_ seconds: Double) throws {
        var wanted = max(Self.shortest, seconds)
        if ownSeconds > 0 { wanted = min(wanted, ownSeconds) }
        if known, let current, abs(current - wanted) <= Self.slack { return }
        try set(wanted)
        (current, known) = (wanted, true)
    }

    /// Puts the session's own timeout back (PostgreSQL: for the rest of the transaction).
    func lift() throws {
        guard current != nil || !known else { return }
        try set(ownSeconds)
        (current, known) = (nil, true)
    }

    /// After each transaction. PostgreSQL's bound is a `SET LOCAL`, gone with the transaction: the
    /// session's own timeout is in force again (and no other transaction of the session, which a
    /// connection pooler may give to the app's own clients, ever sees the bound). MariaDB's is the
    /// session's, kept; after a rollback it is set again before the next statement it must bound.
    func transactionEnded(rolledBack: Bool) {
        switch dialect {
        case .postgres: (current, known) = (nil, true)
        case .mysql, .sqlite: if rolledBack { known = false }
        }
    }

    /// Whether `error` is a statement stopped by this guard's bound (only while one is in force).
    func stopped(_ error: any Error) -> Bool {
        guard current != nil || !known, let error = error as? DatabaseError else { return false }
        switch dialect {
        case .postgres: return error.code == "57014"
        case .mysql: return error.code == "1969"
        case .sqlite: return false
        }
    }

    private func set(_ seconds: Double) throws {
        switch dialect {
        case .postgres:
            try database.execute("SET LOCAL statement_timeout = \(Int((seconds * 1000).rounded()))")
        case .mysql:
            try database.execute("SET SESSION max_statement_time = \(Double(Int((seconds * 1000).rounded())) / 1000)")
        case .sqlite:
            break
        }
    }

    private static func seconds(_ value: SQLValue) -> Double? {
        switch value {
        case .real(let seconds): return seconds
        case .integer(let seconds): return Double(seconds)
        case .text(let text): return Double(text)
        default: return nil
        }
    }
}
