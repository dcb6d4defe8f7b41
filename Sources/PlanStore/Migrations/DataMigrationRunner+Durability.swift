import Foundation

/// PostgreSQL: per-portal batches commit asynchronously (`synchronous_commit = off`).
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
    /// Switches a PostgreSQL connection's session to asynchronous commit; returns the statement
    /// that puts the session's own setting back (nil: nothing was changed).
    static func useAsynchronousCommit(_ database: any Database) throws -> String? {
        guard database.dialect == .postgres else { return nil }
        let row = try database.queryFirst("SELECT setting FROM pg_settings WHERE name = 'synchronous_commit'")
        guard let setting = row?["setting"].string, setting != "off",
            setting.allSatisfy({ $0.isLetter || $0 == "_" })
        else { return nil }
        try database.execute("SET synchronous_commit = off")
        return "SET synchronous_commit = '\(setting)'"
    }
}
