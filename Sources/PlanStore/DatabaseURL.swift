import Foundation

/// Where the state store lives: `sqlite:PATH` or `postgres://user:pass@host:port/db`.
public enum DatabaseURL: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(connectionString: String)

    /// The default: `sqlite:.b24plan/state.db`, created on first use.
    public static let defaultURL = "sqlite:.b24plan/state.db"

    public init(_ text: String) throws {
        if text.hasPrefix("sqlite:") {
            var path = String(text.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            guard !path.isEmpty else { throw DatabaseError(message: "the SQLite URL \"\(text)\" names no file") }
            self = .sqlite(path: path)
        } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(connectionString: text)
        } else {
            throw DatabaseError(message: "unsupported database URL (use sqlite:PATH or postgres://user@host:port/db)")
        }
    }

    /// The URL with any password replaced by `***`, for messages and logs.
    public var redacted: String {
        switch self {
        case .sqlite(let path): return "sqlite:" + path
        case .postgres(let connection):
            guard let schemeEnd = connection.range(of: "://"), let at = connection.lastIndex(of: "@") else { return connection }
            let credentials = connection[schemeEnd.upperBound..<at]
            guard let colon = credentials.firstIndex(of: ":") else { return connection }
            return String(connection[..<colon]) + ":***" + String(connection[at...])
        }
    }
}
