/// How a message shows a value taken from the user's files (a host, a code, a key, a string): whole
/// when it is short, else its first `limit` characters, "…" and its length, so that a 10 MB value
/// makes one line of output, not 10 MB per diagnostic. Characters are Unicode scalars here.
public enum MessageValue {
    /// The most characters of one value a message shows.
    public static let limit = 80

    /// `"deal_links"`, or `"aaaa…" (10485760 characters)` for a long value.
    public static func quoted(_ value: String) -> String {
        guard let (head, count) = cut(value) else { return "\"\(value)\"" }
        return "\"\(head)…\" (\(count) characters)"
    }

    /// `deal_links`, or `aaaa… (10485760 characters)` for a long value.
    public static func shown(_ value: String) -> String {
        guard let (head, count) = cut(value) else { return value }
        return "\(head)… (\(count) characters)"
    }

    /// The most characters of a whole message or note (`Diagnostic` cuts longer ones): a backstop
    /// for a value a message shows without `quoted` or `shown`.
    public static let messageLimit = 2000

    /// `text`, cut at `messageLimit` characters with "…" and its length.
    public static func bounded(_ text: String) -> String {
        guard let (head, count) = cut(text, limit: messageLimit) else { return text }
        return "\(head)… (\(count) characters)"
    }

    /// The first `limit` characters and the total count, or nil when the value is short enough.
    static func cut(_ value: String, limit: Int = limit) -> (head: String, count: Int)? {
        let scalars = value.unicodeScalars
        guard value.utf8.count > limit else { return nil }
        let end = scalars.index(scalars.startIndex, offsetBy: limit, limitedBy: scalars.endIndex) ?? scalars.endIndex
        guard end != scalars.endIndex else { return nil }
        return (String(scalars[scalars.startIndex..<end]), scalars.count)
    }
}
