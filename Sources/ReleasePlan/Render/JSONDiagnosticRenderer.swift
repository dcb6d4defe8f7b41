import Foundation

/// `lint --format json` (DESIGN §9): `{"diagnostics": [...], "errors": N, "warnings": N}`.
public enum JSONDiagnosticRenderer {
    struct Document: Encodable {
        var diagnostics: [Diagnostic]
        var errors: Int
        var warnings: Int
    }

    public static func render(_ diagnostics: [Diagnostic]) throws -> String {
        try JSONOutput.encode(
            Document(diagnostics: diagnostics, errors: diagnostics.errorCount, warnings: diagnostics.warningCount))
    }
}
