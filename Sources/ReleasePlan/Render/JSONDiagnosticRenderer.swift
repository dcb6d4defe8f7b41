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

/// The one JSON encoder of the tool's outputs: pretty, sorted keys, `/` unescaped.
public enum JSONOutput {
    public static func encode<Value: Encodable>(_ value: Value) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
