import Foundation
import ReleasePlan
import Testing

@testable import Rollout

/// The fleet's answer decoder against the plan parser it replaced (the oracle): the same value, or
/// the same refusal, for every input — valid answers, broken ones, hostile ones.
@Suite("ResponseDecoder: the same values as the plan parser")
struct ResponseDecoderTests {
    /// What the fleet read before: the plan parser, accepted only without a diagnostic.
    static func oracle(_ bytes: [UInt8]) -> PlanValue? {
        guard !bytes.isEmpty else { return nil }
        let parsed = JSONParser.parse(SourceFile(path: "response", bytes: bytes))
        guard parsed.diagnostics.isEmpty, let root = parsed.root else { return nil }
        return PlanValue(root)
    }

    static func check(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        check(Array(text.utf8), sourceLocation: sourceLocation)
    }

    static func check(_ bytes: [UInt8], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let expected = oracle(bytes)
        let decoded = ResponseDecoder.decode(bytes)
        #expect(decoded == expected, "\(String(decoding: bytes, as: UTF8.self).debugDescription)", sourceLocation: sourceLocation)
    }

    @Test("a Bitrix24 batch answer")
    func batchAnswer() {
        let answer = """
            {"result":{"result":{"app_info":{"ID":"12","CODE":"acme.dealsync","VERSION":"3","INSTALLED":true,\
            "LICENSE":"ru_ent10000","LICENSE_FAMILY":"ent","LANGUAGE_ID":"ru"},"scope":["crm","placement","user"],\
            "placements":[{"placement":"CRM_DEAL_DETAIL_TAB","handler":"https:\\/\\/app.acme.example\\/tab","title":"\\u0421\\u0434\\u0435\\u043b\\u043a\\u0438",\
            "options":[]}],"events":[]},"result_error":[],"result_total":[],"result_next":[],\
            "result_time":{"app_info":{"start":1733500000.123,"finish":1733500000.125,"duration":0.0021,\
            "operating_reset_at":1733500600,"operating":0}}},"time":{"start":1733500000.1,"duration":0.05}}
            """
        Self.check(answer)
        let value = ResponseDecoder.decode(Array(answer.utf8))
        #expect(value?.field("result")?.field("result")?.field("placements") != nil)
    }

    @Test(
        "edge cases",
        arguments: [
            "", " ", "{}", "[]", "null", "true", "false", "0", "-0", "1.50", "1e400", "-1.2E+3", "01", "1.", ".5", "+1", "-",
            "1x", "0x1F", "1.2.3", "truex", "nul", "True", "\"a\"", "\"a", "\"\\u00e9\"", "\"\\ud83d\\ude00\"", "\"\\ud83d\"",
            "\"\\ude00\"", "\"\\ud83dx\"", "\"\\ud83d\\u0041\"", "\"\\x\"", "\"\\'\"", "\"\\u12\"", "\"tab\there\"",
            "{\"a\":1,\"a\":2}", "{\"a\":1,}", "[1,]", "[1 2]", "{\"a\" 1}", "{a:1}", "{'a':1}", "[1]]", "{\"a\":1}}",
            "\u{FEFF}{}", "{}\u{FEFF}", "{\u{A0}}", "// c\n{}", "{} // c", "/* c */ []", "[\"\\/\"]", "\"\\b\\f\\n\\r\\t\"",
            "{\"k\":\"\u{85}\u{7F}\u{9F}\"}", "  {\"x\" : [ 1 , { } , [ ] , \"\" ] }  ", "[1,-2,3e5]", "{\"\":\"\"}",
        ])
    func edgeCases(_ text: String) {
        Self.check(text)
    }

    @Test("invalid UTF-8 in a string, a stray byte, NUL")
    func rawBytes() {
        Self.check([UInt8(ascii: "\""), 0xFF, 0xC3, UInt8(ascii: "\"")])
        Self.check([UInt8(ascii: "\""), 0xC3, UInt8(ascii: "\\"), UInt8(ascii: "n"), 0xA9, UInt8(ascii: "\"")])
        Self.check([UInt8(ascii: "["), 0x00, UInt8(ascii: "]")])
        Self.check([0xEF, 0xBB])
    }

