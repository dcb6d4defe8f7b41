import Testing

@testable import ReleasePlan

/// Runs the linter on plans held in memory, laid out as the rule documentation lays them out:
/// the plan at `plans/acme.example/1.1.0.json`, the published plan at `…/1.0.0.json`, other files
/// relative to `plans/acme.example`.
enum Lint {
    static let planPath = RuleExample.planPath
    static let previousPath = RuleExample.previousPath
    static let folder = "plans/acme.example"

    static func run(_ example: RuleExample, against: String? = nil) -> Linter.Result {
        Linter(fileSystem: example.fileSystem).lint(path: example.path, against: against)
    }

    /// Lints `plan` at `path` (default `planPath`, 1.1.0.json: a plan of another version is named
    /// after it, or B24P109 reports the name).
    static func run(
        plan: String, previous: String? = nil, files: [String: String] = [:], against: String? = nil, path: String = planPath
    ) -> Linter.Result {
        run(RuleExample(plan: plan, previous: previous, files: files, path: path), against: against)
    }

    /// The path of a plan of `version` in the examples' folder (`plans/acme.example/2.0.0.json`).
    static func path(_ version: String) -> String { FilePath.join(folder, version + ".json") }
}

extension Linter.Result {
    /// The diagnostics of one rule, in output order.
    func findings(_ code: RuleCode) -> [Diagnostic] {
        diagnostics.filter { $0.rule == code }
    }

    /// The single diagnostic of `code`; records an issue (and returns nil) when there is not exactly one.
    func only(_ code: RuleCode, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Diagnostic? {
        let found = findings(code)
        guard found.count == 1 else {
            Issue.record("expected one \(code), got \(found.count):\n\(listing)", sourceLocation: sourceLocation)
            return nil
        }
        return found[0]
    }

    /// The rule codes reported, in output order.
    var codes: [String] { diagnostics.map(\.rule.rawValue) }

    /// One line per diagnostic, for failure messages.
    var listing: String {
        diagnostics.map(\.brief).joined(separator: "\n")
    }
}

extension Diagnostic {
    /// `file:line:col rule [path] message`, for failure messages.
    var brief: String { "\(file):\(line):\(column) \(rule) [\(path)] \(message)" }

    /// `line:column` as one comparable string.
    var at: String { "\(line):\(column)" }
}

/// Plan text in a fixed layout, so tests can name lines and columns:
///
///     line 1  {
///     line 2    "app": "acme.example",                          value at column 10
///     line 3    "version": "1.1.0",                             value at column 14
///     line 4    "changelog": { "en": "Shows the deals … task." }, value at column 16
///     line 5    "scopes": ["crm"],                              value at column 13
///     line 6    "requiredMethods": ["crm.deal.get"]             value at column 22
///     line 7…   further keys in the order given
///
/// An override of a default key keeps its line; `nil` drops the key (later lines move up).
enum PlanText {
    static let defaults: [(String, String)] = [
        ("app", "\"acme.example\""),
        ("version", "\"1.1.0\""),
        ("changelog", "{ \"en\": \"Shows the deals linked to each task.\" }"),
        ("scopes", "[\"crm\"]"),
        ("requiredMethods", "[\"crm.deal.get\"]"),
    ]

    static func make(_ overrides: KeyValuePairs<String, String?> = [:]) -> String {
        make(overrides.map { ($0.key, $0.value) })
    }

    /// The published plan: version 1.0.0 unless overridden, with a changelog of its own (a
    /// repeated one is B24P110).
    static func previous(_ overrides: KeyValuePairs<String, String?> = [:]) -> String {
        var pairs: [(String, String?)] = [
            ("version", "\"1.0.0\""), ("changelog", "{ \"en\": \"The first release: deals linked to tasks.\" }"),
        ]
        for (key, value) in overrides {
            pairs.removeAll { $0.0 == key }
            pairs.append((key, value))
        }
        return make(pairs)
    }

    static func make(_ pairs: [(String, String?)]) -> String {
        var map: [String: String?] = [:]
        for (key, value) in pairs { map[key] = value }
        var lines: [String] = []
        for (key, value) in defaults {
            if let override = map[key] {
                if let override { lines.append("  \"\(key)\": \(override)") }
            } else {
                lines.append("  \"\(key)\": \(value)")
            }
        }
        let defaultKeys = Set(defaults.map(\.0))
        for (key, value) in pairs where !defaultKeys.contains(key) {
            if let value { lines.append("  \"\(key)\": \(value)") }
        }
        return "{\n" + lines.joined(separator: ",\n") + "\n}\n"
    }

    /// A migration entry whose digest matches `sql`.
    static func migration(
        id: Int, name: String, file: String, sql: String, extra: String = ""
    ) -> String {
        "{ \"id\": \(id), \"name\": \"\(name)\", \"file\": \"\(file)\", \"sha256\": \"\(SHA256.hex(Array(sql.utf8)))\"\(extra) }"
    }
}

/// 1-based line and byte column of the `occurrence`-th (1-based) match of `needle` in `text`.
func locationOf(_ needle: String, in text: String, occurrence: Int = 1) -> String {
    let bytes = Array(text.utf8)
    let pattern = Array(needle.utf8)
    var seen = 0
    var index = 0
    while index + pattern.count <= bytes.count {
        if Array(bytes[index..<index + pattern.count]) == pattern {
            seen += 1
            if seen == occurrence {
                let location = SourceFile(path: "", bytes: bytes).location(of: index)
                return "\(location.line):\(location.column)"
            }
        }
        index += 1
    }
    return "not found"
}

/// One documentation example of a rule (its bad or its good plan), named for the test runner.
struct RuleExampleCase: Sendable, CustomTestStringConvertible {
    let code: RuleCode
    let isBad: Bool
    let example: RuleExample

    var testDescription: String { "\(code) \(isBad ? "bad" : "good") example" }

    /// Both examples of every code a family documents.
    static func cases(_ family: any LintRule) -> [RuleExampleCase] {
        family.documentation.flatMap { doc in
            [
                RuleExampleCase(code: doc.code, isBad: true, example: doc.bad),
                RuleExampleCase(code: doc.code, isBad: false, example: doc.good),
            ]
        }
    }

    /// Examples that do not do what they document, with the reason (reported as source bugs).
    static let knownIssues: [String: String] = [:]

    /// A bad example must report its code; a good one neither its code nor any error.
    func verify(sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        if let reason = Self.knownIssues[testDescription] {
            withKnownIssue(Comment(rawValue: reason)) { check(sourceLocation: sourceLocation) }
        } else {
            check(sourceLocation: sourceLocation)
        }
    }

    private func check(sourceLocation: Testing.SourceLocation) {
        // Linted as `explain` lints it: with the published plan named (`--against`).
        let result = example.lint()
        if isBad {
            #expect(
                result.codes.contains(code.rawValue), "the bad example of \(code) gave:\n\(result.listing)",
                sourceLocation: sourceLocation)
        } else {
            #expect(
                !result.codes.contains(code.rawValue), "the good example of \(code) gave:\n\(result.listing)",
                sourceLocation: sourceLocation)
            #expect(
                !result.diagnostics.hasErrors, "the good example of \(code) has errors:\n\(result.listing)",
                sourceLocation: sourceLocation)
        }
    }
}
