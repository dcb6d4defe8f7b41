import Foundation

/// `lint --format json` (DESIGN §9): `{"diagnostics": [...], "errors": N, "warnings": N}`.
public enum JSONDiagnosticRenderer {
    struct Document: Encodable {
        var diagnostics: [Diagnostic]
        var errors: Int
        var warnings: Int
    }

    public static func render(_ diagnostics: [Diagnostic]) -> String {
        JSONOutput.encode(
            Document(diagnostics: diagnostics, errors: diagnostics.errorCount, warnings: diagnostics.warningCount))
    }
}

/// The one JSON encoder of the tool's outputs: pretty, sorted keys, `/` unescaped, and no control
/// character left raw (the encoder escapes U+0000–U+001F; DEL and C1 controls are escaped here too,
/// so `cat`ting the output on a terminal is safe).
public enum JSONOutput {
    public static func encode<Value: Encodable>(_ value: Value) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "{}\n" }
        return escapingDELAndC1(String(decoding: data, as: UTF8.self)) + "\n"
    }

    /// DEL and C1 controls as `\u007f`…`\u009f`: they can only be inside strings, where JSON allows the escape.
    static func escapingDELAndC1(_ json: String) -> String {
        guard json.unicodeScalars.contains(where: { (0x7F...0x9F).contains($0.value) }) else { return json }
        var output = String.UnicodeScalarView()
        for scalar in json.unicodeScalars {
            if (0x7F...0x9F).contains(scalar.value) {
                output.append(contentsOf: "\\u00\(String(scalar.value, radix: 16))".unicodeScalars)
            } else {
                output.append(scalar)
            }
        }
        return String(output)
    }
}
