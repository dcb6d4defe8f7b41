import Foundation
import PlanStore
import ReleasePlan

/// Runs the deploy hook: an argv, no shell; its output streamed and its last lines kept.
public protocol DeployHook: Sendable {
    /// Runs `command` in `directory`. Calls `onStart` with the hook's pid once it runs and before
    /// waiting for it (when `onStart` throws, the hook is killed and the error rethrown), and
    /// `onLine` for each output line; returns how it ended.
    func run(
        _ command: [String], directory: String, onStart: (Int32) throws -> Void, onLine: @escaping @Sendable (String) -> Void
    ) throws -> DeployHookResult
}

/// How a deploy hook ended.
public struct DeployHookResult: Sendable, Equatable {
    /// The exit status; nil when a signal ended it.
    public var exitCode: Int32?
    /// The SIGINT or SIGTERM that b24plan received and forwarded to the hook, if any.
    public var interrupted: Int32?
    /// The last lines of its output, both streams in arrival order (not yet redacted).
    public var tail: [String]

    public init(exitCode: Int32?, interrupted: Int32? = nil, tail: [String]) {
        self.exitCode = exitCode
        self.interrupted = interrupted
        self.tail = tail
    }
}

struct DeployStep {
    var hook: any DeployHook
    var reporter: any ApplyReporter
    /// Applied to every output line, the tail and the messages before they leave.
    var redactor: SecretRedactor

    /// Runs the hook; throws `DeployFailure` when it fails or is interrupted. Returns a one-line
    /// detail and the last lines of output, redacted.
    func run(_ step: PlanStep, command: [String], directory: String, onStart: (Int32) throws -> Void) throws -> (
        detail: String, tail: String
    ) {
        let reporter = self.reporter
        let redactor = self.redactor
        let result = try hook.run(command, directory: directory.isEmpty ? "." : directory, onStart: onStart) { line in
            reporter.output(step, line: redactor.redact(line))
        }
        let tail = redactor.redact(result.tail.suffix(20).joined(separator: "\n"))
        let shown = redactor.redact(command.joined(separator: " "))
        if let signal = result.interrupted {
            let how = result.exitCode.map { "it exited with \($0)" } ?? "it ended by a signal"
            throw DeployFailure(
                message: "the deploy command \(shown) was interrupted (\(Self.signalName(signal)) forwarded; \(how))"
                    + (tail.isEmpty ? "" : "; last output:\n" + tail),
                tail: tail, interrupted: signal)
        }
        guard result.exitCode == 0 else {
            let how = result.exitCode.map { "exited with \($0)" } ?? "was killed by a signal"
            throw DeployFailure(
                message: "the deploy command \(shown) \(how)" + (tail.isEmpty ? "" : "; last output:\n" + tail), tail: tail)
        }
        return ("the deploy command exited with 0", tail)
    }

    static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGINT: return "SIGINT"
        case SIGTERM: return "SIGTERM"
        default: return "signal \(signal)"
        }
    }
}

struct DeployFailure: Error, CustomStringConvertible {
    var message: String
    /// The last lines of output, redacted.
    var tail: String
    /// The signal forwarded to the hook when b24plan was interrupted.
    var interrupted: Int32?
    var description: String { message }
}
