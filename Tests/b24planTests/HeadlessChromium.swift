import Foundation

/// Headless Chromium as a child process for the report tests: found on the PATH (or at
/// `B24PLAN_CHROMIUM`), started in a process group of its own with an empty signal mask (through a
/// two-line Python shim, see SWIFT-ON-LINUX.md: a child inherits the test's blocked signals), and
/// killed as a group with SIGKILL at a deadline and after it exits, so no renderer is left behind.
struct HeadlessChromium {
    let executable: String

    struct Missing: Error, CustomStringConvertible {
        var description: String {
            "headless Chromium is needed to check the report's rendering and was not found (looked for B24PLAN_CHROMIUM, then "
                + "chromium, chromium-browser, google-chrome, google-chrome-stable on the PATH): apt-get install chromium "
                + "(scripts/test installs it)"
        }
    }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
        var timedOut: Bool
    }

    /// The browser, or `Missing` (the test fails with that message: it never skips silently).
    static func find() throws -> HeadlessChromium {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["B24PLAN_CHROMIUM"], !path.isEmpty {
            guard FileManager.default.isExecutableFile(atPath: path) else { throw Missing() }
            return HeadlessChromium(executable: path)
        }
        let folders = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init) + ["/usr/bin", "/snap/bin"]
        for name in ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"] {
            for folder in folders where FileManager.default.isExecutableFile(atPath: folder + "/" + name) {
                return HeadlessChromium(executable: folder + "/" + name)
            }
        }
        throw Missing()
    }

    /// Empties the signal mask, leads a process group of its own, then becomes the browser.
    static let shim = """
        import os, signal, sys
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        if os.getpgid(0) != os.getpid(): os.setsid()
        os.execv(sys.argv[1], sys.argv[1:])
        """

    /// Runs `chromium --headless=new --no-sandbox --disable-gpu <arguments>` with a profile folder
    /// of its own; after `deadline` seconds the whole group is killed (`timedOut`).
    func run(_ arguments: [String], deadline: TimeInterval = 90) throws -> Output {
        let scratch = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            [
                "python3", "-c", Self.shim, executable, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-extensions", "--user-data-dir=" + scratch.appendingPathComponent("profile").path,
            ] + arguments
        let outURL = scratch.appendingPathComponent("out")
        let errURL = scratch.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let group = process.processIdentifier
        let end = Date().addingTimeInterval(deadline)
        while process.isRunning && Date() < end { usleep(50_000) }
        let timedOut = process.isRunning
        kill(-group, SIGKILL)  // the browser's helpers too, whether it ended or not
        if process.isRunning { kill(group, SIGKILL) }
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Output(
            status: process.terminationStatus, stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self), timedOut: timedOut)
    }

    /// The console lines Chromium logged for the page (`--enable-logging=stderr`): messages, uncaught
    /// errors, resources that failed to load.
    static func consoleLines(_ stderr: String) -> [String] {
        stderr.split(separator: "\n").map(String.init).filter {
            $0.contains(":CONSOLE") || $0.contains("Uncaught") || $0.contains("Failed to load resource")
        }
    }

    /// Each `<svg …>…</svg>` of a page, outermost only (the report nests none).
    static func svgElements(_ html: String) -> [String] {
        var found: [String] = []
        var rest = html[...]
        while let open = rest.range(of: "<svg"), let close = rest[open.upperBound...].range(of: "</svg>") {
            found.append(String(rest[open.lowerBound..<close.upperBound]))
            rest = rest[close.upperBound...]
        }
        return found
    }
}
