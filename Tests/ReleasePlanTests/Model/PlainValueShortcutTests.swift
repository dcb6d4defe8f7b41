import Testing

@testable import ReleasePlan

/// The decoder's shortcuts for plain values answer as the general checks do.
struct DecodeShortcutTests {
    @Test(arguments: [
        "0", "-0", "1", "2000", "-17", "0012", "1.5", "-2.25", "2e10", "3E-2", "1e400", "-1e400", "1e308", "1.8e308",
        String(repeating: "9", count: 300), "-" + String(repeating: "9", count: 300), String(repeating: "9", count: 309),
        "1" + String(repeating: "0", count: 400), "-", "", "1.2.3", "0x10", "+1", "nan", "inf",
    ])
    func numberRangeAsDoubleSees(_ text: String) {
        #expect(JSONNode.isOutOfRange(text) == !(Double(text)?.isFinite ?? false))
    }

    @Test(arguments: ["", " ", "\t\n", "\u{A0}", "\u{2003}x", "a", " a", "x ", "\u{430}", "~", "\u{7F}", "\u{2028}"])
    func blankAsUnicodeSees(_ text: String) {
        #expect(ObjectReader.isBlank(text) == text.unicodeScalars.allSatisfy(\.properties.isWhitespace))
    }
}
