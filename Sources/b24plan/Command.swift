import ReleasePlan

/// A subcommand: its help text, its options, and what it does.
protocol Command {
    var name: String { get }
    /// One line for the command list.
    var summary: String { get }
    /// The usage line(s), without the leading "usage: ".
    var usage: String { get }
    /// A paragraph or two under the usage.
    var discussion: String { get }
    var options: [OptionSpec] { get }
    /// Whether the command stops at safe points on SIGINT/SIGTERM (it polls `Interruption.shared`)
    /// rather than being ended by the signal at once.
    var handlesInterruption: Bool { get }
    /// The exit codes this command can end with, and what each means for it (its `--help` lists them).
    var exitCodes: [ExitCodeHelp.Line] { get }
    /// Which positional argument is a plan FILE: the one at `index` when there are `count` of them
    /// (nil: none). `run` checks it with `requireInputs` after its usage checks and before it opens
    /// a store or reads anything: an unreadable one exits 64.
    var planPositional: (index: Int, count: Int)? { get }
    func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode
}

extension Command {
    var handlesInterruption: Bool { false }
    var exitCodes: [ExitCodeHelp.Line] { ExitCodeHelp.standard }
    var planPositional: (index: Int, count: Int)? { nil }

    /// The full `--help` text.
    var help: String {
        var text = "usage: \(usage)\n\n\(discussion)\n"
        if !options.isEmpty {
            text += "\noptions:\n"
            for option in options + [OptionSpec.flag("help", "Show this help.")] {
                let left = "  --\(option.name)" + (option.valueName.map { " \($0)" } ?? "")
                let padded =
                    left.count < 28
                    ? left + String(repeating: " ", count: 28 - left.count) : left + "\n" + String(repeating: " ", count: 28)
                text += padded + option.help + "\n"
            }
        }
        text += "\n" + ExitCodeHelp.text(exitCodes)
        return text
    }

    /// The `--format` value, defaulting to text.
    func format(_ arguments: ParsedArguments) -> String { arguments.value("format") ?? "text" }
}
