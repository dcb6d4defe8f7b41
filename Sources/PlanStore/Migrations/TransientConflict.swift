import Foundation

/// A transaction the server rolled back because it met another one: a deadlock, a serialization
/// failure, a lock wait that timed out, SQLite busy. Nothing is wrong with the batch; run again,
/// it goes through. `perPortal` workers meet these on MySQL/MariaDB in particular (InnoDB locks
/// index ranges, and the progress rows of several workers share a table), and never mark a
/// portal failed for one.
struct TransientConflict: Error, CustomStringConvertible {
    var error: DatabaseError

    var description: String { "a conflict with another transaction: \(error.message)" }

    /// How many conflicts in a row a worker runs again before it gives up (the portal then fails
    /// with the server's message).
    static let attempts = 8

    /// Whether `error` is such a conflict: PostgreSQL `40P01` (deadlock), `40001` (serialization
    /// failure), `55P03` (lock not available); MySQL/MariaDB 1213 (deadlock), 1205 (lock wait
    /// timeout); SQLite 5 and 6 (busy, locked) with their extended codes.
    static func matches(_ error: DatabaseError, dialect: SQLDialect) -> Bool {
        guard let code = error.code else { return false }
        switch dialect {
        case .postgres: return ["40P01", "40001", "55P03"].contains(code)
        case .mysql: return code == "1213" || code == "1205"
        case .sqlite:
            guard let number = Int(code) else { return false }
            return number & 0xFF == 5 || number & 0xFF == 6
        }
    }

    /// A short random pause before running again, so that two workers that met do not meet again.
    static func pause(attempt: Int) {
        usleep(useconds_t(Int.random(in: 1...5) * 1000 * min(attempt, 4)))
    }
}
