import CCurl
import Foundation
import ReleasePlan
import Synchronization

/// HTTP through libcurl's multi interface: one event-loop thread of its own drives every transfer
/// (libcurl's socket interface on epoll: a wake-up costs the sockets that are ready, not every
/// connection), callers hand requests over through a locked queue and wait on a continuation, so
/// no thread of the concurrency pool ever blocks. Connections are kept alive and reused, up to
/// `connectionsPerHost` per host. The only file that calls libcurl.
public final class CurlTransport: HTTPTransport, Sendable {
    /// Seconds one request may take in all, connecting included.
    public let timeout: TimeInterval
    /// Whether redirects are followed (the preflight: what a browser ends on, at most 10); never for portals.
    public let followsRedirects: Bool
    /// The option that sets `timeout`, as a timeout's message names it.
    public let timeoutOption: String
    /// The longest answer body read: a Bitrix24 answer is at most a few MB, and a server that
    /// streams without end must not take the process's memory (`AnswerTooLarge`).
    public let maximumAnswerBytes: Int
    private let loop: CurlLoop

    /// `connectionsPerHost` matters: every portal of a test farm is one host. `idleConnections`
    /// bounds the connections kept open for reuse (libcurl's cache; default the larger of 64 and
    /// `connectionsPerHost`): a fleet visits each portal's host once, so a cache the size of the
    /// portals in flight keeps what can be reused and no more open files.
    public init(
        connectionsPerHost: Int = 64, timeout: TimeInterval = 60, followsRedirects: Bool = false,
        timeoutOption: String = "--request-timeout", maximumAnswerBytes: Int = 16 << 20, idleConnections: Int? = nil
    ) {
        self.timeout = timeout
        self.followsRedirects = followsRedirects
        self.timeoutOption = timeoutOption
        self.maximumAnswerBytes = max(1, maximumAnswerBytes)
        let settings = CurlLoop.Settings(
            timeoutMilliseconds: max(1, Int(timeout * 1000)), followsRedirects: followsRedirects,
            timeoutMessage: "no answer within \(Int(timeout)) s (\(timeoutOption))", maximumAnswerBytes: self.maximumAnswerBytes)
        loop = CurlLoop(
            connectionsPerHost: max(1, connectionsPerHost), cachedConnections: max(1, idleConnections ?? max(64, connectionsPerHost)),
            settings: settings)
    }

    deinit { loop.close() }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let exchange = CurlExchange(request)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                if exchange.wait(continuation) { loop.enqueue(.submit(exchange)) }
            }
        } onCancel: {
            if exchange.cancel() { loop.enqueue(.cancel(exchange)) }
        }
    }
}

/// One request from submission to its answer. The lock guards only who resumes the caller; the
/// rest belongs to the loop thread.
private final class CurlExchange: @unchecked Sendable {
    enum Phase {
        case created
        case waiting(CheckedContinuation<HTTPResponse, any Error>)
        case cancelledEarly
        case finished
    }

    let request: HTTPRequest
    private let phase = Mutex(Phase.created)
    // Loop thread only:
    var easy: UnsafeMutableRawPointer?
    var headerList: UnsafeMutablePointer<curl_slist>?
    var body: [UInt8] = []
    var headers: [String: String] = [:]
    /// The most body bytes kept; past it the transfer is aborted and `tooLarge` set.
    var bodyLimit = Int.max
    var tooLarge = false

    init(_ request: HTTPRequest) { self.request = request }

    /// Stores the caller's continuation; false (and the caller resumed) when already cancelled.
    func wait(_ continuation: CheckedContinuation<HTTPResponse, any Error>) -> Bool {
        let cancelled = phase.withLock { phase in
            if case .cancelledEarly = phase { return true }
            phase = .waiting(continuation)
            return false
        }
        if cancelled { continuation.resume(throwing: CancellationError()) }
        return !cancelled
    }

    /// Marks the task cancelled; true when the loop must withdraw the request and resume the caller.
    func cancel() -> Bool {
        phase.withLock { phase in
            switch phase {
            case .created:
                phase = .cancelledEarly
                return false
            case .waiting: return true
            case .cancelledEarly, .finished: return false
            }
        }
    }

