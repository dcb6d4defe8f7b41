/// A JSON parser over UTF-8 bytes that keeps a range on every node, recovers after errors and
/// reports each with a targeted message (rule B24P001). It never traps, whatever the input.
public struct JSONParser {
    /// Objects and arrays nested deeper than this are reported instead of parsed (stack safety).
    public static let maximumDepth = 200
    /// Parsing gives up after this many syntax errors: later ones are mostly echoes.
    public static let maximumErrors = 50

    /// The tree (nil only when no value could be read at all) and the syntax errors found.
    public struct Result: Sendable {
        public var root: JSONNode?
        public var diagnostics: [Diagnostic]
        /// Whether any number read is beyond a `Double` (`JSONNode.isNumberOutOfRange`): when
        /// not, the decoder need not look for one in the tree.
        public var hasNumberOutOfRange = false
    }

    public static func parse(_ source: SourceFile) -> Result {
        source.bytes.withUnsafeBufferPointer { bytes in
            var parser = JSONParser(source: source, bytes: bytes)
            return parser.parseDocument()
        }
    }

    let source: SourceFile
    /// `source.bytes`, read in place: an array read byte by byte was retained and released
    /// around many of its reads.
    let bytes: UnsafeBufferPointer<UInt8>
    var position: Int
    var depth = 0
    var diagnostics: [Diagnostic] = []
    var hasNumberOutOfRange = false
    /// Members and elements of the objects and arrays being read, innermost last: each container
    /// takes its own into one array of the exact size when it closes (an array grown one append at
    /// a time was three or four allocations per small object).
    var openMembers: [JSONMember] = []
    var openElements: [JSONNode] = []

    init(source: SourceFile, bytes: UnsafeBufferPointer<UInt8>) {
        self.source = source
        self.bytes = bytes
        self.position = LineTable.hasByteOrderMark(source.bytes) ? 3 : 0
    }

    var isAtEnd: Bool { position >= bytes.count }
    var current: UInt8 { position < bytes.count ? bytes[position] : 0 }
    /// Set when parsing stopped on purpose (too deep): the closing brackets it skipped are not errors.
    var abandoned = false
    var gaveUp: Bool { abandoned || diagnostics.count >= Self.maximumErrors }

    mutating func error(_ message: String, at start: Int, length: Int = 1, notes: [String] = []) {
        guard !gaveUp else { return }
        let start = min(start, bytes.count)
        let end = min(bytes.count, start + length)
        diagnostics.append(
            Diagnostic("B24P001", message, in: source, range: SourceRange(start: start, end: end), notes: notes))
    }

    mutating func parseDocument() -> Result {
        skipTrivia()
        if isAtEnd {
            error(JSONSyntaxMessages.emptyDocument, at: position, length: 0)
            return Result(root: nil, diagnostics: diagnostics, hasNumberOutOfRange: hasNumberOutOfRange)
        }
        let root = parseValue()
        skipTrivia()
        if !isAtEnd && !gaveUp {
            error(JSONSyntaxMessages.contentAfterDocument, at: position)
        }
        return Result(root: root, diagnostics: diagnostics, hasNumberOutOfRange: hasNumberOutOfRange)
    }

    // MARK: Values

    mutating func parseValue() -> JSONNode? {
        skipTrivia()
        guard !isAtEnd else {
            error(JSONSyntaxMessages.unexpectedEndExpectingValue, at: position, length: 0)
            return nil
        }
        switch current {
        case ASCII.openBrace: return parseObject()
        case ASCII.openBracket: return parseArray()
        case ASCII.quote: return parseString()
        case ASCII.apostrophe:
            error(JSONSyntaxMessages.singleQuotes, at: position)
            return parseString()
        case ASCII.minus, ASCII.plus, ASCII.dot, ASCII.digit0...ASCII.digit9: return parseNumber()
        case ASCII.closeBrace, ASCII.closeBracket, ASCII.comma, ASCII.colon:
            error(JSONSyntaxMessages.expectedValue(found: describe(current)), at: position)
            return nil
        default:
            if ASCII.isWordByte(current) { return parseWord() }
            error(JSONSyntaxMessages.unexpectedCharacter(describe(current)), at: position, length: scalarLength(at: position))
            position += scalarLength(at: position)
            return nil
        }
    }

