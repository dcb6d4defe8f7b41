/// Reads string members of a JSON document's top-level object without building a tree: finding
/// which files of a folder are plans (their `app` and `version`) reads every plan beside the one
/// linted, and a tree of a 1 MB plan costs far more than a pass over its bytes.
///
/// Strict on purpose: it answers only for a document that `JSONParser` reads without a single
/// diagnostic, where it gives what the tree would (`root.member(key)?.value.string`). Anything
/// else — a syntax error, an escape in a top-level key or in a wanted value, nesting beyond
/// `JSONParser.maximumDepth`, a root that is not an object — returns nil, and the caller parses.
enum JSONSkimmer {
    /// The text of the first top-level member named each of `keys` whose value is a string; a key
    /// whose first member holds another type is absent. Nil when the caller must parse instead.
    static func topLevelStrings(in bytes: [UInt8], keys: [String]) -> [String: String]? {
        bytes.withUnsafeBufferPointer { buffer in
            var skimmer = Skimmer(bytes: buffer, keys: keys.map { Array($0.utf8) })
            return skimmer.document() ? skimmer.found(keys) : nil
        }
    }

    private struct Skimmer {
        let bytes: UnsafeBufferPointer<UInt8>
        let keys: [[UInt8]]
        var position = 0
        var depth = 0
        /// Per key: not seen yet (nil), or the first member's string value (nil inside when not a string).
        var values: [String??]

        init(bytes: UnsafeBufferPointer<UInt8>, keys: [[UInt8]]) {
            self.bytes = bytes
            self.keys = keys
            self.values = Array(repeating: nil, count: keys.count)
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
        }

        func found(_ names: [String]) -> [String: String] {
            var result: [String: String] = [:]
            for (index, name) in names.enumerated() {
                if case .some(.some(let text)) = values[index] { result[name] = text }
            }
            return result
        }

        var current: UInt8 { position < bytes.count ? bytes[position] : 0 }

        mutating func skipWhitespace() {
            while position < bytes.count {
                switch bytes[position] {
                case ASCII.space, ASCII.tab, ASCII.newline, ASCII.carriageReturn: position += 1
                default: return
                }
            }
        }

        mutating func document() -> Bool {
            skipWhitespace()
            guard current == ASCII.openBrace, object(topLevel: true) else { return false }
            skipWhitespace()
            return position == bytes.count
        }

        mutating func value() -> Bool {
            guard position < bytes.count else { return false }
            switch bytes[position] {
            case ASCII.openBrace: return object(topLevel: false)
            case ASCII.openBracket: return array()
            case ASCII.quote: return string() != nil
            case ASCII.minus, ASCII.plus, ASCII.dot, ASCII.digit0...ASCII.digit9: return number()
            default: return word()
            }
        }

        mutating func object(topLevel: Bool) -> Bool {
            depth += 1
            defer { depth -= 1 }
            guard depth <= JSONParser.maximumDepth else { return false }
            position += 1
            skipWhitespace()
            if current == ASCII.closeBrace {
                position += 1
                return true
            }
            while true {
                guard current == ASCII.quote, let key = string() else { return false }
                // An escaped top-level key may spell a wanted one: the parser decodes it.
                if topLevel && key.escaped { return false }
                skipWhitespace()
                guard current == ASCII.colon else { return false }
                position += 1
                skipWhitespace()
                let wanted = topLevel ? keyIndex(key.range) : nil
                if let wanted, values[wanted] == nil, current == ASCII.quote {
                    guard let text = string(), !text.escaped else { return false }
                    values[wanted] = .some(String(decoding: UnsafeBufferPointer(rebasing: bytes[text.range]), as: UTF8.self))
                } else {
                    if let wanted, values[wanted] == nil { values[wanted] = .some(nil) }
                    guard value() else { return false }
                }
                skipWhitespace()
                switch separator(closing: ASCII.closeBrace) {
                case .closed: return true
                case .more: continue
                case .invalid: return false
                }
            }
        }

        enum Separator { case closed, more, invalid }

        /// After a member or element: a comma followed by more (not the closing bracket: a trailing
        /// comma is an error), or the closing bracket. Leaves `position` after what it read.
        mutating func separator(closing: UInt8) -> Separator {
            guard position < bytes.count else { return .invalid }
            if bytes[position] == closing {
                position += 1
                return .closed
            }
            guard bytes[position] == ASCII.comma else { return .invalid }
            position += 1
            skipWhitespace()
            return position < bytes.count && bytes[position] != closing ? .more : .invalid
        }

        /// Which wanted key the (unescaped) key at `range` is.
        func keyIndex(_ range: Range<Int>) -> Int? {
            let slice = bytes[range]
            for (index, wanted) in keys.enumerated() where wanted.count == slice.count && wanted.elementsEqual(slice) {
                return index
            }
            return nil
        }

        mutating func array() -> Bool {
            depth += 1
            defer { depth -= 1 }
            guard depth <= JSONParser.maximumDepth else { return false }
            position += 1
            skipWhitespace()
            if current == ASCII.closeBracket {
                position += 1
                return true
            }
            while true {
                guard value() else { return false }
                skipWhitespace()
                switch separator(closing: ASCII.closeBracket) {
                case .closed: return true
                case .more: continue
                case .invalid: return false
                }
            }
        }

        /// A string at a `"`: the range of its contents and whether it holds an escape; nil when it
        /// is not one the parser reads without a diagnostic.
        mutating func string() -> (range: Range<Int>, escaped: Bool)? {
            position += 1
            let start = position
            var escaped = false
            while position < bytes.count {
                let byte = bytes[position]
                if byte == ASCII.quote {
                    position += 1
                    return (start..<position - 1, escaped)
                }
                if byte < 0x20 { return nil }
                if byte == ASCII.backslash {
                    escaped = true
                    guard position + 1 < bytes.count else { return nil }
                    switch bytes[position + 1] {
                    case ASCII.quote, ASCII.backslash, ASCII.slash, UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"),
                        UInt8(ascii: "r"), UInt8(ascii: "t"):
                        position += 2
                    case UInt8(ascii: "u"):
                        guard position + 5 < bytes.count, (2...5).allSatisfy({ Self.isHexDigit(bytes[position + $0]) }) else {
                            return nil
                        }
                        position += 6
                    default:
                        return nil
                    }
                    continue
                }
                position += 1
            }
            return nil
        }

        static func isHexDigit(_ byte: UInt8) -> Bool {
            (byte >= ASCII.digit0 && byte <= ASCII.digit9) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
        }

        mutating func number() -> Bool {
            let start = position
            var digitsOnly = true
            while position < bytes.count, ASCII.isNumberByte(bytes[position]) {
                digitsOnly = digitsOnly && bytes[position] >= ASCII.digit0 && bytes[position] <= ASCII.digit9
                position += 1
            }
            // An integer without a leading zero is valid; anything else goes through the grammar.
            if digitsOnly && (position - start == 1 || bytes[start] != ASCII.digit0) { return true }
            return JSONNumberGrammar.isValid(ArraySlice(bytes[start..<position]))
        }

        /// `true`, `false` or `null`, read as the parser reads a word.
        mutating func word() -> Bool {
            let start = position
            while position < bytes.count,
                ASCII.isWordByte(bytes[position]) || (bytes[position] >= ASCII.digit0 && bytes[position] <= ASCII.digit9)
            {
                position += 1
            }
            let word = bytes[start..<position]
            return word.elementsEqual("true".utf8) || word.elementsEqual("false".utf8) || word.elementsEqual("null".utf8)
        }
    }
}
