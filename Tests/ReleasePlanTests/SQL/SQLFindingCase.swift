import Testing

@testable import ReleasePlan

/// One named analyzer input with its expected findings rendered as `kind: subject` strings.
///
/// Shared by the analyzer test suites so each table reads as plain SQL and plain results.
/// Offsets and lengths (byte offsets, 0-based) are checked by dedicated tests instead.
struct SQLFindingCase: Sendable, CustomTestStringConvertible {
    /// Short case name shown by the test runner.
    let name: String
    /// SQL source text of the migration.
    let sql: String
    /// Expected findings in source order, each `kind: subject` (empty for negative cases).
    let expected: [String]

    /// Creates a case; `expected` defaults to no findings (a negative case).
    init(_ name: String, _ sql: String, _ expected: [String] = []) {
        self.name = name
        self.sql = sql
        self.expected = expected
    }

    var testDescription: String { name }

    /// Renders every finding of `sql` as `kind: subject`, in the analyzer's order.
    static func render(_ sql: String) -> [String] {
        SQLAnalyzer.analyze(sql).findings.map { "\($0.kind.rawValue): \($0.subject)" }
    }

    /// Renders findings of `sql` as `kind@offset+length`, using UTF-8 byte offsets (0-based).
    static func locate(_ sql: String) -> [String] {
        SQLAnalyzer.analyze(sql).findings.map { "\($0.kind.rawValue)@\($0.offset)+\($0.length)" }
    }

    /// Underlined source text of each finding of `sql`, in the analyzer's order.
    static func underlines(_ sql: String) -> [String] {
        let bytes = Array(sql.utf8)
        return SQLAnalyzer.analyze(bytes).findings.map { $0.underlinedText(in: bytes) }
    }

    /// Keyword-bearing text hidden inside every kind of non-SQL token (all must be ignored).
    static let maskedDrops: [SQLFindingCase] = [
        SQLFindingCase("in string", "SELECT 'DROP TABLE x; UPDATE y SET a = 1';"),
        SQLFindingCase("in escape string", #"SELECT E'\' DROP TABLE x; DELETE FROM y';"#),
        SQLFindingCase("in quoted identifier", #"SELECT "DROP TABLE x; TRUNCATE y" FROM t;"#),
        SQLFindingCase("in dollar body", "CREATE FUNCTION f() RETURNS void AS $$ DROP TABLE x; $$ LANGUAGE sql;"),
        SQLFindingCase(
            "in tagged dollar body",
            "DO $body$ BEGIN UPDATE deals SET a = 1; DELETE FROM deals; END $body$;"),
        SQLFindingCase("in line comment", "-- DROP TABLE x;\nSELECT 1;"),
        SQLFindingCase("in line comment with CRLF", "-- TRUNCATE x;\r\nSELECT 1;\r\n"),
        SQLFindingCase("in block comment", "/* DROP TABLE x; */ SELECT 1;"),
        SQLFindingCase("in nested block comment", "/* outer /* DROP TABLE x; */ still ALTER TABLE y DROP z; */ SELECT 1;"),
        SQLFindingCase("in unterminated string", "SELECT 'DROP TABLE x;"),
        SQLFindingCase("in unterminated dollar body", "DO $$ DELETE FROM x;"),
        SQLFindingCase("in unterminated block comment", "/* CREATE INDEX i ON t (a);"),
    ]
}
