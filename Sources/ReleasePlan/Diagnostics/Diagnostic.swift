/// How serious a finding is. Errors fail the command; warnings and notes alone exit 0.
public enum Severity: String, Sendable, Codable, Comparable, CaseIterable {
    case error, warning, note

    private var rank: Int {
        switch self {
        case .error: return 0
        case .warning: return 1
        case .note: return 2
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// One located finding: a rule code, a message, and where it points (file, 1-based line and
/// column in UTF-8 bytes, and the JSON path in the plan).
public struct Diagnostic: Sendable, Equatable, Codable {
    public var rule: RuleCode
    public var severity: Severity
    public var message: String
    public var file: String
    public var line: Int
    public var column: Int
    /// The end of the highlighted span (1-based, exclusive column), for renderers.
    public var endLine: Int
    public var endColumn: Int
    /// The JSON path of the plan node the finding is about ("" for the whole plan).
    public var path: String
    /// Further lines printed under the message ("the previous plan declares …", "did you mean …").
    public var notes: [String]

    public init(
        rule: RuleCode, severity: Severity? = nil, message: String, file: String,
        start: SourceLocation, end: SourceLocation? = nil, path: String = "", notes: [String] = []
    ) {
        self.rule = rule
        self.severity = severity ?? rule.defaultSeverity
        self.message = MessageValue.bounded(message)
        self.file = file
        self.line = start.line
        self.column = start.column
        self.endLine = end?.line ?? start.line
        self.endColumn = end?.column ?? start.column
        self.path = path
        self.notes = notes.map(MessageValue.bounded)
    }

    /// A diagnostic at a byte range of a source file.
    public init(
        _ rule: RuleCode, _ message: String, in source: SourceFile, range: SourceRange,
        path: JSONPath = .root, severity: Severity? = nil, notes: [String] = []
    ) {
        self.init(
            rule: rule, severity: severity, message: message, file: source.path,
            start: source.location(of: range.start), end: source.location(of: range.end),
            path: path.description, notes: notes)
    }

    public var start: SourceLocation { SourceLocation(line: line, column: column) }

    /// Deterministic output order: file, line, column, rule, message.
    public static func sortedForOutput(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.sorted {
            ($0.file, $0.line, $0.column, $0.rule.rawValue, $0.message)
                < ($1.file, $1.line, $1.column, $1.rule.rawValue, $1.message)
        }
    }
}

extension Array where Element == Diagnostic {
    public var errorCount: Int { filter { $0.severity == .error }.count }
    public var warningCount: Int { filter { $0.severity == .warning }.count }
    public var hasErrors: Bool { contains { $0.severity == .error } }
}
