import Foundation
import PlanStore
import ReleasePlan
import Rollout
import Testing

@Suite("PortalSession: calls, rate limits and server errors")
struct PortalSessionTests {
    /// Back-offs long enough that the leaky bucket never adds a wait of its own.
    static func slowPolicy(rateLimitAttempts: Int = 4, serverErrorAttempts: Int = 4) -> RetryPolicy {
        var policy = RetryPolicy()
        policy.baseDelay = 10
        policy.maximumDelay = 1_000
        policy.rateLimitAttempts = rateLimitAttempts
        policy.serverErrorAttempts = serverErrorAttempts
        return policy
    }

    /// Checks that `sleeps` are the back-offs 10·1.5^(n-1) with ±20 % jitter, in order.
    static func expectBackOffs(_ sleeps: [Double], count: Int, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(sleeps.count == count, sourceLocation: sourceLocation)
        for (index, sleep) in sleeps.enumerated() {
            var base = 10.0
            for _ in 0..<index { base *= 1.5 }
            #expect(
                sleep >= base * 0.8 - 1e-9 && sleep <= base * 1.2 + 1e-9, "back-off \(index + 1): \(sleep)", sourceLocation: sourceLocation)
            if index > 0 { #expect(sleep >= sleeps[index - 1], "back-offs grow", sourceLocation: sourceLocation) }
        }
    }

