/// Byte classification tables used by ``SQLTokenizer`` (one UTF-8 code unit at a time).
///
/// All predicates are total: they accept any `UInt8`, including bytes of invalid UTF-8,
/// and a `0` sentinel that the tokenizer uses for "past end of input".
enum SQLByteClass {
    /// `\t` (byte value 9).
    static let tab = UInt8(ascii: "\t")
    /// `\n` (byte value 10).
    static let lineFeed = UInt8(ascii: "\n")
    /// Vertical tab (byte value 11).
    static let verticalTab: UInt8 = 0x0B
    /// Form feed (byte value 12).
    static let formFeed: UInt8 = 0x0C
    /// `\r` (byte value 13).
    static let carriageReturn = UInt8(ascii: "\r")
    /// Space (byte value 32).
    static let space = UInt8(ascii: " ")
    /// `'` string delimiter.
    static let singleQuote = UInt8(ascii: "'")
    /// `"` quoted-identifier delimiter.
    static let doubleQuote = UInt8(ascii: "\"")
    /// `` ` `` MySQL/SQLite quoted-identifier delimiter.
    static let backtick = UInt8(ascii: "`")
    /// `\` escape byte inside `E'…'` strings.
    static let backslash = UInt8(ascii: "\\")
    /// `$` dollar-quote and positional-parameter introducer.
    static let dollar = UInt8(ascii: "$")
    /// `?` positional parameter.
    static let question = UInt8(ascii: "?")
    /// `:` named-parameter introducer and half of the `::` cast.
    static let colon = UInt8(ascii: ":")
    /// `-` minus, doubled it starts a line comment.
    static let minus = UInt8(ascii: "-")
    /// `/` slash, followed by `*` it starts a block comment.
    static let slash = UInt8(ascii: "/")
    /// `*` star.
    static let star = UInt8(ascii: "*")
    /// `.` qualified-name separator or decimal point.
    static let dot = UInt8(ascii: ".")
    /// `_` identifier byte and digit separator.
    static let underscore = UInt8(ascii: "_")

    /// True for space, tab, line feed, vertical tab, form feed and carriage return.
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == space || (byte >= tab && byte <= carriageReturn)
    }

    /// True for ASCII `0`–`9`.
    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// True for ASCII `0`–`9`, `a`–`f` and `A`–`F`.
    static func isHexDigit(_ byte: UInt8) -> Bool {
        let lower = byte | 0x20
        return isDigit(byte) || (lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "f"))
    }

    /// True for ASCII letters `a`–`z` and `A`–`Z`.
    static func isLetter(_ byte: UInt8) -> Bool {
        let lower = byte | 0x20
        return lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z")
    }

    /// True for bytes that may start a bare identifier: letters, `_`, or any non-ASCII byte.
    static func isIdentifierStart(_ byte: UInt8) -> Bool {
        isLetter(byte) || byte == underscore || byte >= 0x80
    }

    /// True for bytes that may continue a bare identifier: start bytes, digits and `$`.
    static func isIdentifierContinue(_ byte: UInt8) -> Bool {
        isIdentifierStart(byte) || isDigit(byte) || byte == dollar
    }

    /// True for bytes that may continue a dollar-quote tag or a named parameter (no `$`).
    static func isTagContinue(_ byte: UInt8) -> Bool {
        isIdentifierStart(byte) || isDigit(byte)
    }

    /// True for the single-byte punctuation tokens `(`, `)`, `,`, `;` and `.`.
    static func isPunctuation(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: ","), UInt8(ascii: ";"), dot:
            return true
        default:
            return false
        }
    }

    /// True for bytes that form greedy operator runs: `+-*/<>=~!@#%^&|`.
    static func isOperatorByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "+"), minus, star, slash, UInt8(ascii: "<"), UInt8(ascii: ">"),
            UInt8(ascii: "="), UInt8(ascii: "~"), UInt8(ascii: "!"), UInt8(ascii: "@"),
            UInt8(ascii: "#"), UInt8(ascii: "%"), UInt8(ascii: "^"), UInt8(ascii: "&"),
            UInt8(ascii: "|"):
            return true
        default:
            return false
        }
    }

    /// True for the string-literal prefixes `E`, `B`, `X` and `N` in either case.
    static func isStringPrefix(_ byte: UInt8) -> Bool {
        switch byte | 0x20 {
        case UInt8(ascii: "e"), UInt8(ascii: "b"), UInt8(ascii: "x"), UInt8(ascii: "n"):
            return isLetter(byte)
        default:
            return false
        }
    }
}
