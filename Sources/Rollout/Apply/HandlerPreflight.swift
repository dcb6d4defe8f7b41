import Foundation
import ReleasePlan

/// `portals.preflight`: one request to each new or changed handler URL, as a portal calls a handler
/// (POST, an empty form), before any portal is touched. No answer (DNS, TLS, refused, timeout), 404
/// and 5xx fail it; any other answer passes (a handler that wants a signed request answers 401 or
/// 403 to an unsigned one, which is normal).
public struct HandlerPreflight: Sendable {
    /// What one URL answered.
    public struct Check: Sendable, Equatable {
        public var url: String
        /// The HTTP status, or nil when there was no answer.
        public var status: Int?
        /// Why there was no answer (DNS, TLS, refused, timeout).
        public var error: String?

        public var passed: Bool {
            guard let status else { return false }
            return status != 404 && status < 500
        }

        /// `https://… → 401` or `https://… → no answer: …`.
        public var description: String {
            if let status { return "\(url) → \(status)" + (passed ? "" : status == 404 ? " (not found)" : " (server error)") }
            return "\(url) → no answer: \(error ?? "unknown error")"
        }
    }

    public let transport: any HTTPTransport

    public init(transport: any HTTPTransport) {
        self.transport = transport
    }

    /// Every URL's answer, in the order given (the requests run at once).
    public func check(_ urls: [String]) async -> [Check] {
        await withTaskGroup(of: (Int, Check).self) { group in
            for (index, url) in urls.enumerated() {
                group.addTask {
                    let request = HTTPRequest(
                        method: "POST", url: url,
                        headers: ["Content-Type": "application/x-www-form-urlencoded", "User-Agent": "b24plan-preflight"])
                    do {
                        let response = try await transport.send(request)
                        return (index, Check(url: url, status: response.status))
                    } catch {
                        return (index, Check(url: url, error: "\(error)"))
                    }
                }
            }
            var checks: [(Int, Check)] = []
            for await check in group { checks.append(check) }
            return checks.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// The step's outcome: done with every answer, or an error naming each URL that failed.
    public func run(_ urls: [String]) throws -> String {
        let checks = try BlockingTask.run { await check(urls) }
        let failed = checks.filter { !$0.passed }
        guard failed.isEmpty else {
            throw PreflightFailed(checks: failed)
        }
        return checks.map(\.description).joined(separator: "; ")
    }

    /// The handlers that did not answer well: nothing was bound on any portal.
    public struct PreflightFailed: Error, CustomStringConvertible {
        public var checks: [Check]
        public var description: String {
            "\(checks.count) handler URL\(checks.count == 1 ? "" : "s") failed the preflight, nothing was bound on any portal: "
                + checks.map(\.description).joined(separator: "; ")
                + ". Fix the handler (or the plan) and run apply again; --skip-preflight skips the check."
        }
    }
}
