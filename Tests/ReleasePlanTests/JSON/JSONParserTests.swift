import Testing

@testable import ReleasePlan

/// Ranges of nodes and keys, line and column arithmetic (1-based, columns in UTF-8 bytes), BOM and
/// CRLF handling, and recovery: one run reports every syntax error.
struct JSONParserTests {
    static func parse(_ text: String) -> (SourceFile, JSONParser.Result) {
        let source = SourceFile(path: "plan.json", text: text)
        return (source, JSONParser.parse(source))
    }

    /// Every node as `path start-end` and every key as `path key start-end` (locations `line:col`).
    static func outline(_ node: JSONNode, in source: SourceFile) -> [String] {
        var lines: [String] = []
        func at(_ offset: Int) -> String {
            let location = source.location(of: offset)
            return "\(location.line):\(location.column)"
        }
        func walk(_ node: JSONNode, _ path: JSONPath) {
            let name = path.components.isEmpty ? "$" : path.description
            lines.append("\(name) \(node.typeName) \(at(node.range.start))-\(at(node.range.end))")
            switch node.value {
            case .object(let members):
                for member in members {
                    lines.append("\((path / member.key).description) key \(at(member.keyRange.start))-\(at(member.keyRange.end))")
                    walk(member.value, path / member.key)
                }
            case .array(let elements):
                for (index, element) in elements.enumerated() { walk(element, path / index) }
            default: break
            }
        }
        walk(node, .root)
        return lines
    }

    /// Diagnostics as `line:col message`.
    static func rendered(_ result: JSONParser.Result) -> [String] {
        result.diagnostics.map { "\($0.line):\($0.column) \($0.message)" }
    }

