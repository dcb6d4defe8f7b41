import ReleasePlan

/// A `mysql://` (or `mariadb://`) URL taken apart, so that any password reaches Connector/C intact
/// and never reaches a message.
///
/// `mysql://USER:PASSWORD@HOST:PORT/DATABASE?KEY=VALUE&…`, read like `PostgresURL`:
/// - the user info ends at the **last** `@` of the URL, so a password may hold `@`, `/`, `:`, `?`,
///   `#` or `%` unencoded; the user ends at the first `:` of the user info;
/// - user, password, host, database and query values are percent-decoded; a `%` not followed by
///   two hex digits stays as it is;
/// - one host: a name, an IPv6 address in brackets, or a socket path (`%2Frun%2Fmysqld%2Fmysqld.sock`,
///   or `?socket=/run/mysqld/mysqld.sock`); the port defaults to 3306;
/// - query options: `charset` (only `utf8mb4`: b24plan always talks utf8mb4), `ssl-mode`
///   (`disabled`, `preferred`, `required`, `verify-ca`, `verify-identity`), `connect-timeout`
///   (seconds, default 10), `read-timeout` (seconds, default none: a migration may run long) and
///   `socket`. Anything else is an error.
public struct MySQLURL: Sendable, Equatable {
    /// How the connection uses TLS (`ssl-mode`).
    public enum SSLMode: String, Sendable, Equatable, CaseIterable {
        case disabled, preferred, required
        case verifyCA = "verify-ca"
        case verifyIdentity = "verify-identity"
    }

    /// Seconds Connector/C waits for a server to answer the connection, unless the URL says otherwise.
    public static let defaultConnectTimeout = 10
    public static let defaultPort = 3306

    public var user: String?
    public var password: String?
    /// A host name or address (IPv6 without brackets); nil for the default (a local socket).
    public var host: String?
    public var port: Int
    /// A Unix socket path, when the connection goes through one.
    public var socket: String?
    public var database: String?
    public var sslMode: SSLMode?
    public var connectTimeout: Int
    /// Seconds a read may wait for the server; nil for no limit.
    public var readTimeout: Int?

    /// The URL with the password replaced by `***`.
    public let redacted: String
    /// The password's forms as they may appear anywhere: as written, decoded and fully percent-encoded.
    public let secrets: [String]

