import Foundation
import Testing

@testable import ReleasePlan

/// The text form of JSON paths (`placements[2].handler`), parsing it back, containment and order.
struct JSONPathTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let path: JSONPath
        let text: String
        var testDescription: String { name }
    }

    static let roundTrips: [Case] = [
        Case(name: "root", path: .root, text: ""),
        Case(name: "top-level key", path: ["version"], text: "version"),
        Case(name: "index then key", path: ["placements", 2, "handler"], text: "placements[2].handler"),
        Case(name: "nested keys", path: ["changelog", "en"], text: "changelog.en"),
        Case(name: "key with a space", path: [.key("odd key")], text: #"["odd key"]"#),
        Case(name: "odd key under a plain one", path: ["options", .key("odd key"), 0], text: #"options["odd key"][0]"#),
        Case(name: "key with a dot", path: ["scopes", .key("user.userfield")], text: #"scopes["user.userfield"]"#),
        Case(name: "key with a quote", path: [.key("say \"hi\"")], text: #"["say \"hi\""]"#),
        Case(name: "non-ASCII key", path: ["langAll", .key("ключ")], text: #"langAll["ключ"]"#),
        Case(name: "empty key", path: ["a", .key("")], text: #"a[""]"#),
        Case(name: "plain punctuation", path: ["$schema", "a-b_c"], text: "$schema.a-b_c"),
        Case(name: "index at the root", path: [0, 1], text: "[0][1]"),
        Case(name: "large index", path: ["migrations", 123_456_789], text: "migrations[123456789]"),
    ]

    @Test(arguments: roundTrips)
    func descriptionAndParsing(_ testCase: Case) {
        #expect(testCase.path.description == testCase.text)
        #expect(JSONPath(parsing: testCase.text) == testCase.path)
    }

    /// A backslash in a key is not escaped by `description`, so parsing drops it.
    @Test func keyWithABackslashRoundTrips() {
        let path: JSONPath = ["options", .key(#"C:\temp"#)]
        #expect(JSONPath(parsing: path.description) == path)
    }

    static let malformed: [String] = [
        "a[", "a..b", ".a", "a.", "a[x]", "a[1", "a[]", "a[-1]", "a[1]b", #"a["b"#, #"a["b"x"#, "[", "a[1234567890]",
    ]

    @Test(arguments: malformed)
    func malformedTextIsRejected(_ text: String) {
        #expect(JSONPath(parsing: text) == nil)
    }

    @Test func isWithin() {
        let handler: JSONPath = ["placements", 2, "handler"]
        #expect(handler.isWithin(["placements", 2]))
        #expect(handler.isWithin(["placements"]))
        #expect(handler.isWithin(.root))
        #expect(handler.isWithin(handler))
        #expect(!handler.isWithin(["placements", 20]))
        #expect(!handler.isWithin(["placements", 2, "title"]))
        #expect(!JSONPath(["placements", 2]).isWithin(handler))
        #expect(!JSONPath(["placementsX"]).isWithin(["placements"]))
        #expect(!JSONPath.root.isWithin(["placements"]))
    }

    @Test func orderIsNumericForIndicesAndShorterFirst() {
        let shuffled: [JSONPath] = [
            ["version"], ["placements", 10], ["placements", 2, "handler"], ["placements", 2], ["changelog", "ru"],
            .root, ["placements"], ["changelog", "en"], [0], ["placements", 2, "options"],
        ]
        #expect(
            shuffled.sorted().map(\.description) == [
                "", "[0]", "changelog.en", "changelog.ru", "placements", "placements[2]", "placements[2].handler",
                "placements[2].options", "placements[10]", "version",
            ])
        #expect(!(JSONPath(["a"]) < JSONPath(["a"])))
    }

    @Test func parentAppendingAndTopLevelKey() {
        let path = JSONPath.root / "migrations" / 3 / "sha256"
        #expect(path.description == "migrations[3].sha256")
        #expect(path.parent == ["migrations", 3])
        #expect(JSONPath.root.parent == .root)
        #expect(path.topLevelKey == "migrations")
        #expect(JSONPath([0, "a"]).topLevelKey == nil)
    }

    @Test func codableAsText() throws {
        let data = try JSONEncoder().encode([JSONPath(["placements", 2, "handler"])])
        #expect(String(decoding: data, as: UTF8.self) == #"["placements[2].handler"]"#)
        let decoded = try JSONDecoder().decode([JSONPath].self, from: Data(#"["changelog.en", "a["]"#.utf8))
        #expect(decoded == [["changelog", "en"], [.key("a[")]])
    }

    @Test func nodeLookupFollowsThePath() throws {
        let source = SourceFile(path: "p.json", text: #"{"placements": [{"handler": "h0"}, {"handler": "h1", "options": {"x y": 1}}]}"#)
        let root = try #require(JSONParser.parse(source).root)
        #expect(root.node(at: ["placements", 1, "handler"])?.string == "h1")
        #expect(root.node(at: ["placements", 2, "handler"]) == nil)
        #expect(root.node(at: ["placements", "handler"]) == nil)
        let member = try #require(root.memberNode(at: ["placements", 1, "options", .key("x y")]))
        #expect(source.text(member.keyRange) == #""x y""#)
        #expect(root.memberNode(at: ["placements", 0]) == nil)
    }
}
