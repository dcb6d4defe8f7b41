import Foundation
import Testing

@testable import PlanStore

#if canImport(Glibc)
    import Glibc
#endif

/// A fresh empty directory, with symlinks resolved (so `pwd` output compares equal).
private func makeTempDir() throws -> String {
    var template = Array((NSTemporaryDirectory() + "/childproc.XXXXXX").utf8CString)
    let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    let path = try #require(made.map { String(cString: $0) })
    return URL(fileURLWithPath: path).resolvingSymlinksInPath().path
}

private func sh(_ script: String, _ configure: (inout ChildProcess) -> Void = { _ in }) -> ChildProcess {
    var process = ChildProcess(["sh", "-c", script])
    configure(&process)
    return process
}

@Suite("ChildProcess")
struct ChildProcessTests {
    @Test("exit codes are reported", arguments: [Int32(0), 1, 42])
    func exitCodes(code: Int32) throws {
        let result = try sh("exit \(code)").run()
        #expect(result.exitCode == code)
        #expect(result.signal == nil)
        #expect(result.succeeded == (code == 0))
        #expect(!result.timedOut)
    }

    @Test("stdout and stderr lines arrive in order per stream")
    func linesInOrder() throws {
        var lines: [ChildProcess.Line] = []
        let result = try sh("for i in 1 2 3 4 5; do echo out$i; echo err$i >&2; done; printf 'no newline'")
            .run { lines.append($0) }
        #expect(result.exitCode == 0)
        #expect(lines.filter { $0.stream == .stdout }.map(\.text) == ["out1", "out2", "out3", "out4", "out5", "no newline"])
        #expect(lines.filter { $0.stream == .stderr }.map(\.text) == ["err1", "err2", "err3", "err4", "err5"])
    }

    @Test("lines are delivered while the child still runs")
    func streaming() throws {
        let start = Date()
        var firstAt: TimeInterval?
        let result = try sh("echo first; sleep 2; echo second").run { line in
            if line.text == "first" { firstAt = Date().timeIntervalSince(start) }
        }
        #expect(result.exitCode == 0)
        #expect(try #require(firstAt) < 1.5)
        #expect(result.duration >= 1.9)
    }

    @Test("the tail keeps the last N lines")
    func tail() throws {
        let result = try ChildProcess(["seq", "1", "100"], tailLines: 10).run()
        #expect(result.tail == (91...100).map(String.init))
        let all = try ChildProcess(["seq", "1", "3"]).run()
        #expect(all.tail == ["1", "2", "3"])
        let none = try ChildProcess(["seq", "1", "3"], tailLines: 0).run()
        #expect(none.tail.isEmpty)
    }

    @Test("10 MB on both streams does not deadlock")
    func bigOutput() throws {
        var bytes: [ChildProcess.Stream: Int] = [:]
        var lines = 0
        let result = try sh("yes out-line! | head -c 5000000 & yes err-line!  | head -c 5000000 >&2; wait")
            .run { line in
                bytes[line.stream, default: 0] += line.text.utf8.count + 1
                lines += 1
            }
        #expect(result.exitCode == 0)
        #expect(bytes[.stdout] == 5_000_000)
        #expect(bytes[.stderr] == 5_000_000)
        #expect(lines == 1_000_000)
    }

    @Test("a 10 MB line without newline is split at 64 KiB")
    func longLine() throws {
        var sizes: [Int] = []
        let result = try sh("head -c 10000000 /dev/zero | tr '\\0' a").run { sizes.append($0.text.utf8.count) }
        #expect(result.exitCode == 0)
        #expect(sizes.reduce(0, +) == 10_000_000)
        #expect(sizes.allSatisfy { $0 <= ChildProcess.maxLineBytes })
        #expect(sizes.count == (10_000_000 + ChildProcess.maxLineBytes - 1) / ChildProcess.maxLineBytes)
    }

