/// A page's structure as text for golden files: one line per element, indented by nesting, with
/// its id and classes (`section#graph`, `g.node.state-done`), without text or coordinates, so a
/// change in layout numbers does not hide a change in structure.
enum HTMLOutline {
    static let voidElements: Set<String> = ["meta", "br", "hr", "img", "input", "link", "!doctype"]

    static func outline(_ html: String) -> String {
        var lines: [String] = []
        var depth = 0
        var index = html.startIndex
        while let open = html[index...].firstIndex(of: "<") {
            guard let close = html[open...].firstIndex(of: ">") else { break }
            let tag = String(html[html.index(after: open)..<close])
            index = html.index(after: close)
            if tag.hasPrefix("/") {
                depth = max(0, depth - 1)
                continue
            }
            let name = String(tag.prefix { !$0.isWhitespace && $0 != "/" }).lowercased()
            var line = String(repeating: "  ", count: depth) + name
            if let id = attribute("id", in: tag) { line += "#" + id }
            if let classes = attribute("class", in: tag) { line += classes.split(separator: " ").map { "." + $0 }.joined() }
            lines.append(line)
            if !tag.hasSuffix("/") && !voidElements.contains(name) { depth += 1 }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func attribute(_ name: String, in tag: String) -> String? {
        guard let range = tag.range(of: " \(name)=\"") else { return nil }
        let rest = tag[range.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }
}
