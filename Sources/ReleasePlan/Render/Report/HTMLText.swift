/// Text made safe to put into HTML and inline SVG, in element content and in quoted attribute
/// values alike: `&`, `<`, `>`, `"` and `'` become character references, and control characters
/// are made visible first (`escapingControlCharacters`, so `\n` reads as `\n`). Every value that
/// comes from the journal or the installations (member ids, hosts, error texts, names) goes
/// through here: they are hostile input.
public enum HTMLText {
    public static func escape(_ text: String) -> String {
        let visible = text.escapingControlCharacters
        guard visible.contains(where: { "&<>\"'".contains($0) }) else { return visible }
        var output = ""
        output.reserveCapacity(visible.utf8.count + 16)
        for character in visible {
            switch character {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            default: output.append(character)
            }
        }
        return output
    }

    /// `text` cut to `limit` characters with `…` (for labels in a box of fixed width), then escaped.
    public static func label(_ text: String, limit: Int) -> String {
        let visible = text.escapingControlCharacters
        guard visible.count > limit else { return escape(visible) }
        return escape(String(visible.prefix(max(1, limit - 1))) + "…")
    }

    /// A value as a class name: ASCII letters, digits and `-` kept, anything else `_` (a state the
    /// journal holds is shown as text elsewhere; here it only styles).
    public static func classToken(_ text: String) -> String {
        String(text.prefix(40).map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") ? $0 : "_" })
    }
}
