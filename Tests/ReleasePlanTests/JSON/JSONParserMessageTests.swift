import Testing

@testable import ReleasePlan

/// Each targeted B24P001 message, with the exact place it points at (`line:column`, bytes).
struct JSONParserMessageTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let text: String
        /// Every diagnostic, in order, as `line:col message`.
        let expected: [String]
        var testDescription: String { name }

        init(_ name: String, _ text: String, _ expected: String...) {
            self.name = name
            self.text = text
            self.expected = expected
        }
    }

    typealias M = JSONSyntaxMessages

    static let cases: [Case] = [
        Case("trailing comma in object points at the comma", #"{"a": 1,}"#, "1:8 \(M.trailingCommaInObject)"),
        Case("trailing comma in array points at the comma", #"{"a": [1,]}"#, "1:9 \(M.trailingCommaInArray)"),
        Case("trailing comma before a closing line", "{\n  \"a\": 1,\n}", "2:9 \(M.trailingCommaInObject)"),
        Case("missing comma points at the next key", #"{"a": 1 "b": 2}"#, "1:9 \(M.missingCommaBetweenMembers)"),
        Case("missing comma at the end of a line", "{\n  \"a\": 1\n  \"b\": 2\n}", "3:3 \(M.missingCommaBetweenMembers)"),
        Case("missing comma between elements", #"{"a": [1 2]}"#, "1:10 \(M.missingCommaBetweenElements)"),
        Case("extra comma", #"{"a": 1,, "b": 2}"#, "1:9 \(M.extraComma)"),
        Case("unquoted key", #"{app: "x"}"#, "1:2 \(M.unquotedKey("app"))"),
        Case("single-quoted key", "{'a': 1}", "1:2 \(M.singleQuotedKey)"),
        Case("single-quoted string", #"{"a": 'x'}"#, "1:7 \(M.singleQuotes)"),
        Case("line comment", "{\n  // note\n  \"a\": 1\n}", "2:3 \(M.comment)"),
        Case("block comment", #"{"a": /* c */ 1}"#, "1:7 \(M.comment)"),
        Case("unterminated block comment", #"{"a": 1} /* c"#, "1:10 \(M.unterminatedComment)"),
        Case("unterminated string points at its quote", "{\"a\": \"abc\n}", "1:7 \(M.unterminatedString)"),
        Case("bad escape \\x", #"{"a": "x\xy"}"#, "1:9 \(M.badEscape("\\x"))"),
        Case("escaped single quote", #"{"a": "it\'s"}"#, "1:10 \(M.badEscape("\\'"))"),
        Case("bad unicode escape", #"{"a": "\u12G4"}"#, "1:8 \(M.badUnicodeEscape)"),
        Case("control character in a string", "{\"a\": \"x\ty\"}", "1:9 \(M.controlCharacterInString)"),
        Case("number with a leading zero", #"{"a": 01}"#, "1:7 \(M.invalidNumber("01"))"),
        Case("number with a plus sign", #"{"a": +1}"#, "1:7 \(M.invalidNumber("+1"))"),
        Case("number with a leading dot", #"{"a": .5}"#, "1:7 \(M.invalidNumber(".5"))"),
        Case("number with a trailing dot", #"{"a": 1.}"#, "1:7 \(M.invalidNumber("1."))"),
        Case("hexadecimal number", #"{"a": 0x1F}"#, "1:7 \(M.invalidNumber("0x1F"))"),
        Case("True", #"{"a": True}"#, "1:7 'True' is not JSON: write true in lower case"),
        Case("None", #"{"a": None}"#, "1:7 'None' is not JSON: use null"),
        Case("NaN", #"{"a": NaN}"#, "1:7 'NaN' is not a JSON number"),
        Case("bare word", #"{"a": yes}"#, "1:7 unquoted string: write \"yes\" in double quotes"),
        Case("empty file", "", "1:1 \(M.emptyDocument)"),
        Case("whitespace only", " \n ", "2:2 \(M.emptyDocument)"),
        Case("content after the document", "{} {}", "1:4 \(M.contentAfterDocument)"),
        Case("missing colon", #"{"a" 1}"#, "1:6 \(M.missingColon(key: "a"))"),
        Case("equals instead of colon", #"{"a" = 1}"#, "1:6 \(M.equalsInsteadOfColon)"),
        Case("missing value", #"{"a": }"#, "1:7 \(M.expectedValue(found: "'}'"))"),
        Case("unexpected character", #"{"a": #}"#, "1:7 \(M.unexpectedCharacter("'#'"))"),
        Case("key that is a number", #"{"a": 1, 2: 3}"#, "1:10 \(M.expectedKey(found: "'2'"))"),
        Case("unterminated object points at its brace", #"{"a": 1"#, "1:1 \(M.unterminatedObject)"),
        Case(
            "unterminated array", #"{"a": [1"#, "1:7 \(M.unterminatedArray)", "1:1 \(M.unterminatedObject)"),
        Case(
            "mismatched close", #"{"a": [1}"#, "1:9 \(M.mismatchedClose(expected: "]", found: "}"))",
            "1:1 \(M.unterminatedObject)"),
        Case(
            "end of file where a value belongs", #"{"a":"#, "1:6 \(M.unexpectedEndExpectingValue)",
            "1:1 \(M.unterminatedObject)"),
        Case("non-breaking space", "{\u{A0}\"a\": 1}", "1:2 \(M.nonBreakingSpace)"),
        Case("byte order mark after the document", "{\"a\": 1}\u{FEFF}", "1:9 \(M.byteOrderMarkInside)"),
    ]

    @Test(arguments: cases)
    func message(_ testCase: Case) {
        let result = JSONParser.parse(SourceFile(path: "p.json", text: testCase.text))
        #expect(result.diagnostics.map { "\($0.line):\($0.column) \($0.message)" } == testCase.expected)
        #expect(result.diagnostics.allSatisfy { $0.rule == "B24P001" })
    }

    @Test func trailingCommaSpanIsTheCommaItself() throws {
        let source = SourceFile(path: "p.json", text: #"{"a": [1,]}"#)
        let diagnostic = try #require(JSONParser.parse(source).diagnostics.first)
        #expect((diagnostic.line, diagnostic.column, diagnostic.endLine, diagnostic.endColumn) == (1, 9, 1, 10))
    }

    @Test func unquotedKeySpanCoversTheWord() throws {
        let diagnostic = try #require(JSONParser.parse(SourceFile(path: "p.json", text: #"{version: "1"}"#)).diagnostics.first)
        #expect((diagnostic.column, diagnostic.endColumn) == (2, 9))
    }

    @Test func recoveredValuesKeepTheirMeaning() throws {
        let result = JSONParser.parse(SourceFile(path: "p.json", text: #"{'a': 'x', "t": True, "n": None}"#))
        let root = try #require(result.root)
        #expect(root.member("a")?.value.string == "x")
        #expect(root.member("t")?.value.bool == true)
        #expect(root.member("n")?.value == JSONNode(.null, range: SourceRange(start: 27, end: 31)))
    }
}
