import Foundation
import PlanStore
import ReleasePlan
import Rollout
import Testing

@Suite("portals.preflight: what passes and what is checked")
struct HandlerPreflightTests {
    /// Answers each URL with the status its last path segment names ("…/403"), or no answer.
    struct ScriptedTransport: HTTPTransport {
        func send(_ request: HTTPRequest) async throws -> HTTPResponse {
            guard let status = Int(request.url.split(separator: "/").last ?? "") else {
                throw TransportError(message: "Could not resolve host: \(request.url)")
            }
            #expect(request.method == "POST")
            #expect(request.headers["Content-Type"] == "application/x-www-form-urlencoded")
            return HTTPResponse(status: status)
        }
    }

    @Test(
        "any answer passes except 404 and 5xx; no answer fails",
        arguments: [
            (200, true), (204, true), (302, true), (401, true), (403, true), (405, true), (499, true), (404, false), (500, false),
            (502, false), (503, false),
        ])
    func statuses(status: Int, passes: Bool) async {
        let checks = await HandlerPreflight(transport: ScriptedTransport()).check(["https://h.example/\(status)"])
        #expect(checks.map(\.passed) == [passes])
    }

    @Test("every URL is checked, in order; the failure names each failing one and nothing else")
    func failureNamesEach() throws {
        let preflight = HandlerPreflight(transport: ScriptedTransport())
        let urls = ["https://h.example/a/401", "https://nowhere.example/x", "https://h.example/b/404"]
        #expect(throws: HandlerPreflight.PreflightFailed.self) { try preflight.run(urls) }
        do {
            _ = try preflight.run(urls)
        } catch let failed as HandlerPreflight.PreflightFailed {
            #expect(failed.checks.map(\.url) == ["https://nowhere.example/x", "https://h.example/b/404"])
            #expect(failed.description.contains("https://nowhere.example/x → no answer: Could not resolve host"))
            #expect(failed.description.contains("https://h.example/b/404 → 404 (not found)"))
            #expect(!failed.description.contains("/a/401"))
        }
        #expect(
            try preflight.run(["https://h.example/a/401", "https://h.example/b/200"])
                == "https://h.example/a/401 → 401; https://h.example/b/200 → 200")
    }

    @Test("only added handlers and changed ones whose handler changed are checked")
    func targets() {
        let added = PlanChange(
            kind: .placement, action: .added, id: "TASK_VIEW_TAB", before: nil,
            after: .object(["placement": .string("TASK_VIEW_TAB"), "handler": .string("https://h.example/new")]), requires: .minor,
            reason: "", path: [])
        let retitled = PlanChange(
            kind: .placement, action: .changed, id: "CRM_DEAL_DETAIL_TAB",
            before: .object(["handler": .string("https://h.example/deal"), "title": .string("A")]),
            after: .object(["handler": .string("https://h.example/deal"), "title": .string("B")]), requires: .minor, reason: "", path: [])
        let moved = PlanChange(
            kind: .event, action: .changed, id: "ONCRMDEALUPDATE",
            before: .object(["handler": .string("https://h.example/old")]), after: .object(["handler": .string("https://h.example/hook")]),
            requires: .minor, reason: "", path: [])
        let removed = PlanChange(
            kind: .event, action: .removed, id: "ONCRMDEALADD",
            before: .object(["handler": .string("https://h.example/gone")]), after: nil, requires: .minor, reason: "", path: [])
        #expect(
            HandlerPreflightTargets.urls([added, retitled, moved, removed, added]) == ["https://h.example/hook", "https://h.example/new"])
    }
}

@Suite("portals.preflight: IPv6 literal hosts")
struct HandlerPreflightIPv6Tests {
    /// Answers 200 to everything and records what it was asked.
    final class Transport: HTTPTransport, @unchecked Sendable {
        private let lock = NSLock()
        private var urls: [String] = []
        var requested: [String] { lock.withLock { urls.sorted() } }
        func send(_ request: HTTPRequest) async throws -> HTTPResponse {
            lock.withLock { urls.append(request.url) }
            return HTTPResponse(status: 200)
        }
    }

    @Test("an IPv6 literal host is requested like any other")
    func ipv6Literal() async {
        let urls = ["http://[::1]:8080/hook", "https://h.example/ok"]
        let transport = Transport()
        let checks = await HandlerPreflight(transport: transport).check(urls)
        #expect(checks.map(\.status) == [200, 200])
        #expect(transport.requested == urls.sorted())
    }

    @Test("the live client is libcurl, loaded on demand")
    func liveClient() throws {
        try ClientLibrary.curl.load()
        let transport = try HTTPClient.transport(connectionsPerHost: 4, timeout: 5)
        #expect(transport.timeout == 5)
    }
}
