import ReleasePlan

/// Dispatches to a subcommand, prints usage errors, and turns everything into an exit code.
struct CommandLineTool {
    var console: Console

    var commands: [any Command] {
        [
            LintCommand(), DiffCommand(), GraphCommand(), ApplyCommand(), GateCommand(), StatusCommand(), InitCommand(), BaselineCommand(),
            DriftCommand(), ReconcileCommand(), NewCommand(), BumpCommand(), ExplainCommand(),
        ]
    }

    var overview: String {
        var text = """
            b24plan \(B24PlanVersion.current): release plans for Bitrix24 Marketplace apps

            usage: b24plan <command> [options] [arguments]

            commands:

            """
        for command in commands {
            text += "  " + command.name.padded(10) + command.summary + "\n"
        }
        text += """

            Run 'b24plan <command> --help' for a command's options.
            Global: --version, --help. Every command takes --format text|json.

            """
        return text
    }

    func run(_ arguments: [String]) -> ExitCode {
        guard let first = arguments.first else {
            console.writeError(overview)
            return .usage
        }
        switch first {
        case "--version", "version":
            console.write("b24plan \(B24PlanVersion.current)\n")
            return .success
        case "--help", "-h":
            console.write(overview)
            return .success
        case "help":
            if arguments.count > 1, let command = commands.first(where: { $0.name == arguments[1] }) {
                console.write(command.help)
            } else {
                console.write(overview)
            }
            return .success
        default:
            break
        }
        guard let command = commands.first(where: { $0.name == first }) else {
            let hint = Suggestion.phrase(for: first, in: commands.map(\.name))
            console.writeError("error: unknown command '\(first)'\(hint)\n\n" + overview)
            return .usage
        }
        do {
            let parsed = try ArgumentParser.parse(Array(arguments.dropFirst()), options: command.options)
            if parsed.wantsHelp {
                console.write(command.help)
                return .success
            }
            return try command.run(parsed, console: console)
        } catch let error as UsageError {
            console.writeError("error: \(error.message)\nusage: \(command.usage)\nRun 'b24plan \(command.name) --help' for more.\n")
            return .usage
        } catch {
            console.writeError("error: \(error)\n")
            return .failure
        }
    }
}