    /// Whether `text` is meant as a MySQL or MariaDB URL (by its scheme).
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("mysql://") || text.hasPrefix("mariadb://")
    }

    public init(_ text: String) throws {
        guard let schemeEnd = text.range(of: "://"), Self.isURL(text) else {
            throw DatabaseError(message: "not a MySQL URL (mysql://user:password@host:port/database)")
        }
        let parts = ServerURLParts(text, schemeEnd: schemeEnd)
        let (scheme, rawUser, rawPassword, authority, rawQuery) = (
            parts.scheme, parts.rawUser, parts.rawPassword, parts.authority, parts.rawQuery
        )
        let pathAndQuery = parts.path

        var secrets: [String] = []
        if let rawPassword { secrets += [String(rawPassword), PostgresURL.percentDecoded(rawPassword)] }
        // A query option that looks like a secret (`password=`, `pwd=`, …) is no option b24plan
        // takes, and is refused below; its value is hidden like the password all the same.
        var shownQuery: [String] = []
        for pair in (rawQuery ?? "").split(separator: "&", omittingEmptySubsequences: true) {
            guard let equals = pair.firstIndex(of: "="), Self.looksSecret(PostgresURL.percentDecoded(pair[..<equals])) else {
                shownQuery.append(String(pair))
                continue
            }
            let rawValue = pair[pair.index(after: equals)...]
            secrets += [String(rawValue), PostgresURL.percentDecoded(rawValue)]
            shownQuery.append(String(pair[..<equals]) + "=***")
        }
        secrets += secrets.map(PostgresURL.percentEncoded)
        self.secrets = Array(Set(secrets.filter { !$0.isEmpty })).sorted()
        var shown = scheme
        if let rawUser { shown += rawUser + (rawPassword == nil ? "" : ":***") + "@" }
        shown += authority + pathAndQuery
        if rawQuery != nil { shown += "?" + shownQuery.joined(separator: "&") }
        redacted = shown

        user = rawUser.map(PostgresURL.percentDecoded).flatMap { $0.isEmpty ? nil : $0 }
        password = rawPassword.map(PostgresURL.percentDecoded)
        let database = pathAndQuery.dropFirst()
        self.database = database.isEmpty ? nil : PostgresURL.percentDecoded(database)
        port = Self.defaultPort
        connectTimeout = Self.defaultConnectTimeout
        (host, port, socket) = try Self.hostAndPort(authority, shown: shown)

        for pair in (rawQuery ?? "").split(separator: "&", omittingEmptySubsequences: true) {
            let equals = pair.firstIndex(of: "=")
            let key = PostgresURL.percentDecoded(equals.map { pair[..<$0] } ?? pair)
            let value = PostgresURL.percentDecoded(equals.map { pair[pair.index(after: $0)...] } ?? "")
            switch key {
            case "charset":
                guard value.lowercased() == "utf8mb4" else {
                    throw DatabaseError(message: "the MySQL URL \(shown) asks for charset \(value): b24plan always uses utf8mb4")
                }
            case "ssl-mode", "sslmode", "ssl_mode":
                guard let mode = SSLMode(rawValue: value.lowercased().replacingOccurrences(of: "_", with: "-")) else {
                    throw DatabaseError(
                        message: "the MySQL URL \(shown) has an unknown ssl-mode \(value) (use "
                            + SSLMode.allCases.map(\.rawValue).joined(separator: ", ") + ")")
                }
                sslMode = mode
            case "connect-timeout", "connect_timeout":
                connectTimeout = try Self.seconds(value, key, shown)
            case "read-timeout", "read_timeout":
                readTimeout = try Self.seconds(value, key, shown)
            case "socket":
                socket = value
            default:
                throw DatabaseError(
                    message: "the MySQL URL \(shown) has an unknown option \(key) "
                        + "(use charset, ssl-mode, connect-timeout, read-timeout or socket)")
            }
        }
    }

    /// A query key naming a secret: `password`, `passwd`, `pwd`, `secret`, `token`, any case.
    private static func looksSecret(_ key: String) -> Bool {
        let key = key.lowercased()
        return ["pass", "pwd", "secret", "token"].contains { key.contains($0) }
    }

    private static func seconds(_ value: String, _ key: String, _ shown: String) throws -> Int {
        guard let seconds = Int(value), seconds > 0 else {
            throw DatabaseError(message: "the MySQL URL \(shown) has a \(key) that is not a positive number of seconds")
        }
        return seconds
    }

    /// `host:3307`, `[::1]:3307` or a percent-encoded socket path (`%2Frun%2Fmysqld.sock`).
    private static func hostAndPort(_ authority: Substring, shown: String) throws -> (String?, Int, String?) {
        guard !authority.isEmpty else { return (nil, defaultPort, nil) }
        guard !authority.contains(",") else {
            throw DatabaseError(message: "the MySQL URL \(shown) names several hosts: one is supported")
        }
        var host = authority
        var port: Substring = ""
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw DatabaseError(message: "the MySQL URL \(shown) has an IPv6 host without its closing ]")
            }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") {
                port = after.dropFirst()
            } else if !after.isEmpty {
                throw DatabaseError(message: "the MySQL URL \(shown) has text after an IPv6 host")
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            port = authority[authority.index(after: colon)...]
        }
        guard port.allSatisfy(\.isASCII) && port.allSatisfy(\.isNumber), port.isEmpty || Int(port).map({ $0 <= 65535 }) == true else {
            throw DatabaseError(message: "the MySQL URL \(shown) has a port that is not a number")
        }
        let decoded = PostgresURL.percentDecoded(host)
        let number = port.isEmpty ? defaultPort : Int(port) ?? defaultPort
        if decoded.hasPrefix("/") { return (nil, number, decoded) }
        return (decoded.isEmpty ? nil : decoded, number, nil)
    }
}
