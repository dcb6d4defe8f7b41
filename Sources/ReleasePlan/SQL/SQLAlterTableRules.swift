/// `ALTER TABLE` action rules (findings carry 0-based byte offsets; internals use token indices).
///
/// `ALTER TABLE [IF EXISTS] [ONLY] name [*] action [, action …]` is split into actions at
/// top-level commas and each action is checked on its own, so
/// `ALTER TABLE a DROP COLUMN x, DROP COLUMN y` yields two findings. Rules:
///
/// - `DROP [COLUMN] [IF EXISTS] x` → destructive (not `DROP CONSTRAINT` and the like).
/// - `RENAME TO t`, `RENAME [COLUMN] a TO b`, `RENAME CONSTRAINT a TO b` → incompatible.
/// - `ALTER [COLUMN] x TYPE …` / `SET DATA TYPE …` / `SET NOT NULL` → incompatible.
/// - `ADD [COLUMN] x type … NOT NULL` without `DEFAULT` (or `GENERATED`, serial types) →
///   incompatible; `ADD CONSTRAINT`, `ADD PRIMARY KEY` and other table constraints are not columns.
enum SQLAlterTableRules {
    /// Words that, right after an action-level `DROP`, mean "not a column" (lowercase).
    static let nonColumnAfterDrop: Set<String> = [
        "constraint", "default", "not", "identity", "expression", "index", "key",
        "primary", "foreign", "check", "partition", "period",
    ]
    /// Words that, right after `ADD`, start a table constraint instead of a column (lowercase).
    static let nonColumnAfterAdd: Set<String> = [
        "constraint", "primary", "unique", "check", "foreign", "exclude", "index", "key",
        "fulltext", "spatial", "partition",
    ]
    /// Words in a column definition that fill existing rows, making `NOT NULL` safe (lowercase).
    static let defaultProviders: Set<String> = [
        "default", "generated", "identity", "serial", "smallserial", "bigserial",
        "serial2", "serial4", "serial8", "autoincrement", "auto_increment",
    ]
    /// Object words allowed between `RENAME` and the old name (lowercase).
    static let renameTargets: Set<String> = ["column", "constraint", "index", "key"]

    /// One top-level action of an `ALTER TABLE` statement (token indices, 0-based).
    struct Action {
        /// Reader over the whole statement.
        let reader: SQLClauseReader
        /// Token indices of this action, its leading keyword first.
        let range: Range<Int>
        /// Table name as spelled in the source.
        let table: String

        /// Appends a finding whose underline spans tokens `first` through `last`.
        func report(
            _ kind: SQLFinding.Kind, _ first: Int, through last: Int, _ subject: String,
            into findings: inout [SQLFinding]
        ) {
            let (offset, length) = reader.span(first, through: last)
            findings.append(SQLFinding(kind: kind, offset: offset, length: length, subject: subject, table: table))
        }

        /// Reads one identifier at `index` if it lies inside this action.
        func identifier(at index: Int) -> (text: String, next: Int)? {
            index < range.upperBound ? reader.readIdentifier(at: index) : nil
        }
    }

    /// Checks a statement starting with `ALTER TABLE` and appends findings in clause order.
    static func check(_ reader: SQLClauseReader, into findings: inout [SQLFinding]) {
        let cursor = reader.skipping(reader.skipping(2, "if", "exists"), "only")
        guard let table = reader.readName(at: cursor) else { return }
        let actionsStart = reader.isSymbol(table.next, "*") ? table.next + 1 : table.next
        for range in reader.segments(of: actionsStart..<reader.count, atDepth: 0) {
            let action = Action(reader: reader, range: range, table: table.text)
            let first = range.lowerBound
            if reader.isKeyword(first, "drop") {
                dropColumn(action, into: &findings)
            } else if reader.isKeyword(first, "rename") {
                rename(action, into: &findings)
            } else if reader.isKeyword(first, "alter") {
                alterColumn(action, into: &findings)
            } else if reader.isKeyword(first, "add") {
                addColumn(action, into: &findings)
            }
        }
    }

