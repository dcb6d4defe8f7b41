import ReleasePlan

/// Lint, then compile: what `diff`, `graph` and `apply` share. Lint errors block compilation and
/// are printed as `lint` prints them.
struct CompileStep {
    var console: Console

    struct Outcome {
        var compiled: CompiledPlan
        var context: LintContext
        /// Warnings and notes (errors stop before an outcome exists).
        var diagnostics: [Diagnostic]
        var sources: [String: SourceFile]
    }

    /// Nil after printing the lint errors. `history` is what the state store recorded as published
    /// (nil: no store): the store's newest published plan of the app is then the previous plan.
    func run(
        _ file: String, against: String?, history: PublishedHistory? = nil, compiler: PlanCompiler, format: String
    ) throws -> Outcome? {
        let outcome = compiler.compile(path: file, against: against, history: history)
        let result = outcome.lint
        guard let compiled = outcome.compiled, let context = result.context else {
            try printDiagnostics(result.diagnostics, sources: result.sources, format: format)
            return nil
        }
        return Outcome(compiled: compiled, context: context, diagnostics: result.diagnostics, sources: result.sources)
    }

    func printDiagnostics(_ diagnostics: [Diagnostic], sources: [String: SourceFile], format: String) throws {
        switch format {
        case "json":
            console.write(try JSONDiagnosticRenderer.render(diagnostics))
        default:
            let style = TextStyle(enabled: console.colorError)
            console.writeError(TextDiagnosticRenderer(sources: sources, style: style).render(diagnostics))
            console.writeError(style.bold(TextDiagnosticRenderer.summary(diagnostics)) + "\n")
        }
    }
}

extension ParsedArguments {
    /// The largest value a count or duration option takes: far beyond any real use, small enough
    /// that `parallel * 2` and a lease added to a date cannot overflow.
    static let largestNumber = 100_000

    /// A count or a duration (`--parallel`, `--lease`): a whole number from 1 up, or a usage error.
    func positiveInteger(_ name: String) throws -> Int? {
        try wholeNumber(name, minimum: 1)
    }

    /// A whole-number option in `minimum...largestNumber`, or a usage error (exit 64).
    func wholeNumber(_ name: String, minimum: Int = 0) throws -> Int? {
        guard let text = value(name) else { return nil }
        guard let number = Int(text), number >= 0 else {
            throw UsageError(message: "option '--\(name)' needs a whole number, not '\(text)'")
        }
        guard number >= minimum else {
            throw UsageError(message: "option '--\(name)' must be at least \(minimum), not \(number)")
        }
        guard number <= Self.largestNumber else {
            throw UsageError(message: "option '--\(name)' must be at most \(Self.largestNumber), not \(number)")
        }
        return number
    }
}
