import Testing

@testable import ReleasePlan

/// The tokenizer per dialect: MySQL's backticks, `#` and `-- ` comments and backslash escapes;
/// dollar quoting only for PostgreSQL (and a plan without a dialect).
struct SQLTokenizerDialectTests {
    /// One named input, its dialect and its full expected token list (`kind text`).
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let dialect: DatabaseDialect?
        let sql: String
        let tokens: [String]

        init(_ name: String, _ dialect: DatabaseDialect?, _ sql: String, _ tokens: [String]) {
            self.name = name
            self.dialect = dialect
            self.sql = sql
            self.tokens = tokens
        }

        var testDescription: String { "\(dialect?.rawValue ?? "none"): \(name)" }
    }

    /// Renders tokens as `kind text`, marking unterminated ones with a trailing `!`.
    static func render(_ sql: String, _ dialect: DatabaseDialect?) -> [String] {
        let bytes = Array(sql.utf8)
        return SQLTokenizer.tokenize(bytes, dialect: dialect).map { token in
            "\(token.kind.rawValue) \(token.text(in: bytes))" + (token.isUnterminated ? "!" : "")
        }
    }

    static let cases: [Case] = [
        Case(
            "backtick identifier with doubled backtick", .mysql, "`deal links``x` a",
            ["quotedIdentifier `deal links``x`", "whitespace  ", "word a"]),
        Case("hash comment", .mysql, "# DROP TABLE x;\nb", ["lineComment # DROP TABLE x;", "whitespace \n", "word b"]),
        Case("hash is an operator elsewhere", .postgresql, "a#b", ["word a", "operator #", "word b"]),
        Case(
            "operator run stops before a hash comment", .mysql, "a=#c\nb",
            ["word a", "operator =", "lineComment #c", "whitespace \n", "word b"]),
        Case("dash comment with a space", .mysql, "-- x;\ny", ["lineComment -- x;", "whitespace \n", "word y"]),
        Case("dash comment with a tab", .mysql, "--\tx", ["lineComment --\tx"]),
        Case("dash comment at the end of input", .mysql, "a --", ["word a", "whitespace  ", "lineComment --"]),
        Case("dashes without a space are operators", .mysql, "a--1", ["word a", "operator -", "operator -", "number 1"]),
        Case("dashes without a space are a comment on PostgreSQL", nil, "a--1", ["word a", "lineComment --1"]),
        Case("backslash-escaped quote", .mysql, #"'it\'s' x"#, [#"string 'it\'s'"#, "whitespace  ", "word x"]),
        Case("backslash before the closing quote", .mysql, #"'a\\' b"#, [#"string 'a\\'"#, "whitespace  ", "word b"]),
        Case("doubled quote still escapes", .mysql, "'it''s'", ["string 'it''s'"]),
        Case("double quotes are a string", .mysql, #""a\"b" c"#, [#"string "a\"b""#, "whitespace  ", "word c"]),
        Case("prefixed string with backslash", .mysql, #"N'a\'b'"#, [#"string N'a\'b'"#]),
        Case("backslash is literal on PostgreSQL", nil, #"'a\' b"#, [#"string 'a\'"#, "whitespace  ", "word b"]),
        Case("unterminated escaped string", .mysql, #"'a\'"#, [#"string 'a\'!"#]),
        Case("block comment", .mysql, "/* x */y", ["blockComment /* x */", "word y"]),
        Case(
            "no dollar quoting on MySQL", .mysql, "$$ x $$",
            ["operator $", "operator $", "whitespace  ", "word x", "whitespace  ", "operator $", "operator $"]),
        Case("no dollar quoting on SQLite", .sqlite, "$a$ x", ["operator $", "word a$", "whitespace  ", "word x"]),
        Case("positional parameter on SQLite", .sqlite, "$1", ["positionalParameter $1"]),
        Case("dollar quoting on PostgreSQL", .postgresql, "$a$ x $a$", ["dollarString $a$ x $a$"]),
        Case("dollar quoting without a dialect", nil, "$$;$$", ["dollarString $$;$$"]),
        Case(
            "named parameter on MySQL", .mysql, "id = :member_id",
            ["word id", "whitespace  ", "operator =", "whitespace  ", "namedParameter :member_id"]),
    ]

    @Test("token kinds and texts per dialect", arguments: cases)
    func tokenKinds(_ testCase: Case) {
        #expect(Self.render(testCase.sql, testCase.dialect) == testCase.tokens)
    }

    @Test func semicolonInsideABackslashEscapedStringDoesNotSplit() {
        let sql = Array(#"INSERT INTO notes VALUES ('it\'s; DROP TABLE x'); UPDATE notes SET a = 1 WHERE id = 2;"#.utf8)
        let statements = SQLStatement.split(sql, dialect: .mysql)
        #expect(statements.count == 2)
        #expect(statements.first?.text(in: sql) == #"INSERT INTO notes VALUES ('it\'s; DROP TABLE x')"#)
        // PostgreSQL reads the backslash literally: the string ends at `\'`, and the rest of the input
        // opens an unterminated one.
        #expect(SQLStatement.split(sql).map { $0.hasUnterminatedToken } == [true])
    }

    @Test func hashCommentHidesStatements() {
        let analysis = SQLAnalyzer.analyze(Array("# DROP TABLE x;\nSELECT 1;\n".utf8), dialect: .mysql)
        #expect(analysis.findings.isEmpty && analysis.statementCount == 1)
    }

    @Test(arguments: DatabaseDialect.allCases)
    func tokensCoverEveryByteOfArbitraryInput(_ dialect: DatabaseDialect) {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("'\"`\\#-$;/* \nab1:".utf8)
        for _ in 0..<300 {
            let source = (0..<Int.random(in: 0..<40, using: &generator)).map { _ in
                alphabet.randomElement(using: &generator)!
            }
            let tokens = SQLTokenizer.tokenize(source, dialect: dialect)
            var offset = 0
            for token in tokens {
                #expect(token.range.lowerBound == offset && !token.range.isEmpty)
                offset = token.range.upperBound
            }
            #expect(offset == source.count, "\(String(decoding: source, as: UTF8.self))")
        }
    }
}
