import Testing

@testable import ReleasePlan

/// The report's data helpers: failure causes, grouping and caps, request-rate buckets, time text.
@Suite("report data")
struct ReportDataTests {
    @Test(
        "a last_error's cause",
        arguments: [
            ("APPLICATION_NOT_FOUND: Application not found (HTTP 401)", "APPLICATION_NOT_FOUND"),
            ("PORTAL_DELETED: Portal was deleted (HTTP 500)", "PORTAL_DELETED"),
            ("the refresh token is expired or was already used: the portal must reinstall the app", "invalid_grant"),
            ("OAuth refresh refused: invalid_client (HTTP 401): the client id or secret is wrong", "invalid_client"),
            ("app.info says INSTALLED: false (widgets hidden, events not sent); token lacks task", "app.info says INSTALLED: false"),
            ("placement.bind CRM_DEAL_DETAIL_TAB: ERROR_CORE: Unable to set placement handler (HTTP 400)", "ERROR_CORE"),
            (
                "methods not available on this portal: tasks.task.get; token lacks task, im; skipped placement TASK_VIEW_TAB",
                "token lacks task, im"
            ),
            ("redirected to http://evil.example/p/portal-00011/rest/, not followed: only https", "redirect not followed"),
            ("HTTP 502 without a Bitrix24 error", "HTTP 502"),
            ("no answer: Could not connect to the server", "no answer (network)"),
            ("QUERY_LIMIT_EXCEEDED (HTTP 503)", "QUERY_LIMIT_EXCEEDED"),
            ("", "no error recorded"),
            (
                "weird failure at https://portal-7.example/rest/ after 31 tries on host-3.bitrix24.test",
                "weird failure at <url> after N tries on <host>"
            ),
        ])
    func cause(_ error: String, _ expected: String) {
        #expect(FailureCause.of(error) == expected)
    }

    @Test("groups: by state and cause, largest first; members in id order, at most 50, the rest counted; at most 40 groups")
    func grouping() {
        var problems = (1...120).map {
            FailureGrouping.Problem(memberID: "m\(1000 - $0)", state: "inactive", lastError: "PORTAL_DELETED (HTTP 500)")
        }
        problems += (1...3).map {
            FailureGrouping.Problem(memberID: "f\($0)", state: "failed", lastError: "HTTP 502 without a Bitrix24 error")
        }
        problems += (1...45).map { FailureGrouping.Problem(memberID: "x\($0)", state: "failed", lastError: "CODE_\($0): odd (HTTP 400)") }
        let failures = FailureGrouping.group(problems)
        #expect(failures.portals == 168)
        #expect(failures.groups.count == 40 && failures.hiddenGroups == 7 && failures.hiddenPortals == 7)
        let first = failures.groups[0]
        #expect(first.cause == "PORTAL_DELETED" && first.state == "inactive" && first.count == 120)
        #expect(first.members.count == 50 && first.more == 70)
        #expect(first.members.map(\.memberId) == (880...929).map { "m\($0)" })
        #expect(failures.groups[1].cause == "HTTP 502" && failures.groups[1].count == 3)
    }

    @Test("missing scopes: per scope in name order, members in id order, capped")
    func missingScopes() {
        let tasks =
            (1...60).map { (memberID: "m\(100 + $0)", missingScopes: Optional("task,im")) } + [("a1", "task"), ("a2", nil), ("a3", "")]
        let groups = FailureGrouping.missingScopes(tasks)
        #expect(groups.map(\.scope) == ["im", "task"])
        #expect(groups[1].count == 61 && groups[1].members.first?.memberId == "a1" && groups[1].members.count == 50 && groups[1].more == 11)
    }

    @Test("request rate: every second drawn when short; pauses over five minutes split segments; long runs averaged per bucket")
    func rateSeries() {
        let short = RateSeries.build([.init(second: 100, requests: 4, errors: 1), .init(second: 102, requests: 6, errors: 0)])
        #expect(short.bucketSeconds == 1 && short.segments.count == 1)
        #expect(short.segments[0].requests == [4, 0, 6] && short.segments[0].errors == [1, 0, 0])
        let split = RateSeries.build([.init(second: 100, requests: 4, errors: 0), .init(second: 401, requests: 2, errors: 0)])
        #expect(split.segments.map(\.first) == [100, 401])
        let long = RateSeries.build((0..<1201).map { .init(second: 5000 + $0, requests: 10, errors: 0) }, maxBuckets: 600)
        #expect(long.bucketSeconds == 3 && long.segments[0].requests.count == 401)
        // Averages stay per second, the short last bucket included.
        #expect(long.segments[0].requests.allSatisfy { $0 == 10 })
        #expect(long.peak == 10)
        #expect(RateSeries.build([]).segments.isEmpty)
    }

    @Test("journal timestamps to seconds and back, UTC, without Foundation's calendar")
    func time() {
        #expect(ReportTime.seconds("2026-03-01T11:00:00.250Z") == 1_772_362_800.25)
        #expect(ReportTime.seconds("1970-01-01T00:00:00.000Z") == 0)
        #expect(ReportTime.seconds("2000-02-29T23:59:59.000Z") == 951_868_799)
        #expect(ReportTime.seconds("not a time") == nil)
        #expect(ReportTime.dateTime(951_868_799) == "2000-02-29 23:59:59")
        #expect(ReportTime.dateTime(1_772_362_800) == "2026-03-01 11:00:00")
        #expect(ReportTime.preciseTime(1_772_362_800.25) == "11:00:00.250")
        #expect(ReportTime.duration(0.4) == "0.4 s" && ReportTime.duration(65) == "1 min 5 s" && ReportTime.duration(90_000) == "1 d 1 h")
    }
}
