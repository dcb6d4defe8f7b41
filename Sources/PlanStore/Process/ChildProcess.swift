#if canImport(Glibc)
    import Glibc
#endif

/// Runs an argv as a child process — never through a shell — with a clean signal state.
///
/// Foundation's `Process` leaves the child with the parent thread's signal mask, so a child
/// started from a Task can begin with SIGTERM blocked and never die. `ChildProcess` spawns
/// with `posix_spawnp`, an empty signal mask and default dispositions for every catchable
/// signal (`POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF`), whatever the caller's state.
///
/// ```swift
/// var hook = ChildProcess(["./deploy.sh", "prod"], label: "deploy command")
/// hook.workingDirectory = projectDir
/// hook.timeout = 600
/// let result = try hook.run { line in print(line.text) }
/// if !result.succeeded { print(result.summary, result.tail) }
/// ```
///
/// - A bare name (`sh`) is looked up on the parent's `PATH`; a name with a slash
///   (`./deploy.sh`) is taken as a path, relative to ``workingDirectory`` when one is set.
/// - Output is read from two pipes with poll(2) and delivered line by line as it arrives.
/// - `run` blocks the calling thread. It may be called from a Task; cancelling that Task
///   terminates the child like a timeout does (``Result/cancelled``).
public struct ChildProcess: Sendable {
    /// A line running longer than this without a newline is delivered in pieces.
    public static let maxLineBytes = 64 * 1024

    /// The program and its arguments; `arguments[0]` is the executable.
    public var arguments: [String]
    /// Names the command in error messages: "`label` ./deploy.sh: no such file".
    public var label: String
    /// Directory the child starts in; `nil` keeps the parent's.
    public var workingDirectory: String?
    /// The child's whole environment; `nil` inherits the parent's.
    /// See ``inheritedEnvironment(adding:)`` to add to it.
    public var environment: [String: String]?
    /// The child's standard input.
    public var standardInput: StandardInput
    /// How many final output lines ``Result/tail`` keeps.
    public var tailLines: Int
    /// Seconds after which the child is sent SIGTERM; `nil` waits forever.
    public var timeout: Double?
    /// Seconds between SIGTERM and SIGKILL, after a timeout or a cancellation.
    public var killGrace: Double
    /// Put the child in a process group of its own, so that a timeout or a cancellation
    /// signals everything it started (a script's `sleep`, say), not only the child.
    /// The group does not receive the terminal's Ctrl-C: cancel the Task, or set ``interruption``.
    public var newProcessGroup: Bool
    /// When set, a SIGINT or SIGTERM recorded there while the child runs is forwarded to it (to its
    /// group with ``newProcessGroup``); it then has ``killGrace`` seconds to exit before SIGKILL.
    /// The output is polled at least every 100 ms, so forwarding takes no longer than that.
    public var interruption: Interruption?

    /// A child running `arguments`; see the properties for the other options.
    public init(
        _ arguments: [String],
        label: String = "command",
        workingDirectory: String? = nil,
        environment: [String: String]? = nil,
        standardInput: StandardInput = .null,
        tailLines: Int = 50,
        timeout: Double? = nil,
        killGrace: Double = 5,
        newProcessGroup: Bool = true,
        interruption: Interruption? = nil
    ) {
        self.arguments = arguments
        self.label = label
        self.workingDirectory = workingDirectory
        self.environment = environment
        self.standardInput = standardInput
        self.tailLines = tailLines
        self.timeout = timeout
        self.killGrace = killGrace
        self.newProcessGroup = newProcessGroup
        self.interruption = interruption
    }

    /// The parent's environment with `overrides` applied (a value replaces, never appends).
    public static func inheritedEnvironment(adding overrides: [String: String] = [:]) -> [String: String] {
        var env: [String: String] = [:]
        var cursor = environ
        while let entry = cursor.pointee {
            let text = String(cString: entry)
            if let eq = text.firstIndex(of: "=") {
                env[String(text[..<eq])] = String(text[text.index(after: eq)...])
            }
            cursor += 1
        }
        env.merge(overrides) { _, new in new }
        return env
    }

    /// Runs the child to completion, calling `onLine` for each output line as it arrives
    /// (on the calling thread), and returns how it ended.
    ///
    /// - Throws: ``ChildProcessError`` when the child cannot be started. Once started,
    ///   every outcome — non-zero exit, signal, timeout — is in the ``Result``.
    public func run(onLine: (Line) -> Void = { _ in }) throws -> Result {
        try run(onStart: { _ in }, onLine: onLine)
    }

    /// Like ``run(onLine:)``, calling `onStart` with the child's pid (also its process group id
    /// with ``newProcessGroup``) as soon as it runs and before its output is read, so the caller
    /// can record it first. When `onStart` throws, the child's group is killed (SIGKILL), the child
    /// reaped, and the error rethrown.
    public func run(onStart: (Int32) throws -> Void, onLine: (Line) -> Void = { _ in }) throws -> Result {
        let pump = OutputPump(child: try spawn(), config: self)
        do {
            try onStart(pump.pid)
        } catch {
            pump.signal(SIGKILL, group: true)
            _ = pump.pump { _ in }
            throw error
        }
        _ = pump.pump(onLine: onLine)
        return pump.result()
    }

    /// Starts the child and returns at once. The handle collects all of its output
    /// (unbounded: meant for tests and short-lived helpers) while it is waited on.
    public func start() throws -> RunningChild {
        RunningChild(pump: OutputPump(child: try spawn(), config: self))
    }
}
