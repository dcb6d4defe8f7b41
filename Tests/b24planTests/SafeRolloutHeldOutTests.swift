import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Held-out tests of issue 12 (handler preflight, bulk repair, idempotent notice), written from the
/// README / DESIGN §6–7 alone, against the fake portal farm and a local stand-in for handler URLs.
@Suite("safe rollout held-out (issue 12)", .serialized)
struct SafeRolloutHeldOutTests {
    typealias Setup = FleetTests.Setup
    static let plan = "plans/acme.dealsync/2.0.0.json"

    // MARK: - A handler stand-in

    /// The shared stand-in (Tests/Fixtures/handler-server/handlers.py): the first path segment decides
    /// the answer (`ok` 200, `signed` 401, `forbidden` 403, `missing`/`gone` 404, `broken` 500,
    /// `unavailable` 503, `slow` 200 after 5 s, `r302` a redirect to `/gone/target`).
    typealias Handlers = HandlerServer

    // MARK: - Plans of our own

    static let deal = #"{ "placement": "CRM_DEAL_DETAIL_TAB", "handler": "https://app.acme.example/deal", "title": "Deals" }"#

    static func planText(
        _ version: String, placements: [(code: String, handler: String, title: String)] = [],
        events: [(event: String, handler: String)] = [], keepDeal: Bool = true, dealTitle: String = "Deals"
    ) -> String {
        var items: [String] = []
        if keepDeal {
            items.append(#"{ "placement": "CRM_DEAL_DETAIL_TAB", "handler": "https://app.acme.example/deal", "title": "\#(dealTitle)" }"#)
        }
        items += placements.map { #"{ "placement": "\#($0.code)", "handler": "\#($0.handler)", "title": "\#($0.title)" }"# }
        let eventItems = events.map { #"{ "event": "\#($0.event)", "handler": "\#($0.handler)" }"# }
        return """
            {
              "app": "acme.heldout",
              "version": "\(version)",
              "changelog": { "en": "Held-out release \(version) with its handlers." },
              "scopes": ["crm", "placement", "task"],
              "handlerHosts": ["app.acme.example"],
              "placements": [\(items.joined(separator: ", "))],
              "events": [\(eventItems.joined(separator: ", "))]
            }

            """
    }

    /// A workspace whose 1.0.0 (the deal tab) is baselined and on the farm, with `next` as 2.0.0,
    /// and the preflight switched on (the harness turns it off by default).
    static func workspace(_ plans: [String: String], portals: Int = 5, environment: [String: String] = [:]) throws -> FarmWorkspace {
        var all = plans
        if all["1.0.0"] == nil { all["1.0.0"] = planText("1.0.0") }
        return try FarmWorkspace(
            app: "acme.heldout", plans: all, portals: portals,
            environment: ["B24PLAN_SKIP_PREFLIGHT": ""].merging(environment) { _, new in new })
    }

    static func farmRequests(_ farm: PortalFarm) throws -> (rest: Int, oauth: Int) {
        let stats = try farm.stats()
        return (stats["requests_total"] as? Int ?? -1, stats["oauth_requests_total"] as? Int ?? -1)
    }

    /// What apply printed once it ran the preflight (the plan it shows first lists every URL it checks).
    static func report(_ output: CLIRunner.Output) -> String {
        let text = output.stdout + "\n" + output.stderr
        guard let start = text.range(of: "→ portals.preflight", options: .backwards) else { return text }
        return String(text[start.upperBound...])
    }

    /// Lines of the report that name `url` (the URL ends there: not a prefix of a longer one).
    static func lines(_ output: CLIRunner.Output, naming url: String) -> [String] {
        report(output).split(separator: "\n").map(String.init).filter { line in
            var search = line[...]
            while let range = search.range(of: url) {
                let next = search[range.upperBound...].first
                if next == nil || next == " " || next == ":" || next == "\"" || next == "," || next == ";" || next == ")" { return true }
                search = search[range.upperBound...]
            }
            return false
        }
    }

    /// The segment of a report line about `url`: from the URL to the next "; " (one URL's answer).
    static func answer(_ output: CLIRunner.Output, for url: String) -> String? {
        for line in lines(output, naming: url) {
            guard let range = line.range(of: url + " ") ?? line.range(of: url + ":") else { continue }
            let rest = line[range.lowerBound...]
            return String(rest.components(separatedBy: "; ").first ?? String(rest))
        }
        return nil
    }

    // MARK: - Preflight

    @Test(
        "preflight: 200/401/403 pass; 404, 500, 503, refused, timeout, DNS and TLS failure fail, each named once; nothing reaches the farm")
    func preflightAnswerMatrix() throws {
        let handlers = try Handlers()
        defer { handlers.stop() }
        let b = handlers.base
        let passing = ["\(b)/ok/task", "\(b)/signed/a", "\(b)/forbidden/b"]
        let failing = [
            ("\(b)/missing/c", "404"), ("\(b)/broken/d", "500"), ("\(b)/unavailable/e", "503"), ("http://127.0.0.1:1/closed", ""),
            ("\(b)/slow/f", ""), ("https://app.acme.example/dns", ""), ("https://127.0.0.1:\(handlers.port)/ok/tls", ""),
        ]
        let events = (passing.dropFirst() + failing.map(\.0)).map { (event: "ONCRMDEALUPDATE", handler: $0) }
        let workspace = try Self.workspace([
            "2.0.0": Self.planText("2.0.0", placements: [("TASK_VIEW_TAB", passing[0], "Tasks")], events: Array(events))
        ])
        defer { workspace.close() }
        try workspace.resetStats()
        let started = Date()
        let failed = try workspace.release("2.0.0", ["--preflight-timeout", "3"])
        let elapsed = Date().timeIntervalSince(started)
        let text = failed.stdout + failed.stderr
        #expect(failed.code == 1, "exit 1 on a failed preflight: \(failed.code) \(text)")
        for (url, status) in failing {
            let answer = Self.answer(failed, for: url)
            #expect(answer != nil, "the failing URL \(url) is named: \(Self.report(failed))")
            #expect((answer?.count ?? 0) > url.count + 3, "with what happened: \(answer ?? "")")
            if !status.isEmpty { #expect(answer?.contains(status) == true, "\(url) is named with its \(status): \(answer ?? "")") }
        }
        for url in passing {
            #expect(
                Self.lines(failed, naming: url).isEmpty, "a passing URL is not named among the failures: \(url) in \(Self.report(failed))")
        }
        let farm = try Self.farmRequests(workspace.farm)
        #expect(farm.rest == 0 && farm.oauth == 0, "no request of any kind reached the farm (REST, OAuth): \(farm)")
        #expect(try workspace.writes().isEmpty)
        #expect(try workspace.step("portals.preflight", of: "2.0.0")?["state"] as? String == "failed")
        #expect(try workspace.step("portals.reconcile", of: "2.0.0")?["state"] as? String != "done")
        #expect(elapsed < 40, "a 1 s preflight timeout keeps the whole check short: \(elapsed) s")

        // One POST with an empty form body per URL the stand-in serves (TLS never reaches it as HTTP).
        let log = handlers.log()
        for url in passing + failing.map(\.0) where url.hasPrefix(b) {
            let path = String(url.dropFirst(b.count))
            let seen = log.filter { $0["path"] as? String == path }
            #expect(seen.count == 1, "one request to \(path): \(seen)")
            #expect(
                seen.allSatisfy { $0["method"] as? String == "POST" && $0["length"] as? Int == 0 }, "a POST with an empty body: \(seen)")
            #expect(
                seen.allSatisfy { ($0["type"] as? String ?? "").hasPrefix("application/x-www-form-urlencoded") },
                "an empty form, as a portal posts it: \(seen)")
        }

        let status = try workspace.run(["status", workspace.plan("2.0.0")])
        #expect(status.stdout.contains("portals.preflight"), "status shows the step: \(status.stdout)")
        #expect(status.stdout.contains("\(b)/missing/c"), "status shows what each URL answered: \(status.stdout)")
    }

    @Test("preflight: a 404 handler fails the release; once it answers 403 (signed requests only), apply again completes")
    func fixedHandlerCompletes() throws {
        let handlers = try Handlers()
        defer { handlers.stop() }
        let b = handlers.base
        let workspace = try Self.workspace([
            "2.0.0": Self.planText(
                "2.0.0", placements: [("TASK_VIEW_TAB", "\(b)/missing/task", "Tasks")], events: [("ONCRMDEALUPDATE", "\(b)/signed/hook")])
        ])
        defer { workspace.close() }
        try workspace.resetStats()
        let failed = try workspace.release("2.0.0")
        #expect(failed.code == 1, "\(failed.stdout)\(failed.stderr)")
        #expect(Self.answer(failed, for: "\(b)/missing/task")?.contains("404") == true, "\(Self.report(failed))")
        #expect(try Self.farmRequests(workspace.farm) == (0, 0))

        handlers.set("missing", 403)
        let fixed = try workspace.run(["apply", "--yes", workspace.plan("2.0.0")])
        #expect(fixed.code == 0, "\(fixed.stdout)\(fixed.stderr)")
        #expect(try workspace.writes() == ["placement.bind": 5, "event.bind": 5])
        #expect(handlers.requests(to: "/missing/task") == 2, "the fixed handler was checked again")
        #expect(try workspace.step("portals.preflight", of: "2.0.0")?["state"] as? String == "done")
        let status = try workspace.run(["status", workspace.plan("2.0.0")])
        let line = status.stdout.split(separator: "\n").first { $0.contains("\(b)/missing/task") }
        #expect(line?.contains("403") == true, "status shows what the URL answered: \(status.stdout)")
    }

    @Test("preflight: B24PLAN_SKIP_PREFLIGHT=1 requests no handler, journals the skip and binds")
    func skippedByEnvironment() throws {
        let handlers = try Handlers()
        defer { handlers.stop() }
        let workspace = try Self.workspace(
            ["2.0.0": Self.planText("2.0.0", placements: [("TASK_VIEW_TAB", "\(handlers.base)/broken/task", "Tasks")])],
            environment: ["B24PLAN_SKIP_PREFLIGHT": "1"])
        defer { workspace.close() }
        let apply = try workspace.release("2.0.0")
        #expect(apply.code == 0, "\(apply.stdout)\(apply.stderr)")
        #expect(handlers.log().isEmpty, "no handler requested: \(handlers.log())")
        let detail = try workspace.step("portals.preflight", of: "2.0.0")?["detail"] as? String ?? ""
        #expect(detail.contains("skip"), "the skip is journaled: \(detail)")
    }

    @Test(
        "preflight step: present in diff/graph when a handler URL is new, absent when only a title changed (and then no URL is requested)")
    func preflightOnlyForNewHandlers() throws {
        let handlers = try Handlers()
        defer { handlers.stop() }
        let workspace = try Self.workspace([
            "2.0.0": Self.planText("2.0.0", dealTitle: "Linked deals"),
            "3.0.0": Self.planText("3.0.0", placements: [("TASK_VIEW_TAB", "\(handlers.base)/ok/task", "Tasks")]),
        ])
        defer { workspace.close() }

        func steps(_ arguments: [String]) throws -> [[String: Any]] {
            let output = try workspace.run(arguments)
            return (try? CLIRunner.json(output))?["steps"] as? [[String: Any]] ?? []
        }
        // 3.0.0 against the published 1.0.0: a new handler URL.
        for command in [["diff", "--format", "json", workspace.plan("3.0.0")], ["graph", "--format", "json", workspace.plan("3.0.0")]] {
            let list = try steps(command)
            let preflight = list.first { $0["id"] as? String == "portals.preflight" }
            #expect(preflight != nil, "\(command[0]) lists portals.preflight: \(list.map { $0["id"] ?? "" })")
            #expect(preflight?["after"] as? [String] == ["gate.moderation"], "\(preflight ?? [:])")
            let actions = ((preflight?["actions"] as? [String]) ?? []).joined(separator: "\n")
            #expect(actions.contains("\(handlers.base)/ok/task"), "names the URL it checks: \(actions)")
            let reconcile = list.first { $0["id"] as? String == "portals.reconcile" }
            #expect((reconcile?["after"] as? [String])?.contains("portals.preflight") == true, "\(reconcile ?? [:])")
        }
        for format in ["dot", "mermaid", "text"] {
            let graph = try workspace.run(["graph", "--format", format, workspace.plan("3.0.0")])
            #expect(graph.stdout.contains("portals.preflight"), "graph --format \(format): \(graph.stdout)")
        }
        // 2.0.0 changes only the deal tab's title: a reconcile, but no handler URL to check.
        for command in [["diff", "--format", "json", workspace.plan("2.0.0")], ["graph", "--format", "json", workspace.plan("2.0.0")]] {
            let ids = try steps(command).compactMap { $0["id"] as? String }
            #expect(ids.contains("portals.reconcile"), "\(ids)")
            #expect(!ids.contains("portals.preflight"), "\(command[0]): no preflight without a new or changed URL: \(ids)")
        }
        // Applied with the preflight on and a fictitious host: it completes, so nothing was checked.
        let apply = try workspace.release("2.0.0")
        #expect(apply.code == 0, "\(apply.stdout)\(apply.stderr)")
        #expect(try workspace.step("portals.preflight", of: "2.0.0") == nil, "no preflight step journaled")
    }

    @Test("rollback: apply --rollback to a release whose handler differs checks the older handler first")
    func rollbackChecksOlderHandler() throws {
        let handlers = try Handlers()
        defer { handlers.stop() }
        let b = handlers.base
        handlers.set("old", 500)
        handlers.set("new", 200)
        let workspace = try Self.workspace([
            "1.0.0": Self.planText("1.0.0", events: [("ONCRMDEALUPDATE", "\(b)/old/hook")]),
            "2.0.0": Self.planText("2.0.0", events: [("ONCRMDEALUPDATE", "\(b)/new/hook")]),
        ])
        defer { workspace.close() }
        let release = try workspace.release("2.0.0")
        #expect(release.code == 0, "\(release.stdout)\(release.stderr)")
        #expect(handlers.requests(to: "/old/hook") == 0)
        try workspace.resetStats()

        let rollback = try workspace.run(["apply", "--yes", "--rollback", workspace.plan("1.0.0")])
        let text = rollback.stdout + rollback.stderr
        #expect(rollback.code == 1, "the older handler answers 500: \(rollback.code) \(text)")
        #expect(text.contains("portals.preflight"), "the rollback's graph has the preflight: \(text)")
        #expect(Self.answer(rollback, for: "\(b)/old/hook")?.contains("500") == true, "\(text)")
        #expect(handlers.requests(to: "/old/hook") == 1)
        #expect(try Self.farmRequests(workspace.farm) == (0, 0), "no portal touched")

        handlers.set("old", 200)
        let again = try workspace.run(["apply", "--yes", "--rollback", workspace.plan("1.0.0")])
        #expect(again.code == 0, "\(again.stdout)\(again.stderr)")
        let events = try workspace.farm.portal("m00001")["events"] as? [[String: Any]] ?? []
        #expect(events.map { $0["handler"] as? String ?? "" } == ["\(b)/old/hook"], "\(events)")
    }

    // MARK: - Preflight fault probes

    @Test("probe: a handler that redirects (302) to a 404 fails the preflight")
    func redirectToNotFound() throws {
        let handlers = try Handlers()
        defer { handlers.stop() }
        let url = "\(handlers.base)/r302/task"
        let workspace = try Self.workspace(["2.0.0": Self.planText("2.0.0", placements: [("TASK_VIEW_TAB", url, "Tasks")])])
        defer { workspace.close() }
        try workspace.resetStats()
        let apply = try workspace.release("2.0.0")
        #expect(apply.code == 1, "a handler whose request ends at a 404 is broken: \(apply.code) \(apply.stdout)\(apply.stderr)")
        #expect(!Self.lines(apply, naming: url).isEmpty, "named: \(Self.report(apply))")
        #expect(try workspace.writes().isEmpty)
    }

    @Test("probe: URLs with odd (legal) characters are requested exactly as written and named verbatim")
    func oddCharacters() throws {
        let handlers = try Handlers()
        defer { handlers.stop() }
        let okPath = "/ok/a;b=c/d!e$f'g(h)*i,j+k~l%20m%C3%A9?q=1&r=%2F&s=a+b"
        let badPath = "/missing/x%2Fy;z=1?u=%22%3Cq%3E"
        let workspace = try Self.workspace([
            "2.0.0": Self.planText(
                "2.0.0", placements: [("TASK_VIEW_TAB", handlers.base + okPath, "Tasks")],
                events: [("ONCRMDEALUPDATE", handlers.base + badPath)])
        ])
        defer { workspace.close() }
        let lint = try workspace.run(["lint", workspace.plan("2.0.0")])
        #expect(lint.code == 0, "the plan lints: \(lint.stdout)\(lint.stderr)")
        let failed = try workspace.release("2.0.0")
        let text = failed.stdout + failed.stderr
        #expect(failed.code == 1, "\(text)")
        #expect(Self.answer(failed, for: handlers.base + badPath)?.contains("404") == true, "named verbatim: \(Self.report(failed))")
        #expect(Self.lines(failed, naming: handlers.base + okPath).isEmpty, "\(Self.report(failed))")
        let paths = handlers.log().compactMap { $0["path"] as? String }
        #expect(paths.filter { $0 == okPath }.count == 1, "requested as written: \(paths)")
        #expect(paths.filter { $0 == badPath }.count == 1, "requested as written: \(paths)")
        #expect(try Self.farmRequests(workspace.farm) == (0, 0))
    }

    @Test("probe: 60 handler URLs, one shared by a placement and an event: each requested once, only the broken one named")
    func manyHandlerURLs() throws {
        let handlers = try Handlers()
        defer { handlers.stop() }
        let b = handlers.base
        var events = (1...58).map { (event: "ONCRMDEALUPDATE", handler: "\(b)/ok/h\($0)") }
        events.append((event: "ONCRMDEALADD", handler: "\(b)/ok/shared"))
        events.append((event: "ONCRMDEALADD", handler: "\(b)/broken/h60"))
        let workspace = try Self.workspace([
            "2.0.0": Self.planText("2.0.0", placements: [("TASK_VIEW_TAB", "\(b)/ok/shared", "Tasks")], events: events)
        ])
        defer { workspace.close() }
        let failed = try workspace.release("2.0.0")
        let text = failed.stdout + failed.stderr
        #expect(failed.code == 1, "\(text)")
        #expect(Self.answer(failed, for: "\(b)/broken/h60")?.contains("500") == true, "\(Self.report(failed))")
        for url in ["\(b)/ok/h1", "\(b)/ok/h5", "\(b)/ok/h58", "\(b)/ok/shared"] {
            #expect(Self.lines(failed, naming: url).isEmpty, "\(url) passed: \(Self.report(failed))")
        }
        let paths = handlers.log().compactMap { $0["path"] as? String }
        #expect(paths.count == 60, "one request per distinct URL (60): \(paths.count)")
        #expect(Set(paths).count == paths.count, "no URL requested twice")
        #expect(try Self.farmRequests(workspace.farm) == (0, 0))
    }

    @Test("probe: SIGINT while the preflight waits on a slow handler: exit 130 promptly, no portal touched; apply again completes")
    func sigintDuringPreflight() throws {
        let handlers = try Handlers()
        defer { handlers.stop() }
        let workspace = try Self.workspace([
            "2.0.0": Self.planText("2.0.0", placements: [("TASK_VIEW_TAB", "\(handlers.base)/slow/task", "Tasks")])
        ])
        defer { workspace.close() }
        let first = try workspace.run(["apply", "--yes", workspace.plan("2.0.0")])
        #expect(first.code == 3)
        try workspace.passGates("2.0.0")
        try workspace.resetStats()
        let process = Process()
        process.executableURL = CLIRunner.binary
        process.arguments = ["apply", "--yes", workspace.plan("2.0.0")]
        process.currentDirectoryURL = workspace.folder
        process.environment = CLIRunner.childEnvironment(workspace.environment)
        let log = workspace.folder.appendingPathComponent("apply.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline && process.isRunning && handlers.requests(to: "/slow/task") == 0 { usleep(50_000) }
        #expect(process.isRunning, "apply ended before the preflight request")
        usleep(300_000)
        let signalled = Date()
        kill(process.processIdentifier, SIGINT)
        let stopBy = Date().addingTimeInterval(15)
        while process.isRunning && Date() < stopBy { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            Issue.record("apply did not stop within 15 s of SIGINT")
        }
        process.waitUntilExit()
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 130, "\(process.terminationStatus) \(output)")
        #expect(Date().timeIntervalSince(signalled) < 7, "stops within the handler's answer time")
        #expect(try Self.farmRequests(workspace.farm) == (0, 0), "no portal touched after the interrupt")
        #expect(try workspace.step("portals.reconcile", of: "2.0.0")?["state"] as? String != "done")

        handlers.set("slow", 401)
        let again = try workspace.run(["apply", "--yes", workspace.plan("2.0.0")])
        #expect(again.code == 0, "\(again.stdout)\(again.stderr)")
        #expect(try workspace.writes() == ["placement.bind": 5])
    }

    @Test("probe: --preflight-timeout governs the preflight (default 10 s), not --request-timeout; a bad value is a usage error")
    func preflightTimeoutOption() throws {
        let handlers = try Handlers()
        defer { handlers.stop() }
        let url = "\(handlers.base)/slow/task"
        let workspace = try Self.workspace(["2.0.0": Self.planText("2.0.0", placements: [("TASK_VIEW_TAB", url, "Tasks")])])
        defer { workspace.close() }
        let first = try workspace.run(["apply", "--yes", workspace.plan("2.0.0")])
        #expect(first.code == 3)
        try workspace.passGates("2.0.0")
        let bad = try workspace.run(["apply", "--yes", "--preflight-timeout", "soon", workspace.plan("2.0.0")])
        #expect(bad.code == 64, "\(bad.code) \(bad.stdout)\(bad.stderr)")
        let short = try workspace.run(["apply", "--yes", "--preflight-timeout", "3", workspace.plan("2.0.0")])
        #expect(short.code == 1, "\(short.stdout)\(short.stderr)")
        let answer = Self.answer(short, for: url) ?? ""
        #expect(answer.contains("3 s"), "\(answer)")
        #expect(!answer.contains("--request-timeout"), "the hint names the option that governs the preflight: \(answer)")
        #expect(try Self.farmRequests(workspace.farm) == (0, 0))
        // A 5 s handler is within the default 10 s, whatever --request-timeout says for the portals.
        let within = try workspace.run(["apply", "--yes", "--request-timeout", "2", workspace.plan("2.0.0")])
        #expect(within.code == 0, "\(Self.report(within))")
        #expect(try workspace.writes() == ["placement.bind": 5])
    }

    // MARK: - Bulk repair

    static func unbind(_ setup: Setup, _ member: String, placement: String, handler: String) throws {
        let answer = try setup.farm.control("/_farm/portal/\(member)/unbind", post: ["placement": placement, "handler": handler])
        #expect(answer["count"] as? Int == 1, "\(answer)")
    }

    static func unbind(_ setup: Setup, _ member: String, event: String, handler: String) throws {
        let answer = try setup.farm.control("/_farm/portal/\(member)/unbind", post: ["event": event, "handler": handler])
        #expect(answer["count"] as? Int == 1, "\(answer)")
    }

    static let taskTab = "https://app.acme.example/placements/task-tab"
    static let dealTab = "https://app.acme.example/placements/deal-tab"
    static let dealHook = "https://app.acme.example/events/crm-deal"

    static func released(_ portals: Int, faults: String = "", generate: [String] = [], serve: [String] = []) throws -> Setup {
        let setup = try Setup(portals: portals, faults: faults, generate: generate, serve: serve)
        let apply = try setup.run(["apply", "--yes", plan])
        // Exit 3 when some portals need a reinstall (not done), 0 otherwise.
        guard apply.code == 0 || (apply.code == 3 && faults.contains("missing_scope")) else {
            setup.close()
            throw PortalFarm.FarmError(message: "apply 2.0.0: \(apply.code) \(apply.stdout)\(apply.stderr)")
        }
        return setup
    }

    static func repairRuns(_ setup: Setup) throws -> [[String: Any]] {
        try CLIRunner.sqliteRows(setup.database, "SELECT id, version, state FROM b24plan_runs WHERE version LIKE '%+repair.%' ORDER BY id")
    }

    /// Per-portal states of a run's reconcile step.
    static func tasks(_ setup: Setup, version: String) throws -> [String: String] {
        let rows = try CLIRunner.sqliteRows(
            setup.database,
            "SELECT t.member_id, t.state FROM b24plan_portal_tasks t JOIN b24plan_runs r ON r.id = t.run_id "
                + "WHERE r.version = '\(version)' AND t.step_id = 'portals.reconcile'")
        return Dictionary(uniqueKeysWithValues: rows.map { ($0["member_id"] as? String ?? "", $0["state"] as? String ?? "") })
    }

    static func stat<T>(_ setup: Setup, _ key: String) throws -> T? { try setup.farm.stats()[key] as? T }

    @Test("bulk repair: drift by hand on 3 portals → drift exit 2; its printed command repairs exactly them in 2.0.0+repair.1")
    func driftCommandRepairsExactlyThem() throws {
        let setup = try Self.released(8)
        defer { setup.close() }
        try Self.unbind(setup, "m00002", placement: "TASK_VIEW_TAB", handler: Self.taskTab)
        try Self.unbind(setup, "m00005", event: "ONCRMDEALADD", handler: Self.dealHook)
        try Self.unbind(setup, "m00007", placement: "CRM_DEAL_DETAIL_TAB", handler: Self.dealTab)

        let drift = try setup.run(["drift", Self.plan])
        #expect(drift.code == 2, "\(drift.stdout)\(drift.stderr)")
        let json = try setup.run(["drift", "--format", "json", Self.plan])
        #expect(json.code == 2)
        let repair = (try? CLIRunner.json(json))?["repair"] as? String ?? ""
        #expect(repair.hasPrefix("b24plan reconcile"), "repair key: \(json.stdout)")
        #expect(drift.stdout.contains(repair) || drift.stderr.contains(repair), "the text output prints the same command: \(drift.stdout)")

        _ = try setup.farm.control("/_farm/reset-stats", post: [:])
        // The printed command, split as a shell would, run as b24plan with the workspace's environment.
        let arguments = try Self.shellWords(repair)
        #expect(arguments.first == "b24plan")
        let repaired = try setup.run(Array(arguments.dropFirst()))
        #expect(repaired.code == 0, "\(repaired.stdout)\(repaired.stderr)")
        let byPortal = (try Self.stat(setup, "requests_by_portal") as [String: Any]?) ?? [:]
        #expect(Set(byPortal.keys) == ["m00002", "m00005", "m00007"], "only the drifted portals are touched: \(byPortal.keys.sorted())")
        let writes = (try Self.stat(setup, "writes_by_portal_method") as [String: [String: Int]]?) ?? [:]
        #expect(
            writes == ["m00002": ["placement.bind": 1], "m00005": ["event.bind": 1], "m00007": ["placement.bind": 1]],
            "exactly what was missing, no notice rewritten: \(writes)")
        let runs = try Self.repairRuns(setup)
        #expect(runs.map { $0["version"] as? String ?? "" } == ["2.0.0+repair.1"], "\(runs)")
        #expect(try Self.tasks(setup, version: "2.0.0+repair.1") == ["m00002": "done", "m00005": "done", "m00007": "done"])
        let clean = try setup.run(["drift", Self.plan])
        #expect(clean.code == 0, "\(clean.stdout)\(clean.stderr)")

        // One --member-id: synchronous, recorded in the release's own run, no repair run.
        try Self.unbind(setup, "m00003", placement: "TASK_VIEW_TAB", handler: Self.taskTab)
        let single = try setup.run(["reconcile", Self.plan, "--member-id", "m00003"])
        #expect(single.code == 0, "\(single.stdout)\(single.stderr)")
        #expect(try Self.repairRuns(setup).count == 1, "one --member-id makes no repair run")
        #expect(try Self.tasks(setup, version: "2.0.0")["m00003"] == "done")
        #expect(try setup.run(["drift", Self.plan]).code == 0)
    }

