import Foundation

/// Where the state store lives: `sqlite:PATH`, `postgres://user:pass@host:port/db` or
/// `mysql://user:pass@host:port/db` (also `mariadb://`). See `PostgresURL` and `MySQLURL` for how
/// a URL is read: a password may hold `@`, `/`, `:`, `?` or `%`.
public enum DatabaseURL: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(connectionString: String)
    case mysql(url: String)

    /// The default: `sqlite:.b24plan/state.db`, created on first use.
    public static let defaultURL = "sqlite:.b24plan/state.db"

    public init(_ text: String) throws {
        if text.hasPrefix("sqlite:") {
            var path = String(text.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            guard !path.isEmpty else { throw DatabaseError(message: "the SQLite URL \"\(text)\" names no file") }
            self = .sqlite(path: path)
        } else if PostgresURL.isURL(text) {
            _ = try PostgresURL(text)  // its errors show the URL redacted
            self = .postgres(connectionString: text)
        } else if MySQLURL.isURL(text) {
            _ = try MySQLURL(text)  // its errors show the URL redacted
            self = .mysql(url: text)
        } else {
            throw DatabaseError(
                message: "unsupported database URL (use sqlite:PATH, postgres://user@host:port/db or mysql://user@host:port/db)")
        }
    }

    /// The URL with any password replaced by `***`, for messages and logs.
    public var redacted: String {
        switch self {
        case .sqlite(let path): return "sqlite:" + path
        case .postgres(let connection): return (try? PostgresURL(connection))?.redacted ?? "a PostgreSQL connection string"
        case .mysql(let url): return (try? MySQLURL(url))?.redacted ?? "a MySQL URL"
        }
    }

    /// The database password in every form it may take (as written, percent-decoded); empty for SQLite.
    public var secrets: [String] {
        switch self {
        case .sqlite: return []
        case .postgres(let connection): return (try? PostgresURL(connection))?.secrets ?? []
        case .mysql(let url): return (try? MySQLURL(url))?.secrets ?? []
        }
    }
}
