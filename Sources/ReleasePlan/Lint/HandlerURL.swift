/// A handler URL as a browser reads it (the WHATWG URL Standard), and what is wrong with it.
///
/// The host is the one a WHATWG parser reads, so `handlerHosts` (B24P208) checks the host Bitrix24
/// and browsers will really call: in `https://evil.example\@app.acme.example/x` that is evil.example,
/// because a backslash ends the authority as a slash does.
struct HandlerURL: Equatable {
    /// Lowercased; empty when the text has no scheme.
    var scheme: String
    /// Lowercased, without brackets for IPv6 and without the port; nil when a browser finds no host
    /// (or b24plan cannot tell which: a non-ASCII host).
    var host: String?
    /// Everything B24P207 reports, in a fixed order (one diagnostic each).
    var problems: [HandlerURLProblem]

    /// Schemes whose URLs have a host the WHATWG way (backslash as slash, slashes optional).
    static let specialSchemes: Set<String> = ["http", "https", "ws", "wss", "ftp"]

    init(_ text: String) {
        if let host = Self.plainHTTPSHost(text) {
            // What `init(parsing:)` reads too, without its scalar arrays: a hot path in big plans.
            self.init(scheme: "https", host: host, problems: [])
        } else {
            self.init(parsing: text)
        }
    }

    private init(scheme: String, host: String?, problems: [HandlerURLProblem]) {
        self.scheme = scheme
        self.host = host
        self.problems = problems
    }

    /// The host of `https://host` or `https://host/…` written plainly: the host of lowercase ASCII
    /// letters, digits, `-` and `.`, its last label no number (so no IPv4 address), then nothing or a
    /// path, query or fragment of printable ASCII without a backslash. A browser reads such a URL as
    /// written, with nothing for B24P207 to report. Nil for any other text.
    static func plainHTTPSHost(_ text: String) -> String? {
        text.utf8.withContiguousStorageIfAvailable(plainHTTPSHost) ?? nil
    }

    private static func plainHTTPSHost(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let scheme = "https://".utf8
        guard bytes.count > scheme.count, bytes.starts(with: scheme) else { return nil }
        let hostStart = scheme.count
        var hostEnd = hostStart
        while hostEnd < bytes.count {
            let byte = bytes[hostEnd]
            let isHostByte =
                (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            guard isHostByte else { break }
            hostEnd += 1
        }
        guard hostEnd > hostStart else { return nil }
        if hostEnd < bytes.count {
            let separator = bytes[hostEnd]
            guard separator == UInt8(ascii: "/") || separator == UInt8(ascii: "?") || separator == UInt8(ascii: "#") else { return nil }
            for byte in bytes[hostEnd...] where byte <= 0x20 || byte >= 0x7F || byte == UInt8(ascii: "\\") { return nil }
        }
        let host = String(decoding: UnsafeBufferPointer(rebasing: bytes[hostStart..<hostEnd]), as: UTF8.self)
        // A last label with a letter beyond a-f and x is no number: most hosts answer here.
        var lastLabel = bytes[hostStart..<hostEnd]
        if lastLabel.last == UInt8(ascii: ".") { lastLabel = lastLabel.dropLast() }
        if let dot = lastLabel.lastIndex(of: UInt8(ascii: ".")) { lastLabel = lastLabel[(dot + 1)...] }
        let word = lastLabel.contains { $0 >= UInt8(ascii: "g") && $0 <= UInt8(ascii: "z") && $0 != UInt8(ascii: "x") }
        return word || !WHATWGHost.endsInANumber(host) ? host : nil
    }

    /// The URL as the WHATWG URL Standard reads it, with every problem B24P207 reports.
    init(parsing text: String) {
        scheme = ""
        host = nil
        problems = []
        let scalars = Array(text.unicodeScalars)
        var characterProblems: [HandlerURLProblem] = []
        if let control = scalars.first(where: \.isControlCharacter) { characterProblems.append(.controlCharacter(control)) }
        // ASCII answers without a Unicode property lookup (the common case, and a hot path in big plans).
        if let space = scalars.first(where: { $0.isASCII ? $0 == " " : $0.properties.isWhitespace && !$0.isControlCharacter }) {
            characterProblems.append(.whitespace(space))
        }
        // WHATWG: tabs and newlines are removed, leading and trailing C0 controls and spaces trimmed.
        var input = scalars.filter { $0 != "\t" && $0 != "\n" && $0 != "\r" }[...]
        while let first = input.first, first.value <= 0x20 { input.removeFirst() }
        while let last = input.last, last.value <= 0x20 { input.removeLast() }
        guard let colon = Self.schemeEnd(input) else {
            problems = [.notAbsolute] + characterProblems
            return
        }
        scheme = String(String.UnicodeScalarView(input[..<colon])).lowercased()
        let rest = input[(colon + 1)...]
        let special = Self.specialSchemes.contains(scheme)
        let slashes = rest.prefix { $0 == "/" || (special && $0 == "\\") }
        guard special || slashes.count >= 2 else {
            problems = [.notAbsolute] + characterProblems
            return
        }
        let authorityStart = special ? slashes.endIndex : rest.startIndex + 2
        let authority = rest[authorityStart...].prefix { !($0 == "/" || $0 == "?" || $0 == "#" || (special && $0 == "\\")) }
        var hostAndPort = authority
        let userinfo = authority.lastIndex(of: "@")
        if let userinfo { hostAndPort = authority[(userinfo + 1)...] }
        let hostProblems = readHost(hostAndPort, special: special)

        if scheme != "https" && !(scheme == "http" && isLoopback) { problems.append(.notHTTPS) }
        if scalars.contains("\\") { problems.append(.backslash(host: host)) }
        if userinfo != nil { problems.append(.userinfo) }
        problems += characterProblems
        if special && slashes.count != 2 && !slashes.contains("\\") { problems.append(.slashes(host: host)) }
        problems += hostProblems
    }

    /// The index of the `:` ending a scheme (an ASCII letter, then letters, digits, `+`, `-`, `.`).
    private static func schemeEnd(_ input: ArraySlice<Unicode.Scalar>) -> Int? {
        guard let first = input.first, first.isASCII, first.properties.isAlphabetic else { return nil }
        for index in input.indices.dropFirst() {
            let scalar = input[index]
            if scalar == ":" { return index }
            guard scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "+-.".unicodeScalars.contains(scalar)
            else { return nil }
        }
        return nil
    }

    /// Splits `host[:port]`, checks the port and reads the host as a browser does (sets `host`).
    private mutating func readHost(_ hostAndPort: ArraySlice<Unicode.Scalar>, special: Bool) -> [HandlerURLProblem] {
        var problems: [HandlerURLProblem] = []
        var insideBrackets = false
        var portStart: Int?
        for index in hostAndPort.indices {
            let scalar = hostAndPort[index]
            if scalar == "[" { insideBrackets = true }
            if scalar == "]" { insideBrackets = false }
            if scalar == ":" && !insideBrackets {
                portStart = index
                break
            }
        }
        let written = String(String.UnicodeScalarView(hostAndPort[..<(portStart ?? hostAndPort.endIndex)]))
        if let portStart {
            let port = String(String.UnicodeScalarView(hostAndPort[(portStart + 1)...]))
            if !port.isEmpty && !(port.unicodeScalars.allSatisfy { ("0"..."9").contains($0) } && (Int(port) ?? Int.max) <= 65535) {
                problems.append(.badPort(port))
            }
        }
        if written.isEmpty {
            problems.append(.noHost)
            return problems
        }
        guard special else {
            host = written.lowercased()
            return problems
        }
        switch WHATWGHost.read(written) {
        case .name(let name):
            host = name
            if name != written.lowercased() {
                problems.append(.hostReadDifferently(written: written, read: name))
            } else if let character = name.first(where: { !Self.isHostNameCharacter($0) }) {
                problems.append(.hostCharacter(written: written, character: character))
            }
        case .ipv6(let address):
            host = address
        case .nonASCII(let decoded):
            problems.append(.nonASCIIHost(written: written, decoded: decoded))
        case .invalid(let reason):
            problems.append(.invalidHost(written: written, reason: reason))
        }
        return problems
    }

    /// Letters, digits, `-`, `.` and `_` (which some DNS names have): what a host name is made of.
    private static func isHostNameCharacter(_ character: Character) -> Bool {
        guard let byte = character.asciiValue else { return false }
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }

    /// localhost, 127.0.0.0/8 and ::1: hosts a developer's machine serves, exempt from https and handlerHosts.
    var isLoopback: Bool {
        guard let host = host.map(Self.withoutRootDot) else { return false }
        if host == "localhost" || Self.hasSuffix(host, ".localhost") || host == "::1" { return true }
        // Four parts, the first one 127: nothing else to look at without that start.
        guard host.utf8.starts(with: "127.".utf8) else { return false }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127"
            && parts.allSatisfy { part in
                !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCII) && part.allSatisfy(\.isNumber) && (Int(part) ?? 256) <= 255
            }
    }

