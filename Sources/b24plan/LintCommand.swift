import Foundation
import ReleasePlan

/// `b24plan lint`: every check of DESIGN §4, in the format CI wants.
struct LintCommand: Command {
    let name = "lint"
    var exitCodes: [ExitCodeHelp.Line] { ExitCodeHelp.lint }
    let summary = "Check release plans: located diagnostics for CI"
    let usage = "b24plan lint [--against FILE] [--format text|json|github|sarif] [--fix] FILE..."
    let discussion = """
        Checks each plan file against the Bitrix24 catalogue and against the published plan before it
        (--against FILE, else the plan with the highest lower version in the same folder that is not
        a pre-release), and among the other plans of its folder (B24P108, B24P109). Every
        diagnostic points at file:line:column; 'b24plan explain CODE' tells what a rule wants.
        --fix writes the right sha256 of migrations that are not yet published, editing nothing else;
        it never writes into a released plan (one with a later plan of the app beside it), and says so.
        """
    let options: [OptionSpec] =
        [
            .value("against", "FILE", "The published plan to compare with (one FILE only)."),
            .value("format", "FORMAT", allowed: ["text", "json", "github", "sarif", "gitlab"], "Output format (default text)."),
            .flag("fix", "Write missing or wrong sha256 values of unpublished migrations into the plan."),
        ] + StoreOptions.options

    func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
        try run(arguments, console: console, history: StoreHistory.named(arguments, console: console))
    }

    /// Lints with what the state store recorded as published (`history`; nil without a store): the
    /// store's newest plan of each app is the previous plan, and --fix never writes a published one.
    func run(_ arguments: ParsedArguments, console: Console, history: PublishedHistory?) throws -> ExitCode {
        let files = arguments.positionals
        guard !files.isEmpty else { throw UsageError(message: "lint needs at least one plan FILE") }
        if arguments.value("against") != nil && files.count > 1 {
            throw UsageError(message: "--against can be used with one FILE only")
        }
        let linter = Linter()
        var diagnostics: [Diagnostic] = []
        var sources: [String: SourceFile] = [:]
        for file in files {
            var result = linter.lint(path: file, against: arguments.value("against"), history: history)
            if arguments.has("fix"), let context = result.context {
                let fix = DigestFixer.fix(context)
                if let refusal = fix.refusal {
                    console.writeError("warning: \(refusal)\n")
                }
                let edits = fix.edits
                if !edits.isEmpty {
                    let fixed = TextEdit.apply(edits, to: context.document.source.bytes)
                    do {
                        try Data(fixed).write(to: URL(fileURLWithPath: file), options: .atomic)
                        console.writeError("\(file): wrote \(edits.count) sha256 value\(edits.count == 1 ? "" : "s")\n")
                    } catch {
                        console.writeError("error: cannot write \(file): \(error.localizedDescription)\n")
                        return .failure
                    }
                    result = linter.lint(path: file, against: arguments.value("against"), history: history)
                }
            }
            diagnostics += result.diagnostics
            sources.merge(result.sources) { first, _ in first }
        }
        switch format(arguments) {
        case "json":
            console.write(JSONDiagnosticRenderer.render(diagnostics))
        case "github":
            console.write(GitHubDiagnosticRenderer.render(diagnostics))
        case "gitlab":
            console.write(GitLabCodeQualityRenderer.render(diagnostics, workingDirectory: FileManager.default.currentDirectoryPath))
        case "sarif":
            console.write(SARIFRenderer.render(diagnostics, toolVersion: B24PlanVersion.current, sources: sources))
        default:
            let style = TextStyle(enabled: console.colorOut)
            console.write(TextDiagnosticRenderer(sources: sources, style: style).render(diagnostics))
            let summary = TextDiagnosticRenderer.summary(diagnostics)
            let label = files.count == 1 ? files[0] : "\(files.count) plans"
            console.write(style.bold("\(label): \(summary)") + "\n")
        }
        return diagnostics.hasErrors ? .failure : .success
    }
}