    var isFinished: Bool { phase.withLock { if case .finished = $0 { true } else { false } } }

    /// Resumes the caller once; later calls do nothing.
    func finish(_ result: Result<HTTPResponse, any Error>) {
        let continuation = phase.withLock { phase -> CheckedContinuation<HTTPResponse, any Error>? in
            guard case .waiting(let continuation) = phase else { return nil }
            phase = .finished
            return continuation
        }
        continuation?.resume(with: result)
    }

    /// One header line as libcurl hands it over (`Name: value\r\n`); a status line starts a new
    /// response (an interim 100 or a followed redirect), whose headers replace the last ones.
    func receiveHeader(_ line: UnsafeRawBufferPointer) {
        if line.starts(with: "HTTP/".utf8) {
            headers.removeAll(keepingCapacity: true)
            return
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return }
        let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
        func blank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }
        var start = colon + 1
        var end = line.count
        while start < end, blank(line[start]) { start += 1 }
        while end > start, blank(line[end - 1]) { end -= 1 }
        let value = String(decoding: line[start..<end], as: UTF8.self)
        if name == "content-length", let length = Int(value), length > 0 { body.reserveCapacity(min(length, 1 << 26)) }
        if let earlier = headers[name] { headers[name] = earlier + ", " + value } else { headers[name] = value }
    }
}

/// The multi handle and its thread. Every libcurl call but `curl_multi_wakeup` runs on that thread.
private final class CurlLoop: @unchecked Sendable {
    struct Settings {
        var timeoutMilliseconds: Int
        var followsRedirects: Bool
        var timeoutMessage: String
        var maximumAnswerBytes: Int
    }

    enum Operation {
        case submit(CurlExchange)
        case cancel(CurlExchange)
    }

    private struct Inbox {
        var operations: [Operation] = []
        /// A wake-up was sent that the loop has not consumed yet.
        var woken = false
        var closed = false
    }

