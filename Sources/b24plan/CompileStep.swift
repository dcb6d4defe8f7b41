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
    ) -> Outcome? {
        let outcome = compiler.compile(path: file, against: against, history: history)
        let result = outcome.lint
        guard let compiled = outcome.compiled, let context = result.context else {
            printDiagnostics(result.diagnostics, sources: result.sources, format: format)
            return nil
        }
        return Outcome(compiled: compiled, context: context, diagnostics: result.diagnostics, sources: result.sources)
    }

    func printDiagnostics(_ diagnostics: [Diagnostic], sources: [String: SourceFile], format: String) {
        switch format {
        case "json":
            console.write(JSONDiagnosticRenderer.render(diagnostics))
        default:
            let style = TextStyle(enabled: console.colorError)
            console.writeError(TextDiagnosticRenderer(sources: sources, style: style).render(diagnostics))
            console.writeError(style.bold(TextDiagnosticRenderer.summary(diagnostics)) + "\n")
        }
    }
}

extension ParsedArguments {
    /// A positive integer option, or a usage error.
    func positiveInteger(_ name: String) throws -> Int? {
        guard let text = value(name) else { return nil }
        guard let number = Int(text), number >= 0 else {
            throw UsageError(message: "option '--\(name)' needs a whole number, not '\(text)'")
        }
        return number
    }
}