    mutating func parseObject() -> JSONNode? {
        let open = position
        position += 1
        guard enterNesting(at: open) else { return nil }
        defer { depth -= 1 }
        let firstMember = openMembers.count
        var lastComma: Int?
        while !gaveUp {
            skipTrivia()
            if isAtEnd {
                error(JSONSyntaxMessages.unterminatedObject, at: open)
                return JSONNode(.object(closeMembers(from: firstMember)), range: SourceRange(start: open, end: position))
            }
            if current == ASCII.closeBrace {
                if let comma = lastComma { error(JSONSyntaxMessages.trailingCommaInObject, at: comma) }
                position += 1
                return JSONNode(.object(closeMembers(from: firstMember)), range: SourceRange(start: open, end: position))
            }
            if current == ASCII.closeBracket {
                error(JSONSyntaxMessages.mismatchedClose(expected: "}", found: "]"), at: position)
                position += 1
                return JSONNode(.object(closeMembers(from: firstMember)), range: SourceRange(start: open, end: position))
            }
            if current == ASCII.comma {
                error(JSONSyntaxMessages.extraComma, at: position)
                lastComma = position
                position += 1
                continue
            }
            if let member = parseMember() { openMembers.append(member) }
            skipTrivia()
            lastComma = nil
            if current == ASCII.comma {
                lastComma = position
                position += 1
            } else if current == ASCII.closeBrace || isAtEnd || current == ASCII.closeBracket {
                continue
            } else if startsMember(current) {
                error(JSONSyntaxMessages.missingCommaBetweenMembers, at: position)
            } else {
                error(JSONSyntaxMessages.expectedCommaOrCloseBrace(found: describe(current)), at: position)
                recover(stoppingAt: [ASCII.comma, ASCII.closeBrace])
                if current == ASCII.comma { position += 1 }
            }
        }
        return JSONNode(.object(closeMembers(from: firstMember)), range: SourceRange(start: open, end: position))
    }

    mutating func parseMember() -> JSONMember? {
        let keyStart = position
        let key: String
        switch current {
        case ASCII.quote:
            key = readString().text
        case ASCII.apostrophe:
            error(JSONSyntaxMessages.singleQuotedKey, at: position)
            key = readString().text
        default:
            if ASCII.isWordByte(current) {
                let word = readWord()
                error(JSONSyntaxMessages.unquotedKey(word), at: keyStart, length: position - keyStart)
                key = word
            } else {
                error(JSONSyntaxMessages.expectedKey(found: describe(current)), at: position, length: scalarLength(at: position))
                recover(stoppingAt: [ASCII.comma, ASCII.closeBrace])
                return nil
            }
        }
        let keyRange = SourceRange(start: keyStart, end: position)
        skipTrivia()
        if current == ASCII.colon {
            position += 1
        } else if current == ASCII.equals {
            error(JSONSyntaxMessages.equalsInsteadOfColon, at: position)
            position += 1
        } else {
            error(JSONSyntaxMessages.missingColon(key: key), at: position, length: isAtEnd ? 0 : 1)
            if current == ASCII.comma || current == ASCII.closeBrace || isAtEnd { return nil }
        }
        skipTrivia()
        guard let value = parseValue() else {
            recover(stoppingAt: [ASCII.comma, ASCII.closeBrace])
            return nil
        }
        return JSONMember(key: key, keyRange: keyRange, value: value)
    }

