/// The host of a special URL (http, https, ws, wss, ftp) as a WHATWG URL parser — every browser —
/// reads it (URL Standard §3.5 "host parsing"), except that non-ASCII hosts are not converted to
/// punycode: they are reported instead.
enum WHATWGHost {
    /// What the host text reads as.
    enum Reading: Equatable {
        /// A domain (lowercased ASCII) or a dotted-decimal IPv4 address.
        case name(String)
        /// An IPv6 address in its shortest form, without brackets.
        case ipv6(String)
        /// Not ASCII after percent-decoding: a browser converts it with IDNA, which b24plan does not.
        case nonASCII(String)
        /// A browser refuses the URL.
        case invalid(Invalid)
    }

    /// Why a browser refuses a host.
    enum Invalid: Equatable {
        case empty
        /// A code point a browser does not allow in a domain (after percent-decoding).
        case forbidden(Unicode.Scalar)
        /// The last label is a number, so it must be an IPv4 address, and it is not one.
        case ipv4
        case ipv6
    }

    /// Reads the host part of an authority (between `@` and `:port`), as written.
    static func read(_ text: String) -> Reading {
        if text.hasPrefix("[") {
            guard text.hasSuffix("]"), text.count >= 2, let address = IPv6Address(String(text.dropFirst().dropLast())) else {
                return .invalid(.ipv6)
            }
            return .ipv6(address.description)
        }
        let decoded = String(decoding: percentDecoded(Array(text.utf8)), as: UTF8.self)
        if decoded.isEmpty { return .invalid(.empty) }
        if !decoded.unicodeScalars.allSatisfy(\.isASCII) { return .nonASCII(decoded) }
        let domain = decoded.lowercased()
        if let forbidden = domain.unicodeScalars.first(where: isForbidden) { return .invalid(.forbidden(forbidden)) }
        guard endsInANumber(domain) else { return .name(domain) }
        guard let address = ipv4(domain) else { return .invalid(.ipv4) }
        return .name(address)
    }

    /// Forbidden domain code points: C0 controls, space, `#%/:<>?@[\]^|` and DEL.
    static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "#", "%", "/", ":", "<", ">", "?", "@", "[", "\\", "]", "^", "|": return true
        default: return scalar.value <= 0x20 || scalar.value == 0x7F
        }
    }

    /// `%XX` sequences replaced by their byte; a `%` without two hex digits stays.
    static func percentDecoded(_ bytes: [UInt8]) -> [UInt8] { PercentEncoding.decoded(bytes) }

    /// Whether the last label (a trailing dot aside) is decimal digits or `0x` and hex digits.
    static func endsInANumber(_ domain: String) -> Bool {
        var labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        if labels.last == "" {
            if labels.count == 1 { return false }
            labels.removeLast()
        }
        guard let last = labels.last, !last.isEmpty else { return false }
        if last.allSatisfy({ $0.isASCII && $0.isNumber }) { return true }
        return last.hasPrefix("0x") && last.dropFirst(2).allSatisfy(\.isHexDigit)
    }

    /// The IPv4 parser: 1–4 parts, each decimal, octal (leading 0) or hex (0x), the last one filling
    /// the remaining bytes (`127.1` is 127.0.0.1, `0x7f000001` too). Dotted decimal, or nil.
    static func ipv4(_ text: String) -> String? {
        var parts = text.split(separator: ".", omittingEmptySubsequences: false)
        if parts.last == "", parts.count > 1 { parts.removeLast() }
        guard parts.count <= 4 else { return nil }
        var numbers: [UInt64] = []
        for part in parts {
            guard let number = ipv4Number(part) else { return nil }
            numbers.append(number)
        }
        guard let last = numbers.last, numbers.dropLast().allSatisfy({ $0 <= 255 }) else { return nil }
        guard last < 1 << (8 * UInt64(5 - numbers.count)) else { return nil }
        var address = last
        for (index, number) in numbers.dropLast().enumerated() {
            address += number << (8 * UInt64(3 - index))
        }
        return (0..<4).map { String((address >> (8 * UInt64(3 - $0))) & 0xFF) }.joined(separator: ".")
    }

    private static func ipv4Number(_ part: Substring) -> UInt64? {
        guard !part.isEmpty else { return nil }
        var digits = part
        var radix: UInt64 = 10
        if part.hasPrefix("0x") || part.hasPrefix("0X") {
            digits = part.dropFirst(2)
            radix = 16
        } else if part.count >= 2, part.hasPrefix("0") {
            digits = part.dropFirst()
            radix = 8
        }
        var value: UInt64 = 0
        for character in digits {
            guard character.isASCII, let digit = character.hexDigitValue, UInt64(digit) < radix else { return nil }
            let (product, overflow) = value.multipliedReportingOverflow(by: radix)
            guard !overflow, product <= UInt64(UInt32.max) else { return nil }
            value = product + UInt64(digit)
        }
        return value
    }
}
