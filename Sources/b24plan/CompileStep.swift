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

    /// Nil after printing the lint errors.
    func run(_ file: String, against: String?, compiler: PlanCompiler, format: String) -> Outcome? {
        let result = Linter().lint(path: file, against: against)
        guard let context = result.context, !result.diagnostics.hasErrors else {
            printDiagnostics(result.diagnostics, sources: result.sources, format: format)
            return nil
        }
        let compiled = compiler.compile(context.plan, previous: context.previous?.plan)
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
