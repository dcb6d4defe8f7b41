import PlanStore

/// The live deploy hook: the argv through `ChildProcess` (posix_spawn with a clean signal mask,
/// no shell), its output streamed line by line.
public struct ChildProcessDeployHook: DeployHook {
    /// Longest a deploy may run before it is stopped (seconds; nil: no limit).
    public var timeout: Double?

    public init(timeout: Double? = nil) {
        self.timeout = timeout
    }

    public func run(_ command: [String], directory: String, onLine: @escaping @Sendable (String) -> Void) throws -> (
        exitCode: Int32?, tail: [String]
    ) {
        let process = ChildProcess(command, label: "deploy command", workingDirectory: directory, timeout: timeout)
        let result = try process.run { line in onLine(line.text) }
        return (result.signal == nil ? result.exitCode : nil, result.tail)
    }
}
