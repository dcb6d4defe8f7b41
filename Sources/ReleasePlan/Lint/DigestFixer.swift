/// `lint --fix`: writes the right `sha256` of every migration that is not yet published, editing
/// the plan's bytes in place and leaving the rest of the file as it was.
public enum DigestFixer {
    /// The edits that make every unpublished migration's `sha256` match its file.
    public static func edits(for context: LintContext) -> [TextEdit] {
        let published = context.publishedMigrationIDs
        let root = context.document.root
        var edits: [TextEdit] = []
        for (index, migration) in context.plan.migrations.enumerated() where !published.contains(migration.id) {
            guard let file = context.migrationFiles[index] else { continue }
            let digest = SHA256.hex(file.bytes)
            let path: JSONPath = ["migrations", .index(index)]
            if let node = root.node(at: path / "sha256") {
                if node.string?.lowercased() != digest {
                    edits.append(TextEdit(range: node.range, replacement: JSONText.quoted(digest)))
                }
            } else if let object = root.node(at: path), let last = object.members?.last {
                edits.append(insertion(digest, after: last, in: object, source: context.document.source))
            }
        }
        return edits
    }

    /// `, "sha256": "…"` after the last member, on its own line when the object spans lines.
    private static func insertion(_ digest: String, after last: JSONMember, in object: JSONNode, source: SourceFile) -> TextEdit {
        let objectLine = source.location(of: object.range.start).line
        let keyLocation = source.location(of: last.keyRange.start)
        let member = "\"sha256\": \(JSONText.quoted(digest))"
        let text: String
        if keyLocation.line > objectLine {
            let lineStart = source.lines.byteRange(ofLine: keyLocation.line).lowerBound
            let indent = source.bytes[lineStart..<last.keyRange.start].prefix { $0 == 0x20 || $0 == 0x09 }
            let newline = source.bytes.contains(0x0D) ? "\r\n" : "\n"
            text = "," + newline + String(decoding: indent, as: UTF8.self) + member
        } else {
            text = ", " + member
        }
        return TextEdit(range: .at(last.value.range.end), replacement: text)
    }
}

/// Replaces a byte range of a file with new text.
public struct TextEdit: Sendable, Equatable {
    public var range: SourceRange
    public var replacement: String

    public init(range: SourceRange, replacement: String) {
        self.range = range
        self.replacement = replacement
    }

    /// Applies non-overlapping edits, from the end backwards so earlier offsets stay valid.
    public static func apply(_ edits: [TextEdit], to bytes: [UInt8]) -> [UInt8] {
        var result = bytes
        for edit in edits.sorted(by: { $0.range.start > $1.range.start }) {
            let start = min(edit.range.start, result.count)
            let end = min(max(start, edit.range.end), result.count)
            result.replaceSubrange(start..<end, with: Array(edit.replacement.utf8))
        }
        return result
    }
}
