import Testing

@testable import ReleasePlan

/// Statement splitting at top-level `;` with trivia dropped (byte offsets, 0-based).
struct SQLStatementTests {
    /// One named splitting input with the expected significant text of each statement.
    struct Case: Sendable, CustomTestStringConvertible {
        /// Short case name shown by the test runner.
        let name: String
        /// SQL source text.
        let sql: String
        /// Each statement's significant tokens joined by single spaces.
        let statements: [String]

        var testDescription: String { name }
    }

    /// Splits `sql` and renders each statement's significant tokens joined by spaces.
    static func render(_ sql: String) -> [String] {
        let bytes = Array(sql.utf8)
        return SQLStatement.split(bytes).map { statement in
            statement.tokens.map { $0.text(in: bytes) }.joined(separator: " ")
        }
    }

    static let cases: [Case] = [
        Case(
            name: "two statements", sql: "DROP TABLE a; UPDATE b SET c = 1;",
            statements: [
                "DROP TABLE a", "UPDATE b SET c = 1",
            ]),
        Case(
            name: "trailing statement without semicolon", sql: "SELECT 1; SELECT 2",
            statements: [
                "SELECT 1", "SELECT 2",
            ]),
        Case(
            name: "empty statements and comment tail dropped", sql: ";; SELECT 1;; -- bye\n",
            statements: [
                "SELECT 1"
            ]),
        Case(
            name: "semicolon inside string", sql: "INSERT INTO t VALUES ('a;b'); SELECT 2",
            statements: [
                "INSERT INTO t VALUES ( 'a;b' )", "SELECT 2",
            ]),
        Case(
            name: "semicolon inside dollar body", sql: "CREATE FUNCTION f() AS $$ UPDATE t SET a = 1; $$; SELECT 1",
            statements: ["CREATE FUNCTION f ( ) AS $$ UPDATE t SET a = 1; $$", "SELECT 1"]),
        Case(
            name: "semicolon inside comments", sql: "SELECT 1 /* ; */ -- ;\n; SELECT 2",
            statements: [
                "SELECT 1", "SELECT 2",
            ]),
        Case(
            name: "semicolon inside parentheses", sql: "SELECT (1; 2); SELECT 3",
            statements: [
                "SELECT ( 1 ; 2 )", "SELECT 3",
            ]),
        Case(
            name: "stray closing parenthesis does not go negative", sql: "SELECT 1); SELECT 2",
            statements: [
                "SELECT 1 )", "SELECT 2",
            ]),
        Case(
            name: "semicolon inside quoted identifier", sql: "DROP TABLE \"a;b\"; SELECT 1",
            statements: [
                "DROP TABLE \"a;b\"", "SELECT 1",
            ]),
        Case(name: "only trivia", sql: "  -- nothing\n/* here */ ", statements: []),
    ]

    @Test("splitting", arguments: cases)
    func splitting(_ testCase: Case) {
        #expect(Self.render(testCase.sql) == testCase.statements)
    }

    /// Start offsets skip leading trivia; ranges exclude the terminating `;`.
    @Test func offsetsAndTermination() {
        let sql = "-- head\nDROP TABLE a;\n  SELECT 1"
        let bytes = Array(sql.utf8)
        let statements = SQLStatement.split(bytes)
        #expect(statements.map(\.startOffset) == [8, 24])
        #expect(statements.map(\.range) == [8..<20, 24..<32])
        #expect(statements.map(\.isTerminated) == [true, false])
        #expect(statements.map { $0.text(in: bytes) } == ["DROP TABLE a", "SELECT 1"])
        #expect(statements[0].starts(with: "drop", in: bytes))
    }

    /// Parenthesis depths: `(` carries the outer depth and `)` the depth after closing.
    @Test func parenthesisDepths() {
        let bytes = Array("a (b (c)) d".utf8)
        let statement = SQLStatement.split(bytes)[0]
        #expect(statement.parenthesisDepths(in: bytes) == [0, 0, 1, 1, 2, 1, 0, 0])
    }

    /// Multibyte text shifts start offsets by its UTF-8 byte length.
    @Test func multibyteOffsets() {
        let bytes = Array("SELECT 'ü'; DELETE FROM t".utf8)
        let statements = SQLStatement.split(bytes)
        #expect(statements.map(\.startOffset) == [0, 13])
    }

    /// Statement count reported by the analyzer matches the splitter.
    @Test func analyzerStatementCount() {
        let analysis = SQLAnalyzer.analyze("BEGIN; ALTER TABLE a ADD COLUMN b int; COMMIT;;")
        #expect(analysis.statementCount == 3)
        #expect(analysis.findings.isEmpty)
    }
}
