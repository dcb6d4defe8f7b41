import Foundation

/// Where a portal's 302 may take its token (DESIGN §7, redirects).
enum RedirectPolicy {
    enum Decision: Equatable {
        case follow
        case refuse(String)
    }

    /// Bitrix24 cloud domains: a portal renamed there is still Bitrix24's.
    static let cloudDomains = [
        "bitrix24.ru", "bitrix24.com", "bitrix24.de", "bitrix24.eu", "bitrix24.es", "bitrix24.fr", "bitrix24.it", "bitrix24.pl",
        "bitrix24.uk", "bitrix24.by", "bitrix24.kz", "bitrix24.ua", "bitrix24.in", "bitrix24.br", "bitrix24.cn", "bitrix24.co",
        "bitrix24.tr", "bitrix24.id", "bitrix24.jp", "bitrix24.vn", "bitrix24.com.br", "bitrix24.com.tr", "bitrix24.mx",
    ]

    /// Whether a redirect from `current` to `target` is followed. A host the OAuth server reported
    /// for the portal needs no redirect: the session moves there at the refresh.
    static func decide(from current: String, to target: String) -> Decision {
        guard let to = Origin(target) else { return .refuse("the address is not a valid URL") }
        let from = Origin(current)
        let loopbackPair = from.map { $0.isLoopback && to.isLoopback } ?? false
        guard to.scheme == "https" || (to.scheme == "http" && loopbackPair) else {
            return .refuse("only https addresses are followed (the token would travel unencrypted)")
        }
        if let from, from == to { return .follow }
        if to.isBitrix24Cloud { return .follow }
        return .refuse(
            "\(to.host) is another host, and the OAuth server has not confirmed it as this portal's address; "
                + "the token is not sent there (the portal follows once a token refresh reports that address)")
    }

    /// The address for messages: scheme, host, port and path, no query.
    static func display(_ url: String) -> String {
        url.firstIndex(of: "?").map { String(url[..<$0]) } ?? url
    }

    /// Scheme, host and port of a URL, lower-cased.
    struct Origin: Equatable {
        var scheme: String
        var host: String
        var port: Int

        init?(_ text: String) {
            guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
                let host = components.host?.lowercased(), !host.isEmpty, components.user == nil, components.password == nil
            else { return nil }
            self.scheme = scheme
            self.host = host.hasSuffix(".") ? String(host.dropLast()) : host
            self.port = components.port ?? (scheme == "https" ? 443 : 80)
        }

        var isLoopback: Bool {
            host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]" || host.hasSuffix(".localhost")
        }

        var isBitrix24Cloud: Bool {
            scheme == "https" && RedirectPolicy.cloudDomains.contains { host.hasSuffix("." + $0) }
        }
    }
}
