import Foundation
import Testing

/// `b24plan report` on real rollouts against the farm: a release in two waves with a rejected and
/// then passed gate and portals in every state, rendered by headless Chromium; which run is
/// reported; errors; an older journal; PostgreSQL.
@Suite("report", .serialized)
struct ReportCommandTests {
    static let plans: [String: String] = {
        let head = #""app": "acme.report", "handlerHosts": ["app.acme.example"],"#
        let deal = #"{ "placement": "CRM_DEAL_DETAIL_TAB", "handler": "https://app.acme.example/deal", "title": "Deals" }"#
        let task = #"{ "placement": "TASK_VIEW_TAB", "handler": "https://app.acme.example/task", "title": "Tasks" }"#
        let scopes =
            #""scopes": ["crm", "placement", { "code": "task", "purpose": "Shows linked deals on the task tab" }], "#
            + #""scopeUpgrade": "reinstall","#
        return [
            "1.0.0": "{ \(head) \"scopes\": [\"crm\", \"placement\"], \"version\": \"1.0.0\", "
                + "\"changelog\": { \"en\": \"Deal tab with the linked items.\" }, \"placements\": [\(deal)] }\n",
            "2.0.0": "{ \(head) \(scopes) \"version\": \"2.0.0\", \"changelog\": { \"en\": \"A task tab with the linked deals.\" }, "
                + "\"placements\": [\(deal), \(task)] }\n",
            "2.1.0": "{ \(head) \(scopes) \"version\": \"2.1.0\", \"changelog\": { \"en\": \"Faster loading of the task tab.\" }, "
                + "\"placements\": [\(deal), \(task)] }\n",
        ]
    }()

    static let sectionIDs = ["graph", "timeline", "portals", "rate", "failures", "missing-scopes"]
    static let hostileReason = #"<script>alert("gate")</script> & 'quoted' text"#

    func json(_ output: CLIRunner.Output) throws -> [String: Any] {
        try #require(output.code == 0, "\(output.stdout)\(output.stderr)")
        return try CLIRunner.json(output)
    }

    /// Sum of the journal's requests per second over the run of `version`.
    static func journaledRequests(_ report: [String: Any]) -> Int {
        ((report["rate"] as? [String: Any])?["points"] as? [[String: Any]] ?? []).compactMap { $0["requests"] as? Int }.reduce(0, +)
    }

