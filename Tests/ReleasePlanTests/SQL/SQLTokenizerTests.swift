import Testing

@testable import ReleasePlan

/// Table-driven checks that each token kind is recognised with exact text (byte ranges implied).
///
/// Expected tokens are written as `kind text`; because tokens are contiguous, matching every
/// token's text in order pins every byte range as well.
struct SQLTokenizerTests {
    /// One named tokenizer input with its full expected token list.
    struct Case: Sendable, CustomTestStringConvertible {
        /// Short case name shown by the test runner.
        let name: String
        /// SQL source text.
        let sql: String
        /// Every token as `kind text`, whitespace and comments included.
        let tokens: [String]

        var testDescription: String { name }
    }

    /// Renders tokens as `kind text`, marking unterminated ones with a trailing `!`.
    static func render(_ sql: String) -> [String] {
        let bytes = Array(sql.utf8)
        return SQLTokenizer.tokenize(bytes).map { token in
            "\(token.kind.rawValue) \(token.text(in: bytes))" + (token.isUnterminated ? "!" : "")
        }
    }

    static let cases: [Case] = [
        Case(
            name: "words and punctuation", sql: "DROP TABLE a.b;",
            tokens: [
                "word DROP", "whitespace  ", "word TABLE", "whitespace  ", "word a", "punctuation .",
                "word b", "punctuation ;",
            ]),
        Case(
            name: "identifier bytes: _ $ digits and non-ASCII", sql: "_a$1 таблица",
            tokens: [
                "word _a$1", "whitespace  ", "word таблица",
            ]),
        Case(
            name: "quoted identifiers with doubled quotes and backticks", sql: #""a""b" `x``y`"#,
            tokens: [
                #"quotedIdentifier "a""b""#, "whitespace  ", "quotedIdentifier `x``y`",
            ]),
        Case(name: "standard string with doubled quote", sql: "'it''s'", tokens: ["string 'it''s'"]),
        Case(
            name: "escape string with backslash quote", sql: #"E'\'' x"#,
            tokens: [
                #"string E'\''"#, "whitespace  ", "word x",
            ]),
        Case(
            name: "lowercase escape string keeps backslash escapes", sql: #"e'a\\' b"#,
            tokens: [
                #"string e'a\\'"#, "whitespace  ", "word b",
            ]),
        Case(
            name: "standard string treats backslash literally", sql: #"'a\' b"#,
            tokens: [
                #"string 'a\'"#, "whitespace  ", "word b",
            ]),
        Case(
            name: "bit hex and national prefixes", sql: "B'01' X'ff' N'x'",
            tokens: [
                "string B'01'", "whitespace  ", "string X'ff'", "whitespace  ", "string N'x'",
            ]),
        Case(
            name: "prefix letter inside a word is not a prefix", sql: "name'x'",
            tokens: [
                "word name", "string 'x'",
            ]),
        Case(
            name: "empty dollar quote", sql: "$$DROP TABLE x;$$;",
            tokens: [
                "dollarString $$DROP TABLE x;$$", "punctuation ;",
            ]),
        Case(
            name: "tagged dollar quote containing $$", sql: "$fn$ a $$ b $fn$",
            tokens: [
                "dollarString $fn$ a $$ b $fn$"
            ]),
        Case(
            name: "numbers", sql: "42 3.14 .5 1e-3 0x1F 1_000 2.",
            tokens: [
                "number 42", "whitespace  ", "number 3.14", "whitespace  ", "number .5", "whitespace  ",
                "number 1e-3", "whitespace  ", "number 0x1F", "whitespace  ", "number 1_000",
                "whitespace  ", "number 2.",
            ]),
        Case(
            name: "named parameters", sql: "id = :member_id LIMIT :batch_size",
            tokens: [
                "word id", "whitespace  ", "operator =", "whitespace  ", "namedParameter :member_id",
                "whitespace  ", "word LIMIT", "whitespace  ", "namedParameter :batch_size",
            ]),
        Case(
            name: "cast is an operator, not a parameter", sql: "x::int",
            tokens: [
                "word x", "operator ::", "word int",
            ]),
        Case(
            name: "string cast followed by parameter", sql: "'1'::bigint=:Id",
            tokens: [
                "string '1'", "operator ::", "word bigint", "operator =", "namedParameter :Id",
            ]),
        Case(
            name: "lone colon before digit is an operator", sql: "a[1:2]",
            tokens: [
                "word a", "operator [", "number 1", "operator :", "number 2", "operator ]",
            ]),
        Case(
            name: "positional parameters", sql: "$1, ?",
            tokens: [
                "positionalParameter $1", "punctuation ,", "whitespace  ", "positionalParameter ?",
            ]),
        Case(
            name: "lone dollar is an operator", sql: "$ x",
            tokens: [
                "operator $", "whitespace  ", "word x",
            ]),
        Case(
            name: "greedy operator runs", sql: "a<>b||c>=d",
            tokens: [
                "word a", "operator <>", "word b", "operator ||", "word c", "operator >=", "word d",
            ]),
        Case(
            name: "operator run stops before a comment", sql: "a=--c\nb",
            tokens: [
                "word a", "operator =", "lineComment --c", "whitespace \n", "word b",
            ]),
        Case(
            name: "line comment excludes CRLF", sql: "-- DROP\r\nx",
            tokens: [
                "lineComment -- DROP", "whitespace \r\n", "word x",
            ]),
        Case(
            name: "nested block comment", sql: "/* a /* DROP */ b */x",
            tokens: [
                "blockComment /* a /* DROP */ b */", "word x",
            ]),
        Case(
            name: "parentheses and comma", sql: "f(a,b)",
            tokens: [
                "word f", "punctuation (", "word a", "punctuation ,", "word b", "punctuation )",
            ]),
        Case(
            name: "whitespace run with tabs and form feeds", sql: "a \t\u{0C}\u{0B}b",
            tokens: [
                "word a", "whitespace  \t\u{0C}\u{0B}", "word b",
            ]),
        Case(
            name: "control byte is a single operator", sql: "a\u{01}b",
            tokens: [
                "word a", "operator \u{01}", "word b",
            ]),
    ]