    /// `curl_global_init`, once per process (thread-safe in libcurl ≥ 7.84).
    private static let globalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_ALL))
    private static let userAgent = "b24plan/\(B24PlanVersion.current)"

    private let multi: UnsafeMutableRawPointer
    private let settings: Settings
    private let inbox = Mutex(Inbox())
    // Loop thread only:
    private var inFlight: [UnsafeMutableRawPointer: CurlExchange] = [:]
    /// Easy handles done with, kept for the next requests (libcurl keeps what it learnt of a host).
    private var idle: [UnsafeMutableRawPointer] = []
    /// Each easy handle's `CURLOPT_ERRORBUFFER`.
    private var errorBuffers: [UnsafeMutableRawPointer: UnsafeMutablePointer<CChar>] = [:]

    #if os(Linux)
        /// What the loop waits on: libcurl's sockets and `wakeFD`.
        private let epoll: Int32
        /// Written to wake the loop (an eventfd).
        private let wakeFD: Int32
        /// Set when the loop cannot wait (no epoll or eventfd): every request fails with it.
        private let broken: String?
        /// When libcurl wants `CURL_SOCKET_TIMEOUT` (monotonic nanoseconds); loop thread only.
        fileprivate var timerDeadline: UInt64?
    #endif

    init(connectionsPerHost: Int, cachedConnections: Int, settings: Settings) {
        _ = Self.globalInit
        multi = curl_multi_init()
        self.settings = settings
        #if os(Linux)
            epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
            let epollError = errno
            wakeFD = b24_eventfd()
            let wakeError = errno
            if epoll < 0 {
                broken = "cannot wait for sockets (epoll_create1: \(String(cString: strerror(epollError))))"
            } else if wakeFD < 0 {
                broken = "cannot wait for sockets (eventfd: \(String(cString: strerror(wakeError))))"
            } else {
                broken = b24_epoll_watch(epoll, wakeFD, 1, 0) == 0 ? nil : "cannot wait for sockets (epoll_ctl)"
            }
        #endif
        b24_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, connectionsPerHost)
        b24_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, cachedConnections)
        #if os(Linux)
            let context = Unmanaged.passUnretained(self).toOpaque()
            b24_multi_setopt_socketfunction(multi, curlWatchSocket)
            b24_multi_setopt_ptr(multi, CURLMOPT_SOCKETDATA, context)
            b24_multi_setopt_timerfunction(multi, curlSetTimer)
            b24_multi_setopt_ptr(multi, CURLMOPT_TIMERDATA, context)
        #endif
        let thread = Thread { [self] in run() }
        thread.name = "b24plan.http"
        thread.start()
    }

    /// Wakes the loop thread (from any thread).
    private func wake() {
        #if os(Linux)
            if wakeFD >= 0 { b24_eventfd_signal(wakeFD) }
        #else
            curl_multi_wakeup(multi)
        #endif
    }

    /// Whether the loop cannot run (requests fail with `broken`).
    private var isBroken: Bool {
        #if os(Linux)
            broken != nil
        #else
            false
        #endif
    }

    /// Hands an operation to the loop; a request after `close()` fails at once.
    func enqueue(_ operation: Operation) {
        #if os(Linux)
            if let broken {
                if case .submit(let exchange) = operation { exchange.finish(.failure(TransportError(message: broken))) }
                return
            }
        #endif
        let accepted = inbox.withLock { inbox in
            guard !inbox.closed else { return false }
            inbox.operations.append(operation)
            if !inbox.woken {
                inbox.woken = true
                wake()
            }
            return true
        }
        if !accepted, case .submit(let exchange) = operation {
            exchange.finish(.failure(TransportError(message: "the HTTP client is closed")))
        }
    }

    /// Stops the loop: requests still in flight fail, the handles are freed.
    func close() {
        inbox.withLock { inbox in
            inbox.closed = true
            wake()
        }
    }

    private func run() {
        var running: Int32 = 0
        var readyFDs = [Int32](repeating: -1, count: 64)
        var readyBits = [Int32](repeating: 0, count: 64)
        while !isBroken {
            let (operations, closed) = inbox.withLock { inbox in
                defer {
                    inbox.operations.removeAll(keepingCapacity: true)
                    inbox.woken = false
                }
                return (inbox.operations, inbox.closed)
            }
            for operation in operations {
                switch operation {
                case .submit(let exchange): if closed { exchange.finish(.failure(closedError)) } else { start(exchange) }
                case .cancel(let exchange): withdraw(exchange, CancellationError())
                }
            }
            if closed { break }
            #if os(Linux)
                waitAndAct(&running, fds: &readyFDs, bits: &readyBits)
            #else
                curl_multi_perform(multi, &running)
            #endif
            var left: Int32 = 0
            while let message = curl_multi_info_read(multi, &left) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
                let code = message.pointee.data.result
                if let exchange = inFlight[easy] { complete(exchange, code) }
            }
            #if !os(Linux)
                curl_multi_poll(multi, nil, 0, 1000, nil)
            #endif
        }
        for exchange in Array(inFlight.values) { withdraw(exchange, closedError) }
        for easy in idle { curl_easy_cleanup(easy) }
        for buffer in errorBuffers.values { buffer.deallocate() }
        curl_multi_cleanup(multi)
        #if os(Linux)
            if epoll >= 0 { Glibc.close(epoll) }
            if wakeFD >= 0 { Glibc.close(wakeFD) }
        #endif
    }

    #if os(Linux)
        /// Waits for ready sockets (or libcurl's timer, or a wake-up, at most a second) and lets
        /// libcurl act on each.
        private func waitAndAct(_ running: inout Int32, fds: inout [Int32], bits: inout [Int32]) {
            var timeout: Int32 = 1000
            if let deadline = timerDeadline {
                let now = DispatchTime.now().uptimeNanoseconds
                timeout = deadline <= now ? 0 : Int32(min(1000, (deadline - now + 999_999) / 1_000_000))
            }
            let ready = fds.withUnsafeMutableBufferPointer { fds in
                bits.withUnsafeMutableBufferPointer { bits in
                    b24_epoll_wait(epoll, fds.baseAddress, bits.baseAddress, Int32(fds.count), timeout)
                }
            }
            for index in 0..<max(0, Int(ready)) {
                if fds[index] == wakeFD {
                    b24_eventfd_drain(wakeFD)
                } else {
                    curl_multi_socket_action(multi, fds[index], bits[index], &running)
                }
            }
            if let deadline = timerDeadline, deadline <= DispatchTime.now().uptimeNanoseconds {
                timerDeadline = nil
                curl_multi_socket_action(multi, CurlLoop.socketTimeout, 0, &running)
            }
        }

        /// `CURL_SOCKET_TIMEOUT`: "the timer expired", to `curl_multi_socket_action`.
        private static let socketTimeout: curl_socket_t = -1

        /// libcurl's word on one socket (`CURLMOPT_SOCKETFUNCTION`), on the loop thread.
        fileprivate func watch(_ socket: curl_socket_t, _ what: Int32) -> Int32 {
            let readable: Int32 = what == CURL_POLL_IN || what == CURL_POLL_INOUT ? 1 : 0
            let writable: Int32 = what == CURL_POLL_OUT || what == CURL_POLL_INOUT ? 1 : 0
            return b24_epoll_watch(epoll, socket, readable, writable) == 0 ? 0 : -1
        }
    #endif

    private var closedError: TransportError { TransportError(message: "the HTTP client is closed") }

    private func start(_ exchange: CurlExchange) {
        guard !exchange.isFinished else { return }
        let easy = idle.popLast() ?? newHandle()
        configure(easy, for: exchange)
        exchange.easy = easy
        inFlight[easy] = exchange
        let code = curl_multi_add_handle(multi, easy)
        if code != CURLM_OK { withdraw(exchange, TransportError(message: String(cString: curl_multi_strerror(code)))) }
    }

    private func newHandle() -> UnsafeMutableRawPointer {
        let easy = curl_easy_init()!
        errorBuffers[easy] = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
        return easy
    }

    private func configure(_ easy: UnsafeMutableRawPointer, for exchange: CurlExchange) {
        let request = exchange.request
        if let errors = errorBuffers[easy] {
            errors[0] = 0
            b24_setopt_ptr(easy, CURLOPT_ERRORBUFFER, errors)
        }
        b24_setopt_str(easy, CURLOPT_URL, request.url)
        b24_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        b24_setopt_long(easy, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1)
        var timeout = settings.timeoutMilliseconds
        if let own = request.timeout { timeout = max(1, min(timeout, Int((own * 1000).rounded(.up)))) }
        b24_setopt_long(easy, CURLOPT_TIMEOUT_MS, timeout)
        exchange.bodyLimit = settings.maximumAnswerBytes
        b24_allow_http_only(easy)
        b24_setopt_str(easy, CURLOPT_USERAGENT, Self.userAgent)
        if settings.followsRedirects {
            b24_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 1)
            b24_setopt_long(easy, CURLOPT_MAXREDIRS, 10)
        }
        let context = Unmanaged.passUnretained(exchange).toOpaque()
        b24_setopt_write(easy, CURLOPT_WRITEFUNCTION, curlReceiveBody)
        b24_setopt_ptr(easy, CURLOPT_WRITEDATA, context)
        b24_setopt_write(easy, CURLOPT_HEADERFUNCTION, curlReceiveHeader)
        b24_setopt_ptr(easy, CURLOPT_HEADERDATA, context)
        switch request.method {
        case "GET" where request.body.isEmpty: b24_setopt_long(easy, CURLOPT_HTTPGET, 1)
        case "HEAD": b24_setopt_long(easy, CURLOPT_NOBODY, 1)
        default:
            if request.method != "POST" { b24_setopt_str(easy, CURLOPT_CUSTOMREQUEST, request.method) }
            b24_setopt_long(easy, CURLOPT_POST, 1)
            // Copied by libcurl: the bytes need not outlive this call. Never `Expect: 100-continue`.
            b24_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count))
            request.body.withUnsafeBytes { bytes in
                let empty: StaticString = ""
                let pointer = bytes.baseAddress ?? UnsafeRawPointer(empty.utf8Start)
                b24_setopt_ptr(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: pointer))
            }
        }
        var list = curl_slist_append(nil, "Expect:")
        for (name, value) in request.headers {
            list = curl_slist_append(list, value.isEmpty ? name + ";" : name + ": " + value)
        }
        exchange.headerList = list
        b24_setopt_ptr(easy, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(list))
    }

    private func complete(_ exchange: CurlExchange, _ code: CURLcode) {
        guard let easy = exchange.easy else { return }
        var status = 0
        b24_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        let result: Result<HTTPResponse, any Error>
        if exchange.tooLarge {
            result = .failure(AnswerTooLarge(limit: settings.maximumAnswerBytes))
        } else if code == CURLE_OK {
            result = .success(HTTPResponse(status: status, headers: exchange.headers, body: exchange.body))
        } else if code == CURLE_OPERATION_TIMEDOUT {
            result = .failure(TransportError(message: settings.timeoutMessage, timedOut: true))
        } else {
            let detail = errorBuffers[easy].map { String(cString: $0) } ?? ""
            result = .failure(TransportError(message: detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail))
        }
        withdraw(exchange, nil)
        exchange.finish(result)
    }

    /// Takes the request off the multi handle (if on it), returns its easy handle to the pool and,
    /// given an error, resumes the caller with it.
    private func withdraw(_ exchange: CurlExchange, _ error: (any Error)?) {
        if let easy = exchange.easy {
            curl_multi_remove_handle(multi, easy)
            inFlight[easy] = nil
            exchange.easy = nil
            curl_easy_reset(easy)
            if idle.count < 256 {
                idle.append(easy)
            } else {
                errorBuffers.removeValue(forKey: easy)?.deallocate()
                curl_easy_cleanup(easy)
            }
        }
        curl_slist_free_all(exchange.headerList)
        exchange.headerList = nil
        if let error { exchange.finish(.failure(error)) }
    }
}

