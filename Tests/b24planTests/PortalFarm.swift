import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The fake portal farm (Tests/Fixtures/portal-farm/farm.py) as a child process: started on a free
/// port, stopped by closing its stdin (it resets its signal mask and exits on EOF) or killed.
final class PortalFarm: @unchecked Sendable {
    static let folder = CLIRunner.packageRoot.appendingPathComponent("Tests/Fixtures/portal-farm")

    let process = Process()
    let input = Pipe()
    let port: Int
    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Writes a config of `portals` portals with `faults` (farm syntax, e.g. "deleted=3"), then starts
    /// the farm, filling the installations table of `sqlite`.
    /// `extra` goes to the generator (`--access-ttl 0.5`), `serve` to the server (`--latency-ms 600`,
    /// `--postgres URL`).
    init(
        portals: Int, faults: String, seed: Int = 7, bindFrom: String, sqlite: URL, folder: URL, extra: [String] = [],
        serve: [String] = []
    ) throws {
        let config = folder.appendingPathComponent("farm-config.json")
        let generate = try CLIRunner.runTool(
            "/usr/bin/env",
            [
                "python3", Self.folder.appendingPathComponent("farm.py").path, "--generate", String(portals), "--seed", String(seed),
                "--faults", faults, "--bind-from", bindFrom, "--out", config.path,
            ] + extra)
        guard generate.code == 0 else { throw FarmError(message: "farm --generate failed: \(generate.stderr)") }
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            [
                "python3", Self.folder.appendingPathComponent("farm.py").path, "--config", config.path, "--sqlite", sqlite.path,
            ] + serve
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        process.standardInput = input
        try process.run()
        let ready = DispatchSemaphore(value: 0)
        let box = PortBox()
        DispatchQueue.global().async {
            var buffer = Data()
            while true {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                buffer.append(chunk)
                if let text = String(data: buffer, encoding: .utf8),
                    let line = text.split(separator: "\n").first(where: { $0.hasPrefix("PORT ") })
                {
                    box.port = Int(line.dropFirst(5).trimmingCharacters(in: .whitespaces))
                    ready.signal()
                    break
                }
            }
            ready.signal()
        }
        guard ready.wait(timeout: .now() + 60) == .success, let port = box.port else {
            process.terminate()
            throw FarmError(message: "the farm did not print its port")
        }
        self.port = port
    }

    final class PortBox: @unchecked Sendable { var port: Int? }

    struct FarmError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { if process.isRunning { stop() } }

    /// GET or POST a control endpoint and parse its JSON.
    func control(_ path: String, post body: [String: Any]? = nil) throws -> [String: Any] {
        var request = URLRequest(url: URL(string: baseURL + path)!)
        if let body {
            request.httpMethod = "POST"
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let semaphore = DispatchSemaphore(value: 0)
        let box = DataBox()
        URLSession.shared.dataTask(with: request) { data, _, error in
            box.data = data
            box.error = error
            semaphore.signal()
        }.resume()
        semaphore.wait()
        if let error = box.error { throw error }
        let object = try JSONSerialization.jsonObject(with: box.data ?? Data())
        return object as? [String: Any] ?? [:]
    }

    final class DataBox: @unchecked Sendable {
        var data: Data?
        var error: Error?
    }

    func stats() throws -> [String: Any] { try control("/_farm/stats") }
    func portal(_ memberID: String) throws -> [String: Any] { try control("/_farm/portal/\(memberID)") }
}

extension CLIRunner {
    /// Runs any tool (not b24plan) and collects its output.
    static func runTool(_ executable: String, _ arguments: [String], in directory: URL? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? packageRoot
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let errBox = PortalFarm.DataBox()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errBox.data = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Output(
            code: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errBox.data ?? Data(), as: UTF8.self))
    }

    /// Rows of a SQLite query, through the sqlite3 tool's JSON mode.
    static func sqliteRows(_ database: URL, _ sql: String) throws -> [[String: Any]] {
        let output = try runTool("/usr/bin/env", ["sqlite3", "-json", database.path, sql])
        guard output.code == 0 else { throw PortalFarm.FarmError(message: "sqlite3: \(output.stderr)") }
        if output.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return [] }
        return (try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]]) ?? []
    }
}
