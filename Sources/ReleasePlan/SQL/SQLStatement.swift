/// One SQL statement: its significant tokens and byte extent (byte offsets, 0-based).
///
/// Produced by ``split(_:in:)``. Trivia (whitespace and comments) and the
/// terminating `;` are not part of ``tokens``; string, quoted-identifier and dollar-quoted
/// tokens are kept whole, so nothing inside them is ever treated as SQL.
public struct SQLStatement: Sendable, Equatable {
    /// Significant tokens in source order (no whitespace, comments or terminating `;`).
    public let tokens: [SQLToken]
    /// Terminated by a top-level `;` (false for a trailing statement without one).
    public let isTerminated: Bool

    /// Creates a statement from significant tokens; `tokens` must not be empty.
    public init(tokens: [SQLToken], isTerminated: Bool) {
        self.tokens = tokens
        self.isTerminated = isTerminated
    }

    /// Byte offset of the first significant token (byte offset, 0-based).
    public var startOffset: Int { tokens.first?.range.lowerBound ?? 0 }

    /// Byte offset just past the last significant token, `;` excluded (byte offset, 0-based).
    public var endOffset: Int { tokens.last?.range.upperBound ?? startOffset }

    /// Bytes from the first to the last significant token (byte offsets, 0-based, half-open).
    public var range: Range<Int> { startOffset..<endOffset }

    /// Source text of the whole statement, comments between tokens included.
    public func text(in source: [UInt8]) -> String {
        let clamped = range.clamped(to: 0..<source.count)
        return String(decoding: source[clamped], as: UTF8.self)
    }

    /// True when the first significant token is the keyword `keyword` (ASCII case-insensitive).
    public func starts(with keyword: String, in source: [UInt8]) -> Bool {
        tokens.first?.isKeyword(keyword, in: source) ?? false
    }

    /// True when the statement contains any unterminated string, identifier or dollar string.
    public var hasUnterminatedToken: Bool {
        tokens.contains { $0.isUnterminated }
    }

    /// Parenthesis depth of each token, parallel to ``tokens`` (0 = top level).
    ///
    /// An opening `(` carries the depth outside it, a closing `)` the depth after it;
    /// unbalanced `)` never drive the depth below zero.
    public func parenthesisDepths(in source: [UInt8]) -> [Int] {
        var depths: [Int] = []
        depths.reserveCapacity(tokens.count)
        var depth = 0
        for token in tokens {
            if token.isSymbol("(", in: source) {
                depths.append(depth)
                depth += 1
            } else if token.isSymbol(")", in: source) {
                depth = max(0, depth - 1)
                depths.append(depth)
            } else {
                depths.append(depth)
            }
        }
        return depths
    }

    // MARK: - Splitting

    /// Splits a token stream into statements at top-level `;` (byte offsets are kept).
    ///
    /// A `;` splits only at parenthesis depth 0; `;` inside strings, quoted identifiers,
    /// dollar-quoted bodies and comments is already hidden inside those tokens. Like `psql`,
    /// an unbalanced `(` keeps the rest of the input in one statement. Trigger bodies using
    /// `BEGIN … END` without dollar quotes are split at their inner `;`.
    /// Statements are returned in source order; those holding only trivia (for example
    /// `;;` or a trailing comment) are dropped.
    public static func split(_ tokens: [SQLToken], in source: [UInt8]) -> [SQLStatement] {
        var statements: [SQLStatement] = []
        var current: [SQLToken] = []
        var depth = 0
        for token in tokens where !token.isTrivia {
            if token.kind == .punctuation {
                if token.isSymbol("(", in: source) {
                    depth += 1
                } else if token.isSymbol(")", in: source) {
                    depth = max(0, depth - 1)
                } else if depth == 0, token.isSymbol(";", in: source) {
                    if !current.isEmpty {
                        statements.append(Self(tokens: current, isTerminated: true))
                    }
                    current.removeAll(keepingCapacity: true)
                    continue
                }
            }
            current.append(token)
        }
        if !current.isEmpty {
            statements.append(Self(tokens: current, isTerminated: false))
        }
        return statements
    }

    /// Tokenizes `source` with ``SQLTokenizer`` in `dialect` and splits it into statements.
    public static func split(_ source: [UInt8], dialect: DatabaseDialect? = nil) -> [SQLStatement] {
        split(SQLTokenizer.tokenize(source, dialect: dialect), in: source)
    }
}
