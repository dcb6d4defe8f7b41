import Foundation
import ReleasePlan

/// The app's `schema_migrations` table (name configurable): which migrations ran, with the
/// SHA-256 of their file, when, and how long they took.
public struct MigrationHistory {
    public struct Entry: Sendable, Equatable {
        public var version: Int
        public var name: String
        public var checksum: String
        public var appliedAt: String
        public var executionMilliseconds: Int
    }

    public let database: any Database
    /// A plain identifier (letters, digits, `_`, optionally `schema.`): it is spliced into SQL.
    public let table: String

    public init(database: any Database, table: String = "schema_migrations") throws {
        guard table.range(of: #"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$"#, options: .regularExpression) != nil else {
            throw DatabaseError(message: "the migrations table name \"\(table)\" is not a plain SQL identifier")
        }
        self.database = database
        self.table = table
    }

    public func ensureTable() throws {
        try database.execute(
            """
            CREATE TABLE IF NOT EXISTS \(table) (
              version BIGINT PRIMARY KEY,
              name TEXT NOT NULL,
              checksum TEXT NOT NULL,
              applied_at TEXT NOT NULL,
              execution_ms BIGINT NOT NULL
            )
            """)
    }

    public func entries() throws -> [Int: Entry] {
        let rows = try database.query("SELECT version, name, checksum, applied_at, execution_ms FROM \(table) ORDER BY version")
        var entries: [Int: Entry] = [:]
        for row in rows {
            guard let version = row["version"].int else { continue }
            entries[version] = Entry(
                version: version, name: row["name"].string ?? "", checksum: row["checksum"].string ?? "",
                appliedAt: row["applied_at"].string ?? "", executionMilliseconds: row["execution_ms"].int ?? 0)
        }
        return entries
    }

    public func entry(_ version: Int) throws -> Entry? {
        try entries()[version]
    }

    /// Checks a migration file before it runs: its digest must be the plan's, and when the table
    /// already records the migration, with the same checksum. Returns the digest and the existing
    /// entry (nil: not applied yet); throws `MigrationError` naming the file otherwise.
    public func check(_ migration: Migration, file: SourceFile) throws -> (checksum: String, recorded: Entry?) {
        let checksum = SHA256.hex(file.bytes)
        if let declared = migration.sha256, declared.lowercased() != checksum {
            throw MigrationError(
                file: file.path, line: 1,
                message: "the file changed since the plan was written: the plan says sha256 \(declared), the file is \(checksum)")
        }
        guard let recorded = try entry(migration.id) else { return (checksum, nil) }
        guard recorded.checksum == checksum else {
            throw MigrationError(
                file: file.path, line: 1,
                message: "\(table) records migration \(migration.id) with checksum \(recorded.checksum), "
                    + "but the file's is \(checksum): a published migration was edited")
        }
        return (checksum, recorded)
    }

    /// Records a migration as applied (inside the caller's transaction when there is one).
    public func record(version: Int, name: String, checksum: String, appliedAt: String, milliseconds: Int) throws {
        try database.execute(
            "INSERT INTO \(table) (version, name, checksum, applied_at, execution_ms) VALUES (?, ?, ?, ?, ?)",
            [SQLValue(version), .text(name), .text(checksum), .text(appliedAt), SQLValue(milliseconds)])
    }
}
