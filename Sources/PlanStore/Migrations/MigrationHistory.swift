import Foundation
import ReleasePlan

/// The app's `schema_migrations` table (name configurable): which migrations ran, with the
/// SHA-256 of their file, when, and how long they took.
///
/// On MySQL/MariaDB DDL commits implicitly, so a schema migration cannot share a transaction with
/// its row: there the table has a `dirty` column (0/1), the row is written with dirty = 1 before the
/// migration's SQL runs and set to 0 after. A dirty row is not an applied migration: `entries()`
/// leaves it out, `check` and `refuseDirty()` refuse to go on until `b24plan migrate --mark-clean`.
/// SQLite and PostgreSQL have transactional DDL and no `dirty` column.
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

    /// Whether this database records migrations as started and done (`dirty`): MySQL/MariaDB.
    public var tracksDirty: Bool { database.dialect == .mysql }

    /// Creates the table when missing; on MySQL/MariaDB adds the `dirty` column to a table without one.
    public func ensureTable() throws {
        try database.execute(
            """
            CREATE TABLE IF NOT EXISTS \(table) (
              version BIGINT PRIMARY KEY,
              name TEXT NOT NULL,
              checksum TEXT NOT NULL,
              applied_at TEXT NOT NULL,
              execution_ms BIGINT NOT NULL\(tracksDirty ? ",\n  dirty SMALLINT NOT NULL DEFAULT 0" : "")
            )
            """)
        try checkShape()
        if tracksDirty, try !hasDirtyColumn() {
            try database.execute("ALTER TABLE \(table) ADD COLUMN dirty SMALLINT NOT NULL DEFAULT 0")
        }
    }

    /// The columns b24plan records each migration in.
    public static let columns = ["version", "name", "checksum", "applied_at", "execution_ms"]

    /// Refuses, in one sentence, an existing table of this name that another tool keeps
    /// (golang-migrate's or Rails' `schema_migrations (version, …)`): b24plan would fail on its
    /// first read. A missing table is fine (it is created).
    public func checkShape() throws {
        guard let missing = try TableShape.missingColumns(Self.columns, in: table, database: database), !missing.isEmpty else {
            return
        }
        throw SetupError(
            "the migrations table \"\(table)\" has no column \(missing.map { "\"\($0)\"" }.joined(separator: ", ")): "
                + "b24plan records \(Self.columns.joined(separator: ", ")) there, and this one looks like another tool's; "
                + "name a table of b24plan's own with \"migrations\": {\"table\": \"b24plan_schema_migrations\"} "
                + "in b24plan.config.json (migrations.table)")
    }

    private func hasDirtyColumn() throws -> Bool {
        let parts = table.split(separator: ".", maxSplits: 1).map(String.init)
        let schema: SQLValue = parts.count == 2 ? .text(parts[0]) : .null
        return try database.queryFirst(
            """
            SELECT 1 AS found FROM information_schema.columns
             WHERE table_schema = COALESCE(?, DATABASE()) AND table_name = ? AND column_name = 'dirty'
            """,
            [schema, .text(parts.last ?? table)]) != nil
    }

    /// The applied migrations by version (on MySQL/MariaDB without the dirty ones).
    public func entries() throws -> [Int: Entry] {
        Dictionary(try rows(dirty: false).map { ($0.version, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Migrations recorded as started that did not finish (MySQL/MariaDB only; elsewhere none), by version.
    public func dirtyEntries() throws -> [Entry] {
        guard tracksDirty else { return [] }
        return try rows(dirty: true)
    }

    private func rows(dirty: Bool) throws -> [Entry] {
        let condition = tracksDirty ? " WHERE dirty \(dirty ? "<>" : "=") 0" : ""
        let rows = try database.query(
            "SELECT version, name, checksum, applied_at, execution_ms FROM \(table)\(condition) ORDER BY version")
        return rows.compactMap { row in
            guard let version = row["version"].int else { return nil }
            return Entry(
                version: version, name: row["name"].string ?? "", checksum: row["checksum"].string ?? "",
                appliedAt: row["applied_at"].string ?? "", executionMilliseconds: row["execution_ms"].int ?? 0)
        }
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
        if let dirty = try dirtyEntries().first(where: { $0.version == migration.id }) {
            throw MigrationError(file: file.path, line: 1, message: DirtyMigrations(table: table, entries: [dirty]).message)
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

    /// Throws `DirtyMigrations` naming every dirty row and the repair; nothing is run while one is left.
    public func refuseDirty(planReference: String = "FILE") throws {
        let dirty = try dirtyEntries()
        guard dirty.isEmpty else { throw DirtyMigrations(table: table, entries: dirty, planReference: planReference) }
    }

    /// Records a schema migration as started (dirty = 1) in a statement of its own, before its SQL
    /// runs (MySQL/MariaDB, where DDL commits implicitly).
    public func recordStarted(version: Int, name: String, checksum: String, startedAt: String) throws {
        try database.execute(
            "INSERT INTO \(table) (version, name, checksum, applied_at, execution_ms, dirty) VALUES (?, ?, ?, ?, 0, 1)",
            [SQLValue(version), .text(name), .text(checksum), .text(startedAt)])
    }

    /// Records a migration recorded as started as done (dirty = 0), with when it finished and how long it took.
    public func recordFinished(version: Int, appliedAt: String, milliseconds: Int) throws {
        try database.execute(
            "UPDATE \(table) SET dirty = 0, applied_at = ?, execution_ms = ? WHERE version = ?",
            [.text(appliedAt), SQLValue(milliseconds), SQLValue(version)])
    }

    /// Why `markClean` refused; nothing was changed.
    public struct MarkCleanRefusal: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Marks dirty migration `version` clean (`b24plan migrate --mark-clean`): only when its row exists,
    /// is dirty and has `checksum`. Returns the row as it was.
    @discardableResult
    public func markClean(version: Int, checksum: String) throws -> Entry {
        guard tracksDirty else {
            throw MarkCleanRefusal(
                message: "only MySQL/MariaDB leaves migrations dirty: on \(database.dialect.rawValue) a failed migration is rolled back "
                    + "with its row, so there is nothing to mark clean")
        }
        guard let dirty = try dirtyEntries().first(where: { $0.version == version }) else {
            if let clean = try entry(version) {
                throw MarkCleanRefusal(
                    message:
                        "migration \(version) (\(clean.name)) is not dirty in \(table): it was applied at \(clean.appliedAt); nothing changed"
                )
            }
            throw MarkCleanRefusal(message: "\(table) has no row for migration \(version); nothing changed")
        }
        guard dirty.checksum == checksum.lowercased() else {
            throw MarkCleanRefusal(
                message: "\(table) records dirty migration \(version) (\(dirty.name)) with checksum \(dirty.checksum), "
                    + "but the file's is \(checksum): mark it clean with the plan whose migration started; nothing changed")
        }
        let changed = try database.execute(
            "UPDATE \(table) SET dirty = 0 WHERE version = ? AND dirty <> 0 AND checksum = ?", [SQLValue(version), .text(dirty.checksum)])
        guard changed == 1 else { throw MarkCleanRefusal(message: "migration \(version) changed in \(table) meanwhile; nothing changed") }
        return dirty
    }

    /// Records a migration as applied (inside the caller's transaction when there is one).
    public func record(version: Int, name: String, checksum: String, appliedAt: String, milliseconds: Int) throws {
        try database.execute(
            "INSERT INTO \(table) (version, name, checksum, applied_at, execution_ms) VALUES (?, ?, ?, ?, ?)",
            [SQLValue(version), .text(name), .text(checksum), .text(appliedAt), SQLValue(milliseconds)])
    }
}

/// Dirty rows in `schema_migrations` (MySQL/MariaDB): migrations that started and did not finish.
/// Apply and migrate refuse to run anything while one is left.
public struct DirtyMigrations: Error, Sendable, CustomStringConvertible {
    public var table: String
    public var entries: [MigrationHistory.Entry]
    /// How the repair command names the plan.
    public var planReference = "FILE"

    public var message: String {
        let names = entries.map { "\($0.version) (\($0.name), started at \($0.appliedAt))" }.joined(separator: ", ")
        let first = entries.first?.version ?? 0
        let noun = entries.count == 1 ? "migration" : "migrations"
        return "\(table) has dirty \(noun) \(names): started and never finished, and MySQL/MariaDB commits DDL at once, "
            + "so the database may be half-migrated. Fix the database by hand, then run "
            + "b24plan migrate --mark-clean \(first) \(planReference) (or undo its changes by hand and delete its row "
            + "from \(table) to run it again); nothing was run"
    }

    public var description: String { message }
}
