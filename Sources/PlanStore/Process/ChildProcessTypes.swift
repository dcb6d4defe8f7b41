#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension ChildProcess {
    /// Which of the child's output pipes a line came from.
    public enum Stream: Sendable, Hashable, CustomStringConvertible {
        case stdout
        case stderr

        public var description: String { self == .stdout ? "stdout" : "stderr" }
    }

    /// One line of child output, without its trailing newline.
    ///
    /// Bytes that are not valid UTF-8 are replaced by U+FFFD. A line longer than
    /// ``ChildProcess/maxLineBytes`` without a newline is delivered in pieces of that size.
    public struct Line: Sendable, Hashable, CustomStringConvertible {
        /// The pipe the line arrived on.
        public var stream: Stream
        /// The decoded text, without the newline.
        public var text: String

        public init(stream: Stream, text: String) {
            self.stream = stream
            self.text = text
        }

        public var description: String { "[\(stream)] \(text)" }
    }

    /// Where the child's standard input comes from.
    public enum StandardInput: Sendable, Hashable {
        /// `/dev/null`: the child reads end-of-file at once.
        case null
        /// A file descriptor owned by the caller; it is duplicated onto fd 0 in the child
        /// and never closed by `ChildProcess`.
        case fileDescriptor(Int32)
    }

    /// How a child ended, with the last lines of its output.
    public struct Result: Sendable, Hashable {
        /// The exit status when the child exited normally, else `nil`.
        public var exitCode: Int32?
        /// The signal that killed the child, else `nil`.
        public var signal: Int32?
        /// The last ``ChildProcess/tailLines`` lines of output, both streams in arrival order.
        public var tail: [String]
        /// Wall-clock seconds from spawn to reaping the child.
        public var duration: Double
        /// `true` when the ``ChildProcess/timeout`` ran out and the child was signalled.
        public var timedOut: Bool
        /// `true` when the calling `Task` was cancelled and the child was signalled.
        public var cancelled: Bool
        /// The SIGINT or SIGTERM forwarded to the child from ``ChildProcess/interruption``, else `nil`.
        public var interrupted: Int32?

        public init(
            exitCode: Int32?, signal: Int32?, tail: [String], duration: Double,
            timedOut: Bool = false, cancelled: Bool = false, interrupted: Int32? = nil
        ) {
            self.exitCode = exitCode
            self.signal = signal
            self.tail = tail
            self.duration = duration
            self.timedOut = timedOut
            self.cancelled = cancelled
            self.interrupted = interrupted
        }

        /// `true` when the child exited with status 0 and was neither timed out, cancelled nor interrupted.
        public var succeeded: Bool { exitCode == 0 && !timedOut && !cancelled && interrupted == nil }

        /// A short human description: "exit 0", "exit 3", "killed by signal 9", plus
        /// " (timed out)", " (cancelled)" or " (interrupted: signal 2 forwarded)".
        public var summary: String {
            var text: String
            if let exitCode {
                text = "exit \(exitCode)"
            } else if let signal {
                text = "killed by signal \(signal)"
            } else {
                text = "unknown status"
            }
            if timedOut { text += " (timed out)" }
            if cancelled { text += " (cancelled)" }
            if let interrupted { text += " (interrupted: signal \(interrupted) forwarded)" }
            return text
        }
    }
}

/// Why a child could not be started.
public enum ChildProcessError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The argv was empty.
    case emptyCommand(label: String)
    /// No file by that name (on `PATH` for a bare name).
    case noSuchFile(label: String, executable: String)
    /// The file exists but is not executable (or is a directory).
    case notExecutable(label: String, executable: String)
    /// The file is a script whose `#!` interpreter does not exist.
    case missingInterpreter(label: String, executable: String)
    /// The file has no `#!` line and is not a binary the kernel can run.
    case badFormat(label: String, executable: String)
    /// The working directory does not exist or is not a directory.
    case noSuchDirectory(label: String, directory: String)
    /// A system call failed while setting up the child.
    case system(label: String, call: String, errno: Int32)

    public var description: String {
        switch self {
        case .emptyCommand(let label):
            return "\(label): empty command"
        case .noSuchFile(let label, let exe):
            return "\(label) \(exe): no such file"
        case .notExecutable(let label, let exe):
            return "\(label) \(exe): not executable"
        case .missingInterpreter(let label, let exe):
            return "\(label) \(exe): its #! interpreter does not exist"
        case .badFormat(let label, let exe):
            return "\(label) \(exe): not a program or script (missing #! line?)"
        case .noSuchDirectory(let label, let dir):
            return "\(label): working directory \(dir): no such directory"
        case .system(let label, let call, let code):
            return "\(label): \(call) failed: \(String(cString: strerror(code)))"
        }
    }
}
