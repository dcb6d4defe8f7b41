import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// SIGINT/SIGTERM during the deploy, and a deploy that an earlier apply left running (DESIGN §7, signals).
extension ApplyCommandTests {
    struct SignalCase: Sendable, CustomTestStringConvertible {
        var kind: StoreKind
        var signal: Int32
        var testDescription: String { "\(kind.rawValue), \(signal == SIGINT ? "SIGINT" : "SIGTERM")" }
    }

    /// The hook writes its pid, then waits (up to 60 s); on SIGINT/SIGTERM it writes the signal's
    /// name to `hook-got` and exits 42. Once `hook-got` exists, it deploys at once.
    func writeTrappingDeploy(_ ws: ApplyWorkspace, ignoreSignals: Bool = false) throws {
        let got = ws.path("hook-got"), pidFile = ws.path("hook.pid"), started = ws.path("hook-started")
        let onSignal = ignoreSignals ? "echo \"$1\" >> '\(got)'" : "echo \"$1\" > '\(got)'; echo 'hook: cleaning up after '\"$1\"; exit 42"
        try ws.writeDeployScript(
            """
            if [ -f '\(got)' ] && [ ! -f '\(ws.path("keep-trapping"))' ]; then echo 'deployed after the interruption'; exit 0; fi
            on_signal() { \(onSignal); }
            trap 'on_signal INT' INT
            trap 'on_signal TERM' TERM
            echo $$ > '\(pidFile)'
            echo 'hook: working'
            touch '\(started)'
            i=0
            while [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done
            echo 'hook: was never signalled'
            exit 9
            """)
    }

