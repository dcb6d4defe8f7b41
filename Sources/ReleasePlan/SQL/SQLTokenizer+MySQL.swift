/// MySQL (and MariaDB) lexis, used when a plan says `"database": "mysql"` (byte offsets, 0-based).
///
/// What differs from PostgreSQL, kept simple:
///
/// - `#` starts a comment up to the line break.
/// - `--` starts a comment only when a space, tab, line break (or the end of input) follows the
///   dashes; `--x` is two minus operators, as MySQL reads it.
/// - `'…'` and `"…"` are strings (MySQL's default `sql_mode`, without `ANSI_QUOTES`), and a
///   backslash escapes the byte after it, so `'it\'s; fine'` is one string. A doubled quote is an
///   escaped quote too. `` `…` `` stays a quoted identifier (doubled backticks escape).
/// - No dollar quoting: `$1` is a positional parameter, any other `$` a one-byte operator.
///
/// Block comments are read as elsewhere (MySQL does not nest them, and `/*! … */` executable
/// comments are treated as comments).
extension SQLTokenizer {
    /// The MySQL-specific token at `start`, or nil when the shared rules read it alike.
    static func mysqlToken(in source: [UInt8], at start: Int) -> SQLToken? {
        let byte = source[start]
        let next: UInt8 = start + 1 < source.count ? source[start + 1] : 0
        func make(_ kind: SQLToken.Kind, _ end: Int, _ unterminated: Bool = false) -> SQLToken {
            SQLToken(kind: kind, range: start..<max(end, start + 1), isUnterminated: unterminated)
        }
        switch byte {
        case UInt8(ascii: "#"):
            return make(.lineComment, endOfLine(source, from: start))
        case SQLByteClass.minus where next == SQLByteClass.minus:
            if isMySQLDashComment(source, at: start) { return make(.lineComment, endOfLine(source, from: start)) }
            return make(.operator, start + 1)
        case SQLByteClass.singleQuote, SQLByteClass.doubleQuote:
            let (end, open) = scanQuoted(source, from: start + 1, quote: byte, backslashEscapes: true)
            return make(.string, end, open)
        case _ where SQLByteClass.isIdentifierStart(byte):
            guard next == SQLByteClass.singleQuote, SQLByteClass.isStringPrefix(byte) else { return nil }
            let (end, open) = scanQuoted(source, from: start + 2, quote: next, backslashEscapes: true)
            return make(.string, end, open)
        case _ where SQLByteClass.isOperatorByte(byte):
            if byte == SQLByteClass.slash, next == SQLByteClass.star { return nil }
            return make(.operator, scanMySQLOperator(source, from: start))
        default:
            return nil
        }
    }

    /// True when the `--` at `start` opens a MySQL comment: whitespace or the end of input follows.
    static func isMySQLDashComment(_ source: [UInt8], at start: Int) -> Bool {
        guard start + 1 < source.count, source[start] == SQLByteClass.minus, source[start + 1] == SQLByteClass.minus
        else { return false }
        return start + 2 >= source.count || SQLByteClass.isWhitespace(source[start + 2])
    }

    /// Offset of the first line feed or carriage return at or after `start` (byte offset).
    static func endOfLine(_ source: [UInt8], from start: Int) -> Int {
        scan(source, from: start) { $0 != SQLByteClass.lineFeed && $0 != SQLByteClass.carriageReturn }
    }

    /// Scans an operator run, stopping before a `#`, a MySQL `-- ` comment or a `/*` comment.
    static func scanMySQLOperator(_ source: [UInt8], from start: Int) -> Int {
        var index = start + 1
        while index < source.count, SQLByteClass.isOperatorByte(source[index]) {
            let next: UInt8 = index + 1 < source.count ? source[index + 1] : 0
            let byte = source[index]
            if byte == UInt8(ascii: "#") || isMySQLDashComment(source, at: index)
                || (byte == SQLByteClass.slash && next == SQLByteClass.star)
            {
                break
            }
            index += 1
        }
        return index
    }

    /// `$` outside PostgreSQL: `$1` is a positional parameter, anything else a one-byte operator.
    static func dollarWithoutQuoting(_ source: [UInt8], at start: Int) -> SQLToken {
        let next: UInt8 = start + 1 < source.count ? source[start + 1] : 0
        guard SQLByteClass.isDigit(next) else { return SQLToken(kind: .operator, range: start..<start + 1) }
        let end = scan(source, from: start + 1, while: SQLByteClass.isDigit)
        return SQLToken(kind: .positionalParameter, range: start..<end)
    }
}
