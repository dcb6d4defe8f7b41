/// The bytes of one input file together with its path and line table.
public struct SourceFile: Sendable {
    /// The path as the user gave it (diagnostics print it unchanged).
    public let path: String
    /// The file's bytes, exactly as read (a UTF-8 BOM included).
    public let bytes: [UInt8]
    /// Line starts of `bytes`, for turning byte offsets into line and column; built on first use
    /// (by a diagnostic or a printed line: a clean lint of 2,000 migration files needs none).
    public var lines: LineTable { lineTable.table(of: bytes) }
    private let lineTable = LazyLineTable()

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }

    public init(path: String, text: String) {
        self.init(path: path, bytes: Array(text.utf8))
    }

    /// The 1-based line and column of a byte offset (0-based).
    public func location(of offset: Int) -> SourceLocation {
        lines.location(of: offset)
    }

    /// The text of a 1-based line without its line break.
    public func lineText(_ line: Int) -> String {
        let range = lines.byteRange(ofLine: line)
        return String(decoding: bytes[range], as: UTF8.self)
    }

    /// A 1-based column in UTF-16 code units (as SARIF's default `columnKind` and GitHub's
    /// annotations count; the same as characters outside emoji and other astral scalars) of a
    /// 1-based column in UTF-8 bytes on a 1-based line. Bytes past the line's end count one each.
    public func utf16Column(line: Int, byteColumn: Int) -> Int {
        guard line >= 1, line <= lines.lineCount else { return byteColumn }
        let range = lines.byteRange(ofLine: line)
        let end = min(range.upperBound, range.lowerBound + max(0, byteColumn - 1))
        let prefix = String(decoding: bytes[range.lowerBound..<end], as: UTF8.self)
        return prefix.utf16.count + 1 + max(0, byteColumn - 1 - (end - range.lowerBound))
    }

    /// The text of a byte range.
    public func text(_ range: SourceRange) -> String {
        let start = max(0, min(range.start, bytes.count))
        let end = max(start, min(range.end, bytes.count))
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
