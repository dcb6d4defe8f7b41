import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Seconds on a monotonic clock.
func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Reads a spawned child's two pipes with poll(2), splits them into lines, enforces the
/// timeout (SIGTERM, then SIGKILL after the grace period), Task cancellation and a recorded
/// interruption (the signal forwarded), and reaps the child. Not thread-safe for pumping;
/// `signal(_:)` may be called from any thread.
final class OutputPump: @unchecked Sendable {
    /// How long to keep reading after the child exited while something (a background
    /// grandchild) still holds its pipes open.
    static let postExitDrain: Double = 1.0

    let pid: pid_t
    let config: ChildProcess
    let startedAt: Double
    private var fds: [Int32]
    private var splitters: [LineSplitter]
    private var tail: TailBuffer
    private let buffer: UnsafeMutableRawBufferPointer

    private let stateLock = NSLock()
    private var rawStatus: Int32?  // guarded by stateLock
    private var exitedAt: Double?
    private var termSentAt: Double?
    private var killSent = false
    private(set) var timedOut = false
    private(set) var cancelled = false
    private(set) var interrupted: Int32?
    private(set) var finished = false

    init(child: SpawnedChild, config: ChildProcess) {
        pid = child.pid
        self.config = config
        startedAt = monotonicSeconds()
        fds = [child.stdoutFD, child.stderrFD]
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        splitters = [
            LineSplitter(maxBytes: ChildProcess.maxLineBytes),
            LineSplitter(maxBytes: ChildProcess.maxLineBytes),
        ]
        tail = TailBuffer(capacity: config.tailLines)
        buffer = .allocate(byteCount: 64 * 1024, alignment: 16)
    }

    deinit {
        if !isReaped {
            signal(SIGKILL)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        }
        closePipes(flush: false) { _ in }
        buffer.deallocate()
    }

    var isReaped: Bool { stateLock.withLock { rawStatus != nil } }

    /// Sends `sig` to the child (or its whole process group) unless it was already reaped,
    /// so a recycled pid is never hit.
    func signal(_ sig: Int32, group: Bool = false) {
        stateLock.withLock {
            guard rawStatus == nil else { return }
            _ = kill(group && config.newProcessGroup ? -pid : pid, sig)
        }
    }

    /// Pumps output until the child is reaped and its pipes are drained (returns `true`),
    /// or until `stopAt` (returns `false`). With `stopOnExit`, returns `true` as soon as
    /// the child is reaped, leaving the pipes for a later call.
    func pump(stopAt: Double? = nil, stopOnExit: Bool = false, onLine: (ChildProcess.Line) -> Void) -> Bool {
        while true {
            if finished { return true }
            let reapedNow = reapIfExited()
            let now = monotonicSeconds()
            if reapedNow {
                let pipesOpen = fds.contains { $0 >= 0 }
                if !pipesOpen || now >= (exitedAt ?? now) + Self.postExitDrain {
                    closePipes(flush: true, onLine: onLine)
                    finished = true
                    return true
                }
                if stopOnExit { return true }
            } else {
                escalate(now: now)
            }
            if let stopAt, now >= stopAt { return false }
            waitForOutput(timeout: pollTimeout(now: now, reaped: reapedNow, stopAt: stopAt), onLine: onLine)
        }
    }

    /// The result; only meaningful once `pump` returned `true` without `stopOnExit`.
    func result() -> ChildProcess.Result {
        let status = stateLock.withLock { rawStatus } ?? 0
        let low = status & 0x7F
        return ChildProcess.Result(
            exitCode: low == 0 ? (status >> 8) & 0xFF : nil,
            signal: low != 0 && low != 0x7F ? low : nil,
            tail: tail.lines,
            duration: (exitedAt ?? monotonicSeconds()) - startedAt,
            timedOut: timedOut,
            cancelled: cancelled,
            interrupted: interrupted)
    }

    // MARK: - Internals

