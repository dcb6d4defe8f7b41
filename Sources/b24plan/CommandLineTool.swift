import Foundation
import PlanStore
import ReleasePlan

/// Dispatches to a subcommand, prints usage errors, and turns everything into an exit code.
struct CommandLineTool {
    var console: Console

    var commands: [any Command] {
        [
            LintCommand(), DiffCommand(), GraphCommand(), ApplyCommand(), GateCommand(), StatusCommand(), ReportCommand(), InitCommand(),
            BaselineCommand(),
            DriftCommand(), ReconcileCommand(), LogCommand(), AbandonCommand(), MigrateCommand(), NewCommand(), BumpCommand(),
            ExplainCommand(), CatalogueCommand(), SchemaCommand(),
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

            Run 'b24plan <command> --help' for a command's options and its own exit codes.
            Global: --version, --help. Every command takes --format text|json.

            """ + "\n" + ExitCodeHelp.text(ExitCodeHelp.all)
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
        var console = self.console
        do {
            let parsed = try ArgumentParser.parse(Array(arguments.dropFirst()), options: command.options)
            console = console.redacting(KnownSecrets.redactor(environment: console.environment, arguments: parsed))
            if parsed.wantsHelp {
                console.write(command.help)
                return .success
            }
            if command.handlesInterruption { Self.installSignalHandlers() }
            return ExitCode.final(try command.run(parsed, console: console))
        } catch let error as SetupError {
            console.writeError("error: \(error.message)\n")
            return ExitCode.final(.usage)
        } catch let error as ClientLibraryError {
            // Asked for before anything runs (a database connection, the first request).
            console.writeError("error: \(error)\n")
            return ExitCode.final(.usage)
        } catch let error as UsageError {
            console.writeError("error: \(error.message)\nusage: \(command.usage)\nRun 'b24plan \(command.name) --help' for more.\n")
            return ExitCode.final(.usage)
        } catch {
            console.writeError("error: \(error)\n")
            return ExitCode.final(.failure)
        }
    }

    /// SIGINT and SIGTERM are recorded in `Interruption.shared` (the command stops at its next safe
    /// point, records every state and exits 130 or 143); a second signal exits at once with 128 +
    /// its number. Commands that do not opt in keep the default: the signal ends them at once.
    static func installSignalHandlers() {
        Interruption.shared.install(
            onFirst: { signal in
                let name = signal == SIGTERM ? "SIGTERM" : "SIGINT"
                writeRaw(
                    "\n\(name): stopping at the next safe point — no new portals or steps; requests in flight finish and every "
                        + "state is recorded (press Ctrl-C again to exit at once)\n")
            },
            onSecond: { signal in
                writeRaw("\nsecond \(signal == SIGTERM ? "SIGTERM" : "SIGINT"): exiting at once\n")
                _exit(128 + signal)
            })
    }

    /// Writes to stderr without locks or allocation-heavy machinery (from a signal source).
    private static func writeRaw(_ text: String) {
        _ = text.withCString { write(STDERR_FILENO, $0, strlen($0)) }
    }
}
