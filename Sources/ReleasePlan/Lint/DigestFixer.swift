/// `lint --fix`: writes the right `sha256` of every migration that is not yet published, editing
/// the plan's bytes in place and leaving the rest of the file as it was. It never writes into a
/// released plan (`LintContext.releaseStatus`): there a digest that does not match means the file
/// was edited after it ran.
public enum DigestFixer {
    /// What `lint --fix` does to one plan.
    public struct Fix: Sendable, Equatable {
        /// The edits to write; empty when there is nothing to fix or the plan is released.
        public var edits: [TextEdit]
        /// Why edits that were needed are not written (the plan is released, the message names the
        /// later plan or the store's record); nil when nothing was refused.
        public var refusal: String?
    }

    /// The edits `lint --fix` writes into the plan of `context`, or why it writes none.
    public static func fix(_ context: LintContext) -> Fix {
        let needed = unguardedEdits(for: context)
        guard !needed.isEmpty, let reason = context.releaseStatus.reason else { return Fix(edits: needed, refusal: nil) }
        return Fix(edits: [], refusal: PlanMessages.notFixed(context.document.source.path, reason: reason))
    }

    /// The edits that make every unpublished migration's `sha256` match its file; none in a released plan.
    public static func edits(for context: LintContext) -> [TextEdit] {
        fix(context).edits
    }

    private static func unguardedEdits(for context: LintContext) -> [TextEdit] {
        let published = context.publishedMigrationIDs
        let root = context.document.root
        var edits: [TextEdit] = []
        for (index, migration) in context.plan.migrations.enumerated() where !published.contains(migration.id) {
            guard let file = context.migrationFiles[index] else { continue }
            let digest = SHA256.hex(file.bytes)
            let path = context.document.sourcePath(["migrations", .index(index)])
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