    @Test("a split never cuts a UTF-8 character")
    func splitOnCharacterBoundary() {
        let text = "a" + String(repeating: "é", count: 40_000)
        var splitter = LineSplitter(maxBytes: ChildProcess.maxLineBytes)
        var pieces: [String] = []
        let bytes = Array(text.utf8)
        for start in stride(from: 0, to: bytes.count, by: 1000) {  // odd-sized chunks
            bytes[start..<min(start + 1000, bytes.count)].withUnsafeBytes { splitter.feed($0) { pieces.append($0) } }
        }
        splitter.finish { pieces.append($0) }
        #expect(pieces.count == 2)
        #expect(pieces.joined() == text)
        #expect(!pieces.joined().contains("\u{FFFD}"))
    }

    @Test("non-UTF-8 output is decoded lossily")
    func nonUTF8() throws {
        var lines: [String] = []
        let result = try sh("printf 'a\\377\\376b\\n\\300\\n'").run { lines.append($0.text) }
        #expect(result.exitCode == 0)
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("a") == true)
        #expect(lines.first?.hasSuffix("b") == true)
        #expect(lines.allSatisfy { $0.contains("\u{FFFD}") })
    }

    @Test("a timeout sends SIGTERM")
    func timeout() throws {
        let result = try ChildProcess(["sleep", "30"], timeout: 0.5, killGrace: 2).run()
        #expect(result.timedOut)
        #expect(result.signal == SIGTERM)
        #expect(result.exitCode == nil)
        #expect(result.duration < 5)
        #expect(result.summary == "killed by signal \(SIGTERM) (timed out)")
    }

    @Test("a child that ignores SIGTERM gets SIGKILL after the grace period")
    func timeoutEscalates() throws {
        let result = try sh(
            "trap '' TERM; sleep 30; echo survived",
            {
                $0.timeout = 0.3; $0.killGrace = 0.5
            }
        ).run()
        #expect(result.timedOut)
        #expect(result.signal == SIGKILL)
        #expect(result.duration >= 0.7)
        #expect(result.duration < 10)
        #expect(!result.tail.contains("survived"))
    }

    @Test("SIGKILL through start() is reported")
    func killThroughStart() throws {
        let child = try ChildProcess(["sh", "-c", "echo ready; exec sleep 30"]).start()
        #expect(child.pid > 0)
        #expect(!child.waitUntilExit(timeout: 0.3))
        #expect(child.text(.stdout) == "ready")
        child.kill(signal: SIGKILL)
        #expect(child.waitUntilExit(timeout: 5))
        let result = child.wait()
        #expect(result.signal == SIGKILL)
        #expect(result.exitCode == nil)
        #expect(result.tail == ["ready"])
        child.kill(signal: SIGKILL)  // after reaping: a no-op, never a recycled pid
    }

    @Test("wait() collects all output")
    func startAndWait() throws {
        let child = try sh("echo one; echo two >&2; exit 3").start()
        let result = child.wait()
        #expect(result.exitCode == 3)
        #expect(child.text(.stdout) == "one")
        #expect(child.text(.stderr) == "two")
        #expect(child.wait() == result)
    }

    @Test("environment and working directory are honoured")
    func environmentAndDirectory() throws {
        let dir = try makeTempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let script = dir + "/deploy.sh"
        try "#!/bin/sh\necho \"$B24_TARGET in $(pwd)\"\necho \"home=${HOME:-unset}\"\n"
            .write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)

        let env = ["B24_TARGET": "prod", "PATH": "/usr/bin:/bin"]
        var lines: [String] = []
        let result = try ChildProcess(["./deploy.sh"], workingDirectory: dir, environment: env).run { lines.append($0.text) }
        #expect(result.exitCode == 0)
        #expect(lines == ["prod in \(dir)", "home=unset"])

        let inherited = ChildProcess.inheritedEnvironment(adding: ["B24_TARGET": "stage"])
        var more: [String] = []
        _ = try ChildProcess(["./deploy.sh"], workingDirectory: dir, environment: inherited).run { more.append($0.text) }
        #expect(more.first == "stage in \(dir)")
    }

    @Test("a missing or unusable executable gives a clear error")
    func startErrors() throws {
        let dir = try makeTempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let hook = ChildProcess(["./deploy.sh"], label: "deploy command", workingDirectory: dir)
        #expect(throws: ChildProcessError.noSuchFile(label: "deploy command", executable: "./deploy.sh")) { try hook.run() }
        do {
            _ = try hook.run()
        } catch {
            #expect("\(error)" == "deploy command ./deploy.sh: no such file")
        }

        #expect(throws: ChildProcessError.noSuchFile(label: "command", executable: "b24plan-no-such-tool")) {
            try ChildProcess(["b24plan-no-such-tool"]).start()
        }

        try "#!/bin/sh\necho hi\n".write(toFile: dir + "/deploy.sh", atomically: true, encoding: .utf8)
        chmod(dir + "/deploy.sh", 0o644)
        #expect(throws: ChildProcessError.notExecutable(label: "deploy command", executable: "./deploy.sh")) { try hook.run() }

        try "#!/nonexistent/interpreter\n".write(toFile: dir + "/deploy.sh", atomically: true, encoding: .utf8)
        chmod(dir + "/deploy.sh", 0o755)
        #expect(throws: ChildProcessError.missingInterpreter(label: "deploy command", executable: "./deploy.sh")) { try hook.run() }

        #expect(throws: ChildProcessError.noSuchDirectory(label: "command", directory: dir + "/nope")) {
            try ChildProcess(["true"], workingDirectory: dir + "/nope").run()
        }
        #expect(throws: ChildProcessError.emptyCommand(label: "command")) { try ChildProcess([]).run() }
    }

    @Test("stdin from a file descriptor")
    func standardInput() throws {
        var fds: [Int32] = [-1, -1]
        #expect(pipe(&fds) == 0)
        let message = "from the parent\n"
        #expect(write(fds[1], message, message.utf8.count) == message.utf8.count)
        close(fds[1])
        defer { close(fds[0]) }
        let child = try ChildProcess(["cat"], standardInput: .fileDescriptor(fds[0])).start()
        #expect(child.wait().exitCode == 0)
        #expect(child.text(.stdout) == "from the parent")
        // The default stdin is /dev/null: cat ends at once.
        #expect(try ChildProcess(["cat"], timeout: 5).run().exitCode == 0)
    }

    @Test("from a Task with SIGTERM blocked, the child still starts with a clean mask")
    func asyncContextSignalMask() async throws {
        let outcome = try await Task.detached { () throws -> (ChildProcess.Result, String, Double) in
            var block = sigset_t()
            var previous = sigset_t()
            sigemptyset(&block)
            sigaddset(&block, SIGTERM)
            pthread_sigmask(SIG_BLOCK, &block, &previous)
            defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }

            // The parent thread really has SIGTERM (bit 15, 0x4000) blocked.
            var current = sigset_t()
            pthread_sigmask(SIG_BLOCK, nil, &current)
            guard sigismember(&current, SIGTERM) == 1 else { throw CancellationError() }

            let child = try ChildProcess(["sleep", "30"]).start()
            // posix_spawn returns after the exec, so /proc shows sleep's own mask.
            let status = (try? String(contentsOfFile: "/proc/\(child.pid)/status", encoding: .utf8)) ?? ""
            let sigBlk = status.split(separator: "\n").first { $0.hasPrefix("SigBlk:") }.map(String.init) ?? ""
            let sentAt = Date()
            child.kill(signal: SIGTERM)
            let exited = child.waitUntilExit(timeout: 10)
            if !exited { child.kill(signal: SIGKILL) }
            return (child.wait(), sigBlk, Date().timeIntervalSince(sentAt))
        }.value
        #expect(outcome.0.signal == SIGTERM)
        #expect(outcome.2 < 10, "SIGTERM ended sleep, which would otherwise run 30 s")
        #expect(outcome.1.hasPrefix("SigBlk:"))
        #expect(outcome.1.hasSuffix("0000000000000000"))
    }

    @Test("cancelling the Task terminates the child")
    func cancellation() async throws {
        let task = Task.detached { try ChildProcess(["sleep", "30"], killGrace: 1).run() }
        // Cancelled from a GCD thread, not after an await: when blocking tests fill the cooperative
        // pool, this test's own continuation can wait longer than the child's 30 s.
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { task.cancel() }
        let result = try await task.value
        #expect(result.cancelled)
        #expect(result.signal == SIGTERM)
        // Ended by the signal, well before sleep's own 30 s (not a speed check: load varies).
        #expect(result.duration < 25)
    }
}
