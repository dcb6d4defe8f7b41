import Foundation
import ReleasePlan
import Rollout

/// An HTTP transport that answers from a queue of scripted answers, then from a handler, and
/// records every request in order.
final class ScriptedTransport: HTTPTransport, @unchecked Sendable {
    typealias Handler = @Sendable (HTTPRequest) async throws -> HTTPResponse

    private let lock = NSLock()
    private var queue: [Result<HTTPResponse, Error>]
    private var handler: Handler?
    private var recorded: [HTTPRequest] = []
    private let log: EventLog?

    init(_ answers: [HTTPResponse] = [], log: EventLog? = nil, handler: Handler? = nil) {
        queue = answers.map { .success($0) }
        self.log = log
        self.handler = handler
    }

    /// Queues an answer (or an error thrown instead of an answer).
    func enqueue(_ answer: HTTPResponse) { lock.withLock { queue.append(.success(answer)) } }
    func enqueue(failure: Error) { lock.withLock { queue.append(.failure(failure)) } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let next: Result<HTTPResponse, Error>? = lock.withLock {
            recorded.append(request)
            return queue.isEmpty ? nil : queue.removeFirst()
        }
        log?.append("send \(request.url) \(request.auth ?? "-")")
        if let next { return try next.get() }
        guard let handler = lock.withLock({ handler }) else {
            throw TransportError(message: "no scripted answer for \(request.url)")
        }
        return try await handler(request)
    }

    var requests: [HTTPRequest] { lock.withLock { recorded } }
    var remaining: Int { lock.withLock { queue.count } }

    /// Requests whose URL starts with `prefix`.
    func requests(to prefix: String) -> [HTTPRequest] { requests.filter { $0.url.hasPrefix(prefix) } }
}

extension HTTPRequest {
    /// The JSON body, when there is one.
    var json: PlanValue? {
        let parsed = JSONParser.parse(SourceFile(path: "request", bytes: body))
        guard parsed.diagnostics.isEmpty, let root = parsed.root else { return nil }
        return PlanValue(root)
    }

    /// The `auth` parameter of a REST call.
    var auth: String? { json?.field("auth")?.stringValue }

    /// The query parameters of the URL (percent-decoded).
    var query: [String: String] {
        var result: [String: String] = [:]
        for item in URLComponents(string: url)?.queryItems ?? [] { result[item.name] = item.value ?? "" }
        return result
    }

    /// The `cmd` object of a batch request: key → `method?params`.
    var batchCommands: [String: String] {
        guard case .object(let cmd)? = json?.field("cmd") else { return [:] }
        return cmd.compactMapValues(\.stringValue)
    }
}

/// Splits a batch command `method?a=1&b[c]=2` into its method and decoded parameters.
func decodeCommand(_ command: String) -> (method: String, parameters: [String: String]) {
    guard let mark = command.firstIndex(of: "?") else { return (command, [:]) }
    var parameters: [String: String] = [:]
    for pair in command[command.index(after: mark)...].split(separator: "&", omittingEmptySubsequences: true) {
        let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let name = String(parts[0]).removingPercentEncoding ?? String(parts[0])
        let value = parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? String(parts[1])) : ""
        parameters[name] = value
    }
    return (String(command[..<mark]), parameters)
}
