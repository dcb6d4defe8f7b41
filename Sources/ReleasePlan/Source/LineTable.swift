/// Start offsets of every line of a file: the one table that turns byte offsets into line:column.
///
/// Line breaks are `\n`, `\r\n` and a lone `\r`. A UTF-8 byte order mark at the start of the file
/// is not counted in line 1's columns.
public struct LineTable: Sendable {
    /// Byte offset (0-based) where each line starts; `starts[0]` is line 1.
    public let starts: [Int]
    /// Total number of bytes in the file.
    public let byteCount: Int
    private let contentEnds: [Int]

    public init(_ bytes: [UInt8]) {
        var starts = [Self.hasByteOrderMark(bytes) ? 3 : 0]
        var ends: [Int] = []
        bytes.withUnsafeBufferPointer { bytes in
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte > UInt8(ascii: "\r") {
                    index += 1
                    continue
                }
                if byte == UInt8(ascii: "\n") {
                    ends.append(index)
                    starts.append(index + 1)
                } else if byte == UInt8(ascii: "\r") {
                    ends.append(index)
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\n") { index += 1 }
                    starts.append(index + 1)
                }
                index += 1
            }
        }
        ends.append(bytes.count)
        self.starts = starts
        self.contentEnds = ends
        self.byteCount = bytes.count
    }

    /// Whether the bytes start with a UTF-8 byte order mark (EF BB BF).
    public static func hasByteOrderMark(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
    }

    /// Number of lines (an empty file has one).
    public var lineCount: Int { starts.count }

    /// The 1-based line and column (in UTF-8 bytes) of a 0-based byte offset; offsets past the end
    /// are clamped to the end of the file.
    public func location(of offset: Int) -> SourceLocation {
        let offset = max(0, min(offset, byteCount))
        var low = 0
        var high = starts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if starts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return SourceLocation(line: low + 1, column: max(0, offset - starts[low]) + 1)
    }

    /// The byte range of a 1-based line, without its line break.
    public func byteRange(ofLine line: Int) -> Range<Int> {
        guard line >= 1, line <= starts.count else { return byteCount..<byteCount }
        return starts[line - 1]..<max(starts[line - 1], contentEnds[line - 1])
    }

    /// The 0-based byte offset of a 1-based line and column.
    public func offset(of location: SourceLocation) -> Int {
        let range = byteRange(ofLine: location.line)
        return min(range.lowerBound + max(0, location.column - 1), byteCount)
    }
}
