import Testing

@testable import ReleasePlan

/// Byte offsets to 1-based line:column (UTF-8 bytes) for every kind of line break.
struct LineTableTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let text: String
        let starts: [Int]
        /// The text of each line, without its break.
        let lines: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "empty file", text: "", starts: [0], lines: [""]),
        Case(name: "no line break", text: "abc", starts: [0], lines: ["abc"]),
        Case(name: "LF", text: "a\nbc\n", starts: [0, 2, 5], lines: ["a", "bc", ""]),
        Case(name: "CRLF", text: "a\r\nbc\r\n", starts: [0, 3, 7], lines: ["a", "bc", ""]),
        Case(name: "lone CR", text: "a\rbc", starts: [0, 2], lines: ["a", "bc"]),
        Case(name: "mixed", text: "a\n\r\nb\rc", starts: [0, 2, 4, 6], lines: ["a", "", "b", "c"]),
        Case(name: "CR CR is two breaks", text: "\r\r", starts: [0, 1, 2], lines: ["", "", ""]),
        Case(name: "LF CR is two breaks", text: "\n\r", starts: [0, 1, 2], lines: ["", "", ""]),
        Case(name: "byte order mark", text: "\u{FEFF}ab\ncd", starts: [3, 6], lines: ["ab", "cd"]),
        Case(name: "multibyte", text: "я\n🚀x", starts: [0, 3], lines: ["я", "🚀x"]),
    ]

    @Test(arguments: cases)
    func lineStartsAndTexts(_ testCase: Case) {
        let source = SourceFile(path: "f", text: testCase.text)
        #expect(source.lines.starts == testCase.starts)
        #expect(source.lines.lineCount == testCase.lines.count)
        #expect((1...testCase.lines.count).map(source.lineText) == testCase.lines)
        #expect(source.lines.byteCount == testCase.text.utf8.count)
    }

    static func at(_ table: LineTable, _ offset: Int) -> String {
        let location = table.location(of: offset)
        return "\(location.line):\(location.column)"
    }

    @Test func locationsAcrossLineBreaks() {
        let table = LineTable(Array("ab\r\ncd\ne\rf".utf8))
        #expect(
            (0...11).map { Self.at(table, $0) } == [
                "1:1", "1:2", "1:3", "1:4",  // a b \r \n
                "2:1", "2:2", "2:3",  // c d \n
                "3:1", "3:2",  // e \r
                "4:1", "4:2",  // f, end of file
                "4:2",  // past the end: clamped
            ])
    }

    @Test func columnsCountBytes() {
        let table = LineTable(Array("{\"я\": 🚀}".utf8))
        // { " я(2) " : space 🚀(4) }
        #expect(Self.at(table, 9) == "1:10")
        #expect(Self.at(table, 11) == "1:12")
    }

    @Test func offsetsOutsideTheFileAreClamped() {
        let table = LineTable(Array("ab\ncd".utf8))
        #expect(Self.at(table, -5) == "1:1")
        #expect(Self.at(table, 5) == "2:3")
        #expect(Self.at(table, 1_000) == "2:3")
        #expect(Self.at(LineTable([]), 7) == "1:1")
    }

    @Test func byteOrderMarkIsNotInLineOne() {
        let table = LineTable(Array("\u{FEFF}ab".utf8))
        #expect(Self.at(table, 0) == "1:1")
        #expect(Self.at(table, 3) == "1:1")
        #expect(Self.at(table, 4) == "1:2")
        #expect(LineTable.hasByteOrderMark([0xEF, 0xBB, 0xBF]))
        #expect(!LineTable.hasByteOrderMark([0xEF, 0xBB]))
    }

    @Test func byteRangeOfLine() {
        let table = LineTable(Array("ab\r\ncd\n\nx".utf8))
        #expect(table.byteRange(ofLine: 1) == 0..<2)
        #expect(table.byteRange(ofLine: 2) == 4..<6)
        #expect(table.byteRange(ofLine: 3) == 7..<7)
        #expect(table.byteRange(ofLine: 4) == 8..<9)
        #expect(table.byteRange(ofLine: 0) == 9..<9)
        #expect(table.byteRange(ofLine: 5) == 9..<9)
        #expect(LineTable([]).byteRange(ofLine: 1) == 0..<0)
    }

    @Test func offsetOfLocationIsTheInverse() {
        let bytes = Array("ab\r\ncd\ne".utf8)
        let table = LineTable(bytes)
        for offset in [0, 1, 4, 5, 7] {
            #expect(table.offset(of: table.location(of: offset)) == offset)
        }
        #expect(table.offset(of: ReleasePlan.SourceLocation(line: 9, column: 1)) == bytes.count)
        #expect(table.offset(of: ReleasePlan.SourceLocation(line: 3, column: 50)) == bytes.count)
    }

    @Test func textOfARangeIsClamped() {
        let source = SourceFile(path: "f", text: "hello")
        #expect(source.text(SourceRange(start: 1, end: 3)) == "el")
        #expect(source.text(SourceRange(start: 3, end: 99)) == "lo")
        #expect(source.text(SourceRange(start: 9, end: 12)) == "")
        #expect(SourceRange(start: 5, end: 2).length == 0)
    }
}
