import Foundation

/// Runs the built `b24plan` binary as a child process and collects what it printed.
struct CLIRunner {
    struct Output {
        var code: Int32
        var stdout: String
        var stderr: String
    }

    /// The package root (for the sample plans and fixtures).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The binary next to the test bundle (both are in SwiftPM's build products folder).
    static var binary: URL {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = testBinary.deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("b24plan")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                return candidate
            }
            folder = folder.deletingLastPathComponent()
        }
        return packageRoot.appendingPathComponent(".build/debug/b24plan")
    }

    /// The environment a b24plan child gets: this process's, without NO_COLOR, with
    /// `B24PLAN_SKIP_PREFLIGHT=1` (the sample plans' handler hosts such as app.acme.example are
    /// fictitious; the preflight tests set it to "" and serve their handlers locally), then `extra`,
    /// without the variables named in `removing`.
    static func childEnvironment(_ extra: [String: String] = [:], removing: Set<String> = []) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = nil
        env["B24PLAN_SKIP_PREFLIGHT"] = "1"
        for (key, value) in extra { env[key] = value }
        for key in removing { env[key] = nil }
        return env
    }

    /// Runs `b24plan arguments…` in `directory` (default: the package root). Synchronous on purpose:
    /// a child spawned from an async context inherits a blocked signal mask (SWIFT-ON-LINUX.md).
    /// `under`: a command that runs b24plan (`["/usr/bin/prlimit", "--nofile=64"]`).
    static func run(
        _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:], removing: Set<String> = [],
        under wrapper: [String] = []
    ) throws -> Output {
        let process = Process()
        process.executableURL = wrapper.first.map { URL(fileURLWithPath: $0) } ?? binary
        process.arguments = wrapper.isEmpty ? arguments : wrapper.dropFirst() + [binary.path] + arguments
        process.currentDirectoryURL = directory ?? packageRoot
        process.environment = childEnvironment(environment, removing: removing)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("b24plan-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
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
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Output(
            code: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    /// A fresh temporary folder, removed by the caller.
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("b24plan-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Parses stdout as a JSON object.
    static func json(_ output: Output) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8))
        guard let dictionary = object as? [String: Any] else { throw CLIError.notAnObject }
        return dictionary
    }

    enum CLIError: Error { case notAnObject }
}
