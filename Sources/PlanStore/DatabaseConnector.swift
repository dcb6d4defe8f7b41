/// Opens the `Database` a `DatabaseURL` names.
public enum DatabaseConnector {
    /// A `SQLiteDatabase` for `sqlite:PATH` (file and folders created on first use), a
    /// `PostgresDatabase` for `postgres://…`. Errors never contain the password.
    public static func open(_ url: DatabaseURL) throws -> any Database {
        switch url {
        case .sqlite(let path):
            return try SQLiteDatabase(path: path)
        case .postgres(let connectionString):
            return try PostgresDatabase(connectionString: connectionString)
        }
    }

    /// Parses `text` (`sqlite:PATH` or `postgres://…`) and opens it.
    public static func open(_ text: String) throws -> any Database {
        try open(DatabaseURL(text))
    }
}