    mutating func parseArray() -> JSONNode? {
        let open = position
        position += 1
        guard enterNesting(at: open) else { return nil }
        defer { depth -= 1 }
        let firstElement = openElements.count
        var lastComma: Int?
        while !gaveUp {
            skipTrivia()
            if isAtEnd {
                error(JSONSyntaxMessages.unterminatedArray, at: open)
                break
            }
            if current == ASCII.closeBracket {
                if let comma = lastComma { error(JSONSyntaxMessages.trailingCommaInArray, at: comma) }
                position += 1
                return JSONNode(.array(closeElements(from: firstElement)), range: SourceRange(start: open, end: position))
            }
            if current == ASCII.closeBrace {
                error(JSONSyntaxMessages.mismatchedClose(expected: "]", found: "}"), at: position)
                position += 1
                return JSONNode(.array(closeElements(from: firstElement)), range: SourceRange(start: open, end: position))
            }
            if current == ASCII.comma {
                error(JSONSyntaxMessages.extraComma, at: position)
                lastComma = position
                position += 1
                continue
            }
            if let element = parseValue() {
                openElements.append(element)
            } else {
                recover(stoppingAt: [ASCII.comma, ASCII.closeBracket])
            }
            skipTrivia()
            lastComma = nil
            if current == ASCII.comma {
                lastComma = position
                position += 1
            } else if current == ASCII.closeBracket || isAtEnd || current == ASCII.closeBrace {
                continue
            } else if startsValue(current) {
                error(JSONSyntaxMessages.missingCommaBetweenElements, at: position)
            } else {
                error(JSONSyntaxMessages.expectedCommaOrCloseBracket(found: describe(current)), at: position)
                recover(stoppingAt: [ASCII.comma, ASCII.closeBracket])
                if current == ASCII.comma { position += 1 }
            }
        }
        return JSONNode(.array(closeElements(from: firstElement)), range: SourceRange(start: open, end: position))
    }

    /// The members of the object closing now (those from `first` on), taken off `openMembers`.
    mutating func closeMembers(from first: Int) -> [JSONMember] {
        defer { openMembers.removeSubrange(first...) }
        return Array(openMembers[first...])
    }

    /// The elements of the array closing now (those from `first` on), taken off `openElements`.
    mutating func closeElements(from first: Int) -> [JSONNode] {
        defer { openElements.removeSubrange(first...) }
        return Array(openElements[first...])
    }

    mutating func enterNesting(at offset: Int) -> Bool {
        depth += 1
        if depth > Self.maximumDepth {
            error(JSONSyntaxMessages.tooDeep(Self.maximumDepth), at: offset)
            depth -= 1
            position = bytes.count
            abandoned = true
            return false
        }
        return true
    }

    mutating func parseString() -> JSONNode {
        let start = position
        let text = readString().text
        return JSONNode(.string(text), range: SourceRange(start: start, end: position))
    }

    mutating func parseWord() -> JSONNode {
        let start = position
        let word = readWord()
        let range = SourceRange(start: start, end: position)
        switch word {
        case "true": return JSONNode(.bool(true), range: range)
        case "false": return JSONNode(.bool(false), range: range)
        case "null": return JSONNode(.null, range: range)
        default:
            error(JSONSyntaxMessages.bareWord(word), at: start, length: range.length)
            switch word.lowercased() {
            case "true": return JSONNode(.bool(true), range: range)
            case "false": return JSONNode(.bool(false), range: range)
            case "null", "none", "nil", "undefined": return JSONNode(.null, range: range)
            default: return JSONNode(.string(word), range: range)
            }
        }
    }

    mutating func parseNumber() -> JSONNode {
        let start = position
        while !isAtEnd, ASCII.isNumberByte(current) { position += 1 }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        if !JSONNumberGrammar.isValid(bytes[start..<position]) {
            error(JSONSyntaxMessages.invalidNumber(text), at: start, length: position - start)
        }
        if !hasNumberOutOfRange && JSONNode.isOutOfRange(text) { hasNumberOutOfRange = true }
        return JSONNode(.number(text), range: SourceRange(start: start, end: position))
    }

