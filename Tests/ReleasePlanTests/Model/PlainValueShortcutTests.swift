import Testing

@testable import ReleasePlan

/// Shortcuts for plain values (ASCII text, integers) answer as the general code does.
struct PlainValueShortcutTests {
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

    @Test(arguments: ["CRM_DEAL_DETAIL_TAB", "crm_deal_detail_tab", "OnCrmDealUpdate", "", "Straße", "ÉVÉNEMENT", "ﬁ", "A1_B2"])
    func codesUppercasedAsUppercasedDoes(_ text: String) {
        #expect(text.uppercasedCode == text.uppercased())
    }

    @Test(arguments: ["a/b/c.sql", "/c.sql", "c.sql", "/", "a/", "", "планы/a.json", "a/\u{301}b/c", "a/b\u{301}/c"])
    func pathsSplitAsCharactersSplitThem(_ path: String) {
        let slash = path.lastIndex(of: "/")
        #expect(FilePath.directory(of: path) == slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "")
        #expect(FilePath.fileName(of: path) == slash.map { String(path[path.index(after: $0)...]) } ?? path)
    }
}
