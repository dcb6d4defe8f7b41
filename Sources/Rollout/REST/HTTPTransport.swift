import Foundation
import PlanStore

/// One HTTP exchange. Redirects are never followed (a renamed portal's 302 is handled by the caller,
/// because a followed redirect drops the POST body).
public struct HTTPRequest: Sendable, Equatable {
    public var method: String
    public var url: String
    public var headers: [String: String]
    public var body: [UInt8]
    /// Seconds this request may take, when shorter than the transport's timeout (a portal's deadline).
    public var timeout: TimeInterval?

    public init(method: String, url: String, headers: [String: String] = [:], body: [UInt8] = [], timeout: TimeInterval? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    /// Header names lower-cased.
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Sends HTTP requests: the live implementation, or a scripted one in tests. A cancelled task's
/// request ends with `CancellationError`.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}

/// The live HTTP client: libcurl's multi interface (`CurlTransport`), loaded when first needed.
public enum HTTPClient {
    /// A transport; `connectionsPerHost` matters: every portal of a test farm is one host. Throws,
    /// before anything is sent, when libcurl cannot be loaded.
    public static func transport(
        connectionsPerHost: Int, timeout: TimeInterval, followsRedirects: Bool = false, timeoutOption: String = "--request-timeout",
        idleConnections: Int? = nil
    ) throws(ClientLibraryError) -> CurlTransport {
        try ClientLibrary.curl.load()
        return CurlTransport(
            connectionsPerHost: connectionsPerHost, timeout: timeout, followsRedirects: followsRedirects, timeoutOption: timeoutOption,
            idleConnections: idleConnections)
    }
}

/// An answer longer than the transport reads (`CurlTransport.maximumAnswerBytes`): the server
/// answered, so this is about the server, not the network.
public struct AnswerTooLarge: Error, Sendable, CustomStringConvertible {
    public var limit: Int
    public init(limit: Int) { self.limit = limit }
    public var description: String { "the answer is longer than \(limit >> 20) MB; it was not read further" }
}

/// A request that got no HTTP answer (connection refused, timeout, …).
public struct TransportError: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// The request ran past its timeout (costly to retry: the portal may be silent).
    public var timedOut: Bool
    public init(message: String, timedOut: Bool = false) {
        self.message = message
        self.timedOut = timedOut
    }
    public var description: String { message }
}
