import ReleasePlan

/// A `postgres://` (or `postgresql://`) URL taken apart, so that any password reaches libpq intact
/// and never reaches a message.
///
/// `postgres://USER:PASSWORD@HOST:PORT/DATABASE?KEY=VALUE&…`, every part optional:
/// - the user info ends at the **last** `@` of the URL, so a password may hold `@`, `/`, `:`, `?`,
///   `#` or `%` unencoded (an `@` in the database name or a query value must then be written `%40`);
///   the user ends at the first `:` of the user info;
/// - user, password, host, database and query values are percent-decoded; a `%` not followed by
///   two hex digits stays as it is;
/// - the host may be a list (`h1:5432,h2:5433`), an IPv6 address in brackets, or a socket folder
///   (`%2Fvar%2Frun%2Fpostgresql`, or `?host=/var/run/postgresql`);
/// - query parameters are libpq connection keywords (`sslmode`, `connect_timeout`, `password`, …)
///   and override the parts before them; `connect_timeout` defaults to 10 seconds.
///
/// libpq is given keyword/value pairs (``connectionParameters``), never the URL text, so no
/// quoting or escaping can go wrong.
public struct PostgresURL: Sendable, Equatable {
    /// One libpq keyword and its value.
    public struct Parameter: Sendable, Equatable {
        public var keyword: String
        public var value: String

        public init(_ keyword: String, _ value: String) {
            self.keyword = keyword
            self.value = value
        }
    }

    /// Seconds libpq waits for a server to answer, unless the URL says otherwise.
    public static let defaultConnectTimeout = 10

    public var user: String?
    public var password: String?
    /// Hosts, comma-separated when there are several (decoded, IPv6 without brackets).
    public var host: String?
    /// Ports, comma-separated like the hosts.
    public var port: String?
    public var database: String?
    /// The query parameters in URL order (decoded).
    public var query: [Parameter]

    /// The URL with the password (user info and `password=`) replaced by `***`.
    public let redacted: String
    /// The password's forms as they may appear anywhere: as written in the URL, decoded, and
    /// fully percent-encoded, for the user info and every `password=` parameter.
    public let secrets: [String]

    /// Whether `text` is meant as a PostgreSQL URL (by its scheme).
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    public init(_ text: String) throws {
        guard let schemeEnd = text.range(of: "://"), Self.isURL(text) else {
            throw DatabaseError(message: "not a PostgreSQL URL (postgres://user:password@host:port/database)")
        }
        let parts = ServerURLParts(text, schemeEnd: schemeEnd)
        let (scheme, rawUser, rawPassword, authority, rawQuery) = (
            parts.scheme, parts.rawUser, parts.rawPassword, parts.authority, parts.rawQuery
        )
        let pathAndQuery = parts.path

        var parameters: [Parameter] = []
        var redactedQuery: [String] = []
        var secrets: [String] = []
        for pair in (rawQuery ?? "").split(separator: "&", omittingEmptySubsequences: true) {
            let equals = pair.firstIndex(of: "=")
            let key = Self.percentDecoded(equals.map { pair[..<$0] } ?? pair)
            let rawValue = equals.map { pair[pair.index(after: $0)...] } ?? ""
            if key == "password" {
                secrets += [String(rawValue), Self.percentDecoded(rawValue)]
                redactedQuery.append(String(equals.map { pair[..<$0] } ?? pair) + "=***")
            } else {
                redactedQuery.append(String(pair))
            }
            if key == "ssl" && rawValue == "true" {
                parameters.append(Parameter("sslmode", "require"))  // as libpq reads its own URIs
            } else {
                parameters.append(Parameter(key, Self.percentDecoded(rawValue)))
            }
        }
        if let rawPassword {
            secrets += [String(rawPassword), Self.percentDecoded(rawPassword)]
        }
        // The fully percent-encoded form too: how a script would most likely write it into a URL.
        secrets += secrets.map(Self.percentEncoded)
        self.secrets = Array(Set(secrets.filter { !$0.isEmpty })).sorted()
        var shown = scheme
        if let rawUser {
            shown += rawUser + (rawPassword == nil ? "" : ":***") + "@"
        }
        shown += authority + pathAndQuery
        if rawQuery != nil { shown += "?" + redactedQuery.joined(separator: "&") }
        redacted = shown

        user = rawUser.map(Self.percentDecoded).flatMap { $0.isEmpty ? nil : $0 }
        password = rawPassword.map(Self.percentDecoded)
        query = parameters
        let database = pathAndQuery.dropFirst()
        self.database = database.isEmpty ? nil : Self.percentDecoded(database)
        (host, port) = try Self.hostsAndPorts(authority, shown: shown)
    }

