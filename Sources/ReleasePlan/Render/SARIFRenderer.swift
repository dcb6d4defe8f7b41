/// SARIF 2.1.0 for code-scanning tools: one run, the rule table as `tool.driver.rules`, one result
/// per diagnostic with its physical location.
public enum SARIFRenderer {
    public static let schemaURI = "https://json.schemastore.org/sarif-2.1.0.json"

    /// `sources` turn byte columns into the UTF-16 columns SARIF's `columnKind` declares.
    public static func render(_ diagnostics: [Diagnostic], toolVersion: String, sources: [String: SourceFile] = [:]) throws -> String {
        let documentation = LintRegistry.documentation
        let ruleIndex = Dictionary(uniqueKeysWithValues: documentation.enumerated().map { ($1.code, $0) })
        let rules = documentation.map { doc in
            Rule(
                id: doc.code.rawValue, name: doc.code.rawValue, shortDescription: Message(text: doc.title),
                fullDescription: Message(text: doc.explanation),
                defaultConfiguration: Configuration(level: level(doc.severity)),
                help: Message(text: "Run `b24plan explain \(doc.code)` for a bad and a good example."))
        }
        let results = diagnostics.map { diagnostic in
            Result(
                ruleId: diagnostic.rule.rawValue, ruleIndex: ruleIndex[diagnostic.rule], level: level(diagnostic.severity),
                message: Message(text: ([diagnostic.message] + diagnostic.notes).joined(separator: "\n")),
                locations: [
                    Location(
                        physicalLocation: PhysicalLocation(
                            artifactLocation: ArtifactLocation(uri: diagnostic.file),
                            region: region(diagnostic, source: sources[diagnostic.file])))
                ])
        }
        let log = Log(
            schema: schemaURI, version: "2.1.0",
            runs: [
                Run(
                    tool: Tool(
                        driver: Driver(
                            name: "b24plan", version: toolVersion, informationUri: "https://github.com/b24plan/b24plan",
                            rules: rules)),
                    columnKind: "utf16CodeUnits", results: results)
            ])
        return try JSONOutput.encode(log)
    }

    /// The region with columns in UTF-16 code units (SARIF's default `columnKind`, declared too).
    static func region(_ diagnostic: Diagnostic, source: SourceFile?) -> Region {
        func column(_ line: Int, _ byteColumn: Int) -> Int {
            source?.utf16Column(line: line, byteColumn: byteColumn) ?? byteColumn
        }
        let endLine = max(diagnostic.endLine, diagnostic.line)
        var endColumn = column(endLine, diagnostic.endColumn)
        let startColumn = column(diagnostic.line, diagnostic.column)
        if endLine == diagnostic.line { endColumn = max(endColumn, startColumn + 1) }
        return Region(startLine: diagnostic.line, startColumn: startColumn, endLine: endLine, endColumn: endColumn)
    }

    static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: return "error"
        case .warning: return "warning"
        case .note: return "note"
        }
    }

    struct Log: Encodable {
        var schema: String
        var version: String
        var runs: [Run]
        enum CodingKeys: String, CodingKey {
            case schema = "$schema"
            case version, runs
        }
    }
    struct Run: Encodable {
        var tool: Tool
        var columnKind: String
        var results: [Result]
    }
    struct Tool: Encodable { var driver: Driver }
    struct Driver: Encodable {
        var name: String
        var version: String
        var informationUri: String
        var rules: [Rule]
    }
    struct Rule: Encodable {
        var id: String
        var name: String
        var shortDescription: Message
        var fullDescription: Message
        var defaultConfiguration: Configuration
        var help: Message
    }
    struct Configuration: Encodable { var level: String }
    struct Message: Encodable { var text: String }
    struct Result: Encodable {
        var ruleId: String
        var ruleIndex: Int?
        var level: String
        var message: Message
        var locations: [Location]
    }
    struct Location: Encodable { var physicalLocation: PhysicalLocation }
    struct PhysicalLocation: Encodable {
        var artifactLocation: ArtifactLocation
        var region: Region
    }
    struct ArtifactLocation: Encodable { var uri: String }
    struct Region: Encodable {
        var startLine: Int
        var startColumn: Int
        var endLine: Int
        var endColumn: Int
    }
}
