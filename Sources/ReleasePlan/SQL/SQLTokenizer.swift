/// Lossless tokenizer for migration SQL over UTF-8 bytes (byte offsets, 0-based).
///
/// Every input byte belongs to exactly one token, tokens are contiguous and in source order,
/// and no input (including invalid UTF-8 or random bytes) can make it trap. Unterminated
/// strings, quoted identifiers, dollar strings and block comments run to end of input and
/// carry ``SQLToken/isUnterminated``.
///
/// The dialect picks the lexis: PostgreSQL (also when none is given) knows dollar quoting;
/// SQLite does not; MySQL is described in `SQLTokenizer+MySQL.swift`.
public enum SQLTokenizer {
    /// Splits `source` into tokens whose ranges cover every byte exactly once.
    ///
    /// A UTF-8 byte order mark (EF BB BF) at offset 0 becomes a 3-byte whitespace token.
    /// `dialect` nil reads PostgreSQL-flavoured SQL, as before plans named their dialect.
    public static func tokenize(_ source: [UInt8], dialect: DatabaseDialect? = nil) -> [SQLToken] {
        var tokens: [SQLToken] = []
        tokens.reserveCapacity(source.count / 4 + 1)
        var offset = 0
        if source.count >= 3, source[0] == 0xEF, source[1] == 0xBB, source[2] == 0xBF {
            tokens.append(SQLToken(kind: .whitespace, range: 0..<3))
            offset = 3
        }
        while offset < source.count {
            let token = token(in: source, at: offset, dialect: dialect)
            tokens.append(token)
            offset = token.range.upperBound
        }
        return tokens
    }

    /// Convenience overload that tokenizes the UTF-8 encoding of `text`.
    public static func tokenize(_ text: String, dialect: DatabaseDialect? = nil) -> [SQLToken] {
        tokenize(Array(text.utf8), dialect: dialect)
    }

    /// Scans the single token starting at `start` (byte offset, 0-based; must be in bounds).
    static func token(in source: [UInt8], at start: Int, dialect: DatabaseDialect?) -> SQLToken {
        if dialect == .mysql, let token = mysqlToken(in: source, at: start) { return token }
        if !DatabaseDialect.isPostgreSQL(dialect), source[start] == SQLByteClass.dollar {
            return dollarWithoutQuoting(source, at: start)
        }
        let byte = source[start]
        let next: UInt8 = start + 1 < source.count ? source[start + 1] : 0
        func make(_ kind: SQLToken.Kind, _ end: Int, _ unterminated: Bool = false) -> SQLToken {
            SQLToken(kind: kind, range: start..<max(end, start + 1), isUnterminated: unterminated)
        }
        switch byte {
        case _ where SQLByteClass.isWhitespace(byte):
            return make(.whitespace, scan(source, from: start, while: SQLByteClass.isWhitespace))
        case SQLByteClass.minus where next == SQLByteClass.minus:
            let end = scan(source, from: start) {
                $0 != SQLByteClass.lineFeed && $0 != SQLByteClass.carriageReturn
            }
            return make(.lineComment, end)
        case SQLByteClass.slash where next == SQLByteClass.star:
            let (end, open) = scanBlockComment(source, from: start + 2)
            return make(.blockComment, end, open)
        case SQLByteClass.singleQuote:
            let (end, open) = scanQuoted(source, from: start + 1, quote: byte, backslashEscapes: false)
            return make(.string, end, open)
        case SQLByteClass.doubleQuote, SQLByteClass.backtick:
            let (end, open) = scanQuoted(source, from: start + 1, quote: byte, backslashEscapes: false)
            return make(.quotedIdentifier, end, open)
        case SQLByteClass.dollar:
            return dollarToken(source, at: start)
        case SQLByteClass.question:
            return make(.positionalParameter, start + 1)
        case SQLByteClass.colon where next == SQLByteClass.colon:
            return make(.operator, start + 2)
        case SQLByteClass.colon where SQLByteClass.isIdentifierStart(next):
            return make(.namedParameter, scan(source, from: start + 1, while: SQLByteClass.isTagContinue))
        case SQLByteClass.dot where SQLByteClass.isDigit(next):
            return make(.number, scanNumber(source, from: start))
        case _ where SQLByteClass.isPunctuation(byte):
            return make(.punctuation, start + 1)
        case _ where SQLByteClass.isDigit(byte):
            return make(.number, scanNumber(source, from: start))
        case _ where SQLByteClass.isIdentifierStart(byte):
            if next == SQLByteClass.singleQuote, SQLByteClass.isStringPrefix(byte) {
                let escapes = byte | 0x20 == UInt8(ascii: "e")
                let (end, open) = scanQuoted(source, from: start + 2, quote: next, backslashEscapes: escapes)
                return make(.string, end, open)
            }
            return make(.word, scan(source, from: start, while: SQLByteClass.isIdentifierContinue))
        case _ where SQLByteClass.isOperatorByte(byte):
            return make(.operator, scanOperator(source, from: start))
        default:
            return make(.operator, start + 1)
        }
    }