    /// The keyword/value pairs for `PQconnectdbParams`: `connect_timeout` (default), then the parts
    /// of the URL, then its query parameters (the last value of a keyword wins in libpq).
    public var connectionParameters: [Parameter] {
        var parameters: [Parameter] = []
        if !query.contains(where: { $0.keyword == "connect_timeout" }) {
            parameters.append(Parameter("connect_timeout", String(Self.defaultConnectTimeout)))
        }
        if let host { parameters.append(Parameter("host", host)) }
        if let port { parameters.append(Parameter("port", port)) }
        if let database { parameters.append(Parameter("dbname", database)) }
        if let user { parameters.append(Parameter("user", user)) }
        if let password { parameters.append(Parameter("password", password)) }
        return parameters + query
    }

    // MARK: Parsing

    /// The `@` that ends the user info: the last one of the URL, unless what would be the user
    /// name holds a `/` or `?` (then that `@` is in the path or query, and an earlier one is tried).
    static func userInfoEnd(_ rest: Substring) -> Substring.Index? {
        var candidates = rest.indices.filter { rest[$0] == "@" }
        while let at = candidates.popLast() {
            let userInfo = rest[..<at]
            let user = userInfo.firstIndex(of: ":").map { userInfo[..<$0] } ?? userInfo
            if !user.contains(where: { $0 == "/" || $0 == "?" }) { return at }
        }
        return nil
    }

    /// `h1:5432,[::1]:5433,h3` → hosts `h1,::1,h3`, ports `5432,5433,` (nil when no port is given).
    private static func hostsAndPorts(_ authority: Substring, shown: String) throws -> (String?, String?) {
        guard !authority.isEmpty else { return (nil, nil) }
        var hosts: [String] = []
        var ports: [String] = []
        for entry in authority.split(separator: ",", omittingEmptySubsequences: false) {
            var host = entry
            var port: Substring = ""
            if entry.hasPrefix("[") {
                guard let close = entry.firstIndex(of: "]") else {
                    throw DatabaseError(message: "the PostgreSQL URL \(shown) has an IPv6 host without its closing ]")
                }
                host = entry[entry.index(after: entry.startIndex)..<close]
                let after = entry[entry.index(after: close)...]
                if after.hasPrefix(":") {
                    port = after.dropFirst()
                } else if !after.isEmpty {
                    throw DatabaseError(message: "the PostgreSQL URL \(shown) has text after an IPv6 host")
                }
            } else if let colon = entry.lastIndex(of: ":") {
                host = entry[..<colon]
                port = entry[entry.index(after: colon)...]
            }
            guard port.allSatisfy(\.isASCII) && port.allSatisfy(\.isNumber) else {
                throw DatabaseError(message: "the PostgreSQL URL \(shown) has a port that is not a number")
            }
            hosts.append(percentDecoded(host))
            ports.append(String(port))
        }
        let host = hosts.allSatisfy(\.isEmpty) ? nil : hosts.joined(separator: ",")
        let port = ports.allSatisfy(\.isEmpty) ? nil : ports.joined(separator: ",")
        return (host, port)
    }

    /// Percent-decodes UTF-8 text; a `%` without two hex digits after it is kept literally.
    static func percentDecoded(_ text: Substring) -> String {
        String(decoding: PercentEncoding.decoded(Array(text.utf8)), as: UTF8.self)
    }

    /// Every byte but the unreserved ones (`A-Z a-z 0-9 - . _ ~`) as `%XX`.
    static func percentEncoded(_ text: String) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var encoded: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                encoded.append(byte)
            default:
                encoded += [UInt8(ascii: "%"), digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }
}
