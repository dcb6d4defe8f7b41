import Foundation
import PlanStore
import Rollout
import Testing

/// `RequestMeter`: every request a session sends, counted in the wall-clock second it was sent.
@Suite("RequestMeter: requests per second")
struct RequestMeterTests {
    func session(_ kit: SessionKit, meter: RequestMeter) -> PortalSession {
        kit.store.put("m1", access: "access-1", refresh: "refresh-1", endpoint: SessionKit.endpoint)
        var policy = RetryPolicy()
        policy.baseDelay = 10
        policy.maximumDelay = 1_000
        return PortalSession(
            memberID: "m1", endpoint: SessionKit.endpoint, accessToken: "access-1", refreshToken: "refresh-1", transport: kit.transport,
            clock: kit.clock, keeper: kit.keeper, policy: policy, meter: meter)
    }

    @Test("a retried call counts each attempt in its own second; error answers and unanswered requests count as errors")
    func countsAttempts() async throws {
        let limit = Answer.error("QUERY_LIMIT_EXCEEDED", "Too many requests", status: 503)
        let kit = SessionKit([limit, Answer.html(status: 502), Answer.result(#"["crm"]"#), Answer.result("true")])
        let meter = RequestMeter()
        let session = session(kit, meter: meter)
        _ = try await session.call("scope")
        _ = try await session.call("app.info")
        let counts = meter.drain()
        #expect(counts.map(\.requests).reduce(0, +) == 4)
        #expect(counts.map(\.errors).reduce(0, +) == 2)
        #expect(counts.map(\.requests).reduce(0, +) == session.requests)
        // The back-offs (10 s and more) put the attempts in different seconds, in time order.
        #expect(counts.count == 3 && counts.map(\.second) == counts.map(\.second).sorted())
        #expect(counts.first?.second == 1_700_000_000)
        #expect(meter.drain().isEmpty, "drained once")
    }

    @Test("a redirect is a request, not an error; drain(before:) keeps the second still running")
    func redirectAndDrain() async throws {
        let kit = SessionKit([Answer.redirect(to: "https://acme-new.bitrix24.com/rest/scope"), Answer.result(#"["crm"]"#)])
        let meter = RequestMeter()
        _ = try await session(kit, meter: meter).call("scope")
        #expect(meter.drain(before: 1_700_000_000).isEmpty)
        #expect(meter.drain(before: 1_700_000_001) == [Journal.RequestCount(second: 1_700_000_000, requests: 2, errors: 0)])
    }

    @Test("many sessions at once: no request lost")
    func concurrent() async {
        let meter = RequestMeter()
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask { for index in 0..<1_000 { meter.record(second: index % 3, error: (index + task) % 10 == 0) } }
            }
        }
        let counts = meter.drain()
        #expect(counts.map(\.second) == [0, 1, 2])
        #expect(counts.map(\.requests).reduce(0, +) == 8_000 && counts.map(\.errors).reduce(0, +) == 800)
    }
}
