import Testing

@testable import PlanStore

/// The `?` → `$n` scanner, without a server.
@Suite("PostgreSQL placeholders")
struct PostgresPlaceholdersTests {
    @Test(
        "rewrites",
        arguments: [
            ("SELECT 1", "SELECT 1", 0),
            ("SELECT ?", "SELECT $1", 1),
            ("INSERT INTO t VALUES (?,?,?)", "INSERT INTO t VALUES ($1,$2,$3)", 3),
            ("SELECT '?', ?", "SELECT '?', $1", 1),
            ("SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1", 1),
            ("SELECT E'\\'?', ?", "SELECT E'\\'?', $1", 1),
            ("SELECT e'\\\\', ?", "SELECT e'\\\\', $1", 1),
            ("SELECT 'a\\', ?", "SELECT 'a\\', $1", 1),  // standard strings: a backslash escapes nothing
            ("SELECT \"a?\"\"?\", ?", "SELECT \"a?\"\"?\", $1", 1),
            ("SELECT ? -- why?\n, ?", "SELECT $1 -- why?\n, $2", 2),
            ("SELECT ? -- why?", "SELECT $1 -- why?", 1),
            ("SELECT /* ? /* ? */ ? */ ?", "SELECT /* ? /* ? */ ? */ $1", 1),
            ("SELECT $$?$$, ?", "SELECT $$?$$, $1", 1),
            ("SELECT $tag$ $$ ? $tag$, ?", "SELECT $tag$ $$ ? $tag$, $1", 1),
            ("SELECT $1, ?", "SELECT $1, $1", 1),
            ("SELECT a$b, ?", "SELECT a$b, $1", 1),
            ("SELECT 'ünï?cødé', ?, '🚀'", "SELECT 'ünï?cødé', $1, '🚀'", 1),
            ("SELECT 'unterminated ?", "SELECT 'unterminated ?", 0),
            ("SELECT $x$ unterminated ?", "SELECT $x$ unterminated ?", 0),
            ("?-?/?", "$1-$2/$3", 3),
        ])
    func rewrites(_ input: String, _ expected: String, _ count: Int) {
        let result = PostgresPlaceholders.rewrite(input)
        #expect(result.sql == expected)
        #expect(result.count == count)
    }

    @Test("counts past nine")
    func manyParameters() {
        let sql = "VALUES (" + Array(repeating: "?", count: 12).joined(separator: ", ") + ")"
        let result = PostgresPlaceholders.rewrite(sql)
        #expect(result.count == 12)
        #expect(result.sql.hasSuffix("$10, $11, $12)"))
    }
}
