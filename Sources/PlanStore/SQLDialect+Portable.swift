import Foundation

/// What differs between SQLite, PostgreSQL and MySQL/MariaDB when the journal writes one statement
/// for all of them.
///
/// Portable as written (SQLite ≥ 3.35, PostgreSQL ≥ 9.5, MySQL ≥ 8, MariaDB ≥ 10.6), so not wrapped:
/// - `CREATE TABLE IF NOT EXISTS`, `DROP TABLE IF EXISTS`, `COALESCE`, `CASE`, `LIMIT ? OFFSET ?`.
///
/// Wrapped here:
/// - **Upsert** (`upsert(_:conflict:set:)`): `ON CONFLICT (k) DO UPDATE SET v = excluded.v` on
///   SQLite and PostgreSQL, `ON DUPLICATE KEY UPDATE v = VALUES(v)` on MySQL (which fires on any
///   unique key, so the table should have only the one). `execute` returns 1 for an insert and
///   for an update on SQLite and PostgreSQL; MySQL returns 1 for an insert, 2 for an update that
///   changed the row and 1 for one that did not. In SQLite an `INSERT … SELECT … ON CONFLICT`
///   needs a `WHERE` on the SELECT to parse.
/// - **Insert unless present** (`insertIgnoringDuplicates(_:conflict:)`): `ON CONFLICT (k) DO
///   NOTHING` / `INSERT IGNORE`; `execute` returns 0 when the row was there on all three.
/// - **Column types**: `keyTextType` for text in a primary key or unique index (MySQL needs a
///   length there), `textType`, `bigintType`, `doubleType`, `blobType`, `autoIncrementPrimaryKey`.
/// - **Identifiers**: `quoted(_:)` (`"…"`, or `` `…` `` on MySQL).
/// - The current time (`currentTimestampSQL`, `currentEpochSecondsSQL`).
///
/// Not portable: `RETURNING` (not in MySQL: read a generated key back with a SELECT on the
/// unique columns), `FOR UPDATE SKIP LOCKED` (PostgreSQL and MySQL, and MySQL refuses it in a
/// subquery of an UPDATE), advisory locks (`pg_advisory_lock` / `GET_LOCK`), `BEGIN IMMEDIATE`
/// (SQLite only; `transaction` already uses it), `DEFAULT VALUES`, boolean literals in comparisons
/// with integers (`active = 1` fails on a PostgreSQL `boolean` column: keep flags in integer
/// columns), `||` (OR in MySQL).
///
/// On PostgreSQL a failed statement aborts the whole transaction: catching the error inside a
/// `transaction` body and going on makes later statements fail, and the commit throws. On MySQL
/// every DDL statement commits the open transaction first.
extension SQLDialect {
    /// A column definition for a generated 64-bit key: `INTEGER PRIMARY KEY AUTOINCREMENT` /
    /// `BIGSERIAL PRIMARY KEY` / `BIGINT AUTO_INCREMENT PRIMARY KEY`.
    public var autoIncrementPrimaryKey: String {
        switch self {
        case .sqlite: return "INTEGER PRIMARY KEY AUTOINCREMENT"
        case .postgres: return "BIGSERIAL PRIMARY KEY"
        case .mysql: return "BIGINT AUTO_INCREMENT PRIMARY KEY"
        }
    }

    /// A 64-bit integer column type: `INTEGER` / `BIGINT` (SQLite's INTEGER is already 64-bit).
    public var bigintType: String {
        switch self {
        case .sqlite: return "INTEGER"
        case .postgres, .mysql: return "BIGINT"
        }
    }

    /// An unlimited text column type: `TEXT` on SQLite and PostgreSQL; on MySQL `LONGTEXT` (its
    /// `TEXT` holds 64 KiB) compared byte by byte (`utf8mb4_bin`), as on the others.
    public var textType: String {
        switch self {
        case .sqlite, .postgres: return "TEXT"
        case .mysql: return "LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
        }
    }

