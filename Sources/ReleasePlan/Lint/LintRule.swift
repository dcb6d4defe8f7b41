/// A family of lint rules: a small type that checks a plan and documents its codes (DESIGN §4).
public protocol LintRule: Sendable {
    /// The codes this family reports, each with its `explain` text and examples.
    var documentation: [RuleDocumentation] { get }
    /// Every finding of this family in the plan of `context`.
    func check(_ context: LintContext) -> [Diagnostic]
}

/// What `b24plan explain CODE` prints, and what the rule's tests run: a bad and a good example.
public struct RuleDocumentation: Sendable {
    public var code: RuleCode
    /// A paragraph on why the rule exists and how to satisfy it.
    public var explanation: String
    public var bad: RuleExample
    public var good: RuleExample

    public init(_ code: RuleCode, explanation: String, bad: RuleExample, good: RuleExample) {
        self.code = code
        self.explanation = explanation
        self.bad = bad
        self.good = good
    }

    public var severity: Severity { code.defaultSeverity }
    public var title: String { RuleTable.entry(code)?.title ?? "" }
}

/// An example plan, with the published plan before it and the migration files it names when it
/// needs them. Paths in `files` are relative to the plan's folder.
public struct RuleExample: Sendable {
    public var plan: String
    public var previous: String?
    public var files: [String: String]
    /// Where the plan lies: `planPath`, unless the example needs another file name.
    public var path: String

    public init(plan: String, previous: String? = nil, files: [String: String] = [:], path: String = RuleExample.planPath) {
        self.plan = plan
        self.previous = previous
        self.files = files
        self.path = path
    }

    /// Where examples live in their in-memory file system.
    public static let planPath = "plans/acme.example/1.1.0.json"
    public static let previousPath = "plans/acme.example/1.0.0.json"

    /// Lints the example as `b24plan lint --against` would (the published plan named explicitly).
    public func lint() -> Linter.Result {
        Linter(fileSystem: fileSystem).lint(path: path, against: previous == nil ? nil : Self.previousPath)
    }

    /// The example as files, ready to lint.
    public var fileSystem: InMemoryFileSystem {
        var files: [String: String] = [path: plan]
        if let previous { files[Self.previousPath] = previous }
        for (path, text) in self.files { files[FilePath.join("plans/acme.example", path)] = text }
        return InMemoryFileSystem(files)
    }
}
