import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// HTTP through FoundationNetworking's URLSession (libcurl underneath on Linux): kept for diagnosis
/// (`B24PLAN_HTTP=urlsession`). `CurlTransport` is the default: a whole apply costs about half the CPU
/// per request with it (`scripts/bench/run transports`).
public final class URLSessionTransport: NSObject, HTTPTransport, URLSessionTaskDelegate, @unchecked Sendable {
    private var session: URLSession!
    public let timeout: TimeInterval
    /// Whether redirects are followed (the preflight: what a browser ends on); never for portals.
    public let followsRedirects: Bool
    /// The option that sets `timeout`, as a timeout's message names it.
    public let timeoutOption: String

    /// `connectionsPerHost` matters: every portal of a test farm is one host.
    public init(
        connectionsPerHost: Int = 64, timeout: TimeInterval = 60, followsRedirects: Bool = false,
        timeoutOption: String = "--request-timeout"
    ) {
        self.timeout = timeout
        self.followsRedirects = followsRedirects
        self.timeoutOption = timeoutOption
        super.init()
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = connectionsPerHost
        configuration.timeoutIntervalForRequest = timeout
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpShouldSetCookies = false
        session = URLSession(configuration: configuration, delegate: self, delegateQueue: nil)
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard let url = URL(string: request.url) else { throw TransportError(message: "invalid URL") }
        var urlRequest = URLRequest(url: url, timeoutInterval: min(timeout, request.timeout ?? timeout))
        urlRequest.httpMethod = request.method
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        if !request.body.isEmpty { urlRequest.httpBody = Data(request.body) }
        do {
            let (data, response) = try await session.data(for: urlRequest)
            guard let http = response as? HTTPURLResponse else { throw TransportError(message: "not an HTTP response") }
            var headers: [String: String] = [:]
            for (name, value) in http.allHeaderFields {
                if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
            }
            return HTTPResponse(status: http.statusCode, headers: headers, body: [UInt8](data))
        } catch let error as TransportError {
            throw error
        } catch let error as URLError where error.code == .timedOut {
            throw TransportError(message: "no answer within \(Int(timeout)) s (\(timeoutOption))", timedOut: true)
        } catch {
            throw TransportError(message: (error as NSError).localizedDescription)
        }
    }

    public func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
    ) {
        completionHandler(followsRedirects ? request : nil)
    }

    public func invalidate() { session.invalidateAndCancel() }

    /// FoundationNetworking on Linux cannot request an IPv6 literal host (NSURLErrorBadURL).
    public var requestsIPv6LiteralHosts: Bool {
        #if os(Linux)
            false
        #else
            true
        #endif
    }
}