    /// Non-blocking waitpid; records the status under the lock shared with `signal`.
    private func reapIfExited() -> Bool {
        let justReaped: Bool = stateLock.withLock {
            if rawStatus != nil { return false }
            var status: Int32 = 0
            var rc: pid_t
            repeat { rc = waitpid(pid, &status, WNOHANG) } while rc == -1 && errno == EINTR
            if rc == pid || (rc == -1 && errno == ECHILD) {
                rawStatus = rc == pid ? status : -1  // -1: reaped elsewhere, status unknown
                return true
            }
            return false
        }
        if justReaped {
            exitedAt = monotonicSeconds()
            // A timed-out or cancelled tree goes entirely: kill what the leader left behind.
            if termSentAt != nil && config.newProcessGroup { _ = kill(-pid, SIGKILL) }
        }
        return isReaped
    }

    /// Timeout or cancellation: SIGTERM to the child's group; an interruption: the signal received
    /// (SIGINT or SIGTERM) forwarded to it. SIGKILL after the grace.
    private func escalate(now: Double) {
        if let sentAt = termSentAt {
            if !killSent && now >= sentAt + config.killGrace {
                killSent = true
                signal(SIGKILL, group: true)
            }
            return
        }
        var sending = SIGTERM
        if let received = config.interruption?.signal {
            interrupted = received
            sending = received
        } else if let timeout = config.timeout, now >= startedAt + timeout {
            timedOut = true
        } else if Task.isCancelled {
            cancelled = true
        } else {
            return
        }
        termSentAt = now
        signal(sending, group: true)
    }

    /// Milliseconds to block in poll: wake for the next deadline, and at least every
    /// 100 ms to notice an exit while a grandchild keeps the pipes open (10 ms once the
    /// pipes are closed and only the exit is awaited).
    private func pollTimeout(now: Double, reaped: Bool, stopAt: Double?) -> Int32 {
        var wake = now + (fds.contains { $0 >= 0 } ? 0.1 : 0.01)
        if reaped, let exitedAt { wake = min(wake, exitedAt + Self.postExitDrain) }
        if let stopAt { wake = min(wake, stopAt) }
        if !reaped {
            if let sentAt = termSentAt {
                if !killSent { wake = min(wake, sentAt + config.killGrace) }
            } else if let timeout = config.timeout {
                wake = min(wake, startedAt + timeout)
            }
        }
        return Int32(max(0, min(1000, ((wake - now) * 1000).rounded(.up))))
    }

    private func waitForOutput(timeout: Int32, onLine: (ChildProcess.Line) -> Void) {
        var polls = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let ready = poll(&polls, nfds_t(polls.count), timeout)
        guard ready > 0 else { return }  // timeout or EINTR: the caller's loop re-checks
        for (index, entry) in polls.enumerated() where entry.fd >= 0 && entry.revents != 0 {
            drain(index, onLine: onLine)
        }
    }

    /// Reads what is available on one pipe; closes it at end of file.
    private func drain(_ index: Int, onLine: (ChildProcess.Line) -> Void) {
        let stream: ChildProcess.Stream = index == 0 ? .stdout : .stderr
        let emit: (String) -> Void = { text in
            self.tail.append(text)
            onLine(ChildProcess.Line(stream: stream, text: text))
        }
        // Bounded, so that one chatty stream cannot starve the other or the deadlines.
        for _ in 0..<16 {
            let n = read(fds[index], buffer.baseAddress, buffer.count)
            if n > 0 {
                splitters[index].feed(UnsafeRawBufferPointer(rebasing: buffer[..<n]), emit: emit)
            } else if n == 0 || (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
                splitters[index].finish(emit: emit)
                close(fds[index])
                fds[index] = -1
                return
            } else if errno != EINTR {
                return
            }
        }
    }

    private func closePipes(flush: Bool, onLine: (ChildProcess.Line) -> Void) {
        for index in fds.indices where fds[index] >= 0 {
            if flush {
                let stream: ChildProcess.Stream = index == 0 ? .stdout : .stderr
                splitters[index].finish { text in
                    tail.append(text)
                    onLine(ChildProcess.Line(stream: stream, text: text))
                }
            }
            close(fds[index])
            fds[index] = -1
        }
    }
}
