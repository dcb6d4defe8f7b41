/// A database server URL taken apart the way both `PostgresURL` and `MySQLURL` read it:
/// `scheme://USER:PASSWORD@AUTHORITY/PATH?QUERY`, the user info ending at the LAST `@` (so a
/// password may hold `@`, `/`, `:` or `?` as it is); every part still raw (not percent-decoded).
struct ServerURLParts {
    /// `postgres://`, `mysql://`, … as written.
    var scheme: String
    var rawUser: Substring?
    var rawPassword: Substring?
    /// `host:port` (or a bracketed IPv6 address, or a percent-encoded socket path).
    var authority: Substring
    /// From the `/` after the authority up to the query (may be empty).
    var path: Substring
    var rawQuery: Substring?

    init(_ text: String, schemeEnd: Range<String.Index>) {
        scheme = String(text[..<schemeEnd.upperBound])
        let rest = text[schemeEnd.upperBound...]
        var afterUserInfo = rest
        if let at = PostgresURL.userInfoEnd(rest) {
            let userInfo = rest[..<at]
            if let colon = userInfo.firstIndex(of: ":") {
                rawUser = userInfo[..<colon]
                rawPassword = userInfo[userInfo.index(after: colon)...]
            } else {
                rawUser = userInfo
            }
            afterUserInfo = rest[rest.index(after: at)...]
        }
        let authorityEnd = afterUserInfo.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? afterUserInfo.endIndex
        authority = afterUserInfo[..<authorityEnd]
        var pathAndQuery = afterUserInfo[authorityEnd...]
        if let question = pathAndQuery.firstIndex(of: "?") {
            rawQuery = pathAndQuery[pathAndQuery.index(after: question)...]
            pathAndQuery = pathAndQuery[..<question]
        }
        path = pathAndQuery
    }
}