    @Test("nesting up to the limit and one past it")
    func nesting() {
        let limit = JSONParser.maximumDepth
        for depth in [limit - 1, limit, limit + 1, limit * 50] {
            Self.check(String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
            Self.check(String(repeating: "{\"a\":", count: depth) + "1" + String(repeating: "}", count: depth))
        }
    }

    @Test("random answers and random damage to them: 3,000 documents")
    func randomDocuments() {
        var random = SplitMix(seed: 14)
        for _ in 0..<1_000 {
            let value = RandomJSON.value(depth: 0, using: &random)
            let text = RandomJSON.text(value, using: &random)
            Self.check(text)
            #expect(ResponseDecoder.decode(Array(text.utf8)) == value)
            var bytes = Array(text.utf8)
            for _ in 0..<2 {
                var damaged = bytes
                let position = Int.random(in: 0...damaged.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0 where !damaged.isEmpty: damaged.remove(at: min(position, damaged.count - 1))
                case 1: damaged.insert(RandomJSON.noise.randomElement(using: &random)!, at: position)
                default:
                    if !damaged.isEmpty { damaged[min(position, damaged.count - 1)] = RandomJSON.noise.randomElement(using: &random)! }
                }
                Self.check(damaged)
                bytes = damaged
            }
        }
    }

    @Test("description and appendJSON are the scalar-by-scalar writer they replaced")
    func writer() {
        var random = SplitMix(seed: 41)
        for _ in 0..<2_000 {
            let text = RandomJSON.string(using: &random)
            #expect(JSONText.quoted(text) == Self.legacyQuoted(text), "\(text.debugDescription)")
        }
        for text in ["", "\u{80}", "\u{9F}", "\u{A0}", "\u{7F}", "é\u{85}x", "\u{1F600}", "\u{0}"] {
            #expect(JSONText.quoted(text) == Self.legacyQuoted(text), "\(text.debugDescription)")
        }
        let value = PlanValue.object(["b": .array([.number("1.50"), .bool(true), .null]), "a": .string("x\"y")])
        var bytes: [UInt8] = []
        value.appendJSON(to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"a": "x\"y", "b": [1.50, true, null]}"#)
        #expect(value.description == #"{"a": "x\"y", "b": [1.50, true, null]}"#)
    }

    /// `JSONText.quoted` as it was before issue 14, verbatim: one Unicode scalar at a time.
    static func legacyQuoted(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output + "\""
    }
}

/// Random JSON values and texts (with random spacing and escapes) for the decoder's oracle test.
enum RandomJSON {
    static let noise: [UInt8] = Array("{}[]:,\"\\ \t\n-+.0123456789eEtrufalsn/'x".utf8) + [0x00, 0x1F, 0x7F, 0x80, 0xC2, 0xA0, 0xFF]
    static let alphabet: [Unicode.Scalar] =
        Array("abcXYZ019 _-./:\\\"'\n\t\r".unicodeScalars)
        + Array("\u{8}\u{C}\u{0}\u{1F}\u{7F}\u{80}\u{85}\u{9F}\u{A0}éЖ€😀".unicodeScalars)

    static func string<R: RandomNumberGenerator>(using random: inout R) -> String {
        var text = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0..<12, using: &random) { text.append(alphabet.randomElement(using: &random)!) }
        return String(text)
    }

    static func value<R: RandomNumberGenerator>(depth: Int, using random: inout R) -> PlanValue {
        let kind = Int.random(in: 0..<(depth > 4 ? 5 : 7), using: &random)
        switch kind {
        case 0: return .string(string(using: &random))
        case 1: return .number(["0", "-1", "12.50", "3e5", "-0.001E-7", "1733500600"].randomElement(using: &random)!)
        case 2: return .bool(Bool.random(using: &random))
        case 3: return .null
        case 4: return .string("")
        case 5:
            return .array((0..<Int.random(in: 0..<4, using: &random)).map { _ in value(depth: depth + 1, using: &random) })
        default:
            var object: [String: PlanValue] = [:]
            for _ in 0..<Int.random(in: 0..<4, using: &random) { object[string(using: &random)] = value(depth: depth + 1, using: &random) }
            return .object(object)
        }
    }

    /// JSON text of `value`: random whitespace, and string characters escaped at random (`\uXXXX`, `\/`).
    static func text<R: RandomNumberGenerator>(_ value: PlanValue, using random: inout R) -> String {
        let space = [" ", "", "", "\n", "\t", "\r\n "].randomElement(using: &random)!
        switch value {
        case .object(let object):
            let members = object.keys.sorted().map { key in
                quoted(key, using: &random) + space + ":" + space + text(object[key]!, using: &random)
            }
            return "{" + space + members.joined(separator: "," + space) + space + "}"
        case .array(let array):
            return "[" + space + array.map { text($0, using: &random) }.joined(separator: "," + space) + "]"
        case .string(let string): return quoted(string, using: &random)
        default: return value.description
        }
    }

    static func quoted<R: RandomNumberGenerator>(_ string: String, using random: inout R) -> String {
        var output = "\""
        for scalar in string.unicodeScalars {
            let mustEscape = scalar == "\"" || scalar == "\\" || scalar.value < 0x20
            if mustEscape || Int.random(in: 0..<5, using: &random) == 0 {
                if scalar == "/" {
                    output += "\\/"
                } else {
                    for unit in String(scalar).utf16 {
                        let hex = String(unit, radix: 16, uppercase: Bool.random(using: &random))
                        output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    }
                }
            } else {
                output.unicodeScalars.append(scalar)
            }
        }
        return output + "\""
    }
}
