import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A child started with ``ChildProcess/start()``.
///
/// Output is read only while `wait()` or `waitUntilExit(timeout:)` runs (a child that
/// fills its pipe meanwhile just blocks until then); everything read is kept in ``lines``.
/// ``kill(signal:)`` may be called from any thread, also during a wait. Dropping the last
/// reference to a child that is still running kills it with SIGKILL and reaps it.
public final class RunningChild: @unchecked Sendable {
    /// The child's process id (also its process group id with ``ChildProcess/newProcessGroup``).
    public let pid: pid_t

    private let pump: OutputPump
    private let pumpLock = NSLock()  // serialises waits
    private let linesLock = NSLock()
    private var collected: [ChildProcess.Line] = []
    private var finalResult: ChildProcess.Result?

    init(pump: OutputPump) {
        self.pump = pump
        self.pid = pump.pid
    }

    /// Sends `signal` to the child, unless it has already been reaped.
    public func kill(signal: Int32 = SIGKILL) {
        pump.signal(signal)
    }

    /// Sends `signal` to the child's whole process group (only the child without
    /// ``ChildProcess/newProcessGroup``), unless the child has already been reaped.
    public func killGroup(signal: Int32 = SIGKILL) {
        pump.signal(signal, group: true)
    }

    /// `true` once the child has exited and been reaped.
    public var hasExited: Bool { pump.isReaped }

    /// Waits for the child to exit and its output to be read; returns how it ended.
    /// The ``ChildProcess/timeout`` applies, counted from `start()`.
    @discardableResult
    public func wait() -> ChildProcess.Result {
        pumpLock.withLock {
            if let finalResult { return finalResult }
            _ = pump.pump(onLine: record)
            let result = pump.result()
            finalResult = result
            return result
        }
    }

    /// Reads output until the child exits or `timeout` seconds pass; `true` if it exited.
    public func waitUntilExit(timeout: Double) -> Bool {
        pumpLock.withLock {
            if finalResult != nil { return true }
            return pump.pump(stopAt: monotonicSeconds() + timeout, stopOnExit: true, onLine: record)
        }
    }

    /// Every line read so far, both streams in arrival order.
    public var lines: [ChildProcess.Line] { linesLock.withLock { collected } }

    /// The lines read so far from one stream, joined with "\n".
    public func text(_ stream: ChildProcess.Stream) -> String {
        lines.filter { $0.stream == stream }.map(\.text).joined(separator: "\n")
    }

    private func record(_ line: ChildProcess.Line) {
        linesLock.withLock { collected.append(line) }
    }
}
