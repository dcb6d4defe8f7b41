import Foundation
import Testing

/// `portals.preflight` against local handlers (Tests/Fixtures/handler-server): a broken handler
/// stops the release before any portal is touched; a fixed one lets it through.
@Suite("handler preflight", .serialized)
struct PreflightTests {
    /// 1.0.0 with the deal tab (on the farm); 2.0.0 adds a task tab and an event on `handlers`.
    static func plans(task: String, event: String, more: [String] = []) -> [String: String] {
        let events = ([event] + more).map { #"{ "event": "ONCRMDEALUPDATE", "handler": "\#($0)" }"# }.joined(separator: ", ")
        let head = """
              "app": "acme.preflight",
              "scopes": ["crm", "placement", "task"],
              "handlerHosts": ["app.acme.example"],
            """
        let deal = #"{ "placement": "CRM_DEAL_DETAIL_TAB", "handler": "https://app.acme.example/deal", "title": "Deals" }"#
        return [
            "1.0.0": "{\n\(head)\n  \"version\": \"1.0.0\",\n  \"changelog\": { \"en\": \"Deal tab with the linked items.\" },\n"
                + "  \"placements\": [\(deal)]\n}\n",
            "2.0.0": "{\n\(head)\n  \"version\": \"2.0.0\",\n  \"changelog\": { \"en\": \"A task tab and deal updates.\" },\n"
                + "  \"placements\": [\(deal), { \"placement\": \"TASK_VIEW_TAB\", \"handler\": \"\(task)\", \"title\": \"Tasks\" }],\n"
                + "  \"events\": [\(events)]\n}\n",
        ]
    }

    @Test("a handler answering 500 fails the preflight and binds nothing; once fixed, apply again completes the release")
    func brokenThenFixed() throws {
        let handlers = try HandlerServer()
        defer { handlers.stop() }
        let workspace = try FarmWorkspace(
            app: "acme.preflight", plans: Self.plans(task: "\(handlers.base)/broken/task", event: "\(handlers.base)/signed/hook"),
            environment: ["B24PLAN_SKIP_PREFLIGHT": ""])
        defer { workspace.close() }
        try workspace.resetStats()
        let failed = try workspace.release("2.0.0")
        #expect(failed.code == 1, "\(failed.stdout)\(failed.stderr)")
        let text = failed.stdout + failed.stderr
        #expect(text.contains("\(handlers.base)/broken/task → 500 (server error)"), "\(text)")
        #expect(!text.contains("/signed/hook → 401"), "only the failing URLs are named: \(text)")
        #expect(try workspace.writes().isEmpty, "nothing was bound on any portal")
        #expect((try workspace.farm.stats()["methods"] as? [String: Int] ?? [:]).isEmpty, "no portal was even read")
        #expect(try workspace.step("portals.preflight", of: "2.0.0")?["state"] as? String == "failed")

        try handlers.set("broken", 200)
        let fixed = try workspace.run(["apply", "--yes", workspace.plan("2.0.0")])
        #expect(fixed.code == 0, "\(fixed.stdout)\(fixed.stderr)")
        #expect(try workspace.writes() == ["placement.bind": 5, "event.bind": 5])
        let passed = try workspace.step("portals.preflight", of: "2.0.0")
        #expect(passed?["state"] as? String == "done")
        #expect((passed?["detail"] as? String)?.contains("/signed/hook → 401") == true, "a 401 passes and is recorded")
    }

    @Test("404, a refused connection and a timeout each fail the preflight, named with what happened")
    func everyFailureNamed() throws {
        let handlers = try HandlerServer()
        defer { handlers.stop() }
        let workspace = try FarmWorkspace(
            app: "acme.preflight",
            plans: Self.plans(
                task: "\(handlers.base)/missing/task", event: "http://127.0.0.1:1/hook", more: ["\(handlers.base)/slow/hook"]),
            environment: ["B24PLAN_SKIP_PREFLIGHT": ""])
        defer { workspace.close() }
        let failed = try workspace.release("2.0.0", ["--preflight-timeout", "3"])
        #expect(failed.code == 1)
        let text = failed.stdout + failed.stderr
        #expect(text.contains("/missing/task → 404 (not found)"), "\(text)")
        #expect(text.contains("http://127.0.0.1:1/hook → no answer"), "\(text)")
        #expect(text.contains("/slow/hook → no answer"), "\(text)")
        #expect(text.contains("3 handler URLs failed the preflight"), "\(text)")
        #expect(try workspace.writes().isEmpty)
    }

    @Test("--skip-preflight requests nothing, is journaled, and the release goes on")
    func skipped() throws {
        let handlers = try HandlerServer()
        defer { handlers.stop() }
        let workspace = try FarmWorkspace(
            app: "acme.preflight", plans: Self.plans(task: "\(handlers.base)/broken/task", event: "\(handlers.base)/broken/hook"),
            environment: ["B24PLAN_SKIP_PREFLIGHT": ""])
        defer { workspace.close() }
        let apply = try workspace.release("2.0.0", ["--skip-preflight"])
        #expect(apply.code == 0, "\(apply.stdout)\(apply.stderr)")
        let step = try workspace.step("portals.preflight", of: "2.0.0")
        #expect(step?["state"] as? String == "done")
        #expect((step?["detail"] as? String)?.hasPrefix("skipped (--skip-preflight)") == true)
        #expect(try workspace.writes() == ["placement.bind": 5, "event.bind": 5])
        let status = try workspace.run(["status", workspace.plan("2.0.0")])
        #expect(status.stdout.contains("portals.preflight") && status.stdout.contains("skipped"), "\(status.stdout)")
    }
}