    // MARK: Lexical helpers

    mutating func readWord() -> String {
        let start = position
        while !isAtEnd, ASCII.isWordByte(current) || (current >= ASCII.digit0 && current <= ASCII.digit9) {
            position += 1
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    /// Skips whitespace and reports (then skips) comments, which JSON does not allow.
    mutating func skipTrivia() {
        while !isAtEnd {
            switch current {
            case ASCII.space, ASCII.tab, ASCII.newline, ASCII.carriageReturn:
                position += 1
            case ASCII.slash where position + 1 < bytes.count && bytes[position + 1] == ASCII.slash:
                error(JSONSyntaxMessages.comment, at: position, length: 2)
                while !isAtEnd, current != ASCII.newline, current != ASCII.carriageReturn { position += 1 }
            case ASCII.slash where position + 1 < bytes.count && bytes[position + 1] == ASCII.star:
                let start = position
                position += 2
                var closed = false
                while position + 1 < bytes.count {
                    if bytes[position] == ASCII.star, bytes[position + 1] == ASCII.slash {
                        position += 2
                        closed = true
                        break
                    }
                    position += 1
                }
                if !closed { position = bytes.count }
                error(closed ? JSONSyntaxMessages.comment : JSONSyntaxMessages.unterminatedComment, at: start, length: 2)
            default:
                if current == 0xEF, position > 0, position + 2 < bytes.count, bytes[position + 1] == 0xBB,
                    bytes[position + 2] == 0xBF
                {
                    error(JSONSyntaxMessages.byteOrderMarkInside, at: position, length: 3)
                    position += 3
                    continue
                }
                if current == 0xC2, position + 1 < bytes.count, bytes[position + 1] == 0xA0 {
                    error(JSONSyntaxMessages.nonBreakingSpace, at: position, length: 2)
                    position += 2
                    continue
                }
                return
            }
        }
    }

    /// Skips ahead, over nested brackets and strings, to one of `stops` at this nesting level.
    mutating func recover(stoppingAt stops: Set<UInt8>) {
        var nesting = 0
        while !isAtEnd {
            let byte = current
            if nesting == 0 && stops.contains(byte) { return }
            switch byte {
            case ASCII.openBrace, ASCII.openBracket: nesting += 1
            case ASCII.closeBrace, ASCII.closeBracket:
                if nesting == 0 { return }
                nesting -= 1
            case ASCII.quote:
                let saved = diagnostics
                _ = readString()
                diagnostics = saved
                continue
            default: break
            }
            position += 1
        }
    }

    func startsMember(_ byte: UInt8) -> Bool {
        byte == ASCII.quote || byte == ASCII.apostrophe || ASCII.isWordByte(byte)
    }

    func startsValue(_ byte: UInt8) -> Bool {
        startsMember(byte) || byte == ASCII.openBrace || byte == ASCII.openBracket || byte == ASCII.minus
            || (byte >= ASCII.digit0 && byte <= ASCII.digit9)
    }

    /// Number of bytes of the UTF-8 scalar starting at `offset` (1 for a stray byte).
    func scalarLength(at offset: Int) -> Int {
        guard offset < bytes.count else { return 0 }
        let lead = bytes[offset]
        let length = lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
        return min(length, bytes.count - offset)
    }

    /// A character as messages show it: `'x'`, or a name for invisible ones.
    func describe(_ byte: UInt8) -> String {
        if isAtEnd { return "end of file" }
        switch byte {
        case ASCII.newline, ASCII.carriageReturn: return "end of line"
        case 0..<0x20: return "control character U+00\(String(byte, radix: 16, uppercase: true).leftPadded(2))"
        default:
            let text = String(decoding: bytes[position..<position + scalarLength(at: position)], as: UTF8.self)
            return "'\(text)'"
        }
    }
}

extension String {
    func leftPadded(_ width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
