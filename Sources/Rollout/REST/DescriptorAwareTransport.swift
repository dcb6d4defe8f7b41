import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A transport whose failures say so when this process has run out of file descriptors. libcurl
/// reports a `socket()` that failed with EMFILE as "Couldn't connect to server", which reads as a
/// dead portal or a dead network; so after a request without an answer this opens one socket
/// itself, and when that fails with EMFILE or ENFILE the error says "too many open files" and
/// `onExhausted` hears it (the fleet stops naming the limit, not the network).
public struct DescriptorAwareTransport: HTTPTransport {
    public let base: any HTTPTransport
    let onExhausted: @Sendable (String) -> Void
    /// Why no descriptor can be opened now, or nil (`OpenFiles.exhausted`; scripted in tests).
    let exhausted: @Sendable () -> String?

    public init(
        _ base: any HTTPTransport, exhausted: @escaping @Sendable () -> String? = OpenFiles.exhausted,
        onExhausted: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.base = base
        self.exhausted = exhausted
        self.onExhausted = onExhausted
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        do {
            return try await base.send(request)
        } catch let error as TransportError where !error.timedOut {
            guard let detail = exhausted() else { throw error }
            onExhausted(detail)
            throw TransportError(message: "too many open files: \(detail) (\(error.message))")
        }
    }
}

/// The open-file limit of this process (RLIMIT_NOFILE).
public enum OpenFiles {
    /// The soft and hard limit; nil when it cannot be read.
    public static func limit() -> (soft: UInt64, hard: UInt64)? {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
        return (UInt64(limit.rlim_cur), UInt64(limit.rlim_max))
    }

    /// Why this process cannot open one more descriptor now ("this process may open N"), or nil
    /// when it can (a socket is opened and closed at once).
    public static func exhausted() -> String? {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        let error = errno
        if socket >= 0 {
            close(socket)
            return nil
        }
        switch error {
        case EMFILE:
            return limit().map { "this process may open \($0.soft) (ulimit -n)" } ?? "the per-process limit (ulimit -n)"
        case ENFILE:
            return "the system's table of open files is full"
        default:
            return nil
        }
    }
}
