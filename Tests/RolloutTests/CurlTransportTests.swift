import Foundation
import Rollout
import Testing

/// `CurlTransport` against a real local server (Tests/Fixtures/http-server/server.py).
@Suite("CurlTransport against a local HTTP server", .serialized)
struct CurlTransportTests {
    let server: LocalHTTPServer

    init() throws { server = try LocalHTTPServer() }

    func get(_ path: String, _ transport: CurlTransport = CurlTransport()) async throws -> HTTPResponse {
        try await transport.send(HTTPRequest(method: "GET", url: server.base + path))
    }

    @Test("status codes and headers come back, names lower-cased, a repeated header joined", arguments: [200, 201, 204, 404, 500, 503])
    func statusAndHeaders(status: Int) async throws {
        defer { server.stop() }
        let response = try await get("/status/\(status)")
        #expect(response.status == status)
        #expect(response.headers["x-answer"] == "\(status)")
        #expect(response.headers["x-twice"] == "one, two")
        #expect(response.headers["content-length"] == (status == 204 ? "0" : "6"))
        #expect(response.body == (status == 204 ? [] : Array("status".utf8)))
    }

    @Test("bodies of 0 B and 1 MB, both ways; POST sends no Expect header and the given headers")
    func bodies() async throws {
        defer { server.stop() }
        let transport = CurlTransport()
        #expect(try await get("/bytes/0", transport).body.isEmpty)
        let big = try await get("/bytes/1048576", transport)
        #expect(big.body.count == 1_048_576)
        #expect(big.body == (0..<1_048_576).map { UInt8($0 % 251) })
        let payload = (0..<1_048_576).map { UInt8(($0 * 7) % 256) }
        let echo = try await transport.send(
            HTTPRequest(method: "POST", url: server.base + "/echo", headers: ["Content-Type": "application/json"], body: payload))
        #expect(echo.status == 200)
        #expect(echo.body == payload)
        #expect(echo.headers["x-method"] == "POST")
        #expect(echo.headers["x-expect"] == "none")
        #expect(echo.headers["x-content-type"] == "application/json")
        #expect(echo.headers["x-length"] == "1048576")
        let empty = try await transport.send(
            HTTPRequest(method: "POST", url: server.base + "/echo", headers: ["User-Agent": "b24plan-preflight"]))
        #expect(empty.headers["x-method"] == "POST")
        #expect(empty.headers["x-length"] == "0")
        #expect(empty.headers["x-user-agent"] == "b24plan-preflight")
        let put = try await transport.send(HTTPRequest(method: "PUT", url: server.base + "/echo", body: Array("x=1".utf8)))
        #expect(put.headers["x-method"] == "PUT")
        #expect(put.body == Array("x=1".utf8))
        #expect(try await get("/echo", transport).headers["x-user-agent"]?.hasPrefix("b24plan/") == true)
    }

    @Test("connections are kept alive: 200 requests one after another use one connection, 400 at once at most 4")
    func keepAlive() async throws {
        defer { server.stop() }
        let transport = CurlTransport(connectionsPerHost: 4)
        for _ in 0..<200 { #expect(try await get("/status/200", transport).status == 200) }
        #expect(try server.stats().connections == 1)
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<400 { group.addTask { try await get("/status/200", transport).status } }
            for try await status in group { #expect(status == 200) }
        }
        let connections = try server.stats().connections
        #expect(connections <= 4, "\(connections) connections")
        #expect(try await get("/close", transport).status == 200, "a server that closes the connection")
        #expect(try await get("/status/200", transport).status == 200, "is answered on a new one")
    }

    @Test("connections the server closes after every answer: 600 requests, 8 connections at a time, all answered")
    func closedConnectionsChurn() async throws {
        // Each answer's socket is closed and its number reused by the next connection: the loop's
        // epoll set must follow libcurl's word on every socket, or requests would hang until their timeout.
        defer { server.stop() }
        let transport = CurlTransport(connectionsPerHost: 8, timeout: 20)
        try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<600 { group.addTask { try await get(index % 2 == 0 ? "/close" : "/status/200", transport).status } }
            var answered = 0
            for try await status in group {
                #expect(status == 200)
                answered += 1
            }
            #expect(answered == 600)
        }
        #expect(try await get("/status/200", transport).status == 200)
    }