    /// Waits until `path` exists while `cli` runs (at most `seconds`).
    func waitForFile(_ path: String, _ cli: BackgroundCLI, seconds: Double = 60) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while !FileManager.default.fileExists(atPath: path) {
            try #require(cli.isRunning, "b24plan ended before \(path) appeared: \(cli.output)")
            try #require(Date() < deadline, "\(path) did not appear within \(seconds) s: \(cli.output)")
            usleep(20_000)
        }
    }

    static func isAlive(_ pid: Int32) -> Bool { kill(pid, 0) == 0 || errno == EPERM }

    static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        gethostname(&buffer, 255)
        return String(cString: buffer)
    }

    @Test(
        "a signal during the deploy is forwarded to the hook and waited for; the deploy is journaled not done, apply exits 130/143, and the next apply deploys again",
        arguments: [
            SignalCase(kind: .sqlite, signal: SIGINT), SignalCase(kind: .sqlite, signal: SIGTERM),
            SignalCase(kind: .postgres, signal: SIGINT),
        ]
    )
    func interruptedDeploy(_ item: SignalCase) throws {
        let ws = try ApplyWorkspace(item.kind)
        defer { ws.tearDown() }
        try ws.prepareStore()
        try writeTrappingDeploy(ws)
        try ws.writePlan("1.0.0")

        let apply = try BackgroundCLI(["apply", "--yes", Self.plan, "--database", ws.databaseURL], in: ws.folder)
        try waitForFile(ws.path("hook-started"), apply)
        let hook = try #require(Int32((ws.read("hook.pid") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)))
        kill(apply.pid, item.signal)
        let code = apply.wait()
        #expect(code == 128 + item.signal, "\(apply.output)")
        let name = item.signal == SIGINT ? "INT" : "TERM"
        #expect(ws.read("hook-got")?.trimmingCharacters(in: .whitespacesAndNewlines) == name, "the hook got the same signal")
        #expect(!Self.isAlive(hook), "the hook's process is gone (no orphan)")
        #expect(apply.stdout.contains("apply interrupted by SIG\(name) during deploy"), "\(apply.output)")

        let deploy = (try ws.status()["steps"] as? [[String: Any]])?.first { $0["id"] as? String == "deploy" }
        #expect(deploy?["state"] as? String == "failed", "the deploy is not done")
        let detail = deploy?["detail"] as? String ?? ""
        #expect(detail.contains("interrupted (SIG\(name) forwarded; it exited with 42)"), "\(detail)")
        #expect(detail.contains("hook: cleaning up after \(name)"), "the output tail is kept: \(detail)")
        #expect(try ws.stepStates()["migrate.schema.1"] == "done")
        #expect(try ws.stepStates()["gate.partner"] == "pending", "no step started after the signal")

        let again = try ws.b24plan(["apply", "--yes", Self.plan])
        #expect(again.code == 3, "\(again.stdout)\n\(again.stderr)")
        #expect(again.stdout.contains("deployed after the interruption"), "\(again.stdout)")
        #expect(ws.deploys == ["1.0.0", "1.0.0"])
        #expect(try ws.stepStates()["deploy"] == "done")
    }

    @Test("a second SIGINT exits at once; the hook left running blocks the next apply until it has ended")
    func secondSignal() throws {
        let ws = try ApplyWorkspace(.sqlite)
        defer { ws.tearDown() }
        try ws.prepareStore()
        try writeTrappingDeploy(ws, ignoreSignals: true)
        try ws.writePlan("1.0.0")
        _ = FileManager.default.createFile(atPath: ws.path("keep-trapping"), contents: nil)

        let apply = try BackgroundCLI(["apply", "--yes", Self.plan, "--database", ws.databaseURL], in: ws.folder)
        try waitForFile(ws.path("hook-started"), apply)
        let hook = try #require(Int32((ws.read("hook.pid") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)))
        defer { kill(-hook, SIGKILL) }
        kill(apply.pid, SIGINT)
        try waitForFile(ws.path("hook-got"), apply)
        let second = Date()
        kill(apply.pid, SIGINT)
        #expect(apply.wait() == 130, "\(apply.output)")
        #expect(Date().timeIntervalSince(second) < 3, "the second signal does not wait for the hook")
        #expect(Self.isAlive(hook), "the hook ignored the signal and still runs")

        let refused = try ws.b24plan(["apply", "--yes", Self.plan])
        #expect(refused.code == 1, "\(refused.stdout)\n\(refused.stderr)")
        #expect(
            refused.stderr.contains("still running as pid \(hook) on \(Self.hostName)"), "the message names pid and host: \(refused.stderr)"
        )
        #expect(ws.deploys == ["1.0.0"], "no second deploy while the first runs")

        kill(-hook, SIGKILL)
        var waited = 0
        while Self.isAlive(hook) && waited < 200 {
            usleep(10_000)
            waited += 1
        }
        try FileManager.default.removeItem(atPath: ws.path("keep-trapping"))
        let resumed = try ws.b24plan(["apply", "--yes", Self.plan])
        #expect(resumed.code == 3, "once the hook has ended the deploy runs again: \(resumed.stdout)\n\(resumed.stderr)")
        #expect(ws.deploys == ["1.0.0", "1.0.0"])
    }

    @Test(
        "a deploy journaled as running with a live pid is not started again; on another host apply cannot check",
        arguments: StoreKind.allCases)
    func journaledRunningDeploy(_ kind: StoreKind) throws {
        let ws = try ApplyWorkspace(kind)
        defer { ws.tearDown() }
        try ws.prepareStore()
        try ws.writeDeployScript("exit 1")
        try ws.writePlan("1.0.0")
        #expect(try ws.b24plan(["apply", "--yes", Self.plan]).code == 1, "the run exists, its deploy failed")
        try ws.writeDeployScript()

        let sleeper = Process()
        sleeper.executableURL = URL(fileURLWithPath: "/bin/sleep")
        sleeper.arguments = ["60"]
        try sleeper.run()
        let pid = sleeper.processIdentifier
        defer {
            kill(pid, SIGKILL)
            sleeper.waitUntilExit()
        }
        try ws.sql(
            "UPDATE b24plan_steps SET state = 'running', pid = \(pid), host = '\(Self.hostName)', process_start = NULL WHERE step_id = 'deploy'"
        )
        let refused = try ws.b24plan(["apply", "--yes", Self.plan])
        #expect(refused.code == 1, "\(refused.stdout)\n\(refused.stderr)")
        #expect(refused.stderr.contains("pid \(pid) on \(Self.hostName)"), "\(refused.stderr)")
        #expect(ws.deploys == ["1.0.0"])
        #expect(try ws.stepStates()["deploy"] == "running", "the journal is left as it was")

        try ws.sql("UPDATE b24plan_steps SET host = 'build-7.elsewhere.example' WHERE step_id = 'deploy'")
        let elsewhere = try ws.b24plan(["apply", "--yes", Self.plan])
        #expect(elsewhere.code == 1, "\(elsewhere.stdout)\n\(elsewhere.stderr)")
        #expect(
            elsewhere.stderr.contains("pid \(pid) on host build-7.elsewhere.example")
                && elsewhere.stderr.contains("cannot be checked") && elsewhere.stderr.contains("--deploy-ended \(pid)"),
            "\(elsewhere.stderr)")
        #expect(try ws.b24plan(["apply", "--yes", Self.plan, "--deploy-ended", "\(pid + 1)"]).code == 1, "another pid is not that deploy")
        #expect(ws.deploys == ["1.0.0"])

        let ended = try ws.b24plan(["apply", "--yes", Self.plan, "--deploy-ended", "\(pid)"])
        #expect(ended.code == 3, "\(ended.stdout)\n\(ended.stderr)")
        #expect(ws.deploys == ["1.0.0", "1.0.0"])

        // A pid that is gone on this host: the earlier apply died with its deploy; it simply runs again.
        kill(pid, SIGKILL)
        sleeper.waitUntilExit()
        try ws.sql("UPDATE b24plan_steps SET state = 'running', host = '\(Self.hostName)' WHERE step_id = 'deploy'")
        let rerun = try ws.b24plan(["apply", "--yes", Self.plan])
        #expect(rerun.code == 3, "\(rerun.stdout)\n\(rerun.stderr)")
        #expect(ws.deploys == ["1.0.0", "1.0.0", "1.0.0"])
    }
}
