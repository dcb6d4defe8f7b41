/// Keyword-aware view of one statement's significant tokens (positions are token indices, 0-based).
///
/// Every accessor is bounds-checked and answers "no match" past the end, so rule code can
/// probe `index + 2` without guarding. Byte offsets (0-based) are only produced by ``span``.
struct SQLClauseReader {
    /// Significant tokens of the statement (no trivia).
    let tokens: [SQLToken]
    /// The source bytes the tokens index into.
    let source: [UInt8]
    /// Parenthesis depth of each token, parallel to ``tokens`` (0 = statement top level).
    let depths: [Int]

    /// Creates a reader over `statement`, whose tokens index into `source`.
    init(statement: SQLStatement, source: [UInt8]) {
        self.tokens = statement.tokens
        self.source = source
        self.depths = statement.parenthesisDepths(in: source)
    }

    /// Number of significant tokens (token count).
    var count: Int { tokens.count }

    /// True when the token at `index` is the unquoted keyword `keyword` (case-insensitive).
    func isKeyword(_ index: Int, _ keyword: String) -> Bool {
        index >= 0 && index < tokens.count && tokens[index].isKeyword(keyword, in: source)
    }

    /// True when the token at `index` is an unquoted word listed in `keywords` (lowercase).
    func isAnyKeyword(_ index: Int, _ keywords: Set<String>) -> Bool {
        guard let word = lowercasedWord(index) else { return false }
        return keywords.contains(word)
    }

    /// True when consecutive tokens starting at `index` are exactly the keywords `sequence`.
    func matches(_ index: Int, _ sequence: String...) -> Bool {
        for (step, keyword) in sequence.enumerated() where !isKeyword(index + step, keyword) {
            return false
        }
        return true
    }

    /// Index after `sequence` when the tokens at `index` match it, otherwise `index` itself.
    func skipping(_ index: Int, _ sequence: String...) -> Int {
        for (step, keyword) in sequence.enumerated() where !isKeyword(index + step, keyword) {
            return index
        }
        return index + sequence.count
    }

    /// True when the token at `index` is the punctuation or one-byte operator `symbol`.
    func isSymbol(_ index: Int, _ symbol: Unicode.Scalar) -> Bool {
        index >= 0 && index < tokens.count && tokens[index].isSymbol(symbol, in: source)
    }

    /// Parenthesis depth of the token at `index`, or -1 past either end.
    func depth(_ index: Int) -> Int {
        index >= 0 && index < depths.count ? depths[index] : -1
    }

    /// Lowercased ASCII text of an unquoted word at `index`, or nil for any other token.
    func lowercasedWord(_ index: Int) -> String? {
        guard index >= 0, index < tokens.count, tokens[index].kind == .word else { return nil }
        let bytes = source[tokens[index].range.clamped(to: 0..<source.count)]
        return String(decoding: bytes.map(SQLToken.asciiLowercased), as: UTF8.self)
    }

    /// Source text of the token at `index`, or an empty string past the end.
    func text(_ index: Int) -> String {
        index >= 0 && index < tokens.count ? tokens[index].text(in: source) : ""
    }

    /// True when the token at `index` is a bare word or quoted identifier.
    func isIdentifier(_ index: Int) -> Bool {
        guard index >= 0, index < tokens.count else { return false }
        return tokens[index].kind == .word || tokens[index].kind == .quotedIdentifier
    }

    /// Reads one identifier at `index`; returns its source text and the following index.
    func readIdentifier(at index: Int) -> (text: String, next: Int)? {
        isIdentifier(index) ? (text(index), index + 1) : nil
    }

    /// Reads a dotted name such as `public."Deal Links"`; text is source spelling, no spaces.
    func readName(at index: Int) -> (text: String, next: Int)? {
        guard isIdentifier(index) else { return nil }
        var text = text(index)
        var next = index + 1
        while isSymbol(next, "."), isIdentifier(next + 1) {
            text += "." + self.text(next + 1)
            next += 2
        }
        return (text, next)
    }

    /// Reads comma-separated dotted names starting at `index` (each may carry `ONLY` / `*`).
    func readNameList(at index: Int) -> [String] {
        var names: [String] = []
        var cursor = index
        while true {
            cursor = skipping(cursor, "only")
            guard let name = readName(at: cursor) else { break }
            names.append(name.text)
            cursor = name.next
            if isSymbol(cursor, "*") { cursor += 1 }
            guard isSymbol(cursor, ",") else { break }
            cursor += 1
        }
        return names
    }

    /// Byte span from the start of token `first` to the end of token `last` (0-based bytes).
    func span(_ first: Int, through last: Int) -> (offset: Int, length: Int) {
        guard !tokens.isEmpty else { return (0, 0) }
        let clampedFirst = min(max(first, 0), tokens.count - 1)
        let clampedLast = min(max(last, clampedFirst), tokens.count - 1)
        let start = tokens[clampedFirst].range.lowerBound
        return (start, tokens[clampedLast].range.upperBound - start)
    }

    /// Index of the `)` closing the `(` at `index` (token index), or ``count`` if unbalanced.
    func closingIndex(ofOpening index: Int) -> Int {
        let level = depth(index)
        var cursor = index + 1
        while cursor < tokens.count {
            if depths[cursor] == level, isSymbol(cursor, ")") { return cursor }
            cursor += 1
        }
        return tokens.count
    }

    /// Splits `range` at commas sitting at depth `level`; empty pieces are dropped.
    func segments(of range: Range<Int>, atDepth level: Int) -> [Range<Int>] {
        let range = range.clamped(to: 0..<tokens.count)
        var pieces: [Range<Int>] = []
        var start = range.lowerBound
        for index in range where depths[index] == level && isSymbol(index, ",") {
            if start < index { pieces.append(start..<index) }
            start = index + 1
        }
        if start < range.upperBound { pieces.append(start..<range.upperBound) }
        return pieces
    }

    /// First index in `range` at depth `level` satisfying `predicate`, or nil.
    func firstIndex(in range: Range<Int>, atDepth level: Int, where predicate: (Int) -> Bool) -> Int? {
        range.clamped(to: 0..<tokens.count).first { depths[$0] == level && predicate($0) }
    }
}
