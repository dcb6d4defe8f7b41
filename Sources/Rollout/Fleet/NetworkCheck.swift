import Foundation
import Synchronization

/// What a network check found.
public enum NetworkVerdict: Sendable, Equatable {
    /// Some HTTP answer came back (any status): DNS and the network of this machine work.
    case answered
    /// No HTTP answer: why (the transport's error, or the check's own timeout).
    case noAnswer(String)
}

/// Asks whether this machine's network works, when portals stop answering (DESIGN §7: only "DNS/
/// network failure on most portals" stops the step; a few dead portals are evidence about
/// themselves). `FleetHealth` runs one at a time and caches a good verdict for a short while.
public protocol NetworkCheck: Sendable {
    /// What is asked, for messages (no secret in it).
    var target: String { get }
    func run() async -> NetworkVerdict
}

/// The live check: one GET of the OAuth token URL (without its query, user or password: no secret
/// is sent) through the fleet's own transport, within `timeout` seconds. Any HTTP answer, an error
/// status included, means that DNS and the network work; a wrong token URL cannot vouch for them.
public struct TokenURLCheck: NetworkCheck {
    public let transport: any HTTPTransport
    /// The URL asked.
    public let url: String
    /// Seconds the check waits for an answer, whatever the transport's own request timeout.
    public let timeout: Double

    /// nil when `tokenURL` is no absolute http(s) URL (then nothing can be checked).
    public init?(transport: any HTTPTransport, tokenURL: String, timeout: Double = 10) {
        guard var components = URLComponents(string: tokenURL), let scheme = components.scheme?.lowercased(),
            scheme == "https" || scheme == "http", components.host?.isEmpty == false
        else { return nil }
        components.query = nil
        components.fragment = nil
        components.user = nil
        components.password = nil
        guard let url = components.string else { return nil }
        self.transport = transport
        self.url = url
        self.timeout = max(0.1, timeout)
    }

    public var target: String { url }

    public func run() async -> NetworkVerdict {
        // The request carries the check's timeout too, but the verdict does not wait for it: the
        // transport may not honour it (a scripted one), and it is not cancelled when the time is up.
        let verdict = OneShot<NetworkVerdict>()
        let (transport, url, timeout) = (self.transport, self.url, self.timeout)
        return await withCheckedContinuation { continuation in
            verdict.set(continuation)
            Task {
                do {
                    _ = try await transport.send(
                        HTTPRequest(method: "GET", url: url, headers: ["Accept": "application/json"], timeout: timeout))
                    verdict.resume(.answered)
                } catch {
                    verdict.resume(.noAnswer("\(error)"))
                }
            }
            Task {
                try? await Task.sleep(nanoseconds: UInt64(timeout * 1e9))
                verdict.resume(.noAnswer("no answer within \(Self.seconds(timeout))"))
            }
        }
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
    }
}

/// A continuation resumed once, by whichever of several tasks comes first.
final class OneShot<Value: Sendable>: Sendable {
    private let state = Mutex<(continuation: CheckedContinuation<Value, Never>?, value: Value?)>((nil, nil))

    func set(_ continuation: CheckedContinuation<Value, Never>) {
        let early = state.withLock { state -> Value? in
            if let value = state.value { return value }
            state.continuation = continuation
            return nil
        }
        if let early { continuation.resume(returning: early) }
    }

    func resume(_ value: Value) {
        let continuation = state.withLock { state -> CheckedContinuation<Value, Never>? in
            guard state.value == nil else { return nil }
            state.value = value
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume(returning: value)
    }
}