    @Test("an answer past maximumAnswerBytes fails as AnswerTooLarge, the limit itself is read; the transport goes on")
    func answerSizeLimit() async throws {
        defer { server.stop() }
        let transport = CurlTransport(maximumAnswerBytes: 1 << 20)
        #expect(try await get("/bytes/\(1 << 20)", transport).body.count == 1 << 20)
        let error = await caught { try await get("/bytes/\((1 << 20) + 1)", transport) }
        #expect((error as? AnswerTooLarge)?.limit == 1 << 20, "\(String(describing: error))")
        #expect(error.map { "\($0)" }?.contains("longer than 1 MB") == true)
        #expect(try await get("/status/200", transport).status == 200)
    }

    @Test("a request's own timeout, shorter than the transport's, ends it")
    func requestTimeout() async throws {
        defer { server.stop() }
        let transport = CurlTransport(timeout: 30)
        let started = Date()
        let error = await caught {
            try await transport.send(HTTPRequest(method: "GET", url: server.base + "/sleep/5000", timeout: 0.3))
        }
        #expect((error as? TransportError)?.timedOut == true, "\(String(describing: error))")
        #expect(Date().timeIntervalSince(started) < 4)
    }

    @Test("a 302 is returned as is for portals and followed for the preflight")
    func redirects() async throws {
        defer { server.stop() }
        let portal = try await get("/redirect/302/status/404")
        #expect(portal.status == 302)
        #expect(portal.headers["location"] == "/status/404")
        let browser = CurlTransport(followsRedirects: true)
        let followed = try await browser.send(HTTPRequest(method: "POST", url: server.base + "/redirect/302/status/404"))
        #expect(followed.status == 404)
        #expect(followed.headers["x-answer"] == "404", "the headers are the last response's")
        #expect(followed.headers["location"] == nil)
        let twice = try await browser.send(HTTPRequest(method: "POST", url: server.base + "/redirect/301/redirect/302/echo"))
        #expect(twice.status == 200)
        #expect(twice.headers["x-method"] == "GET", "a POST redirected by 301/302 becomes a GET, as in a browser")
        await #expect(throws: TransportError.self) {
            _ = try await browser.send(
                HTTPRequest(
                    method: "GET", url: server.base + "/redirect/302/redirect/302/" + String(repeating: "redirect/302/", count: 9) + "echo")
            )
        }
    }

    @Test("a request past its timeout fails as timed out, naming the option; the wait is the timeout, not the answer")
    func timeout() async throws {
        defer { server.stop() }
        let transport = CurlTransport(timeout: 1, timeoutOption: "--preflight-timeout")
        let start = Date()
        do {
            _ = try await get("/sleep/4000", transport)
            Issue.record("a sleeping server answered")
        } catch let error as TransportError {
            #expect(error.timedOut)
            #expect(error.message == "no answer within 1 s (--preflight-timeout)")
        }
        #expect(Date().timeIntervalSince(start) < 3)
        #expect(try await get("/status/200", transport).status == 200, "the transport goes on")
    }

    @Test("a refused connection, an unknown host and a file URL fail with libcurl's words, not as timeouts")
    func noAnswer() async throws {
        defer { server.stop() }
        let transport = CurlTransport(timeout: 10)
        do {
            _ = try await transport.send(HTTPRequest(method: "POST", url: "http://127.0.0.1:1/hook"))
            Issue.record("port 1 answered")
        } catch let error as TransportError {
            #expect(!error.timedOut)
            #expect(error.message.contains("Couldn't connect") || error.message.contains("Failed to connect"), "\(error.message)")
        }
        do {
            _ = try await transport.send(HTTPRequest(method: "POST", url: "http://portal.invalid/rest/app.info"))
            Issue.record("a .invalid host answered")
        } catch let error as TransportError {
            #expect(!error.timedOut)
            #expect(error.message.contains("resolve"), "\(error.message)")
        }
        await #expect(throws: TransportError.self, "only http and https") {
            _ = try await transport.send(HTTPRequest(method: "GET", url: "file:///etc/hostname"))
        }
    }

    @Test("2,000 requests at once from a task group all come back right")
    func concurrent() async throws {
        defer { server.stop() }
        let transport = CurlTransport(connectionsPerHost: 64)
        let count = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<2_000 {
                group.addTask {
                    let response = try await transport.send(
                        HTTPRequest(method: "POST", url: server.base + "/echo", body: Array("request \(index)".utf8)))
                    return response.status == 200 && response.body == Array("request \(index)".utf8)
                }
            }
            var good = 0
            for try await ok in group where ok { good += 1 }
            return good
        }
        #expect(count == 2_000)
        #expect(try server.stats().connections <= 64)
    }

    @Test("a cancelled task gets CancellationError at once, mid-request or before it; the transport goes on")
    func cancellation() async throws {
        defer { server.stop() }
        let transport = CurlTransport(timeout: 30)
        let url = server.base + "/sleep/10000"
        let outcome = await withDeadline(seconds: 5) {
            let task = Task { try await transport.send(HTTPRequest(method: "GET", url: url)) }
            try? await Task.sleep(nanoseconds: 300_000_000)
            task.cancel()
            return await task.result
        }
        guard let outcome else {
            Issue.record("a cancelled request did not end within 5 s")
            return
        }
        #expect(throws: CancellationError.self) { try outcome.get() }
        let early = await withDeadline(seconds: 5) {
            let task = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return try await transport.send(HTTPRequest(method: "GET", url: url))
            }
            return await task.result
        }
        #expect(throws: CancellationError.self) { try early?.get() }
        // Many at once, cancelled while in flight, with answers arriving meanwhile.
        let many = await withDeadline(seconds: 10) {
            await withTaskGroup(of: Bool.self) { group in
                for index in 0..<200 {
                    group.addTask {
                        let path = index.isMultiple(of: 2) ? "/status/200" : "/sleep/10000"
                        do {
                            return try await transport.send(HTTPRequest(method: "GET", url: self.server.base + path)).status == 200
                        } catch {
                            return error is CancellationError
                        }
                    }
                }
                try? await Task.sleep(nanoseconds: 200_000_000)
                group.cancelAll()
                var all = true
                for await ok in group { all = all && ok }
                return all
            }
        }
        #expect(many == true)
        #expect(try await get("/status/200", transport).status == 200)
    }

    @Test("an IPv6 literal host is requested")
    func ipv6() async throws {
        defer { server.stop() }
        try #require(server.port6 > 0, "the machine has no ::1")
        let response = try await CurlTransport().send(HTTPRequest(method: "POST", url: "http://[::1]:\(server.port6)/status/401"))
        #expect(response.status == 401)
    }

    @Test("memory stays flat: 20,000 more requests after a warm-up grow the resident set by less than 8 MB")
    func noGrowth() async throws {
        defer { server.stop() }
        let transport = CurlTransport(connectionsPerHost: 16)
        func batch(_ count: Int) async throws {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<count {
                    if index >= 256 { try await group.next() }
                    group.addTask {
                        let body = Array(repeating: UInt8(ascii: "x"), count: 512)
                        let response = try await transport.send(HTTPRequest(method: "POST", url: server.base + "/echo", body: body))
                        #expect(response.body.count == 512)
                    }
                }
                try await group.waitForAll()
            }
        }
        try await batch(2_000)
        let before = Self.residentBytes()
        try await batch(20_000)
        let growth = Self.residentBytes() - before
        #expect(growth < 8 << 20, "resident set grew \(growth >> 10) KB")
    }

    /// The process's resident set in bytes (`/proc/self/statm`).
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let pages = text.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
