@testable import ReleasePlan

/// Small fixed reports for the renderer's tests and golden files.
enum ReportFixtures {
    static func step(
        _ id: String, _ state: String, manual: Bool = false, after: [String] = [], _ start: String? = nil, _ end: String? = nil
    )
        -> RunReport.Step
    {
        RunReport.Step(id: id, state: state, manual: manual, after: after, startedAt: start, finishedAt: end)
    }

    /// A release with a schema migration, gates (one rejected, then passed), two waves (the second
    /// halted), requests in two bursts, failures of three causes and one missing scope.
    static func small() -> RunReport {
        let steps = [
            step("migrate.schema.1", "done", "2026-03-01T10:00:00.000Z", "2026-03-01T10:00:01.500Z"),
            step("deploy", "done", after: ["migrate.schema.1"], "2026-03-01T10:00:01.500Z", "2026-03-01T10:00:20.000Z"),
            step("gate.partner", "done", manual: true, after: ["deploy"], "2026-03-01T10:05:00.000Z", "2026-03-01T10:05:00.000Z"),
            step("gate.moderation", "done", manual: true, after: ["gate.partner"], "2026-03-01T11:00:00.000Z", "2026-03-01T11:00:00.000Z"),
            step("portals.wave.1", "done", after: ["gate.moderation"], "2026-03-01T11:00:00.100Z", "2026-03-01T11:00:04.000Z"),
            step("gate.wave.1", "done", manual: true, after: ["portals.wave.1"], "2026-03-01T11:30:00.000Z", "2026-03-01T11:30:00.000Z"),
            step("portals.wave.2", "halted", after: ["gate.wave.1"], "2026-03-01T11:30:00.200Z", "2026-03-01T11:30:03.000Z"),
            step("portals.scope-audit", "pending", after: ["portals.wave.2"]),
        ]
        let gates = [
            RunReport.GateEvent(step: "gate.partner", state: "passed", by: "alice", at: "2026-03-01T10:04:59.000Z", reason: nil),
            RunReport.GateEvent(
                step: "gate.moderation", state: "rejected", by: "bob", at: "2026-03-01T10:30:00.000Z", reason: "changelog too short"),
            RunReport.GateEvent(step: "gate.moderation", state: "passed", by: "bob", at: "2026-03-01T10:59:00.000Z", reason: nil),
            RunReport.GateEvent(step: "gate.wave.1", state: "passed", by: "alice", at: "2026-03-01T11:29:00.000Z", reason: nil),
        ]
        let base = 1_772_362_800  // 2026-03-01T11:00:00Z
        let points =
            [(0, 40, 0), (1, 55, 2), (2, 30, 0), (3, 5, 1)].map { RunReport.RatePoint(second: base + $0.0, requests: $0.1, errors: $0.2) }
            + [(1800, 20, 0), (1801, 60, 6), (1802, 12, 0)].map { RunReport.RatePoint(second: base + $0.0, requests: $0.1, errors: $0.2) }
        let failures = FailureGrouping.group([
            .init(memberID: "m00003", state: "inactive", lastError: "PORTAL_DELETED: Portal was deleted (HTTP 500)"),
            .init(memberID: "m00007", state: "inactive", lastError: "APPLICATION_NOT_FOUND: Application not found (HTTP 401)"),
            .init(memberID: "m00009", state: "inactive", lastError: "PORTAL_DELETED: Portal was deleted (HTTP 500)"),
            .init(memberID: "m00012", state: "failed", lastError: "redirected to http://evil.example/p/x/rest/, not followed: only https"),
            .init(memberID: "m00015", state: "needs-reinstall", lastError: "token lacks task; skipped placement TASK_VIEW_TAB"),
        ])
        var withHosts = failures
        for index in withHosts.groups.indices {
            withHosts.groups[index].members = withHosts.groups[index].members.map {
                RunReport.Member(memberId: $0.memberId, host: "portal-\($0.memberId.suffix(2)).bitrix24.test")
            }
        }
        return RunReport(
            app: "acme.dealsync", version: "2.0.0", run: 7, runState: "failed", runKind: "release", updateType: "major",
            startedAt: "2026-03-01T10:00:00.000Z", finishedAt: "2026-03-01T11:30:03.000Z",
            graph: RunReport.Graph(source: .storedPlan, note: "Drawn from the stored plan.", steps: steps),
            timeline: RunReport.Timeline(steps: steps.filter { $0.startedAt != nil }, gates: gates),
            portals: RunReport.Portals(
                totals: ["done": 14, "needs-reinstall": 1, "inactive": 3, "failed": 1, "pending": 6],
                bars: [
                    RunReport.PortalBar(
                        step: "portals.wave.1", counts: ["done": 5, "needs-reinstall": 0, "inactive": 1, "failed": 0, "pending": 0]),
                    RunReport.PortalBar(
                        step: "portals.wave.2", counts: ["done": 9, "needs-reinstall": 1, "inactive": 2, "failed": 1, "pending": 6]),
                ]),
            rate: RunReport.RequestRate(
                recorded: true, points: points,
                steps: [
                    RunReport.StepRequests(step: "portals.wave.1", requests: 130, errors: 3, seconds: 4),
                    RunReport.StepRequests(step: "portals.wave.2", requests: 92, errors: 6, seconds: 3),
                ]),
            failures: withHosts,
            missingScopes: FailureGrouping.missingScopes([("m00015", "task"), ("m00016", "task,im"), ("m00001", nil)]))
    }

    /// A run with nothing recorded beyond its first step: every section's empty state.
    static func empty(rateRecorded: Bool) -> RunReport {
        RunReport(
            app: "acme.empty", version: "1.0.0", run: 1, runState: "running", runKind: "release", updateType: nil,
            startedAt: "2026-03-01T10:00:00.000Z", finishedAt: nil,
            graph: RunReport.Graph(source: .recordedSteps, note: "Recorded steps only.", steps: []),
            timeline: RunReport.Timeline(steps: [], gates: []),
            portals: RunReport.Portals(totals: Dictionary(uniqueKeysWithValues: PortalStateOrder.states.map { ($0, 0) }), bars: []),
            rate: RunReport.RequestRate(recorded: rateRecorded, points: [], steps: []),
            failures: RunReport.Failures(portals: 0, groups: [], hiddenGroups: 0, hiddenPortals: 0), missingScopes: [])
    }
}
