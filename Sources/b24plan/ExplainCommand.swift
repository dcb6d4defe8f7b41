import ReleasePlan

/// `b24plan explain CODE`: why a rule exists, with a bad and a good example (the same examples the
/// rule's tests run), and what lint says about the bad one.
struct ExplainCommand: Command {
    let name = "explain"
    let summary = "Explain a rule code, with a bad and a good example"
    let usage = "b24plan explain [--format text|json] [CODE]"
    let discussion = """
        Prints why the rule exists and how to satisfy it, a plan that breaks it (with what lint says)
        and one that does not. Without CODE, lists every rule.
        """
    let options: [OptionSpec] = [
        .value("format", "FORMAT", allowed: ["text", "json"], "Output format (default text).")
    ]

    func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
        guard arguments.positionals.count <= 1 else { throw UsageError(message: "explain takes one CODE") }
        guard let code = arguments.positionals.first else {
            try listRules(format: format(arguments), console: console)
            return .success
        }
        guard let documentation = LintRegistry.documentation(for: RuleCode(rawValue: code.uppercased())) else {
            let hint = Suggestion.phrase(for: code.uppercased(), in: RuleTable.entries.map(\.code.rawValue))
            throw UsageError(message: "unknown rule code '\(code)'\(hint)")
        }
        if format(arguments) == "json" {
            console.write(try JSONOutput.encode(ExplainDocument(documentation)))
        } else {
            console.write(text(documentation, style: TextStyle(enabled: console.colorOut)))
        }
        return .success
    }

    private func listRules(format: String, console: Console) throws {
        if format == "json" {
            console.write(
                try JSONOutput.encode(RuleTable.entries.map { RuleSummary(code: $0.code.rawValue, severity: $0.severity, title: $0.title) })
            )
            return
        }
        for entry in RuleTable.entries {
            console.write("\(entry.code)  \(entry.severity.rawValue.padded(8))\(entry.title)\n")
        }
    }

    private func text(_ doc: RuleDocumentation, style: TextStyle) -> String {
        var text = style.bold("\(doc.code): \(doc.title)") + " (\(doc.severity.rawValue))\n\n\(doc.explanation)\n"
        text += "\n" + style.bold("Bad:") + "\n" + exampleText(doc.bad)
        let result = doc.bad.lint()
        let findings = result.diagnostics.filter { $0.rule == doc.code }
        if !findings.isEmpty {
            text += "\n" + style.bold("What lint says:") + "\n"
            text += TextDiagnosticRenderer(sources: result.sources, style: style).render(findings)
        }
        text += "\n" + style.bold("Good:") + "\n" + exampleText(doc.good)
        return text
    }

    private func exampleText(_ example: RuleExample) -> String {
        var text = "\(example.path):\n" + indent(example.plan)
        if let previous = example.previous {
            text += "published plan \(RuleExample.previousPath):\n" + indent(previous)
        }
        for (path, contents) in example.files.sorted(by: { $0.key < $1.key }) {
            text += "\(path):\n" + indent(contents)
        }
        return text
    }

    private func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).dropLast(text.hasSuffix("\n") ? 1 : 0)
            .map { "    " + $0 }.joined(separator: "\n") + "\n"
    }
}

struct RuleSummary: Encodable {
    var code: String
    var severity: Severity
    var title: String
}

struct ExplainDocument: Encodable {
    struct Example: Encodable {
        var plan: String
        var previous: String?
        var files: [String: String]
    }

    var code: String
    var severity: Severity
    var title: String
    var explanation: String
    var bad: Example
    var good: Example

    init(_ doc: RuleDocumentation) {
        code = doc.code.rawValue
        severity = doc.severity
        title = doc.title
        explanation = doc.explanation
        bad = Example(plan: doc.bad.plan, previous: doc.bad.previous, files: doc.bad.files)
        good = Example(plan: doc.good.plan, previous: doc.good.previous, files: doc.good.files)
    }
}
