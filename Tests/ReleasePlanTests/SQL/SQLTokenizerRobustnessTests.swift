import Testing

@testable import ReleasePlan

/// Unterminated forms, CRLF input and random-byte fuzzing of the tokenizer (byte offsets, 0-based).
struct SQLTokenizerRobustnessTests {
    /// One unterminated construct: the last token must run to end of input and be flagged.
    struct UnterminatedCase: Sendable, CustomTestStringConvertible {
        /// Short case name shown by the test runner.
        let name: String
        /// SQL source text ending inside an open construct.
        let sql: String
        /// Kind of the final, unterminated token.
        let kind: SQLToken.Kind
        /// Byte offset where the unterminated token starts (0-based).
        let start: Int

        var testDescription: String { name }
    }

    static let unterminatedCases: [UnterminatedCase] = [
        UnterminatedCase(name: "string", sql: "SELECT 'abc", kind: .string, start: 7),
        UnterminatedCase(name: "string ending in doubled quote", sql: "x 'a''", kind: .string, start: 2),
        UnterminatedCase(name: "escape string ending in backslash", sql: #"E'a\"#, kind: .string, start: 0),
        UnterminatedCase(name: "escape string with escaped closing quote", sql: #"E'a\'"#, kind: .string, start: 0),
        UnterminatedCase(name: "quoted identifier", sql: "DROP TABLE \"abc", kind: .quotedIdentifier, start: 11),
        UnterminatedCase(name: "backtick identifier", sql: "`abc", kind: .quotedIdentifier, start: 0),
        UnterminatedCase(name: "empty dollar quote", sql: "AS $$ BEGIN", kind: .dollarString, start: 3),
        UnterminatedCase(name: "tagged dollar quote with wrong closer", sql: "$a$ x $b$", kind: .dollarString, start: 0),
        UnterminatedCase(name: "block comment", sql: "x /* abc", kind: .blockComment, start: 2),
        UnterminatedCase(name: "nested block comment closed once", sql: "/* /* */", kind: .blockComment, start: 0),
        UnterminatedCase(name: "lone quote", sql: "'", kind: .string, start: 0),
    ]

    @Test("unterminated constructs run to end of input", arguments: unterminatedCases)
    func unterminated(_ testCase: UnterminatedCase) throws {
        let bytes = Array(testCase.sql.utf8)
        let last = try #require(SQLTokenizer.tokenize(bytes).last)
        #expect(last.kind == testCase.kind)
        #expect(last.range == testCase.start..<bytes.count)
        #expect(last.isUnterminated)
        #expect(SQLAnalyzer.analyze(bytes).hasUnterminatedToken)
    }

    /// Terminated constructs and a line comment at end of input are not flagged.
    @Test func terminatedConstructsAreNotFlagged() {
        let bytes = Array("'a' \"b\" $$c$$ /* d */ -- e".utf8)
        let tokens = SQLTokenizer.tokenize(bytes)
        #expect(tokens.allSatisfy { !$0.isUnterminated })
        #expect(!SQLAnalyzer.analyze(bytes).hasUnterminatedToken)
    }

    /// CRLF line endings are whitespace and never leak into words or comments.
    @Test func crlfLineEndings() {
        let sql = "DROP TABLE a;\r\n-- note\r\nUPDATE b SET x = 1;\r\n"
        let bytes = Array(sql.utf8)
        let tokens = SQLTokenizer.tokenize(bytes)
        let texts = tokens.filter { !$0.isTrivia }.map { $0.text(in: bytes) }
        #expect(texts == ["DROP", "TABLE", "a", ";", "UPDATE", "b", "SET", "x", "=", "1", ";"])
        let comment = tokens.first { $0.kind == .lineComment }
        #expect(comment.map { $0.text(in: bytes) } == "-- note")
        let analysis = SQLAnalyzer.analyze(bytes)
        #expect(analysis.statementCount == 2)
        #expect(analysis.findings.map(\.offset) == [0, 24])
    }

    /// Tokens are contiguous, non-empty and cover every byte exactly once.
    static func checkCoverage(_ bytes: [UInt8], _ tokens: [SQLToken]) -> Bool {
        var expected = 0
        for token in tokens {
            guard token.range.lowerBound == expected, !token.range.isEmpty else { return false }
            expected = token.range.upperBound
        }
        return expected == bytes.count
    }

    /// Deterministic 64-bit linear congruential generator (Knuth MMIX constants).
    struct Generator {
        /// Current state; each call advances it once.
        var state: UInt64

        /// Next pseudo-random byte (the high bits of the state).
        mutating func nextByte() -> UInt8 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
    }

    /// 2,000 random byte strings, half of them biased toward SQL delimiters, never trap.
    @Test func randomBytesNeverCrash() {
        var generator = Generator(state: 0x5EED)
        let alphabet = Array("'\"`$-/*;:()\\ \nEeDROPdrop_1.?x".utf8)
        for round in 0..<2_000 {
            let length = Int(generator.nextByte()) % 96
            var bytes: [UInt8] = []
            for _ in 0..<length {
                let raw = generator.nextByte()
                bytes.append(round.isMultiple(of: 2) ? raw : alphabet[Int(raw) % alphabet.count])
            }
            let tokens = SQLTokenizer.tokenize(bytes)
            #expect(Self.checkCoverage(bytes, tokens), "coverage broken for \(bytes)")
            let analysis = SQLAnalyzer.analyze(bytes)
            #expect(analysis.findings.allSatisfy { $0.offset >= 0 && $0.offset + $0.length <= bytes.count })
        }
    }

    /// 2,000 random keyword salads drive every analyzer rule path without trapping.
    @Test func randomKeywordSaladsNeverCrash() {
        let words = [
            "ALTER", "TABLE", "DROP", "ADD", "COLUMN", "CONSTRAINT", "RENAME", "TO", "TYPE", "SET",
            "DATA", "NOT", "NULL", "DEFAULT", "IF", "EXISTS", "ONLY", "CREATE", "UNIQUE", "INDEX",
            "CONCURRENTLY", "ON", "TRUNCATE", "WITH", "AS", "MATERIALIZED", "UPDATE", "DELETE",
            "FROM", "WHERE", "OR", "x", "\"q\"", "'s'", "$$b$$", ":p", "(", ")", ",", ";", ".", "*",
        ]
        var generator = Generator(state: 0xC0FFEE)
        for _ in 0..<2_000 {
            let count = Int(generator.nextByte()) % 24
            var sql = ""
            for _ in 0..<count {
                sql += words[Int(generator.nextByte()) % words.count] + " "
            }
            let bytes = Array(sql.utf8)
            let analysis = SQLAnalyzer.analyze(bytes)
            #expect(analysis.findings.allSatisfy { $0.offset >= 0 && $0.offset + $0.length <= bytes.count })
            #expect(analysis.statementCount <= count)
        }
    }

    /// Adversarial fixed inputs: empty, lone prefixes and deep nesting.
    @Test(arguments: [
        "", "$", "$a", "$a$", ":", "::", "E", "E'", "/*", "/", "-", "0x", "1e", "1e+",
        String(repeating: "(", count: 500), String(repeating: "/*", count: 300),
        String(repeating: "WITH a AS (", count: 200),
    ])
    func adversarialInputs(_ sql: String) {
        let bytes = Array(sql.utf8)
        #expect(Self.checkCoverage(bytes, SQLTokenizer.tokenize(bytes)))
        _ = SQLAnalyzer.analyze(bytes)
    }
}
