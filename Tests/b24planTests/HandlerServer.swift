import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The handler stand-in (Tests/Fixtures/handler-server/handlers.py) as a child process, stopped by
/// closing its stdin: what each path segment answers is in that file.
final class HandlerServer: @unchecked Sendable {
    let process = Process()
    let input = Pipe()
    let port: Int
    var base: String { "http://127.0.0.1:\(port)" }

    init() throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", CLIRunner.packageRoot.appendingPathComponent("Tests/Fixtures/handler-server/handlers.py").path]
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = input
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        var buffer = Data()
        var found: Int?
        while found == nil {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            let text = String(decoding: buffer, as: UTF8.self)
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("PORT ") }) {
                found = Int(line.dropFirst(5).trimmingCharacters(in: .whitespaces))
            }
        }
        guard let found else { throw PortalFarm.FarmError(message: "the handler server did not print its port") }
        port = found
    }

    private func request(_ path: String, body: String? = nil) -> Data {
        var request = URLRequest(url: URL(string: base + path)!)
        if let body {
            request.httpMethod = "POST"
            request.httpBody = Data(body.utf8)
        }
        let done = DispatchSemaphore(value: 0)
        let box = PortalFarm.DataBox()
        URLSession.shared.dataTask(with: request) { data, _, _ in
            box.data = data
            done.signal()
        }.resume()
        done.wait()
        return box.data ?? Data()
    }

    /// Makes every URL under `/segment/` answer `status` (a fixed deploy).
    func set(_ segment: String, _ status: Int) { _ = request("/_set", body: "path=\(segment)&status=\(status)") }

    /// Every request the handlers saw (the control paths excluded).
    func log() -> [[String: Any]] {
        String(decoding: request("/_log"), as: UTF8.self).split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    func requests(to path: String) -> Int { log().filter { $0["path"] as? String == path }.count }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