    /// `DROP [COLUMN] [IF EXISTS] x`: destructive; underline `DROP COLUMN` or just `DROP`.
    static func dropColumn(_ action: Action, into findings: inout [SQLFinding]) {
        let reader = action.reader
        let first = action.range.lowerBound
        let isExplicit = reader.isKeyword(first + 1, "column")
        if !isExplicit, reader.isAnyKeyword(first + 1, nonColumnAfterDrop) { return }
        let nameIndex = reader.skipping(isExplicit ? first + 2 : first + 1, "if", "exists")
        let subject = ["DROP COLUMN", action.identifier(at: nameIndex)?.text].compactMap { $0 }
        action.report(
            .destructive, first, through: isExplicit ? first + 1 : first,
            subject.joined(separator: " "), into: &findings
        )
    }

    /// `RENAME TO t`, `RENAME [COLUMN|CONSTRAINT|INDEX|KEY] a TO b`: incompatible.
    static func rename(_ action: Action, into findings: inout [SQLFinding]) {
        let reader = action.reader
        let first = action.range.lowerBound
        if reader.isAnyKeyword(first + 1, ["to", "as"]) {
            var subject = "RENAME TO"
            if first + 2 < action.range.upperBound, let new = reader.readName(at: first + 2) {
                subject += " " + new.text
            }
            action.report(.incompatible, first, through: first + 1, subject, into: &findings)
            return
        }
        let target = reader.isAnyKeyword(first + 1, renameTargets) ? reader.lowercasedWord(first + 1) : nil
        let oldIndex = target == nil ? first + 1 : first + 2
        let old = action.identifier(at: oldIndex)
        var words = ["RENAME", (target ?? "column").uppercased()]
        if let old {
            words.append(old.text)
            if reader.isKeyword(old.next, "to"), let new = action.identifier(at: old.next + 1) {
                words += ["TO", new.text]
            }
        }
        action.report(
            .incompatible, first, through: target == nil ? first : first + 1,
            words.joined(separator: " "), into: &findings
        )
    }

    /// `ALTER [COLUMN] x TYPE` / `SET DATA TYPE` / `SET NOT NULL`: incompatible.
    ///
    /// The underline covers only the offending keywords (`TYPE`, `SET DATA TYPE`,
    /// `SET NOT NULL`), so the offset is at `TYPE` or `SET`, not at `ALTER`.
    static func alterColumn(_ action: Action, into findings: inout [SQLFinding]) {
        let reader = action.reader
        let first = action.range.lowerBound
        if reader.isKeyword(first + 1, "constraint") { return }
        guard let column = action.identifier(at: reader.skipping(first + 1, "column")) else { return }
        let at = column.next
        let prefix = "ALTER COLUMN \(column.text) "
        if reader.isKeyword(at, "type") {
            action.report(.incompatible, at, through: at, prefix + "TYPE", into: &findings)
        } else if reader.matches(at, "set", "data", "type") {
            action.report(.incompatible, at, through: at + 2, prefix + "SET DATA TYPE", into: &findings)
        } else if reader.matches(at, "set", "not", "null") {
            action.report(.incompatible, at, through: at + 2, prefix + "SET NOT NULL", into: &findings)
        }
    }

    /// `ADD [COLUMN] [IF NOT EXISTS] x type … NOT NULL` without a default: incompatible.
    ///
    /// Only tokens at the statement's top level count, so `CHECK (x IS NOT NULL)` or a
    /// `DEFAULT` inside parentheses of another construct is ignored.
    static func addColumn(_ action: Action, into findings: inout [SQLFinding]) {
        let reader = action.reader
        let first = action.range.lowerBound
        if reader.isAnyKeyword(first + 1, nonColumnAfterAdd) { return }
        let isExplicit = reader.isKeyword(first + 1, "column")
        let nameIndex = reader.skipping(isExplicit ? first + 2 : first + 1, "if", "not", "exists")
        guard let column = action.identifier(at: nameIndex) else { return }
        var hasNotNull = false
        var hasDefault = false
        for index in column.next..<action.range.upperBound where reader.depth(index) == 0 {
            if reader.matches(index, "not", "null"), index + 1 < action.range.upperBound { hasNotNull = true }
            if reader.isAnyKeyword(index, defaultProviders) { hasDefault = true }
        }
        guard hasNotNull, !hasDefault else { return }
        action.report(
            .incompatible, first, through: isExplicit ? first + 1 : first,
            "ADD COLUMN \(column.text) NOT NULL without DEFAULT", into: &findings
        )
    }
}