    /// A text column type that may be (part of) a primary key or unique index: `TEXT`, or on MySQL
    /// (which indexes no `TEXT` without a length) `VARCHAR(191)` in `utf8mb4_bin` (191 characters
    /// of 4 bytes fit its 767-byte index prefix).
    public var keyTextType: String {
        switch self {
        case .sqlite, .postgres: return "TEXT"
        case .mysql: return "VARCHAR(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
        }
    }

    /// A double-precision column type: `REAL` / `DOUBLE PRECISION` / `DOUBLE` (read back as `.real`).
    public var doubleType: String {
        switch self {
        case .sqlite: return "REAL"
        case .postgres: return "DOUBLE PRECISION"
        case .mysql: return "DOUBLE"
        }
    }

    /// A binary column type: `BLOB` / `BYTEA` / `LONGBLOB` (read back as `.blob`).
    public var blobType: String {
        switch self {
        case .sqlite: return "BLOB"
        case .postgres: return "BYTEA"
        case .mysql: return "LONGBLOB"
        }
    }

    /// `insert` (`INSERT INTO t (…) VALUES (…)` or `… SELECT …`) made to update the row it
    /// collides with on the unique columns `keys` instead: `assignments` are written as for
    /// PostgreSQL (`v = excluded.v, n = t.n + 1`; `excluded.c` is the new value, `t.c` the row's).
    public func upsert(_ insert: String, conflict keys: [String], set assignments: String) -> String {
        switch self {
        case .sqlite, .postgres:
            return insert + "\nON CONFLICT (" + keys.joined(separator: ", ") + ") DO UPDATE SET " + assignments
        case .mysql:
            let values = assignments.replacing(/\bexcluded\.([A-Za-z_][A-Za-z0-9_]*)/) { "VALUES(" + $0.output.1 + ")" }
            return insert + "\nON DUPLICATE KEY UPDATE " + values
        }
    }

    /// `insert` made to insert nothing (and change no row) when a row with the same unique `keys`
    /// exists: `ON CONFLICT (keys) DO NOTHING`, or `INSERT IGNORE` on MySQL.
    public func insertIgnoringDuplicates(_ insert: String, conflict keys: [String]) -> String {
        switch self {
        case .sqlite, .postgres:
            return insert + " ON CONFLICT (" + keys.joined(separator: ", ") + ") DO NOTHING"
        case .mysql:
            guard let range = insert.range(of: "INSERT INTO", options: [.caseInsensitive, .anchored]) else { return insert }
            return insert.replacingCharacters(in: range, with: "INSERT IGNORE INTO")
        }
    }

    /// An expression for the current time as ISO 8601 UTC text with milliseconds,
    /// `2025-01-31T12:34:56.789Z`, the same on all, so it fits a TEXT column and sorts by time.
    /// On PostgreSQL it is the transaction's start time (`now()`); on SQLite and MySQL the statement's.
    public var currentTimestampSQL: String {
        switch self {
        case .sqlite:
            return "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
        case .postgres:
            return "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
        case .mysql:
            return "CONCAT(LEFT(DATE_FORMAT(UTC_TIMESTAMP(3), '%Y-%m-%dT%H:%i:%s.%f'), 23), 'Z')"
        }
    }

    /// An expression for the current Unix time in whole seconds, an integer on both: handy for
    /// lease expiry (`WHERE expires_at < <this>`).
    public var currentEpochSecondsSQL: String {
        switch self {
        case .sqlite: return "CAST(strftime('%s', 'now') AS INTEGER)"
        case .postgres: return "CAST(EXTRACT(EPOCH FROM now()) AS BIGINT)"
        case .mysql: return "CAST(UNIX_TIMESTAMP() AS SIGNED)"
        }
    }

    /// `name` as a quoted identifier (`"…"`, inner quotes doubled; on MySQL `` `…` ``, inner
    /// backticks doubled). Use it for table and column names that come from configuration, which
    /// cannot be bound as parameters.
    public func quoted(_ name: String) -> String {
        switch self {
        case .sqlite, .postgres: return "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        case .mysql: return "`" + name.replacingOccurrences(of: "`", with: "``") + "`"
        }
    }
}
