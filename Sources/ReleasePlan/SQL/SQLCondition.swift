/// An SQL condition given on the command line (`--where`), checked before it is put inside
/// `(<installations.where>) AND (<condition>)`: it must stay one condition inside its parentheses.
public enum SQLCondition {
    /// Why `text` cannot be used as one condition, or nil: a `)` that closes more than it opened
    /// (it would escape its parentheses and the installations' own `where`), an unclosed `(`, a
    /// `;`, a comment (it could swallow the closing parenthesis), or an unterminated string or
    /// quoted identifier.
    public static func problem(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        var depth = 0
        var meaningful = false
        for token in SQLTokenizer.tokenize(bytes) {
            if token.isUnterminated { return "a string or quoted name is not closed" }
            switch token.kind {
            case .lineComment, .blockComment: return "comments are not allowed in a condition"
            case .whitespace: continue
            case .punctuation, .operator:
                let piece = token.text(in: bytes)
                if piece.contains(";") { return "`;` is not allowed: give one condition, not statements" }
                for character in piece {
                    if character == "(" { depth += 1 }
                    if character == ")" {
                        depth -= 1
                        if depth < 0 { return "a `)` closes more than the condition opened" }
                    }
                }
            default:
                break
            }
            meaningful = true
        }
        if depth > 0 { return "a `(` is not closed" }
        return meaningful ? nil : "the condition is empty"
    }
}