    /// Returns the first offset at or after `start` whose byte fails `predicate` (byte offset).
    static func scan(_ source: [UInt8], from start: Int, while predicate: (UInt8) -> Bool) -> Int {
        var index = start
        while index < source.count, predicate(source[index]) { index += 1 }
        return index
    }

    /// Scans a quoted body starting after the opening quote; returns end offset and openness.
    ///
    /// A doubled quote is an escaped quote; with `backslashEscapes` a backslash escapes the
    /// following byte, as in PostgreSQL `E'…'` strings.
    static func scanQuoted(
        _ source: [UInt8], from start: Int, quote: UInt8, backslashEscapes: Bool
    ) -> (end: Int, unterminated: Bool) {
        var index = start
        while index < source.count {
            let byte = source[index]
            if backslashEscapes, byte == SQLByteClass.backslash {
                index += 2
            } else if byte == quote {
                if index + 1 < source.count, source[index + 1] == quote {
                    index += 2
                } else {
                    return (index + 1, false)
                }
            } else {
                index += 1
            }
        }
        return (source.count, true)
    }

    /// Scans a possibly nested block comment body starting after `/*` (byte offset).
    static func scanBlockComment(_ source: [UInt8], from start: Int) -> (end: Int, unterminated: Bool) {
        var depth = 1
        var index = start
        while index < source.count {
            let byte = source[index]
            let next: UInt8 = index + 1 < source.count ? source[index + 1] : 0
            if byte == SQLByteClass.slash, next == SQLByteClass.star {
                depth += 1
                index += 2
            } else if byte == SQLByteClass.star, next == SQLByteClass.slash {
                depth -= 1
                index += 2
                if depth == 0 { return (index, false) }
            } else {
                index += 1
            }
        }
        return (source.count, true)
    }

    /// Scans a numeric literal: digits, `_`, fraction, exponent, or a `0x`/`0o`/`0b` prefix.
    static func scanNumber(_ source: [UInt8], from start: Int) -> Int {
        func byte(_ index: Int) -> UInt8 { index < source.count ? source[index] : 0 }
        let radix = byte(start + 1) | 0x20
        if byte(start) == UInt8(ascii: "0"),
            radix == UInt8(ascii: "x") || radix == UInt8(ascii: "o")
                || radix == UInt8(ascii: "b"), SQLByteClass.isHexDigit(byte(start + 2))
        {
            return scan(source, from: start + 2) { SQLByteClass.isHexDigit($0) || $0 == SQLByteClass.underscore }
        }
        let isDigitOrUnderscore: (UInt8) -> Bool = { SQLByteClass.isDigit($0) || $0 == SQLByteClass.underscore }
        var index = scan(source, from: start, while: isDigitOrUnderscore)
        if byte(index) == SQLByteClass.dot, byte(index + 1) != SQLByteClass.dot {
            index = scan(source, from: index + 1, while: isDigitOrUnderscore)
        }
        if byte(index) | 0x20 == UInt8(ascii: "e") {
            var exponent = index + 1
            if byte(exponent) == UInt8(ascii: "+") || byte(exponent) == SQLByteClass.minus { exponent += 1 }
            if SQLByteClass.isDigit(byte(exponent)) {
                index = scan(source, from: exponent, while: isDigitOrUnderscore)
            }
        }
        return index
    }

    /// Scans a greedy operator run, stopping before an embedded `--` or `/*` comment start.
    static func scanOperator(_ source: [UInt8], from start: Int) -> Int {
        var index = start + 1
        while index < source.count, SQLByteClass.isOperatorByte(source[index]) {
            let next: UInt8 = index + 1 < source.count ? source[index + 1] : 0
            let byte = source[index]
            if (byte == SQLByteClass.minus && next == SQLByteClass.minus)
                || (byte == SQLByteClass.slash && next == SQLByteClass.star)
            {
                break
            }
            index += 1
        }
        return index
    }

    /// Scans `$1`, `$$…$$`, `$tag$…$tag$`, or a lone `$` operator starting at `start`.
    static func dollarToken(_ source: [UInt8], at start: Int) -> SQLToken {
        let next: UInt8 = start + 1 < source.count ? source[start + 1] : 0
        if SQLByteClass.isDigit(next) {
            let end = scan(source, from: start + 1, while: SQLByteClass.isDigit)
            return SQLToken(kind: .positionalParameter, range: start..<end)
        }
        var tagEnd = -1
        if next == SQLByteClass.dollar {
            tagEnd = start + 2
        } else if SQLByteClass.isIdentifierStart(next) {
            let nameEnd = scan(source, from: start + 1, while: SQLByteClass.isTagContinue)
            if nameEnd < source.count, source[nameEnd] == SQLByteClass.dollar { tagEnd = nameEnd + 1 }
        }
        guard tagEnd > start else { return SQLToken(kind: .operator, range: start..<start + 1) }
        let tag = source[start..<tagEnd]
        var index = tagEnd
        while index + tag.count <= source.count {
            if source[index] == SQLByteClass.dollar, source[index..<index + tag.count].elementsEqual(tag) {
                return SQLToken(kind: .dollarString, range: start..<index + tag.count)
            }
            index += 1
        }
        return SQLToken(kind: .dollarString, range: start..<source.count, isUnterminated: true)
    }
}
