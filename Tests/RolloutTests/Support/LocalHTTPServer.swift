import Foundation

/// Tests/Fixtures/http-server/server.py as a child process: what each path answers is in that
/// file. It resets its signal mask and exits when its stdin closes; `stop()` waits for that, then kills.
final class LocalHTTPServer: @unchecked Sendable {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/http-server/server.py")

    let process = Process()
    let input = Pipe()
    let port: Int
    /// `stats()` calls so far: each came on a connection of its own.
    private var statsCalls = 0
    /// The port on ::1, or 0 when the machine has no IPv6 loopback.
    let port6: Int
    var base: String { "http://127.0.0.1:\(port)" }

    struct StartError: Error { var message: String }

    final class Ports: @unchecked Sendable {
        var port = 0
        var port6: Int?
    }

    init() throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = input
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        let ports = Ports()
        let ready = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            var buffer = Data()
            while ports.port6 == nil {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                buffer.append(chunk)
                for line in String(decoding: buffer, as: UTF8.self).split(separator: "\n") {
                    if line.hasPrefix("PORT ") { ports.port = Int(line.dropFirst(5)) ?? 0 }
                    if line.hasPrefix("PORT6 ") { ports.port6 = Int(line.dropFirst(6)) ?? 0 }
                }
            }
            ready.signal()
        }
        guard ready.wait(timeout: .now() + 30) == .success, ports.port > 0, let port6 = ports.port6 else {
            kill(process.processIdentifier, SIGKILL)
            throw StartError(message: "server.py did not print its ports")
        }
        port = ports.port
        self.port6 = port6
    }

    /// Connections accepted and requests answered so far, those of `stats()` itself left out (it
    /// asks with the `curl` tool, not the transport under test).
    func stats() throws -> (connections: Int, requests: Int) {
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        curl.arguments = ["curl", "-s", base + "/_stats"]
        let output = Pipe()
        curl.standardOutput = output
        try curl.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        curl.waitUntilExit()
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Int] ?? [:]
        statsCalls += 1
        return ((object["connections"] ?? 0) - statsCalls, (object["requests"] ?? 0) - statsCalls + 1)
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}

/// The operation's result, or nil when it has not finished within `seconds` (it is left running):
/// a transport that hangs fails a test instead of hanging the run.
func withDeadline<T: Sendable>(seconds: Double, _ operation: @escaping @Sendable () async -> T) async -> T? {
    let once = ResumeOnce<T?>()
    return await withCheckedContinuation { continuation in
        once.continuation = continuation
        Task { once.resume(await operation()) }
        Task {
            try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
            once.resume(nil)
        }
    }
}

/// A continuation that the first of several racers resumes.
final class ResumeOnce<T: Sendable>: @unchecked Sendable {
    let lock = NSLock()
    var continuation: CheckedContinuation<T, Never>?

    func resume(_ value: T) {
        lock.lock()
        let continuation = self.continuation
        self.continuation = nil
        lock.unlock()
        continuation?.resume(returning: value)
    }
}
