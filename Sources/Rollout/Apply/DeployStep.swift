import PlanStore
import ReleasePlan

/// Runs the deploy hook: an argv, no shell; its output streamed and its last lines kept.
public protocol DeployHook: Sendable {
    /// Runs `command` in `directory`, calling `onLine` for each output line; returns the exit code
    /// (nil when killed by a signal) and the last lines of output.
    func run(_ command: [String], directory: String, onLine: @escaping @Sendable (String) -> Void) throws -> (
        exitCode: Int32?, tail: [String]
    )
}

struct DeployStep {
    var hook: any DeployHook
    var reporter: any ApplyReporter

    /// Runs the hook; throws when it fails. Returns a one-line detail and the last lines of output.
    func run(_ step: PlanStep, command: [String], directory: String) throws -> (detail: String, tail: String) {
        let reporter = self.reporter
        let result = try hook.run(command, directory: directory.isEmpty ? "." : directory) { line in
            reporter.output(step, line: line)
        }
        let tail = result.tail.suffix(20).joined(separator: "\n")
        guard result.exitCode == 0 else {
            let how = result.exitCode.map { "exited with \($0)" } ?? "was killed by a signal"
            throw DeployFailure(
                message: "the deploy command \(command.joined(separator: " ")) \(how)" + (tail.isEmpty ? "" : "; last output:\n" + tail))
        }
        return ("the deploy command exited with 0", tail)
    }
}

struct DeployFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
