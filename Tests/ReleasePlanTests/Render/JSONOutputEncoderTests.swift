import Foundation
import Testing

@testable import ReleasePlan

/// `JSONOutputEncoder` writes what Foundation's `JSONEncoder` writes with `JSONOutput`'s options,
/// byte for byte: checked against `JSONOutput.encodeWithFoundation` on every plan of the repository
/// (its diff and its lint findings), on random values with the strings and keys that differ most
/// between orders and escapes, and on what it hands back to `JSONEncoder`.
struct JSONOutputEncoderTests {
    /// Both encoders' text, or both errors' messages.
    static func expectSame<Value: Encodable>(_ value: Value, _ comment: Comment? = nil) {
        let fast = Result { () throws(JSONOutput.EncodingFailure) in try JSONOutput.encode(value) }
        let foundation = Result { () throws(JSONOutput.EncodingFailure) in try JSONOutput.encodeWithFoundation(value) }
        switch (fast, foundation) {
        case (.success(let a), .success(let b)): #expect(a == b, comment)
        case (.failure(let a), .failure(let b)): #expect(a.description == b.description, comment)
        default: Issue.record("one encoder failed, the other did not: \(fast) / \(foundation) \(comment?.rawValue ?? "")")
        }
    }

    /// The fast path itself answered (no fallback).
    static func expectFastPath<Value: Encodable>(_ value: Value) {
        #expect((try? JSONOutputEncoder.encode(value)) != nil)
    }

    @Test("every plan in plans/ and Tests/Fixtures: the diff and the lint findings")
    func repositoryPlans() throws {
        let root = FilePath.directory(of: FilePath.directory(of: FilePath.directory(of: FilePath.directory(of: #filePath))))
        var plans: [String] = []
        for folder in ["plans", "Tests/Fixtures"] {
            let enumerator = FileManager.default.enumerator(atPath: FilePath.join(root, folder))
            while let path = enumerator?.nextObject() as? String {
                if path.hasSuffix(".json") { plans.append(FilePath.join(FilePath.join(root, folder), path)) }
            }
        }
        #expect(plans.count >= 20)
        var compiled = 0
        for path in plans {
            let result = Linter().lint(path: path)
            let document = JSONDiagnosticRenderer.Document(
                diagnostics: result.diagnostics, errors: result.diagnostics.errorCount, warnings: result.diagnostics.warningCount)
            Self.expectSame(document, "lint \(path)")
            guard let context = result.context else { continue }
            let diff = DiffOutput(PlanCompiler().compile(context.plan, previous: context.previous?.plan), diagnostics: result.diagnostics)
            Self.expectSame(diff, "diff \(path)")
            Self.expectFastPath(diff)
            compiled += 1
        }
        #expect(compiled >= 10)
    }

    /// Keys whose UTF-8 order differs from case-insensitive, numeric or scalar order, and strings
    /// with every kind of escape.
    static let keys = ["a", "B", "b", "A", "é", "Z", "aa", "a0", "a10", "a9", "_", "~", "😀", "\u{7F}", "\u{85}", "", "a\tb", "\"", "/"]
    static let strings = [
        "", "plain", "quote \" and \\ backslash", "slash / kept", "\u{0}\u{1}\u{8}\u{9}\u{A}\u{C}\u{D}\u{1B}\u{1F}", "DEL \u{7F}",
        "C1 \u{80}\u{85}\u{9F} and after \u{A0}", "é ü 😀 𝄞", "\u{2028}\u{2029}", "line\r\nbreak",
    ]
    static let numbers = [
        "0", "-0", "1", "-17", "9007199254740993", "1.5", "0.1", "1e300", "-2.5e-7", "100.0", "1E2", "123456789012345678901234",
    ]

    static func randomValue(_ random: inout JSONParserFuzzTests.LCG, depth: Int) -> PlanValue {
        switch random.below(depth > 3 ? 4 : 7) {
        case 0: return .string(strings[random.below(strings.count)])
        case 1: return .number(numbers[random.below(numbers.count)])
        case 2: return .bool(random.below(2) == 0)
        case 3: return .null
        case 4:
            return .array((0..<random.below(4)).map { _ in randomValue(&random, depth: depth + 1) })
        default:
            var object: [String: PlanValue] = [:]
            for _ in 0..<random.below(6) { object[keys[random.below(keys.count)]] = randomValue(&random, depth: depth + 1) }
            return .object(object)
        }
    }

    @Test("random values: nesting, empty containers, every escape, keys in UTF-8 order, numbers as JSONEncoder writes them")
    func randomValues() {
        var random = JSONParserFuzzTests.LCG(state: 0x15_0_2026)
        for round in 0..<1_000 {
            Self.expectSame(Self.randomValue(&random, depth: 0), "round \(round)")
        }
        Self.expectFastPath(PlanValue.object(Dictionary(uniqueKeysWithValues: Self.keys.map { ($0, .string($0)) })))
    }

    struct Doubles: Encodable {
        var values: [Double]
        var optional: Int?
        var missing: String?
        var small: [Int8] = [-128, 127]
        var large: UInt64 = .max
    }

    @Test("doubles, integers of every width and absent optionals")
    func numbersAndOptionals() {
        let doubles = Doubles(values: [0, -0.0, 1, 1.5, 0.1, 1e300, 5e-324, -2.5e-7, 1e16, 123456.789], optional: 3, missing: nil)
        Self.expectSame(doubles)
        Self.expectFastPath(doubles)
    }

    /// Encodes the same key twice, a nested keyed and unkeyed container, and a nil.
    struct Containers: Encodable {
        enum Keys: String, CodingKey { case first, nested, list, none }
        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode("one", forKey: .first)
            try container.encode("two", forKey: .first)
            var nested = container.nestedContainer(keyedBy: Keys.self, forKey: .nested)
            try nested.encode(true, forKey: .none)
            var list = container.nestedUnkeyedContainer(forKey: .list)
            try list.encode(1)
            var inner = list.nestedContainer(keyedBy: Keys.self)
            try inner.encodeNil(forKey: .first)
            var innerList = list.nestedUnkeyedContainer()
            try innerList.encode("x")
            try container.encodeNil(forKey: .none)
        }
    }

    @Test("a key encoded twice keeps its last value; nested containers; explicit nulls")
    func containers() {
        Self.expectSame(Containers())
        Self.expectFastPath(Containers())
    }

    struct WithDate: Encodable {
        var when = Date(timeIntervalSince1970: 1_800_000_000)
        var url = URL(string: "https://example.com/a b")
        var bytes = Data([1, 2, 3])
    }

    struct UsesSuperEncoder: Encodable {
        enum Keys: String, CodingKey { case a }
        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(1, forKey: .a)
            try "super".encode(to: container.superEncoder())
        }
    }

    struct EncodesNothing: Encodable {
        func encode(to encoder: Encoder) throws {}
    }

    @Test("Date, URL, Data, superEncoder, a value that encodes nothing, a number beyond a Double: JSONEncoder's own text or error")
    func handedBack() {
        #expect((try? JSONOutputEncoder.encode(WithDate())) == nil)
        Self.expectSame(WithDate())
        #expect((try? JSONOutputEncoder.encode(UsesSuperEncoder())) == nil)
        Self.expectSame(UsesSuperEncoder())
        Self.expectSame(EncodesNothing())
        Self.expectSame(["inner": [EncodesNothing()]])
        Self.expectSame(PlanValue.object(["big": .number("1e999")]))
        Self.expectSame([Double.nan])
        Self.expectSame(Float(1.5))
    }
}