    /// Splits a POSIX shell command line (single and double quotes, backslashes) into words.
    static func shellWords(_ line: String) throws -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var iterator = Array(line).makeIterator()
        var quote: Character?
        while let c = iterator.next() {
            if let q = quote {
                if c == q {
                    quote = nil
                } else if q == "\"" && c == "\\", let n = iterator.next() {
                    current.append(n)
                } else {
                    current.append(c)
                }
            } else if c == "'" || c == "\"" {
                quote = c
                inWord = true
            } else if c == "\\", let n = iterator.next() {
                current.append(n)
                inWord = true
            } else if c == " " || c == "\t" {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(c)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }

    @Test(
        "bulk repair --all: a portal deleted at generation stays out, one deleted since ends inactive, one that redirects insecurely fails (exit 3)"
    )
    func allWithDeletedPortal() throws {
        let setup = try Self.released(8, faults: "deleted=1")
        defer { setup.close() }
        let deletedAtStart = try setup.faults().first { $0.value.contains("deleted") }?.key ?? ""
        let others = (1...8).map { String(format: "m%05d", $0) }.filter { $0 != deletedAtStart }
        let deletedNow = others[0]
        let broken = others[1]
        let drifted = others[2]
        _ = try setup.farm.control("/_farm/portal/\(deletedNow)/faults", post: ["faults": ["deleted"]])
        _ = try setup.farm.control("/_farm/portal/\(broken)/faults", post: ["faults": ["redirect_insecure"]])
        try Self.unbind(setup, drifted, placement: "TASK_VIEW_TAB", handler: Self.taskTab)
        _ = try setup.farm.control("/_farm/reset-stats", post: [:])

        let repair = try setup.run(["reconcile", "--all", "--format", "json", Self.plan])
        #expect(repair.code == 3, "a failed portal leaves the repair incomplete: \(repair.code) \(repair.stdout)\(repair.stderr)")
        let json = (try? CLIRunner.json(repair)) ?? [:]
        #expect(json["run"] as? String == "2.0.0+repair.1", "\(json)")
        #expect(json["complete"] as? Bool == false)
        #expect(json["states"] as? [String: Int] == ["done": 5, "inactive": 1, "failed": 1], "\(json)")
        var expected = Dictionary(uniqueKeysWithValues: others.map { ($0, "done") })
        expected[deletedNow] = "inactive"
        expected[broken] = "failed"
        #expect(try Self.tasks(setup, version: "2.0.0+repair.1") == expected)
        let byPortal = (try Self.stat(setup, "requests_by_portal") as [String: Any]?) ?? [:]
        #expect(byPortal[deletedAtStart] == nil, "an inactive installation is not selected by --all")
        let rows = try CLIRunner.sqliteRows(setup.database, "SELECT member_id, active FROM portals ORDER BY member_id")
        #expect(rows.count == 8, "rows are marked, never deleted")
        let inactive = Set(rows.filter { $0["active"] as? Int == 0 }.compactMap { $0["member_id"] as? String })
        #expect(inactive == [deletedAtStart, deletedNow], "\(rows)")
        #expect(try setup.farm.portal(drifted)["placements"].map { "\($0)" }?.contains("TASK_VIEW_TAB") == true)

        // The redirect fixed, running it again completes the repair.
        _ = try setup.farm.control("/_farm/portal/\(broken)/faults", post: ["faults": [String]()])
        let again = try setup.run(["reconcile", "--all", "--format", "json", Self.plan])
        #expect(again.code == 0, "\(again.stdout)\(again.stderr)")
    }

    @Test(
        "bulk repair: SIGINT in the middle of reconcile --all (--parallel 2, slow farm), then again: same repair run, nothing bound twice")
    func interruptedRepairResumes() throws {
        let portals = 40
        let setup = try Self.released(portals, serve: ["--latency-ms", "150"])
        defer { setup.close() }
        let members = (1...portals).map { String(format: "m%05d", $0) }
        for member in members { try Self.unbind(setup, member, placement: "TASK_VIEW_TAB", handler: Self.taskTab) }
        _ = try setup.farm.control("/_farm/reset-stats", post: [:])

        let process = Process()
        process.executableURL = CLIRunner.binary
        process.arguments = ["reconcile", "--all", "--parallel", "2", Self.plan]
        process.currentDirectoryURL = setup.folder
        process.environment = CLIRunner.childEnvironment(setup.environment)
        let log = setup.folder.appendingPathComponent("repair.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        var done = 0
        while Date() < deadline && process.isRunning {
            done = (try? Self.tasks(setup, version: "2.0.0+repair.1").values.filter { $0 == "done" }.count) ?? 0
            if done >= 6 { break }
            usleep(20_000)
        }
        #expect(process.isRunning, "the repair finished before the signal")
        kill(process.processIdentifier, SIGINT)
        let stopBy = Date().addingTimeInterval(15)
        while process.isRunning && Date() < stopBy { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            Issue.record("reconcile did not stop within 15 s of SIGINT")
        }
        process.waitUntilExit()
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 130, "\(output)")
        let recorded = try Self.tasks(setup, version: "2.0.0+repair.1")
        #expect(recorded.values.filter { $0 == "done" }.count < portals, "interrupted before the end: \(recorded)")
        #expect(!recorded.values.contains("failed"), "\(recorded)")

        let resumed = try setup.run(["reconcile", "--all", "--parallel", "8", "--format", "json", Self.plan])
        #expect(resumed.code == 0, "\(resumed.stdout)\(resumed.stderr)")
        let json = (try? CLIRunner.json(resumed)) ?? [:]
        #expect(json["run"] as? String == "2.0.0+repair.1", "the same repair run resumes: \(json)")
        #expect(json["complete"] as? Bool == true)
        let repairs = try Self.repairRuns(setup)
        #expect(repairs.count == 1, "\(repairs)")
        #expect(try Self.tasks(setup, version: "2.0.0+repair.1") == Dictionary(uniqueKeysWithValues: members.map { ($0, "done") }))
        let writes = (try Self.stat(setup, "writes_by_portal_method") as [String: [String: Int]]?) ?? [:]
        #expect(writes.count == portals && writes.values.allSatisfy { $0 == ["placement.bind": 1] }, "each portal bound once: \(writes)")
        #expect(try setup.run(["drift", Self.plan]).code == 0)
    }

    @Test("bulk repair: exactly one of --member-id, --where, --all (exit 64 otherwise, nothing touched)")
    func exactlyOneSelector() throws {
        let setup = try Self.released(3)
        defer { setup.close() }
        _ = try setup.farm.control("/_farm/reset-stats", post: [:])
        for selectors in [
            [], ["--all", "--where", "1=1"], ["--all", "--member-id", "m00001"], ["--where", "1=1", "--member-id", "m00001"],
            ["--all", "--where", "1=1", "--member-id", "m00001,m00002"],
        ] {
            let output = try setup.run(["reconcile", Self.plan] + selectors)
            #expect(output.code == 64, "\(selectors): \(output.code) \(output.stdout)\(output.stderr)")
        }
        #expect(try Self.stat(setup, "requests_total") as Int? == 0)
        #expect(try Self.repairRuns(setup).isEmpty)
    }

    @Test("bulk repair: a FILE that is not the store's published release is refused before any portal is touched")
    func notPublishedRefused() throws {
        let setup = try Self.released(3)
        defer { setup.close() }
        _ = try setup.farm.control("/_farm/reset-stats", post: [:])
        func refused(_ file: String) throws {
            for selector in [["--all"], ["--member-id", "m00001,m00002"], ["--member-id", "m00001"]] {
                let output = try setup.run(["reconcile", file] + selector)
                #expect(output.code == 1 || output.code == 64, "\(file) \(selector): \(output.code) \(output.stdout)\(output.stderr)")
            }
        }
        try refused("plans/acme.dealsync/1.1.0.json")  // published, but not the newest
        try refused("plans/acme.dealsync/3.0.0.json")  // never applied
        // The published 2.0.0 edited in place after publication (its new title would be bound everywhere).
        let published = setup.folder.appendingPathComponent(Self.plan)
        let edited = try String(contentsOf: published, encoding: .utf8)
            .replacingOccurrences(of: "\"title\": \"Deals\"", with: "\"title\": \"Edited\"")
        try edited.write(to: published, atomically: true, encoding: .utf8)
        try refused(Self.plan)
        #expect(try Self.stat(setup, "requests_total") as Int? == 0)
        #expect(try Self.repairRuns(setup).isEmpty)
    }

    @Test("probe: reconcile --where with hostile SQL leaves the installations table intact and says what is wrong with --where")
    func hostileWhere() throws {
        let setup = try Self.released(4)
        defer { setup.close() }
        let before = try CLIRunner.sqliteRows(setup.database, "SELECT * FROM portals ORDER BY member_id")
        _ = try setup.farm.control("/_farm/reset-stats", post: [:])
        for hostile in ["'; DROP TABLE portals; --", "1=1; DROP TABLE portals", "1=1); DELETE FROM portals; --"] {
            let output = try setup.run(["reconcile", "--where", hostile, Self.plan])
            let text = output.stdout + output.stderr
            #expect(output.code == 1 || output.code == 64, "\(hostile): \(output.code) \(text)")
            #expect(text.contains("--where"), "the error names --where, not a broken state store: \(text)")
            #expect(try CLIRunner.sqliteRows(setup.database, "SELECT * FROM portals ORDER BY member_id").count == before.count)
        }
        let after = try CLIRunner.sqliteRows(setup.database, "SELECT * FROM portals ORDER BY member_id")
        #expect(after.count == before.count && after.count == 4, "\(after)")
        #expect(try Self.stat(setup, "requests_total") as Int? == 0, "no portal touched")
        // The table still works for a sound condition.
        let sound = try setup.run(["reconcile", "--where", "member_id IN ('m00001', 'm00003')", "--format", "json", Self.plan])
        #expect(sound.code == 0, "\(sound.stdout)\(sound.stderr)")
        let byPortal = (try Self.stat(setup, "requests_by_portal") as [String: Any]?) ?? [:]
        #expect(Set(byPortal.keys) == ["m00001", "m00003"], "\(byPortal)")
    }

    @Test("probe: --where is an extra condition; a parenthesis breakout must not select an inactive installation")
    func whereCannotReachInactive() throws {
        let setup = try Self.released(5, faults: "deleted=1")
        defer { setup.close() }
        let deleted = try setup.faults().first { $0.value.contains("deleted") }?.key ?? ""
        #expect(
            try CLIRunner.sqliteRows(setup.database, "SELECT active FROM portals WHERE member_id = '\(deleted)'").first?["active"] as? Int
                == 0)
        _ = try setup.farm.control("/_farm/reset-stats", post: [:])
        let output = try setup.run(["reconcile", "--where", "0=1) OR (1=1", "--format", "json", Self.plan])
        let byPortal = (try Self.stat(setup, "requests_by_portal") as [String: Any]?) ?? [:]
        #expect(byPortal[deleted] == nil, "the inactive \(deleted) was reconciled: \(output.stdout)\(output.stderr)")
        let states = (try? CLIRunner.json(output))?["states"] as? [String: Int] ?? [:]
        #expect(states["inactive"] == nil, "\(states)")
    }