    /// Whether the host matches a `handlerHosts` entry: exactly (case-insensitive, port ignored, a
    /// trailing root dot ignored), or `*.example.com` for any subdomain of example.com.
    func matches(_ pattern: String) -> Bool {
        matches(normalizedPattern: Self.normalizedPattern(pattern))
    }

    /// A `handlerHosts` entry as `matches` compares it: lowercased, without a port or a trailing
    /// root dot. Computed once per entry, not once per handler.
    static func normalizedPattern(_ pattern: String) -> String {
        var pattern = pattern.lowercased()
        if let colon = pattern.lastIndex(of: ":"), !pattern.contains("]"), pattern.filter({ $0 == ":" }).count == 1 {
            pattern = String(pattern[..<colon])
        }
        return Self.withoutRootDot(pattern)
    }

    /// `matches` with the entry already normalized (`normalizedPattern`).
    func matches(normalizedPattern pattern: String) -> Bool {
        guard let host = host.map(Self.withoutRootDot) else { return false }
        if pattern.hasPrefix("*.") {
            let suffix = pattern.dropFirst(1)
            if Self.isPrintableASCII(host) && Self.isPrintableASCII(suffix) {
                return Self.hasSuffix(host, String(suffix)) && host.utf8.count > suffix.utf8.count
            }
            return host.hasSuffix(suffix) && host.count > suffix.count
        }
        return host == pattern
    }

    /// Whether every byte is printable ASCII (a space to `~`): then bytes are characters, and
    /// suffixes and counts need no breaking into characters.
    private static func isPrintableASCII<Text: StringProtocol>(_ text: Text) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// `String.hasSuffix`, compared byte by byte for printable ASCII text.
    private static func hasSuffix(_ text: String, _ suffix: String) -> Bool {
        guard isPrintableASCII(text) else { return text.hasSuffix(suffix) }
        let bytes = text.utf8
        return bytes.count >= suffix.utf8.count && bytes.dropFirst(bytes.count - suffix.utf8.count).elementsEqual(suffix.utf8)
    }

    /// `app.acme.example.` and `app.acme.example` are the same DNS name.
    private static func withoutRootDot(_ host: String) -> String {
        if isPrintableASCII(host) { return host.utf8.count > 1 && host.utf8.last == UInt8(ascii: ".") ? String(host.dropLast()) : host }
        return host.count > 1 && host.hasSuffix(".") ? String(host.dropLast()) : host
    }
}
