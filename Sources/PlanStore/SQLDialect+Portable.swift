/// What differs between SQLite and PostgreSQL when the journal writes one statement for both.
///
/// Portable as written, on both (SQLite ≥ 3.35, PostgreSQL ≥ 9.5), so not wrapped here:
/// - **Upsert**: `INSERT INTO t (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v`
///   (SQLite ≥ 3.24). The conflict target must name a unique index or primary key. In SQLite an
///   `INSERT … SELECT … ON CONFLICT` needs a `WHERE true` on the SELECT to parse. `DO NOTHING`
///   works on both too. `execute` returns 1 for an insert and for an update on both.
/// - **RETURNING**: `INSERT … RETURNING id` through `query` (SQLite ≥ 3.35) is the portable way to
///   learn a generated key.
/// - `CREATE TABLE IF NOT EXISTS`, `CREATE [UNIQUE] INDEX IF NOT EXISTS`, `DROP TABLE IF EXISTS`,
///   `COALESCE`, `CASE`, `LIMIT ? OFFSET ?`, `||` for string concatenation.
/// - Identifiers quoted with `"…"` (see `quoted(_:)`).
///
/// Not portable: `FOR UPDATE SKIP LOCKED` and advisory locks (PostgreSQL only), `BEGIN IMMEDIATE`
/// (SQLite only; `transaction` already uses it), boolean literals in comparisons with integers
/// (`active = 1` fails on a PostgreSQL `boolean` column: keep flags in integer columns).
///
/// On PostgreSQL a failed statement aborts the whole transaction: catching the error inside a
/// `transaction` body and going on makes later statements fail, and the commit throws.
extension SQLDialect {
    /// A column definition for a generated 64-bit key:
    /// `INTEGER PRIMARY KEY AUTOINCREMENT` / `BIGSERIAL PRIMARY KEY`.
    public var autoIncrementPrimaryKey: String {
        switch self {
        case .sqlite: return "INTEGER PRIMARY KEY AUTOINCREMENT"
        case .postgres: return "BIGSERIAL PRIMARY KEY"
        }
    }

    /// A 64-bit integer column type: `INTEGER` / `BIGINT` (SQLite's INTEGER is already 64-bit).
    public var bigintType: String {
        switch self {
        case .sqlite: return "INTEGER"
        case .postgres: return "BIGINT"
        }
    }

    /// An unlimited text column type: `TEXT` on both.
    public var textType: String { "TEXT" }

    /// A double-precision column type: `REAL` / `DOUBLE PRECISION` (both read back as `.real`).
    public var doubleType: String {
        switch self {
        case .sqlite: return "REAL"
        case .postgres: return "DOUBLE PRECISION"
        }
    }

    /// A binary column type: `BLOB` / `BYTEA` (both read back as `.blob`).
    public var blobType: String {
        switch self {
        case .sqlite: return "BLOB"
        case .postgres: return "BYTEA"
        }
    }

    /// An expression for the current time as ISO 8601 UTC text with milliseconds,
    /// `2025-01-31T12:34:56.789Z`, the same on both, so it fits a TEXT column and sorts by time.
    /// On PostgreSQL it is the transaction's start time (`now()`); on SQLite the statement's.
    public var currentTimestampSQL: String {
        switch self {
        case .sqlite:
            return "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
        case .postgres:
            return "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
        }
    }

    /// An expression for the current Unix time in whole seconds, an integer on both: handy for
    /// lease expiry (`WHERE expires_at < <this>`).
    public var currentEpochSecondsSQL: String {
        switch self {
        case .sqlite: return "CAST(strftime('%s', 'now') AS INTEGER)"
        case .postgres: return "CAST(EXTRACT(EPOCH FROM now()) AS BIGINT)"
        }
    }

    /// `name` as a quoted identifier (`"…"`, inner quotes doubled): the same on both. Use it for
    /// table and column names that come from configuration, which cannot be bound as parameters.
    public func quoted(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