    @Test("a rollout in two waves with portals in every state: the report's data, and its page rendered by headless Chromium")
    func rolloutRenderedInChromium() throws {
        let chromium = try HeadlessChromium.find()
        let rollout = #""rollout": { "waves": [50, 100], "between": "gate", "halt": { "failedPercent": 90 } }"#
        let workspace = try FarmWorkspace(
            app: "acme.report", plans: Self.plans, portals: 24, config: rollout,
            faults: "missing_scope=3,deleted=2,uninstalled=2,not_installed=2,redirect_insecure=2")
        defer { workspace.close() }
        let plan = workspace.plan("2.0.0")
        // The release gates, moderation rejected once (with a hostile reason) and then passed.
        #expect(try workspace.run(["apply", "--yes", plan]).code == 3)
        for gate in ["deploy", "gate.partner"] { #expect(try workspace.run(["gate", "pass", gate, plan]).code == 0) }
        let reject = try workspace.run(["gate", "reject", "gate.moderation", plan, "--reason", Self.hostileReason, "--by", "<b>eve</b>"])
        #expect(reject.code == 0, "\(reject.stderr)")
        #expect(try workspace.run(["gate", "pass", "gate.moderation", plan]).code == 0)
        let first = try workspace.run(["apply", "--yes", plan])
        #expect(first.code == 3, "wave 1 done, then gate.wave.1: \(first.stdout)\(first.stderr)")

        // At the gate: wave 2 is not started, its portals are pending.
        let members = (1...24).map { String(format: "m%05d", $0) }
        let position = try WavesTests.percentiles(members)
        let secondWave = members.filter { position[$0]! >= 50 }
        let atGate = try json(workspace.run(["report", "--format", "json"]))
        let portals = try #require(atGate["portals"] as? [String: Any])
        #expect((portals["totals"] as? [String: Int])?["pending"] == secondWave.count, "\(portals)")
        let bars = try #require(portals["bars"] as? [[String: Any]])
        #expect(bars.map { $0["step"] as? String } == ["portals.wave.1", "portals.wave.2"])
        #expect((bars[1]["counts"] as? [String: Int])?.values.reduce(0, +) == 0)

        #expect(try workspace.run(["gate", "pass", "gate.wave.1", plan]).code == 0)
        let last = try workspace.run(["apply", "--yes", plan])
        #expect(last.code == 3, "failed portals leave the run incomplete: \(last.stdout)\(last.stderr)")

        // The report's data: every state, causes, missing scopes, gates, the stored plan's graph.
        let report = try json(workspace.run(["report", "--format", "json", plan]))
        #expect(report["version"] as? String == "2.0.0" && report["app"] as? String == "acme.report")
        #expect(Set(report.keys).isSuperset(of: ["graph", "timeline", "portals", "rate", "failures", "missingScopes"]))
        let totals = try #require((report["portals"] as? [String: Any])?["totals"] as? [String: Int])
        for state in ["done", "needs-reinstall", "inactive", "failed"] { #expect(totals[state] ?? 0 > 0, "\(state): \(totals)") }
        #expect(totals.values.reduce(0, +) == 24 && totals["pending"] == 0, "\(totals)")
        let groups = try #require((report["failures"] as? [String: Any])?["groups"] as? [[String: Any]])
        let causes = Set(groups.compactMap { $0["cause"] as? String })
        for cause in [
            "PORTAL_DELETED", "APPLICATION_NOT_FOUND", "redirect not followed", "app.info says INSTALLED: false", "token lacks task",
        ] {
            #expect(causes.contains(cause), "\(cause) in \(causes.sorted())")
        }
        let missing = try #require(report["missingScopes"] as? [[String: Any]])
        #expect(missing.first?["scope"] as? String == "task" && (missing.first?["count"] as? Int ?? 0) >= 1, "\(missing)")
        let graph = try #require(report["graph"] as? [String: Any])
        #expect(graph["source"] as? String == "plan-file" && graph["edgesKnown"] as? Bool == true)
        let gates = try #require((report["timeline"] as? [String: Any])?["gates"] as? [[String: Any]])
        #expect(gates.contains { $0["state"] as? String == "rejected" && $0["reason"] as? String == Self.hostileReason })

        // Requests per second: the journal holds exactly what the farm answered.
        let farmRequests = try #require(try workspace.farm.stats()["requests_total"] as? Int)
        #expect(farmRequests > 24 && Self.journaledRequests(report) == farmRequests, "journal vs farm \(farmRequests)")
        let rows = try workspace.rows("SELECT step_id, SUM(requests) AS n FROM b24plan_request_rate GROUP BY step_id ORDER BY step_id")
        #expect(rows.compactMap { $0["step_id"] as? String } == ["portals.scope-audit", "portals.wave.1", "portals.wave.2"], "\(rows)")

        // The page, without FILE (the latest run), written with --out; rendered by Chromium.
        let page = workspace.folder.appendingPathComponent("report.html")
        let written = try workspace.run(["report", "--out", page.path])
        #expect(written.code == 0 && written.stdout.isEmpty, "\(written.stderr)")
        let html = try String(contentsOf: page, encoding: .utf8)
        #expect(
            !html.lowercased().contains("<script")
                && html.contains("&lt;script&gt;alert(&quot;gate&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;"))
        #expect(html.contains("&lt;b&gt;eve&lt;/b&gt;"))
        #expect(html.contains("Drawn from the plan the state store keeps for acme.report 2.0.0"))

        let screenshot = workspace.folder.appendingPathComponent("report.png")
        let shot = try chromium.run(["--screenshot=" + screenshot.path, "--window-size=1280,2000", page.absoluteString])
        #expect(!shot.timedOut, "chromium --screenshot did not finish: \(shot.stderr.suffix(2000))")
        let png = try Data(contentsOf: screenshot)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 30_000, "a screenshot of \(png.count) bytes")

        let dump = try chromium.run(["--enable-logging=stderr", "--v=0", "--dump-dom", page.absoluteString])
        #expect(!dump.timedOut && dump.status == 0, "chromium --dump-dom: \(dump.status) \(dump.stderr.suffix(2000))")
        let dom = dump.stdout
        for id in Self.sectionIDs { #expect(dom.contains("<section id=\"\(id)\""), "section \(id) in the rendered DOM") }
        #expect(!dom.lowercased().contains("<script"))
        let svgs = HeadlessChromium.svgElements(dom)
        #expect(svgs.count >= 5, "graph, timeline, portals, rate and legends: \(svgs.count)")
        for svg in svgs {
            #expect(svg.contains("<rect") || svg.contains("<path") || svg.contains("<text"), "an empty SVG: \(svg.prefix(200))")
        }
        for chart in ["class=\"graph\"", "class=\"timeline\"", "class=\"portals\"", "class=\"rate\""] {
            let svg = svgs.first { $0.contains(chart) }
            #expect(svg != nil, "\(chart)")
            #expect((svg?.components(separatedBy: "<rect").count ?? 0) + (svg?.components(separatedBy: "<path").count ?? 0) > 3, "\(chart)")
        }
        #expect(HeadlessChromium.consoleLines(dump.stderr).isEmpty, "console: \(HeadlessChromium.consoleLines(dump.stderr))")
        // B24PLAN_KEEP_REPORT=DIR keeps the page and its screenshot for a look by eye.
        if let keep = ProcessInfo.processInfo.environment["B24PLAN_KEEP_REPORT"], !keep.isEmpty {
            for file in [page, screenshot] {
                let target = URL(fileURLWithPath: keep).appendingPathComponent(file.lastPathComponent)
                try? FileManager.default.removeItem(at: target)
                try FileManager.default.copyItem(at: file, to: target)
            }
        }
    }

    @Test("which run: the latest without FILE, FILE's run with it; a FILE never applied exits 1; usage errors exit 64; nothing is created")
    func runSelectionAndErrors() throws {
        let workspace = try FarmWorkspace(app: "acme.report", plans: Self.plans, portals: 4)
        defer { workspace.close() }
        #expect(try workspace.release("2.0.0").code == 0)
        let latest = try json(workspace.run(["report", "--format", "json"]))
        #expect(latest["version"] as? String == "2.0.0" && latest["runState"] as? String == "done")
        #expect((latest["graph"] as? [String: Any])?["source"] as? String == "stored-plan")
        let steps = ((latest["graph"] as? [String: Any])?["steps"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(steps.contains("portals.reconcile") && steps.contains("portals.scope-audit"), "\(steps)")
        #expect(((latest["portals"] as? [String: Any])?["totals"] as? [String: Int])?["done"] == 4)
        let baseline = try json(workspace.run(["report", "--format", "json", workspace.plan("1.0.0")]))
        #expect(baseline["version"] as? String == "1.0.0" && baseline["runState"] as? String == "baseline")
        #expect((baseline["rate"] as? [String: Any])?["totalRequests"] as? Int == 0)

        let never = try workspace.run(["report", workspace.plan("2.1.0")])
        #expect(never.code == 1 && never.stdout.isEmpty, "\(never.stdout)")
        #expect(never.stderr.contains("acme.report 2.1.0 has not been applied"), "\(never.stderr)")
        for usage in [["report", "a.json", "b.json"], ["report", "--format", "text"], ["report", "--colour"]] {
            let output = try workspace.run(usage)
            #expect(output.code == 64, "\(usage): \(output.code) \(output.stderr)")
        }
        let missing = workspace.folder.appendingPathComponent("none/state.db")
        let noStore = try workspace.run(["report", "--database", "sqlite:" + missing.path])
        #expect(noStore.code == 64 && noStore.stderr.contains("does not exist"), "\(noStore.stderr)")
        #expect(!FileManager.default.fileExists(atPath: missing.path), "report creates no store")
        let help = try workspace.run(["report", "--help"])
        #expect(help.code == 0 && help.stdout.contains("--format FORMAT") && help.stdout.contains("--out PATH"))
    }

    @Test("a journal written before schema 4: the report says it has no request records, and leaves the journal as it is")
    func olderJournal() throws {
        let workspace = try FarmWorkspace(app: "acme.report", plans: Self.plans, portals: 3)
        defer { workspace.close() }
        #expect(try workspace.release("2.0.0").code == 0)
        _ = try CLIRunner.runTool(
            "/usr/bin/env",
            [
                "sqlite3", workspace.folder.appendingPathComponent("state.db").path,
                "DROP TABLE b24plan_request_rate; UPDATE b24plan_meta SET value = '3' WHERE key = 'schema_version';",
            ])
        let output = try workspace.run(["report"])
        #expect(output.code == 0, "\(output.stderr)")
        #expect(output.stdout.contains("older than journal schema 4") && output.stderr.contains("has schema 3"), "\(output.stderr)")
        #expect(try workspace.rows("SELECT value FROM b24plan_meta WHERE key = 'schema_version'").first?["value"] as? String == "3")
        let data = try json(workspace.run(["report", "--format", "json"]))
        #expect((data["rate"] as? [String: Any])?["recorded"] as? Bool == false)
    }

    @Test("PostgreSQL: workers' claims and the request rate there, the report of the run")
    func postgres() throws {
        guard let postgres = try FleetTests.postgresDatabase("report") else { return }
        let setup = try FleetTests.Setup(portals: 12, faults: "deleted=1,missing_scope=2", postgres: postgres)
        defer { setup.close() }
        let apply = try setup.run(["apply", "--yes", "plans/acme.dealsync/2.0.0.json"])
        #expect(apply.code == 0 || apply.code == 3, "\(apply.stdout)\(apply.stderr)")
        let report = try json(setup.run(["report", "--format", "json"]))
        #expect(report["app"] as? String == "acme.dealsync" && report["version"] as? String == "2.0.0")
        let totals = try #require((report["portals"] as? [String: Any])?["totals"] as? [String: Int])
        #expect(totals.values.reduce(0, +) == 12 && totals["inactive"] == 1, "\(totals)")
        let farmRequests = try #require(try setup.farm.stats()["requests_total"] as? Int)
        #expect(Self.journaledRequests(report) == farmRequests, "journal vs farm \(farmRequests)")
        let html = try setup.run(["report"])
        #expect(html.code == 0, "\(html.stderr)")
        for id in Self.sectionIDs { #expect(html.stdout.contains("<section id=\"\(id)\""), "\(id)") }
        #expect(html.stdout.contains("PORTAL_DELETED"))
    }
}
