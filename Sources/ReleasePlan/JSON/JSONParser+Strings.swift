extension JSONParser {
    /// Reads a string literal starting at a `"` (or a `'`, already reported), decoding escapes.
    /// Reports bad escapes, raw control characters and a string left open at the end of the line.
    mutating func readString() -> (text: String, terminated: Bool) {
        let quote = current
        let open = position
        position += 1
        // Most strings have no escape and no control character: their text is their bytes.
        var end = position
        while end < bytes.count {
            let byte = bytes[end]
            if byte == quote || byte == ASCII.backslash || byte < 0x20 { break }
            end += 1
        }
        if end < bytes.count, bytes[end] == quote {
            let text = String(decoding: bytes[position..<end], as: UTF8.self)
            position = end + 1
            return (text, true)
        }
        var output = Array(bytes[position..<end])
        position = end
        while true {
            guard !isAtEnd else {
                error(JSONSyntaxMessages.unterminatedString, at: open)
                return (String(decoding: output, as: UTF8.self), false)
            }
            let byte = current
            if byte == quote {
                position += 1
                return (String(decoding: output, as: UTF8.self), true)
            }
            if byte == ASCII.newline || byte == ASCII.carriageReturn {
                error(JSONSyntaxMessages.unterminatedString, at: open)
                return (String(decoding: output, as: UTF8.self), false)
            }
            if byte < 0x20 {
                error(JSONSyntaxMessages.controlCharacterInString, at: position)
                position += 1
                continue
            }
            if byte == ASCII.backslash {
                readEscape(into: &output)
                continue
            }
            output.append(byte)
            position += 1
        }
    }

    private mutating func readEscape(into output: inout [UInt8]) {
        let start = position
        position += 1
        guard !isAtEnd else { return }
        let escaped = current
        position += 1
        switch escaped {
        case ASCII.quote, ASCII.backslash, ASCII.slash: output.append(escaped)
        case UInt8(ascii: "b"): output.append(0x08)
        case UInt8(ascii: "f"): output.append(0x0C)
        case UInt8(ascii: "n"): output.append(ASCII.newline)
        case UInt8(ascii: "r"): output.append(ASCII.carriageReturn)
        case UInt8(ascii: "t"): output.append(ASCII.tab)
        case UInt8(ascii: "u"):
            guard var scalar = readHex4() else {
                error(JSONSyntaxMessages.badUnicodeEscape, at: start, length: min(6, position - start))
                return
            }
            if (0xD800..<0xDC00).contains(scalar), current == ASCII.backslash,
                position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u")
            {
                let save = position
                position += 2
                if let low = readHex4(), (0xDC00..<0xE000).contains(low) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    position = save
                }
            }
            let character = Unicode.Scalar(scalar) ?? "\u{FFFD}"
            output.append(contentsOf: Array(String(Character(character)).utf8))
        case ASCII.apostrophe:
            error(JSONSyntaxMessages.badEscape("\\'"), at: start, length: 2)
            output.append(escaped)
        default:
            if escaped == ASCII.newline || escaped == ASCII.carriageReturn {
                position -= 1
                error(JSONSyntaxMessages.badEscape("\\ at the end of a line"), at: start, length: 1)
                return
            }
            let text = String(decoding: [escaped], as: UTF8.self)
            error(JSONSyntaxMessages.badEscape("\\" + text), at: start, length: 2)
            output.append(escaped)
        }
    }

    /// The four hex digits at `position` (`JSONText.hex4`), read past.
    private mutating func readHex4() -> UInt32? {
        guard let value = JSONText.hex4(bytes, at: position) else { return nil }
        position += 4
        return value
    }
}

/// JSON's number grammar: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
enum JSONNumberGrammar {
    static func isValid<Bytes: RandomAccessCollection<UInt8>>(_ text: Bytes) -> Bool where Bytes.Index == Int {
        var index = text.startIndex
        func digits() -> Int {
            let start = index
            while index < text.endIndex, text[index] >= ASCII.digit0, text[index] <= ASCII.digit9 { index += 1 }
            return index - start
        }
        if index < text.endIndex, text[index] == ASCII.minus { index += 1 }
        guard index < text.endIndex else { return false }
        if text[index] == ASCII.digit0 {
            index += 1
        } else if digits() == 0 {
            return false
        }
        if index < text.endIndex, text[index] == ASCII.dot {
            index += 1
            if digits() == 0 { return false }
        }
        if index < text.endIndex, text[index] == UInt8(ascii: "e") || text[index] == UInt8(ascii: "E") {
            index += 1
            if index < text.endIndex, text[index] == ASCII.plus || text[index] == ASCII.minus { index += 1 }
            if digits() == 0 { return false }
        }
        return index == text.endIndex
    }
}

/// Byte values the parsers compare against.
enum ASCII {
    static let tab = UInt8(ascii: "\t")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let quote = UInt8(ascii: "\"")
    static let apostrophe = UInt8(ascii: "'")
    static let plus = UInt8(ascii: "+")
    static let comma = UInt8(ascii: ",")
    static let minus = UInt8(ascii: "-")
    static let dot = UInt8(ascii: ".")
    static let slash = UInt8(ascii: "/")
    static let star = UInt8(ascii: "*")
    static let digit0 = UInt8(ascii: "0")
    static let digit9 = UInt8(ascii: "9")
    static let colon = UInt8(ascii: ":")
    static let equals = UInt8(ascii: "=")
    static let openBracket = UInt8(ascii: "[")
    static let backslash = UInt8(ascii: "\\")
    static let closeBracket = UInt8(ascii: "]")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")

    /// Letters, `_`, `$` and any non-ASCII byte: what a bare word (unquoted key, `True`) is made of.
    static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$") || byte >= 0x80
    }

    /// Bytes a malformed number may be made of (so `0x1F`, `1.2.3` and `+1` are read as one token).
    static func isNumberByte(_ byte: UInt8) -> Bool {
        (byte >= digit0 && byte <= digit9) || byte == dot || byte == plus || byte == minus
            || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }
}
