/// How a command may use the database it opens.
public enum DatabaseAccess: Sendable, Equatable {
    /// Read and write; a SQLite file (and its folders) is created when missing (`apply`, `init`, `baseline`).
    case create
    /// Read and write; the database must exist already (a missing SQLite file is an error, nothing is created).
    case existing
    /// Read only; the database must exist. SQLite opens with `SQLITE_OPEN_READONLY`; a PostgreSQL
    /// session is made read-only (`SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY`), and so is
    /// a MySQL one (`SET SESSION TRANSACTION READ ONLY`).
    case readOnly
}

/// Opens the `Database` a `DatabaseURL` names.
public enum DatabaseConnector {
    /// A `SQLiteDatabase` for `sqlite:PATH`, a `PostgresDatabase` for `postgres://…`, a
    /// `MySQLDatabase` for `mysql://…` or `mariadb://…`, used as
    /// `access` allows. Errors never contain the password.
    public static func open(_ url: DatabaseURL, access: DatabaseAccess = .create) throws -> any Database {
        switch url {
        case .sqlite(let path):
            return try SQLiteDatabase(path: path, access: access)
        case .postgres(let connectionString):
            let database = try PostgresDatabase(connectionString: connectionString)
            if access == .readOnly {
                do {
                    try database.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
                } catch {
                    database.close()
                    throw error
                }
            }
            return database
        case .mysql(let url):
            let database = try MySQLDatabase(url: url)
            if access == .readOnly {
                do {
                    try database.execute("SET SESSION TRANSACTION READ ONLY")
                } catch {
                    database.close()
                    throw error
                }
            }
            return database
        }
    }

    /// Parses `text` (`sqlite:PATH`, `postgres://…` or `mysql://…`) and opens it.
    public static func open(_ text: String, access: DatabaseAccess = .create) throws -> any Database {
        try open(DatabaseURL(text), access: access)
    }
}
