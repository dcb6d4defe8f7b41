import Foundation

/// The cause of a portal's failure, normalised from its journaled `last_error` so that portals that
/// failed the same way group together: the error code where the text carries one
/// (`APPLICATION_NOT_FOUND`, `PORTAL_DELETED`, `invalid_grant`), else a short fixed phrase for the
/// errors b24plan words itself, else the text without what names one portal (URLs, host names,
/// numbers), cut at 120 characters.
public enum FailureCause {
    /// Phrases tried first; the first that occurs in the error names the cause.
    static let phrases: [(needle: String, cause: String)] = [
        ("INSTALLED: false", "app.info says INSTALLED: false"),
        ("refresh token is expired or was already used", "invalid_grant"),
        ("not followed:", "redirect not followed"),
        ("longer than its deadline", "portal deadline passed (--portal-timeout)"),
        ("no longer an active installation", "no longer an active installation"),
        ("the OAuth server gave no answer", "OAuth server gave no answer"),
    ]

    /// The cause of `error` (nil or empty: "no error recorded").
    public static func of(_ error: String?) -> String {
        guard let error, !error.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return "no error recorded" }
        for rule in phrases where error.contains(rule.needle) { return rule.cause }
        // A Bitrix24 error reads "CODE: message (HTTP n)" or "CODE (HTTP n)"; a failed write names
        // its placement code first ("placement.bind CRM_DEAL_DETAIL_TAB: ERROR_CORE: …"): the last wins.
        if let code = matches(#"\b[A-Z][A-Z0-9]*(_[A-Z0-9]+)+(?=: | \(HTTP)"#, in: error).last { return code }
        if let code = matches(#"\b(invalid_[a-z_]+|expired_token|insufficient_scope|unauthorized_client)\b"#, in: error).first {
            return code
        }
        if let lacks = matches(#"token lacks [A-Za-z0-9_., ]+?(?=;|$)"#, in: error).first {
            return lacks.trimmingCharacters(in: .whitespaces)
        }
        if let status = matches(#"HTTP [0-9]{3}"#, in: error).first { return status }
        if error.hasPrefix("no answer:") { return "no answer (network)" }
        if error.hasPrefix("methods not available") { return "methods not available on the portal" }
        if let code = matches(#"\b[A-Z][A-Z0-9]*(_[A-Z0-9]+)+\b"#, in: error).first { return code }
        return generic(error)
    }

    /// The text without URLs, host names and numbers, and cut at a word under 120 characters.
    static func generic(_ error: String) -> String {
        var text = error.escapingControlCharacters
        for (pattern, replacement) in [
            (#"[a-z][a-z0-9+.-]*://[^\s;,)"']+"#, "<url>"), (#"\b[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:[0-9]+)?\b"#, "<host>"),
            (#"[0-9]+"#, "N"),
        ] {
            text = text.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
        }
        guard text.count > 120 else { return text }
        let cut = text.prefix(120)
        return String(cut[..<(cut.lastIndex(of: " ") ?? cut.endIndex)]) + " …"
    }

    /// Every non-overlapping match of `pattern` in `text`, in order.
    private static func matches(_ pattern: String, in text: String) -> [String] {
        var found: [String] = []
        var start = text.startIndex
        while start < text.endIndex, let range = text.range(of: pattern, options: .regularExpression, range: start..<text.endIndex) {
            found.append(String(text[range]))
            start = range.isEmpty ? text.index(after: range.upperBound) : range.upperBound
        }
        return found
    }
}
