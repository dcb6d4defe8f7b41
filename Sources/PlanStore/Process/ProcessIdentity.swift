import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A process as the journal records it: pid, host, and when it started, so that a later b24plan
/// can tell whether it still runs — and not mistake another process that got the same pid for it.
public struct ProcessIdentity: Sendable, Equatable {
    public var pid: Int32
    /// The host name (`gethostname`) of the machine it runs on.
    public var host: String
    /// When it started, as the kernel counts it: on Linux the boot id and the start time in clock
    /// ticks since boot (`/proc/PID/stat`, field 22); nil where that cannot be read.
    public var start: String?

    public init(pid: Int32, host: String, start: String?) {
        self.pid = pid
        self.host = host
        self.start = start
    }

    /// The process `pid` of this host, with its start mark read now.
    public static func local(pid: Int32) -> ProcessIdentity {
        ProcessIdentity(pid: pid, host: currentHost, start: startMark(of: pid))
    }

    /// This machine's host name.
    public static var currentHost: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(cString: buffer)
    }

    public enum Status: Sendable, Equatable {
        /// It runs on this host.
        case running
        /// It is gone (or the pid now belongs to another process).
        case ended
        /// It runs on another host: this one cannot check.
        case unknown
    }

    /// Whether the process still runs, seen from `host`.
    public func status(onHost host: String = currentHost) -> Status {
        guard host == self.host else { return .unknown }
        guard pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return .ended }
        guard let fields = Self.statFields(of: pid) else { return .running }  // no /proc: trust the pid
        if fields.state == "Z" || fields.state == "X" { return .ended }
        if let start, let now = Self.startMark(of: pid), now != start { return .ended }
        return .running
    }

    // MARK: /proc

    /// `<boot id>/<start ticks>` on Linux, nil elsewhere or when the process is gone.
    static func startMark(of pid: Int32) -> String? {
        guard let fields = statFields(of: pid), let boot = readProcFile("/proc/sys/kernel/random/boot_id") else { return nil }
        return boot.trimmingCharacters(in: .whitespacesAndNewlines) + "/" + fields.startTicks
    }

    /// The state letter and the start time of `/proc/PID/stat`. The command name (field 2) is in
    /// parentheses and may hold spaces and parentheses itself: fields are counted after the last `)`.
    private static func statFields(of pid: Int32) -> (state: String, startTicks: String)? {
        guard let text = readProcFile("/proc/\(pid)/stat"), let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state); field 22 (starttime) is fields[19].
        guard fields.count > 19 else { return nil }
        return (String(fields[0]), String(fields[19]))
    }

    /// A small file of /proc (whose size stat reports as 0), read to its end.
    private static func readProcFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1024)
        while true {
            let count = read(fd, &chunk, chunk.count)
            if count > 0 {
                bytes += chunk[0..<count]
            } else if count == 0 || errno != EINTR {
                break
            }
        }
        return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
    }
}
