import Foundation
import ReleasePlan
import Rollout
import Testing

/// The byte-level `PHPQuery` against the encoder it replaced (kept here as the oracle: one
/// `String(format:)` per escaped byte): the same text for every input.
@Suite("PHPQuery: byte-identical to the encoder it replaced")
struct PHPQueryLegacyTests {
    /// The encoder b24plan shipped before issue 14, verbatim.
    enum Legacy {
        static func encode(_ parameters: [String: PlanValue]) -> String {
            var pairs: [String] = []
            for key in parameters.keys.sorted() { append(parameters[key]!, name: escape(key), to: &pairs) }
            return pairs.joined(separator: "&")
        }

        static func append(_ value: PlanValue, name: String, to pairs: inout [String]) {
            switch value {
            case .object(let object):
                if object.isEmpty { pairs.append(name + "=") }
                for key in object.keys.sorted() { append(object[key]!, name: name + "[" + escape(key) + "]", to: &pairs) }
            case .array(let array):
                if array.isEmpty { pairs.append(name + "=") }
                for (index, element) in array.enumerated() { append(element, name: name + "[\(index)]", to: &pairs) }
            case .string(let text): pairs.append(name + "=" + escape(text))
            case .number(let text): pairs.append(name + "=" + escape(text))
            case .bool(let flag): pairs.append(name + "=" + (flag ? "1" : "0"))
            case .null: pairs.append(name + "=")
            }
        }

        static func escape(_ text: String) -> String {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            return text.unicodeScalars.map { scalar in
                allowed.contains(scalar) && scalar.isASCII
                    ? String(scalar) : String(scalar).utf8.map { String(format: "%%%02X", $0) }.joined()
            }.joined()
        }
    }

    /// Every ASCII character, letters of other scripts, combining marks, emoji (with joiners and
    /// skin tones), a BOM, a replacement character and the largest scalar.
    static let alphabet: [String] =
        (0..<128).map { String(UnicodeScalar(UInt8($0))) }
        + [
            "é", "e\u{301}", "ß", "Ж", "я", "№", "«", "»", "—", "日", "本", "😀", "👍🏽", "👨‍👩‍👧", "\u{FEFF}", "\u{FFFD}", "\u{10FFFF}", "ª", "²",
            "٣",
        ]

    static func text(_ random: inout SplitMix) -> String {
        (0..<Int.random(in: 0...12, using: &random)).map { _ in alphabet.randomElement(using: &random)! }.joined()
    }

    static func value(_ random: inout SplitMix, depth: Int) -> PlanValue {
        switch Int.random(in: 0..<(depth > 3 ? 4 : 7), using: &random) {
        case 0: return .string(text(&random))
        case 1: return .number(["0", "-3", "1.50", "1e9", "14"].randomElement(using: &random)!)
        case 2: return .bool(Bool.random(using: &random))
        case 3: return .null
        case 4: return .array((0..<Int.random(in: 0...3, using: &random)).map { _ in value(&random, depth: depth + 1) })
        default:
            var object: [String: PlanValue] = [:]
            for _ in 0..<Int.random(in: 0...3, using: &random) { object[text(&random)] = value(&random, depth: depth + 1) }
            return .object(object)
        }
    }

    @Test("2,000 random nested parameter sets encode the same")
    func randomParameters() {
        var random = SplitMix(seed: 14)
        for _ in 0..<2_000 {
            var parameters: [String: PlanValue] = [:]
            for _ in 0..<Int.random(in: 0...4, using: &random) { parameters[Self.text(&random)] = Self.value(&random, depth: 0) }
            let expected = Legacy.encode(parameters)
            #expect(PHPQuery.encode(parameters) == expected, "\(parameters)")
        }
    }

    @Test("every character of the alphabet, alone and in a run, escapes the same")
    func everyCharacter() {
        for character in Self.alphabet {
            #expect(PHPQuery.escape(character) == Legacy.escape(character), "\(character.unicodeScalars.map(\.value))")
        }
        let all = Self.alphabet.joined()
        #expect(PHPQuery.escape(all) == Legacy.escape(all))
    }

    @Test("a batch as PortalSession sends it: commands holding encoded commands")
    func batchOfCommands() {
        let inner = PHPQuery.encode([
            "PLACEMENT": .string("CRM_DEAL_DETAIL_TAB"), "HANDLER": .string("https://app.example/deal?x=1&y=Сделка"),
            "LANG_ALL": .object([
                "ru": .object(["TITLE": .string("Сделки «и» задачи")]), "en": .object(["TITLE": .string("Deals & tasks")]),
            ]),
        ])
        let parameters: [String: PlanValue] = [
            "halt": .number("0"), "cmd": .object(["w0000": .string("placement.bind?" + inner), "r0001": .string("event.get")]),
        ]
        #expect(PHPQuery.encode(parameters) == Legacy.encode(parameters))
    }
}
