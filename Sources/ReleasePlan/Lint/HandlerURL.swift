import Foundation

/// The parts of a handler URL the rules check: scheme and host (port and path are not needed).
struct HandlerURL: Equatable {
    var scheme: String
    /// Lowercased, without brackets for IPv6 and without the port.
    var host: String

    /// Nil when `text` is not an absolute `scheme://host…` URL.
    init?(_ text: String) {
        guard let separator = text.range(of: "://") else { return nil }
        let scheme = text[..<separator.lowerBound].lowercased()
        guard !scheme.isEmpty, scheme.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." })
        else { return nil }
        var authority = text[separator.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var host: Substring
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
        } else {
            host = authority.prefix { $0 != ":" }
        }
        guard !host.isEmpty, !host.contains(where: { $0.isWhitespace }) else { return nil }
        self.scheme = scheme
        self.host = host.lowercased()
    }

    /// localhost, 127.0.0.0/8 and ::1: hosts a developer's machine serves, exempt from https and handlerHosts.
    var isLoopback: Bool {
        if host == "localhost" || host.hasSuffix(".localhost") || host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127"
            && parts.allSatisfy { part in
                !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCII) && part.allSatisfy(\.isNumber) && (Int(part) ?? 256) <= 255
            }
    }

    /// Whether the host matches a `handlerHosts` entry: exactly (case-insensitive, port ignored), or
    /// `*.example.com` for any subdomain of example.com.
    func matches(_ pattern: String) -> Bool {
        var pattern = pattern.lowercased()
        if let colon = pattern.lastIndex(of: ":"), !pattern.contains("]"), pattern.filter({ $0 == ":" }).count == 1 {
            pattern = String(pattern[..<colon])
        }
        if pattern.hasPrefix("*.") {
            let suffix = pattern.dropFirst(1)
            return host.hasSuffix(suffix) && host.count > suffix.count
        }
        return host == pattern
    }
}
