/// `UPDATE` / `DELETE` without `WHERE` rules (findings carry 0-based byte offsets).
///
/// Works on a token-index range of one statement (0-based indices), so it can recurse into
/// the parenthesised bodies of a `WITH` clause. The verb checked is the statement's main
/// verb: the first token, or after `WITH [RECURSIVE] name [(cols)] AS [NOT] [MATERIALIZED]
/// (…) [, …]` the first top-level `SELECT`/`INSERT`/`UPDATE`/`DELETE`/`MERGE`/`VALUES`.
/// Each `WITH` body is itself checked, so `WITH gone AS (DELETE FROM t RETURNING *) …`
/// reports the inner `DELETE`. A `WHERE` counts only at the verb's own parenthesis depth:
/// a `WHERE` inside a sub-select does not restrict the outer statement.
///
/// `UPDATE` inside `INSERT … ON CONFLICT DO UPDATE`, `FOR UPDATE`, trigger definitions,
/// or function bodies is never a main verb and is not reported.
enum SQLDataChangeRules {
    /// Words that begin the main statement after a `WITH` list (lowercase).
    static let mainVerbs: Set<String> = ["select", "insert", "update", "delete", "merge", "values", "table"]
    /// Words after which a `(` opens a `WITH` body (lowercase).
    static let bodyIntroducers: Set<String> = ["as", "materialized"]

    /// Checks the statement slice `range` (token indices) and appends findings in order.
    static func check(_ reader: SQLClauseReader, in range: Range<Int>, into findings: inout [SQLFinding]) {
        let range = range.clamped(to: 0..<reader.count)
        guard let first = range.first else { return }
        var verb = first
        if reader.isKeyword(first, "with") {
            guard let main = mainVerb(reader, afterWith: first, in: range, into: &findings) else { return }
            verb = main
        }
        if reader.isKeyword(verb, "update") {
            update(reader, verb: verb, in: range, into: &findings)
        } else if reader.isKeyword(verb, "delete") {
            delete(reader, verb: verb, in: range, into: &findings)
        }
    }

    /// Index of the main verb after a `WITH` list, checking every `WITH` body on the way.
    ///
    /// Returns nil when no main verb is found at the `WITH` keyword's depth.
    static func mainVerb(
        _ reader: SQLClauseReader, afterWith with: Int, in range: Range<Int>,
        into findings: inout [SQLFinding]
    ) -> Int? {
        let level = reader.depth(with)
        var cursor = with + 1
        while cursor < range.upperBound {
            guard reader.depth(cursor) == level else {
                cursor += 1
                continue
            }
            if reader.isSymbol(cursor, "(") {
                let close = min(reader.closingIndex(ofOpening: cursor), range.upperBound)
                if reader.isAnyKeyword(cursor - 1, bodyIntroducers) {
                    check(reader, in: (cursor + 1)..<close, into: &findings)
                }
                cursor = close + 1
                continue
            }
            if reader.isAnyKeyword(cursor, mainVerbs) { return cursor }
            cursor += 1
        }
        return nil
    }

    /// True when a `WHERE` keyword follows `verb` at the verb's depth inside `range`.
    static func hasWhere(_ reader: SQLClauseReader, after verb: Int, in range: Range<Int>) -> Bool {
        let level = reader.depth(verb)
        let found = reader.firstIndex(in: (verb + 1)..<range.upperBound, atDepth: level) {
            reader.isKeyword($0, "where")
        }
        return found != nil
    }

    /// `UPDATE [OR action] [ONLY] t …` without `WHERE`: underline `UPDATE`.
    static func update(
        _ reader: SQLClauseReader, verb: Int, in range: Range<Int>, into findings: inout [SQLFinding]
    ) {
        guard !hasWhere(reader, after: verb, in: range) else { return }
        var cursor = verb + 1
        if reader.isKeyword(cursor, "or") { cursor += 2 }
        cursor = reader.skipping(cursor, "only")
        let table = cursor < range.upperBound ? reader.readName(at: cursor)?.text : nil
        let (offset, length) = reader.span(verb, through: verb)
        findings.append(
            SQLFinding(
                kind: .updateWithoutWhere, offset: offset, length: length,
                subject: ["UPDATE", table].compactMap { $0 }.joined(separator: " "), table: table
            ))
    }

    /// `DELETE [FROM] [ONLY] t …` without `WHERE`: underline `DELETE FROM` (or `DELETE`).
    static func delete(
        _ reader: SQLClauseReader, verb: Int, in range: Range<Int>, into findings: inout [SQLFinding]
    ) {
        guard !hasWhere(reader, after: verb, in: range) else { return }
        let hasFrom = reader.isKeyword(verb + 1, "from")
        let cursor = reader.skipping(hasFrom ? verb + 2 : verb + 1, "only")
        let table = cursor < range.upperBound ? reader.readName(at: cursor)?.text : nil
        let (offset, length) = reader.span(verb, through: hasFrom ? verb + 1 : verb)
        findings.append(
            SQLFinding(
                kind: .deleteWithoutWhere, offset: offset, length: length,
                subject: ["DELETE FROM", table].compactMap { $0 }.joined(separator: " "), table: table
            ))
    }
}
