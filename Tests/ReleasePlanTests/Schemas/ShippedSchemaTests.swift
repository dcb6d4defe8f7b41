import Foundation
import Testing

@testable import ReleasePlan

/// The schemas compiled into the binary are the files in `schemas/`, byte for byte, so
/// `b24plan schema` never drifts from what the repository (and check-schemas.py) checks.
@Suite("Shipped JSON Schemas")
struct ShippedSchemaTests {
    static let schemas = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("schemas")

    @Test("the embedded text equals schemas/<file> (else run scripts/embed-schemas)", arguments: ShippedSchema.allCases)
    func embeddedEqualsFile(schema: ShippedSchema) throws {
        let file = try Data(contentsOf: Self.schemas.appendingPathComponent(schema.fileName))
        #expect(Data(schema.text.utf8) == file, "schemas/\(schema.fileName) changed: run scripts/embed-schemas")
    }

    @Test("$id is the stable identifier, not a placeholder host", arguments: ShippedSchema.allCases)
    func stableID(schema: ShippedSchema) throws {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(schema.text.utf8)) as? [String: Any])
        #expect(object["$id"] as? String == schema.id)
        #expect(schema.id.hasPrefix("urn:b24plan:schema:"))
        #expect(object["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        #expect(!schema.text.contains("b24plan.example"))
    }

    @Test("names and file names")
    func names() {
        #expect(ShippedSchema.allCases.map(\.rawValue) == ["plan", "diff"])
        #expect(ShippedSchema.plan.fileName == "release-plan.schema.json")
        #expect(ShippedSchema.diff.fileName == "diff-output.schema.json")
        #expect(ShippedSchema.plan.text.hasSuffix("}\n"))
    }
}
