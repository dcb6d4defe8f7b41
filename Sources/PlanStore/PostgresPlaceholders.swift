/// Rewrites `?` parameter markers into PostgreSQL's numbered `$1, $2, …`.
///
/// A small scanner over the statement's UTF-8 bytes (every delimiter it looks for is ASCII, so
/// multi-byte characters pass through untouched). A `?` is left alone inside:
/// - string literals `'…'` (with `''` escapes) and escape strings `E'…'` (with `\'` escapes too),
/// - quoted identifiers `"…"` (with `""` escapes),
/// - line comments `-- …` and block comments `/* … */` (which nest in PostgreSQL),
/// - dollar-quoted strings `$$…$$` and `$tag$…$tag$`.
///
/// Limitation: PostgreSQL's jsonb operators `?`, `?|` and `?&` cannot be told apart from a
/// parameter; write `jsonb_exists(…)`, `jsonb_exists_any(…)` or `jsonb_exists_all(…)` instead.
enum PostgresPlaceholders {
    /// The statement with each parameter `?` replaced by `$n`, and how many there were.
    static func rewrite(_ sql: String) -> (sql: String, count: Int) {
        let bytes = Array(sql.utf8)
        guard bytes.contains(UInt8(ascii: "?")) else { return (sql, 0) }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 8)
        var count = 0
        var copied = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "?"):
                count += 1
                output.append(contentsOf: bytes[copied..<index])
                output.append(UInt8(ascii: "$"))
                output.append(contentsOf: String(count).utf8)
                index += 1
                copied = index
            case UInt8(ascii: "'"):
                let escapes =
                    index > 0 && (bytes[index - 1] | 0x20) == UInt8(ascii: "e")
                    && (index < 2 || !isIdentifier(bytes[index - 2]))
                index = endOfQuoted(bytes, from: index, quote: byte, backslashEscapes: escapes)
            case UInt8(ascii: "\""):
                index = endOfQuoted(bytes, from: index, quote: byte, backslashEscapes: false)
            case UInt8(ascii: "-") where next(bytes, index) == UInt8(ascii: "-"):
                index = bytes[index...].firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? bytes.count
            case UInt8(ascii: "/") where next(bytes, index) == UInt8(ascii: "*"):
                index = endOfBlockComment(bytes, from: index)
            case UInt8(ascii: "$") where index == 0 || !isIdentifier(bytes[index - 1]):
                index = endOfDollarQuote(bytes, from: index) ?? index + 1
            default:
                index += 1
            }
        }
        output.append(contentsOf: bytes[copied...])
        return (String(decoding: output, as: UTF8.self), count)
    }

    private static func next(_ bytes: [UInt8], _ index: Int) -> UInt8? {
        index + 1 < bytes.count ? bytes[index + 1] : nil
    }

    /// Letters, digits, `_`, `$` and any non-ASCII byte can be part of an identifier.
    private static func isIdentifier(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "$"), 0x80...:
            return true
        default:
            return false
        }
    }

    /// The index just past the closing quote (a doubled quote is an escaped one).
    private static func endOfQuoted(_ bytes: [UInt8], from start: Int, quote: UInt8, backslashEscapes: Bool) -> Int {
        var index = start + 1
        while index < bytes.count {
            let byte = bytes[index]
            if backslashEscapes && byte == UInt8(ascii: "\\") {
                index += 2
            } else if byte == quote {
                if next(bytes, index) == quote { index += 2 } else { return index + 1 }
            } else {
                index += 1
            }
        }
        return bytes.count
    }

    /// The index just past the `*/` that closes the comment at `start`, counting nested comments.
    private static func endOfBlockComment(_ bytes: [UInt8], from start: Int) -> Int {
        var depth = 0
        var index = start
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "/") && next(bytes, index) == UInt8(ascii: "*") {
                depth += 1
                index += 2
            } else if bytes[index] == UInt8(ascii: "*") && next(bytes, index) == UInt8(ascii: "/") {
                depth -= 1
                index += 2
                if depth == 0 { return index }
            } else {
                index += 1
            }
        }
        return bytes.count
    }

    /// The index just past the closing tag when a `$tag$` opens at `start`, nil when `$` starts
    /// something else (a `$1` parameter, say).
    private static func endOfDollarQuote(_ bytes: [UInt8], from start: Int) -> Int? {
        var index = start + 1
        while index < bytes.count && bytes[index] != UInt8(ascii: "$") {
            let byte = bytes[index]
            let isDigit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            guard isIdentifier(byte), !(index == start + 1 && isDigit) else { return nil }
            index += 1
        }
        guard index < bytes.count else { return nil }
        let tag = bytes[start...index]
        var search = index + 1
        while search + tag.count <= bytes.count {
            if bytes[search] == UInt8(ascii: "$") && bytes[search..<(search + tag.count)].elementsEqual(tag) {
                return search + tag.count
            }
            search += 1
        }
        return bytes.count
    }
}
