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
        case .postgres(let connection): return Self.redactPassword(connection)
        }
    }

    /// Hides the password of the user-info part and of a `password=` query parameter.
    static func redactPassword(_ connection: String) -> String {
        var text = connection
        if let schemeEnd = text.range(of: "://") {
            let authorityEnd = text[schemeEnd.upperBound...].firstIndex(where: { $0 == "/" || $0 == "?" }) ?? text.endIndex
            if let at = text[schemeEnd.upperBound..<authorityEnd].lastIndex(of: "@"),
                let colon = text[schemeEnd.upperBound..<at].firstIndex(of: ":")
            {
                text.replaceSubrange(text.index(after: colon)..<at, with: "***")
            }
        }
        if let query = text.firstIndex(of: "?") {
            let parameters = text[text.index(after: query)...].split(separator: "&", omittingEmptySubsequences: false).map { pair in
                pair.lowercased().hasPrefix("password=") ? "password=***" : String(pair)
            }
            text = String(text[...query]) + parameters.joined(separator: "&")
        }
        return text
    }
}
