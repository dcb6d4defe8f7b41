import Testing

@testable import ReleasePlan

/// The skimmer that finds a folder's plans answers only where the parser reads the document
/// without a diagnostic, and then with what the parser's tree holds.
struct JSONSkimmerTests {
    /// `app` and `version` as the parser's tree has them (strings only).
    static func parsed(_ bytes: [UInt8]) -> (clean: Bool, strings: [String: String]) {
        let result = JSONParser.parse(SourceFile(path: "plan.json", bytes: bytes))
        var strings: [String: String] = [:]
        for key in ["app", "version"] {
            if let text = result.root?.member(key)?.value.string { strings[key] = text }
        }
        return (result.diagnostics.isEmpty && result.root != nil, strings)
    }

    @Test(arguments: [
        #"{"app": "a", "version": "1.0.0"}"#,
        #"{"version": 1, "app": "a", "version": "2.0.0"}"#,
        #"{"app": "a", "app": "b", "nested": {"app": "c", "list": [1, -2.5e3, true, false, null, "\u00e9\n"]}}"#,
        "\u{FEFF}{\"app\": \"\u{0434}\u{0435}\u{043B}\u{043E}\", \"version\": \"1.0.0-rc.1\"}",
        "{}", "[]", "\"app\"", "", "{\"app\": \"a\",}", "{\"app\": \"a\"} x", "{\"app\" \"a\"}", "{\"\\u0061pp\": \"a\"}",
        "{\"app\": \"a\\u0062\"}", "{\"app\": 'a'}", "{\"app\": \"a\", // note\n}", "{\"a\": 01}", "{\"a\": tru}",
        "{\"a\": [1 2]}", "{\"app\": \"a\nb\"}", "{\"a\": \"\\x\"}", "{\"a\": \u{00A0}1}",
        String(repeating: "[", count: 250) + String(repeating: "]", count: 250),
    ])
    func agreesWithTheParser(_ text: String) {
        let bytes = Array(text.utf8)
        let parsed = Self.parsed(bytes)
        let skimmed = JSONSkimmer.topLevelStrings(in: bytes, keys: ["app", "version"])
        if let skimmed {
            #expect(parsed.clean, "skimmed a document the parser reports: \(text)")
            #expect(skimmed == parsed.strings, "\(text)")
        }
    }

    @Test func answersForEverySamplePlan() throws {
        let fileSystem = LocalFileSystem()
        // Tests/ReleasePlanTests/JSON/this file → the package root.
        let root = FilePath.directory(of: FilePath.directory(of: FilePath.directory(of: FilePath.directory(of: #filePath))))
        let folder = FilePath.join(root, "plans/acme.dealsync")
        for name in try fileSystem.list(folder) where name.hasSuffix(".json") {
            let bytes = try fileSystem.read(FilePath.join(folder, name))
            let skimmed = JSONSkimmer.topLevelStrings(in: bytes, keys: ["app", "version"])
            #expect(skimmed != nil, "\(name)")
            #expect(skimmed == Self.parsed(bytes).strings, "\(name)")
        }
    }

    /// Random edits of a plan: whenever the skimmer answers, the parser saw no problem and agrees.
    @Test func mutationsOfAPlan() {
        var random = JSONParserFuzzTests.LCG(state: 0x5C1_4_2024)
        let original = Array(JSONParserFuzzTests.plan.utf8)
        var answered = 0
        for round in 0..<2_000 {
            var bytes = original
            for _ in 0...random.below(2) {
                let position = random.below(bytes.count + 1)
                let alphabet = JSONParserFuzzTests.alphabet
                let byte = random.below(4) == 0 ? UInt8(random.below(256)) : alphabet[random.below(alphabet.count)]
                switch random.below(3) {
                case 0 where position < bytes.count: bytes.remove(at: position)
                case 1 where position < bytes.count: bytes[position] = byte
                default: bytes.insert(byte, at: position)
                }
            }
            guard let skimmed = JSONSkimmer.topLevelStrings(in: bytes, keys: ["app", "version"]) else { continue }
            answered += 1
            let parsed = Self.parsed(bytes)
            #expect(parsed.clean, "round \(round): skimmed a document the parser reports")
            #expect(skimmed == parsed.strings, "round \(round)")
        }
        #expect(answered > 100, "most single edits inside strings keep the document valid")
    }
}
