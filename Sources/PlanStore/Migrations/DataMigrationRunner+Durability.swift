import Foundation

/// PostgreSQL: per-portal batches commit asynchronously (`SET LOCAL synchronous_commit = off` in
/// each batch transaction).
///
/// A synchronous COMMIT writes the transaction's WAL itself before it returns, and holds the
/// batch's row locks meanwhile; on a 2-core machine whose disk other processes kept busy, that
/// write took 50–190 ms now and then (20 portals × 5,000 rows: 3–5 % of the transactions passed
/// 100 ms on COMMIT alone, with statements of 3–50 ms). Asynchronously, the WAL writer writes it
/// a moment later and the locks go at once.
///
/// What it risks is durability, not consistency: a crash of the database server (not of b24plan)
/// may lose the batches committed in its last moments (at most three `wal_writer_delay`s, 0.6 s
/// by default), each with the progress row that counts it, so applying again runs those batches
/// again and none twice. The migration's own row in `schema_migrations` is written after the
/// batches, synchronously, which makes every batch before it durable (WAL is written in order).
extension DataMigrationRunner {
    /// Makes the transaction just begun on `database` commit asynchronously, on PostgreSQL when
    /// `commitsAsynchronously`: `SET LOCAL`, so the setting ends with the transaction and never
    /// reaches another transaction of the session (a connection pooler may hand the session to the
    /// app's own clients next).
    func beginTransaction(on database: any Database) throws {
        guard commitsAsynchronously, database.dialect == .postgres else { return }
        try database.execute("SET LOCAL synchronous_commit = off")
    }
}