    @Test("token kinds and texts", arguments: cases)
    func tokenKinds(_ testCase: Case) {
        #expect(Self.render(testCase.sql) == testCase.tokens)
    }

    /// Exact byte ranges after multibyte UTF-8 text (`é` is 2 bytes, `€` is 3 bytes).
    @Test func rangesAfterMultibyteText() {
        let bytes = Array("é€ DROP \"t\"".utf8)
        let tokens = SQLTokenizer.tokenize(bytes)
        #expect(tokens.map(\.kind) == [.word, .whitespace, .word, .whitespace, .quotedIdentifier])
        #expect(tokens.map(\.range) == [0..<5, 5..<6, 6..<10, 10..<11, 11..<14])
        #expect(tokens[2].isKeyword("drop", in: bytes))
        #expect(tokens[2].isKeyword("DROP", in: bytes))
        #expect(!tokens[2].isKeyword("dro", in: bytes))
        #expect(!tokens[4].isKeyword("t", in: bytes))
    }

    /// Exact byte ranges of parameters and casts (byte offsets, 0-based).
    @Test func parameterRanges() {
        let bytes = Array("a::int=:member_id".utf8)
        let tokens = SQLTokenizer.tokenize(bytes)
        #expect(tokens.map(\.range) == [0..<1, 1..<3, 3..<6, 6..<7, 7..<17])
        #expect(tokens.last?.kind == .namedParameter)
    }

    /// Identifier names fold words to lowercase and unescape quoted identifiers.
    @Test func identifierNames() {
        let bytes = Array(#"Deals "Deal ""Links""" `a``b` 'x'"#.utf8)
        let names = SQLTokenizer.tokenize(bytes).compactMap { $0.identifierName(in: bytes) }
        #expect(names == ["deals", #"Deal "Links""#, "a`b"])
    }
}
