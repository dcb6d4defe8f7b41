import Testing

@testable import ReleasePlan

/// `b24plan new`: the first plan lints without errors, and lint flags its placeholders.
struct PlanTemplateTests {
    @Test func theFirstPlanLintsCleanButForItsPlaceholders() {
        let text = PlanTemplate.firstPlan(app: "acme.dealsync", schema: "../../schemas/release-plan.schema.json")
        let path = "plans/acme.dealsync/1.0.0.json"
        let result = Linter(fileSystem: InMemoryFileSystem([path: text])).lint(path: path)
        #expect(!result.diagnostics.hasErrors, "\(result.listing)")
        #expect(result.codes == ["B24P105", "B24P211"], "\(result.listing)")
        #expect(result.diagnostics.allSatisfy { $0.severity == .warning })
        #expect(result.context?.plan.app == "acme.dealsync")
        #expect(result.context?.plan.version == "1.0.0")
        #expect(text.hasPrefix("{\n  \"$schema\": \"../../schemas/release-plan.schema.json\",\n  \"app\": \"acme.dealsync\",\n"))
    }

    @Test func withoutASchemaThereIsNoSchemaKey() {
        #expect(!PlanTemplate.firstPlan(app: "acme.x", schema: nil).contains("$schema"))
    }

    @Test(
        arguments: [
            ("acme.dealsync", true), ("a", true), ("acme_deal-sync.2", true), ("", false), ("../x", false), (".hidden", false),
            ("-x", false), ("acme/dealsync", false), ("acme deal", false), ("аcme", false),
        ])
    func appCodes(code: String, valid: Bool) {
        #expect(PlanTemplate.isAppCode(code) == valid)
    }

    struct SchemaCase: Sendable, CustomTestStringConvertible {
        let name: String
        let files: [String]
        let directory: String
        let expected: String?
        var testDescription: String { name }
    }

    static let schemaCases: [SchemaCase] = [
        SchemaCase(
            name: "two folders up", files: ["/repo/schemas/release-plan.schema.json"], directory: "/repo/plans/acme.x",
            expected: "../../schemas/release-plan.schema.json"),
        SchemaCase(
            name: "the nearest wins", files: ["/repo/schemas/release-plan.schema.json", "/repo/plans/schemas/release-plan.schema.json"],
            directory: "/repo/plans/acme.x", expected: "../schemas/release-plan.schema.json"),
        SchemaCase(
            name: "beside the plan", files: ["/repo/x/schemas/release-plan.schema.json"], directory: "/repo/x",
            expected: "schemas/release-plan.schema.json"),
        SchemaCase(
            name: "at the root of the file system", files: ["/schemas/release-plan.schema.json"], directory: "/a/b",
            expected: "../../schemas/release-plan.schema.json"),
        SchemaCase(name: "none", files: ["/repo/other.json"], directory: "/repo/plans/acme.x", expected: nil),
    ]

    @Test(
        "where a new plan's $schema points, and which file new writes",
        arguments: [
            ([], "/repo/plans/acme.x", "../release-plan.schema.json", "/repo/plans/release-plan.schema.json"),
            (["/repo/plans/release-plan.schema.json"], "/repo/plans/acme.x", "../release-plan.schema.json", nil),
            (["/repo/schemas/release-plan.schema.json"], "/repo/plans/acme.x", "../../schemas/release-plan.schema.json", nil),
            ([], "/x", "release-plan.schema.json", "/x/release-plan.schema.json"),
            ([], "/repo/plans/./acme.x/", "../release-plan.schema.json", "/repo/plans/release-plan.schema.json"),
        ] as [([String], String, String, String?)])
    func schemaPlacement(files: [String], directory: String, reference: String, written: String?) {
        var contents: [String: String] = [:]
        for file in files { contents[file] = "{}" }
        let placement = PlanTemplate.schemaPlacement(forPlanIn: directory, fileSystem: InMemoryFileSystem(contents))
        #expect(placement == PlanTemplate.SchemaPlacement(reference: reference, fileToWrite: written))
    }

    @Test(arguments: schemaCases)
    func schemaReference(_ testCase: SchemaCase) {
        var files: [String: String] = [:]
        for file in testCase.files { files[file] = "{}" }
        #expect(
            PlanTemplate.schemaReference(forPlanIn: testCase.directory, fileSystem: InMemoryFileSystem(files)) == testCase.expected)
    }
}
