import ReleasePlan

/// `b24plan schema [plan|diff]`: prints a JSON Schema b24plan ships, from the binary itself, so an
/// editor gets a local `$schema` target: `b24plan schema plan > plans/release-plan.schema.json`.
struct SchemaCommand: Command {
    let name = "schema"
    let summary = "Print the JSON Schema of a release plan (or of diff --format json)"
    let usage = "b24plan schema [--format text|json] [plan|diff]"
    let discussion = """
        Prints the JSON Schema (2020-12) of a release-plan file (plan, the default) or of the document
        'b24plan diff --format json' prints (diff), exactly as the schemas/ folder of this version
        holds it. Save it where your plans can point "$schema" at it:
          b24plan schema plan > plans/release-plan.schema.json
        ('b24plan new' writes that file when there is none). The schema's $id is
        urn:b24plan:schema:release-plan:1 (diff: urn:b24plan:schema:diff-output:1). Both formats print
        the same JSON text.
        """
    var exitCodes: [ExitCodeHelp.Line] {
        [
            ExitCodeHelp.Line(.success, meaning: "the schema was printed"),
            ExitCodeHelp.Line(.usage, meaning: "usage error: an unknown schema name"),
        ]
    }
    let options: [OptionSpec] = [
        .value("format", "FORMAT", allowed: ["text", "json"], "Output format (default text; both print the schema's JSON).")
    ]

    func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
        guard arguments.positionals.count <= 1 else { throw UsageError(message: "schema takes one name: plan or diff") }
        let requested = arguments.positionals.first ?? ShippedSchema.plan.rawValue
        guard let schema = ShippedSchema(rawValue: requested.lowercased()) else {
            let names = ShippedSchema.allCases.map(\.rawValue)
            let hint = Suggestion.phrase(for: requested.lowercased(), in: names)
            throw UsageError(message: "unknown schema '\(requested)'" + (hint.isEmpty ? "; use plan or diff" : hint))
        }
        console.write(schema.text)
        return .success
    }
}