    @Test func successReturnsTheResultAndSendsAuthInTheJSONBody() async throws {
        let kit = SessionKit([Answer.result(#"{"ID":"17","CODE":"acme.dealsync","LANGUAGE_ID":"ru"}"#)])
        let session = kit.session()
        let result = try await session.call("app.info", ["full": .bool(true), "name": .string("x/y")])
        #expect(result.field("ID") == .string("17"))
        let request = try #require(kit.transport.requests.first)
        #expect(request.method == "POST")
        #expect(request.url == "https://acme.bitrix24.com/rest/app.info")
        #expect(request.headers["Content-Type"] == "application/json")
        #expect(request.auth == "access-1")
        #expect(request.json?.field("full") == .bool(true))
        #expect(request.json?.field("name") == .string("x/y"))
        #expect(!String(decoding: request.body, as: UTF8.self).contains("refresh-1"))
        #expect(kit.clock.sleeps.isEmpty)
        #expect(session.requests == 1)
    }

    @Test func anEndpointWithoutTrailingSlashGetsOne() async throws {
        let kit = SessionKit([Answer.result("true")])
        let session = PortalSession(
            memberID: "m1", endpoint: "https://acme.bitrix24.com/rest", accessToken: "a", refreshToken: "r",
            transport: kit.transport, clock: kit.clock, keeper: kit.keeper)
        _ = try await session.call("scope")
        #expect(kit.transport.requests.map(\.url) == ["https://acme.bitrix24.com/rest/scope"])
    }

    @Test func queryLimitExceededBacksOffAndRetries() async throws {
        let limit = Answer.error("QUERY_LIMIT_EXCEEDED", "Too many requests", status: 503)
        let kit = SessionKit([limit, limit, Answer.result(#"["crm"]"#)])
        let result = try await kit.session(policy: Self.slowPolicy()).call("scope")
        #expect(result == .array([.string("crm")]))
        #expect(kit.transport.requests.count == 3)
        Self.expectBackOffs(kit.clock.sleeps, count: 2)
    }

    @Test("QUERY_LIMIT_EXCEEDED gives up after rateLimitAttempts requests", arguments: [1, 3, 10])
    func queryLimitGivesUp(attempts: Int) async throws {
        let kit = SessionKit(handler: { _ in Answer.error("QUERY_LIMIT_EXCEEDED", "Too many requests", status: 503) })
        let error = await caught { try await kit.session(policy: Self.slowPolicy(rateLimitAttempts: attempts)).call("scope") }
        #expect(error as? BitrixError == .api(code: "QUERY_LIMIT_EXCEEDED", message: "Too many requests", status: 503))
        #expect(kit.transport.requests.count == attempts)
        Self.expectBackOffs(kit.clock.sleeps, count: attempts - 1)
        #expect(PortalOutcome.from(error!).state == .failed)
    }

    @Test func queryLimitMarksTheBucketFull() async throws {
        // With the default (short) back-off the bucket, now full, adds its own wait before the retry.
        let kit = SessionKit([Answer.error("QUERY_LIMIT_EXCEEDED", "Too many requests", status: 503), Answer.result("true")])
        let session = kit.session()
        _ = try await session.call("scope")
        #expect(kit.clock.slept >= 1.4)
        #expect(session.bucket.level > 47.9)
    }

    struct OperationLimit: Sendable, CustomTestStringConvertible {
        var name: String
        var resetIn: Double?
        var expectedSleeps: [Double]
        var testDescription: String { name }
    }

    @Test(
        "OPERATION_TIME_LIMIT waits until operating_reset_at, else the fallback, at most the maximum",
        arguments: [
            OperationLimit(name: "reset in 42 s", resetIn: 42, expectedSleeps: [42]),
            OperationLimit(name: "no reset time", resetIn: nil, expectedSleeps: [10]),
            OperationLimit(name: "reset far away", resetIn: 5_000, expectedSleeps: [600]),
            OperationLimit(name: "reset already past", resetIn: -5, expectedSleeps: []),
        ])
    func operationTimeLimit(_ item: OperationLimit) async throws {
        let start = 1_700_000_000.0
        let blocked = Answer.error(
            "OPERATION_TIME_LIMIT", "Method is blocked due to operation time limit.", status: 429,
            operatingResetAt: item.resetIn.map { start + $0 })
        let kit = SessionKit([blocked, Answer.result("[]")])
        _ = try await kit.session().call("placement.bind")
        #expect(kit.clock.sleeps == item.expectedSleeps)
        #expect(kit.transport.requests.count == 2)
        let entries = kit.log.entries
        #expect(entries.count == 2 + item.expectedSleeps.count)
        if !item.expectedSleeps.isEmpty { #expect(entries[1].hasPrefix("sleep"), "the wait comes before the retry: \(entries)") }
    }

    @Test func operationLimitUsesTheResetTimeOfAnEarlierSuccessfulAnswer() async throws {
        // Error answers carry no `time` block (BITRIX24.md): the reset time is only known from the
        // method's earlier successful answers.
        let start = 1_700_000_000.0
        let kit = SessionKit([
            Answer.result("true", operatingResetAt: start + 300),
            Answer.error("OPERATION_TIME_LIMIT", "Method is blocked due to operation time limit.", status: 429),
            Answer.result("true"),
        ])
        let session = kit.session()
        _ = try await session.call("placement.bind")
        _ = try await session.call("placement.bind")
        #expect(kit.clock.sleeps == [300])
    }

    @Test func serverErrorsWithoutJSONAreRetriedThenRecovered() async throws {
        let kit = SessionKit([Answer.html(status: 502), Answer.html(status: 504), Answer.result("true")])
        #expect(try await kit.session(policy: Self.slowPolicy()).call("scope") == .bool(true))
        Self.expectBackOffs(kit.clock.sleeps, count: 2)
    }

    struct Failure: Sendable, CustomTestStringConvertible {
        var name: String
        var answer: HTTPResponse?
        var expected: BitrixError
        var testDescription: String { name }
    }

    @Test(
        "5xx and transport errors: bounded retries, then failed",
        arguments: [
            Failure(name: "502 HTML", answer: Answer.html(status: 502), expected: .http(status: 502)),
            Failure(name: "500 empty", answer: HTTPResponse(status: 500), expected: .http(status: 500)),
            Failure(
                name: "500 with a REST error", answer: Answer.error("INTERNAL_SERVER_ERROR", "oops", status: 500),
                expected: .api(code: "INTERNAL_SERVER_ERROR", message: "oops", status: 500)),
            Failure(name: "no answer", answer: nil, expected: .transport("connection refused")),
        ])
    func boundedServerRetries(_ item: Failure) async throws {
        let kit = SessionKit(handler: { _ in
            guard let answer = item.answer else { throw TransportError(message: "connection refused") }
            return answer
        })
        let error = await caught { try await kit.session(policy: Self.slowPolicy(serverErrorAttempts: 3)).call("scope") }
        #expect(error as? BitrixError == item.expected)
        #expect(kit.transport.requests.count == 3)
        Self.expectBackOffs(kit.clock.sleeps, count: 2)
        #expect(PortalOutcome.from(error!).state == .failed)
    }

    @Test(
        "errors that are not retried",
        arguments: [
            ("OVERLOAD_LIMIT", 503, Journal.PortalState.failed), ("PORTAL_DELETED", 500, .inactive), ("PORTAL_DELETED", 403, .inactive),
            ("APPLICATION_NOT_FOUND", 401, .inactive), ("ACCESS_DENIED", 403, .failed), ("ERROR_METHOD_NOT_FOUND", 404, .failed),
            ("insufficient_scope", 403, .failed), ("EMPTY_ERROR_HANDLER_URL", 200, .failed),
        ])
    func notRetried(code: String, status: Int, state: Journal.PortalState) async throws {
        let kit = SessionKit(handler: { _ in Answer.error(code, "text", status: status) })
        let error = await caught { try await kit.session().call("placement.bind") }
        #expect(error as? BitrixError == .api(code: code, message: "text", status: status))
        #expect(kit.transport.requests.count == 1)
        #expect(kit.tokenRequests.isEmpty)
        #expect(kit.clock.sleeps.isEmpty)
        #expect(PortalOutcome.from(error!).state == state)
    }

    @Test func aSuccessStatusWithoutJSONIsMalformed() async throws {
        let kit = SessionKit([HTTPResponse(status: 200, body: Array("<html>".utf8))])
        let error = await caught { try await kit.session().call("scope") }
        guard case .malformed? = error as? BitrixError else { Issue.record("got \(String(describing: error))"); return }
        #expect(kit.transport.requests.count == 1)
    }

    @Test(
        "302 re-sends the POST with its body to the new endpoint and saves that endpoint",
        arguments: [
            "https://renamed.bitrix24.com/rest/placement.bind?x=1", "https://renamed.bitrix24.com/rest/placement.bind",
            "https://renamed.bitrix24.com/rest/placement.bind.json?x=1",
        ])
    func redirect(location: String) async throws {
        let kit = SessionKit([Answer.redirect(to: location), Answer.result("true"), Answer.result("[]")])
        let session = kit.session()
        let parameters: [String: PlanValue] = ["PLACEMENT": .string("CRM_DEAL_DETAIL_TAB"), "HANDLER": .string("https://app.example/h")]
        #expect(try await session.call("placement.bind", parameters) == .bool(true))
        let requests = kit.transport.requests
        #expect(
            requests.map(\.url) == ["https://acme.bitrix24.com/rest/placement.bind", "https://renamed.bitrix24.com/rest/placement.bind"])
        #expect(requests[1].method == "POST")
        #expect(requests[1].body == requests[0].body)
        #expect(requests[1].json?.field("PLACEMENT") == .string("CRM_DEAL_DETAIL_TAB"))
        #expect(kit.store.savedEndpoints == ["https://renamed.bitrix24.com/rest/"])
        #expect(session.endpoint == "https://renamed.bitrix24.com/rest/")
        // Stored once the new address answered (a redirect to an address that never answers is not kept).
        let saved = try #require(kit.log.entries.firstIndex { $0.hasPrefix("save endpoint") })
        let resent = try #require(kit.log.entries.firstIndex { $0.hasPrefix("send https://renamed.bitrix24.com/") })
        #expect(resent < saved)
        _ = try await session.call("placement.get")
        #expect(kit.transport.requests.last?.url == "https://renamed.bitrix24.com/rest/placement.get")
    }

    @Test(
        "a redirect to an address that then fails is not stored",
        arguments: [Answer.html(status: 502), Answer.body(200, "garbage"), Answer.redirect(to: "https://third.bitrix24.com/rest/x")])
    func redirectToAFailingAddressIsNotStored(_ second: HTTPResponse) async throws {
        let kit = SessionKit(
            [Answer.redirect(to: "https://renamed.bitrix24.com/rest/placement.bind")]
                + Array(repeating: second, count: 8))
        var policy = RetryPolicy()
        policy.serverErrorAttempts = 2
        let session = kit.session(policy: policy)
        _ = await caught { try await session.call("placement.bind", ["PLACEMENT": .string("CRM_DEAL_DETAIL_TAB")]) }
        #expect(kit.store.savedEndpoints == [])
    }

    @Test func endlessRedirectsStop() async throws {
        let kit = SessionKit(handler: { _ in Answer.redirect(to: "https://loop.bitrix24.com/rest/scope") })
        let error = await caught { try await kit.session().call("scope") }
        #expect(error as? BitrixError == .http(status: 302))
        #expect(kit.transport.requests.count == 4)
    }
}