#if os(Linux)
    /// `CURLMOPT_SOCKETFUNCTION`: watch a socket for what libcurl waits for, or stop watching it.
    private func curlWatchSocket(
        _ easy: UnsafeMutableRawPointer?, _ socket: curl_socket_t, _ what: Int32, _ context: UnsafeMutableRawPointer?,
        _ socketContext: UnsafeMutableRawPointer?
    ) -> Int32 {
        guard let context else { return -1 }
        return Unmanaged<CurlLoop>.fromOpaque(context).takeUnretainedValue().watch(socket, what)
    }

    /// `CURLMOPT_TIMERFUNCTION`: when libcurl wants to be called with `CURL_SOCKET_TIMEOUT` (-1: never).
    private func curlSetTimer(_ multi: UnsafeMutableRawPointer?, _ milliseconds: Int, _ context: UnsafeMutableRawPointer?) -> Int32 {
        guard let context else { return -1 }
        let loop = Unmanaged<CurlLoop>.fromOpaque(context).takeUnretainedValue()
        loop.timerDeadline = milliseconds < 0 ? nil : DispatchTime.now().uptimeNanoseconds + UInt64(milliseconds) * 1_000_000
        return 0
    }
#endif

private func curlReceiveBody(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
    let bytes = size * count
    guard let data, let context else { return bytes }
    let exchange = Unmanaged<CurlExchange>.fromOpaque(context).takeUnretainedValue()
    guard exchange.body.count + bytes <= exchange.bodyLimit else {
        exchange.tooLarge = true
        return 0  // libcurl aborts the transfer (CURLE_WRITE_ERROR)
    }
    exchange.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: bytes))
    return bytes
}

private func curlReceiveHeader(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
    let bytes = size * count
    guard let data, let context else { return bytes }
    Unmanaged<CurlExchange>.fromOpaque(context).takeUnretainedValue().receiveHeader(UnsafeRawBufferPointer(start: data, count: bytes))
    return bytes
}
