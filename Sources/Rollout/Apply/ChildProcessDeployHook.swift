import PlanStore

/// The live deploy hook: the argv through `ChildProcess` (posix_spawn with a clean signal mask,
/// no shell, a process group of its own), its output streamed line by line.
///
/// Its environment is b24plan's without the secrets (``SecretRedactor/scrubbed(_:)``: no
/// `B24_CLIENT_SECRET`, `B24PLAN_DATABASE_URL`, `PGPASSWORD`, nor any variable holding a secret).
/// A SIGINT or SIGTERM recorded in ``interruption`` is forwarded to its process group; it then has
/// ``killGrace`` seconds to exit before SIGKILL.
public struct ChildProcessDeployHook: DeployHook {
    /// Longest a deploy may run before it is stopped (seconds; nil: no limit).
    public var timeout: Double?
    /// The secrets kept out of the hook's environment.
    public var redactor: SecretRedactor
    /// Where b24plan's signals are recorded (nil: none is forwarded).
    public var interruption: Interruption?
    /// Seconds between a forwarded signal (or the timeout's SIGTERM) and SIGKILL.
    public var killGrace: Double

    public init(
        timeout: Double? = nil, redactor: SecretRedactor = SecretRedactor(), interruption: Interruption? = nil, killGrace: Double = 10
    ) {
        self.timeout = timeout
        self.redactor = redactor
        self.interruption = interruption
        self.killGrace = killGrace
    }

    /// The hook's environment: b24plan's, scrubbed of secrets.
    public var environment: [String: String] { redactor.scrubbed(ChildProcess.inheritedEnvironment()) }

    public func run(
        _ command: [String], directory: String, onStart: (Int32) throws -> Void, onLine: @escaping @Sendable (String) -> Void
    ) throws -> DeployHookResult {
        let process = ChildProcess(
            command, label: "deploy command", workingDirectory: directory, environment: environment, timeout: timeout,
            killGrace: killGrace, interruption: interruption)
        let result = try process.run(onStart: onStart) { line in onLine(line.text) }
        return DeployHookResult(exitCode: result.signal == nil ? result.exitCode : nil, interrupted: result.interrupted, tail: result.tail)
    }
}
