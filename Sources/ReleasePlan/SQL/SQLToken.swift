/// One lexical token of migration SQL, located by a byte range (byte offsets, 0-based, half-open).
///
/// Tokens never copy source text; use ``text(in:)`` or ``identifierName(in:)`` with the
/// same byte array that was passed to ``SQLTokenizer/tokenize(_:)``.
public struct SQLToken: Sendable, Equatable, Hashable {
    /// The lexical category of a token (no units; one value per token).
    public enum Kind: String, Sendable, Equatable, Hashable, CaseIterable {
        /// Keyword or bare identifier: `DROP`, `deal_links`, `a$b`, non-ASCII names.
        case word
        /// Double-quoted (`"a""b"`) or backtick-quoted (`` `a` ``) identifier, quotes included.
        case quotedIdentifier
        /// Single-quoted literal, including `E'…'`, `B'…'`, `X'…'` and `N'…'` prefixes (on MySQL
        /// also a double-quoted one).
        case string
        /// Dollar-quoted literal: `$$…$$` or `$tag$…$tag$`, delimiters included.
        case dollarString
        /// Numeric literal: `42`, `3.14`, `.5`, `1e-3`, `0x1F`, `1_000`.
        case number
        /// Named parameter such as `:member_id`; the range includes the colon.
        case namedParameter
        /// Positional parameter: `$1` or `?`.
        case positionalParameter
        /// One of `(`, `)`, `,`, `;`, `.` (always a single byte).
        case punctuation
        /// Operator run such as `=`, `<>`, `::`, `||`, or any other single unrecognised byte.
        case `operator`
        /// `-- …` comment (on MySQL also `# …`) up to (not including) the line break.
        case lineComment
        /// `/* … */` comment; nesting is honoured as in PostgreSQL.
        case blockComment
        /// A run of spaces, tabs, line feeds, carriage returns, form feeds or vertical tabs.
        case whitespace
    }

    /// The lexical category of this token.
    public let kind: Kind
    /// Bytes covered by this token (byte offsets, 0-based, half-open).
    public let range: Range<Int>
    /// True when a string, quoted identifier, dollar string or block comment hit end of input.
    public let isUnterminated: Bool

    /// Creates a token covering `range` (byte offsets, 0-based, half-open).
    public init(kind: Kind, range: Range<Int>, isUnterminated: Bool = false) {
        self.kind = kind
        self.range = range
        self.isUnterminated = isUnterminated
    }

    /// Length of the token (bytes).
    public var length: Int { range.count }

    /// True for whitespace and comments, which carry no meaning for analysis.
    public var isTrivia: Bool {
        kind == .whitespace || kind == .lineComment || kind == .blockComment
    }

    /// The token's source text decoded as UTF-8 (invalid bytes become U+FFFD).
    public func text(in source: [UInt8]) -> String {
        let clamped = range.clamped(to: 0..<source.count)
        return String(decoding: source[clamped], as: UTF8.self)
    }

    /// True when this is a `word` token equal to `keyword`, ignoring ASCII case.
    ///
    /// Quoted identifiers never match, so `"drop"` is not the keyword `DROP`.
    public func isKeyword(_ keyword: String, in source: [UInt8]) -> Bool {
        guard kind == .word, range.upperBound <= source.count else { return false }
        var index = range.lowerBound
        for expected in keyword.utf8 {
            guard index < range.upperBound,
                SQLToken.asciiLowercased(source[index]) == SQLToken.asciiLowercased(expected)
            else { return false }
            index += 1
        }
        return index == range.upperBound
    }

    /// True when this is a punctuation or single-byte operator token spelled `character`.
    public func isSymbol(_ character: Unicode.Scalar, in source: [UInt8]) -> Bool {
        guard range.count == 1, range.lowerBound < source.count,
            kind == .punctuation || kind == .operator
        else { return false }
        return character.isASCII && source[range.lowerBound] == UInt8(character.value)
    }

    /// The identifier this token names, or nil when it is not `word` or `quotedIdentifier`.
    ///
    /// Words are folded to lowercase (as PostgreSQL does); quoted identifiers lose their
    /// delimiters and doubled-quote escapes but keep their case.
    public func identifierName(in source: [UInt8]) -> String? {
        switch kind {
        case .word:
            return text(in: source).lowercased()
        case .quotedIdentifier:
            let clamped = range.clamped(to: 0..<source.count)
            guard let quote = clamped.first.map({ source[$0] }) else { return nil }
            var last = clamped.upperBound
            if !isUnterminated, last - clamped.lowerBound >= 2, source[last - 1] == quote { last -= 1 }
            var unescaped: [UInt8] = []
            unescaped.reserveCapacity(last - clamped.lowerBound)
            var index = clamped.lowerBound + 1
            while index < last {
                unescaped.append(source[index])
                let doubled = source[index] == quote && index + 1 < last && source[index + 1] == quote
                index += doubled ? 2 : 1
            }
            return String(decoding: unescaped, as: UTF8.self)
        default:
            return nil
        }
    }

    /// Lowercases an ASCII letter byte and leaves every other byte unchanged.
    static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
    }
}
