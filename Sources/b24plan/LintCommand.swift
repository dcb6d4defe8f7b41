import Foundation
import PlanStore
import ReleasePlan

/// `b24plan lint`: every check of DESIGN §4, in the format CI wants.
struct LintCommand: Command {
    let name = "lint"
    var exitCodes: [ExitCodeHelp.Line] { ExitCodeHelp.lint }
    let summary = "Check release plans: located diagnostics for CI"
    let usage = "b24plan lint [--against FILE] [--format text|json|github|sarif|gitlab] [--fix] FILE|DIR..."
    let discussion = """
        Checks each plan file against the Bitrix24 catalogue and against the published plan before it
        (--against FILE, else the plan with the highest lower version in the same folder that is not
        a pre-release), and among the other plans of its folder (B24P108, B24P109). Every
        diagnostic points at file:line:column; 'b24plan explain CODE' tells what a rule wants.
        --fix writes the right sha256 of migrations that are not yet published, editing nothing else;
        it never writes into a released plan (one with a later plan of the app beside it), and says so.

        A DIR is linted plan by plan: every *.json in it and its subfolders whose top-level object
        has "app" and "version", or that is named like a version (1.2.0.json, even when it does not
        parse); not b24plan.config.json, and not in hidden folders, .build or node_modules. Each plan
        is checked against the previous plan of its own folder. One summary follows; the exit code is 1
        when any plan has an error. A DIR without plans, or a FILE that cannot be read, exits 64.
        """
    let options: [OptionSpec] =
        [
            .value("against", "FILE", "The published plan to compare with (one FILE only)."),
            .value("format", "FORMAT", allowed: ["text", "json", "github", "sarif", "gitlab"], "Output format (default text)."),
            .flag("fix", "Write missing or wrong sha256 values of unpublished migrations into the plan."),
        ] + StoreOptions.options

    func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
        let store = StoreHistory.lookup(arguments, console: console)
        return try run(arguments, console: console, history: store.history, storeUnreadable: store.unreadable)
    }

    /// Lints with what the state store recorded as published (`history`; nil without a store): the
    /// store's newest plan of each app is the previous plan, and --fix never writes a published one.
    /// `storeUnreadable`: why the named store could not be read; then --fix writes nothing, since
    /// which migrations are published is not known.
    func run(_ arguments: ParsedArguments, console: Console, history: PublishedHistory?, storeUnreadable: String? = nil) throws -> ExitCode
    {
        guard !arguments.positionals.isEmpty else { throw UsageError(message: "lint needs at least one plan FILE or DIR") }
        var files: [String] = []
        for argument in arguments.positionals {
            guard PlanInput.isFolder(argument) else {
                files.append(argument)
                continue
            }
            if arguments.value("against") != nil {
                throw UsageError(message: "--against can be used with one FILE only, not with a DIR")
            }
            let plans = PlanInput.plans(under: argument)
            guard !plans.isEmpty else {
                throw SetupError(
                    "no release plans in \(argument): a plan is a *.json file whose top-level object has \"app\" "
                        + "and \"version\", or one named like a version (1.0.0.json)")
            }
            files += plans.filter { !files.contains($0) }
        }
        if arguments.value("against") != nil && files.count > 1 {
            throw UsageError(message: "--against can be used with one FILE only")
        }
        try PlanInput.requireReadable(files)
        try requireInputs(arguments)
        let linter = Linter()
        var diagnostics: [Diagnostic] = []
        var sources: [String: SourceFile] = [:]
        for file in files {
            var result = linter.lint(path: file, against: arguments.value("against"), history: history)
            if arguments.has("fix"), storeUnreadable != nil, result.context != nil {
                console.writeError(
                    "warning: \(file): --fix wrote nothing: the state store cannot be read, so which migrations are published "
                        + "is not known\n")
            } else if arguments.has("fix"), let context = result.context {
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
            if files.count == 1 { ProcessLifetime.keep(result) }
            if sources.isEmpty {
                sources = result.sources  // the common case of one plan: no copy of every entry
            } else {
                sources.merge(result.sources) { first, _ in first }
            }
        }
        switch format(arguments) {
        case "json":
            console.write(try JSONDiagnosticRenderer.render(diagnostics))
        case "github":
            console.write(GitHubDiagnosticRenderer.render(diagnostics, sources: sources))
        case "gitlab":
            console.write(try GitLabCodeQualityRenderer.render(diagnostics, workingDirectory: FileManager.default.currentDirectoryPath))
        case "sarif":
            console.write(try SARIFRenderer.render(diagnostics, toolVersion: B24PlanVersion.current, sources: sources))
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