    @Test("probe: --member-id values are data, not SQL: a quote in an id selects nothing more")
    func memberIdInjection() throws {
        let setup = try Self.released(4)
        defer { setup.close() }
        let before = try CLIRunner.sqliteRows(setup.database, "SELECT * FROM portals ORDER BY member_id")
        for ids in ["x' OR '1'='1", "m00001,x' OR '1'='1", "m00001') OR ('1'='1", "m00001' OR member_id LIKE '%"] {
            _ = try setup.farm.control("/_farm/reset-stats", post: [:])
            let output = try setup.run(["reconcile", "--member-id", ids, "--format", "json", Self.plan])
            let byPortal = (try Self.stat(setup, "requests_by_portal") as [String: Any]?) ?? [:]
            #expect(
                Set(byPortal.keys).isSubset(of: ["m00001"]), "\(ids) reached \(byPortal.keys.sorted()): \(output.stdout)\(output.stderr)")
            if !ids.contains(",") {
                // One id: exit 0 would say "the portal is done"; there is no such portal.
                #expect(
                    output.code != 0, "an id that is no installation is reported: \(ids) \(output.code) \(output.stdout)\(output.stderr)")
            }
        }
        #expect(try CLIRunner.sqliteRows(setup.database, "SELECT * FROM portals ORDER BY member_id").count == before.count)
    }

    @Test(
        "probe: drift's repair command quotes a member id holding shell syntax; run by a shell it repairs that portal and runs nothing else"
    )
    func repairCommandQuoting() throws {
        let setup = try Self.released(4)
        defer { setup.close() }
        let hostile = "m00002;touch PWNED;$(touch PWNED2)`touch PWNED3`"
        let escaped = hostile.replacingOccurrences(of: "'", with: "''")
        let rows = try CLIRunner.sqliteRows(
            setup.database, "UPDATE portals SET member_id = '\(escaped)' WHERE member_id = 'm00002' RETURNING member_id")
        #expect(rows.first?["member_id"] as? String == hostile)
        try Self.unbind(setup, "m00002", placement: "TASK_VIEW_TAB", handler: Self.taskTab)
        let drift = try setup.run(["drift", "--format", "json", Self.plan])
        #expect(drift.code == 2, "\(drift.stdout)\(drift.stderr)")
        let repair = (try? CLIRunner.json(drift))?["repair"] as? String ?? ""
        #expect(repair.hasPrefix("b24plan reconcile"), "\(drift.stdout)")

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", repair]
        process.currentDirectoryURL = setup.folder
        var environment = CLIRunner.childEnvironment(setup.environment)
        environment["PATH"] = CLIRunner.binary.deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        process.environment = environment
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "the printed command, run by sh: \(repair)")
        for name in ["PWNED", "PWNED2", "PWNED3"] {
            #expect(
                !FileManager.default.fileExists(atPath: setup.folder.appendingPathComponent(name).path), "the shell ran \(name): \(repair)")
        }
        #expect(try setup.run(["drift", Self.plan]).code == 0, "the portal was repaired")
    }

    // MARK: - Notice

    static func notice(_ setup: Setup, _ member: String) throws -> String {
        let options = try setup.farm.portal(member)["options"] as? [String: Any] ?? [:]
        let data = try JSONSerialization.data(
            withJSONObject: options["release_notice"] ?? NSNull(), options: [.sortedKeys, .fragmentsAllowed])
        return String(decoding: data, as: UTF8.self)
    }

    /// Sets the portal's notice option by hand, through the portal's REST API with its stored token.
    static func tamper(_ setup: Setup, _ member: String, _ value: Any) throws {
        let row =
            try CLIRunner.sqliteRows(
                setup.database, "SELECT client_endpoint, access_token FROM portals WHERE member_id = '\(member)'"
            ).first ?? [:]
        let endpoint = row["client_endpoint"] as? String ?? ""
        #expect(endpoint.hasPrefix(setup.farm.baseURL + "/") && endpoint.hasSuffix("/"), "\(endpoint)")
        let answer = try setup.farm.control(
            String(endpoint.dropFirst(setup.farm.baseURL.count)) + "app.option.set",
            post: ["auth": row["access_token"] as? String ?? "", "options": ["release_notice": value]])
        #expect(answer["result"] as? Bool == true, "\(answer)")
    }

    static func optionSets(_ setup: Setup) throws -> [String: Int] {
        let writes = (try stat(setup, "writes_by_portal_method") as [String: [String: Int]]?) ?? [:]
        return writes.compactMapValues { $0["app.option.set"] }
    }

    @Test(
        "notice: re-run, reconcile --all twice, --retry needs-reinstall and --member-id write no app.option.set where the notice is current"
    )
    func noticeIdempotent() throws {
        let setup = try Self.released(6, faults: "missing_scope=2", generate: ["--languages", "en,ru"])
        defer { setup.close() }
        let needsReinstall = try setup.faults().filter { $0.value.contains("missing_scope") }.keys.sorted()
        #expect(needsReinstall.count == 2)
        let done = (1...6).map { String(format: "m%05d", $0) }.filter { !needsReinstall.contains($0) }
        let notices = try Dictionary(
            uniqueKeysWithValues: (1...6).map { String(format: "m%05d", $0) }.map { ($0, try Self.notice(setup, $0)) })
        #expect(notices.values.allSatisfy { $0.contains("2.0.0") }, "every portal got the notice: \(notices)")

        let runs: [[String]] = [
            ["apply", "--yes", Self.plan], ["reconcile", "--all", Self.plan], ["reconcile", "--all", Self.plan],
            ["apply", "--yes", "--retry", "needs-reinstall", Self.plan], ["reconcile", "--member-id", done[0], Self.plan],
            ["reconcile", "--member-id", needsReinstall[0], Self.plan],
            ["reconcile", "--member-id", "\(done[1]),\(needsReinstall[1])", Self.plan],
        ]
        for arguments in runs {
            _ = try setup.farm.control("/_farm/reset-stats", post: [:])
            let output = try setup.run(arguments)
            #expect([0, 3].contains(output.code), "\(arguments): \(output.code) \(output.stdout)\(output.stderr)")
            let sets = try Self.optionSets(setup)
            #expect(sets.isEmpty, "\(arguments) wrote the current notice again: \(sets)")
            #expect(try Self.stat(setup, "writes_total") as Int? == 0, "\(arguments): nothing to write")
            if arguments[0] == "reconcile" {
                let methods = (try Self.stat(setup, "methods") as [String: Int]?) ?? [:]
                #expect((methods["app.option.get"] ?? 0) > 0, "the read batch reads the notice: \(methods)")
            }
        }
        let unchanged = try Dictionary(uniqueKeysWithValues: notices.keys.map { ($0, try Self.notice(setup, $0)) })
        #expect(unchanged == notices)
    }

    @Test("notice: a portal whose notice was changed by hand gets exactly one app.option.set, and its notice is restored")
    func tamperedNoticeRewritten() throws {
        let setup = try Self.released(6, faults: "missing_scope=1", generate: ["--languages", "en,ru"])
        defer { setup.close() }
        let reinstall = try setup.faults().first { $0.value.contains("missing_scope") }?.key ?? ""
        let done = (1...6).map { String(format: "m%05d", $0) }.filter { $0 != reinstall }
        let original = try Dictionary(
            uniqueKeysWithValues: (1...6).map { String(format: "m%05d", $0) }.map { ($0, try Self.notice(setup, $0)) })

        // One by --member-id: a notice of another version.
        try Self.tamper(setup, done[0], ["version": "1.9.9", "changelog": "old", "missingScopes": "", "reinstallRequired": "0"])
        _ = try setup.farm.control("/_farm/reset-stats", post: [:])
        let single = try setup.run(["reconcile", "--member-id", done[0], Self.plan])
        #expect(single.code == 0, "\(single.stdout)\(single.stderr)")
        #expect(try Self.optionSets(setup) == [done[0]: 1])
        #expect(try Self.notice(setup, done[0]) == original[done[0]])

        // Two by --all: one flag flipped, one notice removed; a third, needs-reinstall, told it need not reinstall.
        var flipped = (try setup.farm.portal(done[1])["options"] as? [String: Any])?["release_notice"] as? [String: Any] ?? [:]
        flipped["reinstallRequired"] = "1"
        try Self.tamper(setup, done[1], flipped)
        try Self.tamper(setup, done[2], "")
        var told = (try setup.farm.portal(reinstall)["options"] as? [String: Any])?["release_notice"] as? [String: Any] ?? [:]
        told["reinstallRequired"] = "0"
        try Self.tamper(setup, reinstall, told)
        _ = try setup.farm.control("/_farm/reset-stats", post: [:])
        let all = try setup.run(["reconcile", "--all", Self.plan])
        #expect(all.code == 3, "one portal still needs a reinstall: \(all.stdout)\(all.stderr)")
        #expect(try Self.optionSets(setup) == [done[1]: 1, done[2]: 1, reinstall: 1])
        for member in [done[1], done[2], reinstall] { #expect(try Self.notice(setup, member) == original[member], "\(member)") }

        // The admin reinstalls with the missing scope: its notice changes, so exactly one write.
        _ = try setup.farm.control("/_farm/portal/\(reinstall)/scopes", post: ["scopes": ["crm", "placement", "task"]])
        _ = try setup.farm.control("/_farm/reset-stats", post: [:])
        let retry = try setup.run(["apply", "--yes", "--retry", "needs-reinstall", Self.plan])
        #expect(retry.code == 0, "\(retry.stdout)\(retry.stderr)")
        #expect(try Self.optionSets(setup) == [reinstall: 1])
        let language = try setup.farm.portal(reinstall)["language"] as? String
        let peer = try done.first { try setup.farm.portal($0)["language"] as? String == language } ?? ""
        #expect(try Self.notice(setup, reinstall) == original[peer], "now the notice of a done portal of its language")
    }
}