    @Test func everyNodeAndKeyHasItsRange() throws {
        let text = "{\n  \"a\": [1, true],\n  \"b\": {\"c\": null},\n  \"d\": \"x\"\n}"
        let (source, result) = Self.parse(text)
        #expect(result.diagnostics.isEmpty)
        let root = try #require(result.root)
        #expect(
            Self.outline(root, in: source) == [
                "$ object 1:1-5:2",
                "a key 2:3-2:6", "a array 2:8-2:17", "a[0] number 2:9-2:10", "a[1] boolean 2:12-2:16",
                "b key 3:3-3:6", "b object 3:8-3:19", "b.c key 3:9-3:12", "b.c null 3:14-3:18",
                "d key 4:3-4:6", "d string 4:8-4:11",
            ])
        #expect(root.node(at: ["a", 0])?.value == .number("1"))
        #expect(root.node(at: ["d"])?.string == "x")
        #expect(source.text(root.member("b")!.keyRange) == "\"b\"")
    }

    @Test func stringValuesDecodeEscapes() throws {
        let (_, result) = Self.parse(#"{"s": "a\"b\\c\/d\n\t\u00e9\ud83d\ude80"}"#)
        #expect(result.diagnostics.isEmpty)
        #expect(try #require(result.root).member("s")?.value.string == "a\"b\\c/d\n\té🚀")
    }

    @Test func numbersAreKeptAsWritten() throws {
        let (_, result) = Self.parse(#"{"n": [1.50, -0, 2e10, 3E-2]}"#)
        #expect(result.diagnostics.isEmpty)
        let elements = try #require(result.root?.member("n")?.value.elements)
        #expect(elements.map(\.value) == [.number("1.50"), .number("-0"), .number("2e10"), .number("3E-2")])
        #expect(elements[0].integer == nil)
    }

    @Test func columnsCountUTF8BytesOfMultibyteText() throws {
        // "Сделка" is 12 bytes, "🚀" 4: the missing comma is at byte column 32 (character column 23).
        let text = "{\n  \"title\": \"Сделка 🚀\" \"next\": 1\n}"
        let (_, result) = Self.parse(text)
        #expect(Self.rendered(result) == ["2:32 \(JSONSyntaxMessages.missingCommaBetweenMembers)"])
        #expect(result.root?.member("title")?.value.string == "Сделка 🚀")
        #expect(result.root?.member("next")?.value == JSONNode(.number("1"), range: SourceRange(start: 41, end: 42)))
    }

    @Test func multibyteKeyBeforeATrailingComma() {
        let (_, result) = Self.parse("{\"ключ\": \"значение\",}")
        // {"ключ": "значение",}  — 1 + 10 + 2 + 18 = 31 bytes before the comma.
        #expect(Self.rendered(result) == ["1:32 \(JSONSyntaxMessages.trailingCommaInObject)"])
    }

    @Test func crlfLineBreaksCountAsOneLine() throws {
        let text = "{\r\n  \"a\": 1,\r\n  \"b\": [true,]\r\n}\r\n"
        let (source, result) = Self.parse(text)
        #expect(Self.rendered(result) == ["3:13 \(JSONSyntaxMessages.trailingCommaInArray)"])
        let root = try #require(result.root)
        let b = try #require(root.member("b"))
        #expect(source.location(of: b.keyRange.start) == ReleasePlan.SourceLocation(line: 3, column: 3))
        #expect(source.location(of: root.range.end) == ReleasePlan.SourceLocation(line: 4, column: 2))
        #expect(source.lines.lineCount == 5)
    }

    @Test func byteOrderMarkIsAcceptedAndNotCounted() throws {
        let (source, result) = Self.parse("\u{FEFF}{\"a\": 1}")
        #expect(result.diagnostics.isEmpty)
        let root = try #require(result.root)
        #expect(root.range == SourceRange(start: 3, end: 11))
        #expect(source.location(of: root.range.start) == ReleasePlan.SourceLocation(line: 1, column: 1))
        #expect(source.location(of: root.member("a")!.keyRange.start) == ReleasePlan.SourceLocation(line: 1, column: 2))
    }

    @Test func errorColumnAfterByteOrderMark() {
        let (_, result) = Self.parse("\u{FEFF}{\"a\": 1,}")
        #expect(Self.rendered(result) == ["1:8 \(JSONSyntaxMessages.trailingCommaInObject)"])
    }

    @Test func oneRunReportsEveryError() throws {
        let text = """
            {
              'a': 1,
              b: 2,
              "c": 3 "d": 4,
              "e": [1, 2,],
            }
            """
        let (_, result) = Self.parse(text)
        #expect(
            Self.rendered(result) == [
                "2:3 \(JSONSyntaxMessages.singleQuotedKey)",
                "3:3 \(JSONSyntaxMessages.unquotedKey("b"))",
                "4:10 \(JSONSyntaxMessages.missingCommaBetweenMembers)",
                "5:13 \(JSONSyntaxMessages.trailingCommaInArray)",
                "5:15 \(JSONSyntaxMessages.trailingCommaInObject)",
            ])
        #expect(result.diagnostics.allSatisfy { $0.rule == "B24P001" && $0.severity == .error && $0.file == "plan.json" })
        // The tree is recovered around the errors.
        let members = try #require(result.root?.members)
        #expect(members.map(\.key) == ["a", "b", "c", "d", "e"])
        #expect(members.last?.value.elements?.count == 2)
    }

    @Test func errorsAfterTheLimitAreDropped() {
        let words = Array(repeating: "True", count: 100).joined(separator: ", ")
        let (_, result) = Self.parse("{\"a\": [\(words)]}")
        #expect(result.diagnostics.count == JSONParser.maximumErrors)
        #expect(result.diagnostics.first?.message == JSONSyntaxMessages.bareWord("True"))
    }

    @Test func nestingDeeperThanTheLimitIsReportedNotRecursed() {
        let (_, arrays) = Self.parse(String(repeating: "[", count: 5_000))
        #expect(
            arrays.diagnostics.first.map { "\($0.line):\($0.column) \($0.message)" }
                == "1:201 \(JSONSyntaxMessages.tooDeep(JSONParser.maximumDepth))")
        #expect(arrays.diagnostics.count <= JSONParser.maximumErrors)

        let (_, objects) = Self.parse(String(repeating: "{\"a\":", count: 1_000))
        #expect(
            objects.diagnostics.first.map { "\($0.line):\($0.column) \($0.message)" }
                == "1:1001 \(JSONSyntaxMessages.tooDeep(JSONParser.maximumDepth))")
    }

    @Test func nestingAtTheLimitParses() {
        let depth = JSONParser.maximumDepth
        let (_, result) = Self.parse(String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
        #expect(result.diagnostics.isEmpty)
        #expect(result.root?.elements?.count == 1)
    }
}
