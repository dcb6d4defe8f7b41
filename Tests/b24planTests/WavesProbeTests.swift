import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Fault probe of issue 12 (rollout in waves, handler preflight, bulk repair), black box: each test
/// states what the README or DESIGN.md promise and fails while b24plan does otherwise. Shell
/// reproductions: `scripts/probe/waves/*.sh`.
@Suite("waves probe", .serialized)
struct WavesProbeTests {
    static let plans = WavesTests.plans
    static let members = (1...20).map { String(format: "m%05d", $0) }

    /// Members of the farm's 20 portals by bucket (computed by WavesTests.percentiles).
    static func members(below upper: Double, from lower: Double = 0) throws -> [String] {
        let position = try WavesTests.percentiles(members)
        return members.filter { position[$0]! >= lower && position[$0]! < upper }
    }

    static func fault(_ workspace: FarmWorkspace, _ member: String, _ faults: [String]) throws {
        _ = try workspace.farm.control("/_farm/portal/\(member)/faults", post: ["faults": faults])
    }

    static func rewriteConfig(_ workspace: FarmWorkspace, rollout: String) throws {
        try "{ \"oauth\": { \"tokenUrl\": \"\(workspace.farm.baseURL)/oauth/token/\" }, \(rollout) }\n".write(
            to: workspace.folder.appendingPathComponent("b24plan.config.json"), atomically: true, encoding: .utf8)
    }

    static func withoutTaskTab(_ workspace: FarmWorkspace, _ members: [String] = members) throws -> [String] {
        try members.filter { try !WavesTests.hasTaskTab(workspace, $0) }
    }

    // MARK: - The rollout config changes between two applies of one release (harms a portal)

    /// README: "every run, resumed or on another machine, puts it in the same wave". Waves [10, 100]
    /// ran wave 1 (0–10 %); the config then says [50, 100]. The resumed run takes wave 2 as 50–100 %
    /// and never reconciles the portals in 10–50 %, yet reports the release complete (exit 0).
    /// Expected: refused clearly, or every portal reconciled.
    @Test("waves [10,100] → [50,100] between two applies: no portal is left out while the run reports complete")
    func wavesChangedBetweenApplies() throws {
        try wavesChanged(flag: nil)
    }

    /// The same with `apply --waves 50,100` on the resumed run (it "replaces" the config's waves).
    @Test("apply --waves 50,100 on a run resumed after wave 1 of [10,100]: no portal is left out while the run reports complete")
    func wavesFlagOnResumedRun() throws {
        try wavesChanged(flag: ["--waves", "50,100"])
    }

    func wavesChanged(flag: [String]?) throws {
        let workspace = try FarmWorkspace(
            app: "acme.waves", plans: Self.plans, portals: 20, config: #""rollout": { "waves": [10, 100], "between": "gate" }"#)
        defer { workspace.close() }
        #expect(try workspace.release("2.0.0").code == 3)
        #expect(try Self.withoutTaskTab(workspace).count == 15, "wave 1 (0–10 %) holds 5 of the 20 portals")
        if flag == nil { try Self.rewriteConfig(workspace, rollout: #""rollout": { "waves": [50, 100], "between": "gate" }"#) }
        let extra = flag ?? []
        let resumed = try workspace.run(["apply", "--yes", workspace.plan("2.0.0")] + extra)
        _ = try workspace.run(["gate", "pass", "gate.wave.1", workspace.plan("2.0.0")])
        let last = try workspace.run(["apply", "--yes", workspace.plan("2.0.0")] + extra)
        if resumed.code == 3 && last.code == 0 {
            let missing = try Self.withoutTaskTab(workspace)
            #expect(missing.isEmpty, "apply reported the release complete, yet these portals were never reconciled: \(missing)")
            let status = try workspace.run(["status", workspace.plan("2.0.0")])
            #expect(status.stdout.contains("portals: 20 done"), "\(status.stdout)")
        } else {
            // A refusal is fine when it says why.
            let text = resumed.stdout + resumed.stderr + last.stdout + last.stderr
            #expect(text.contains("waves"), "\(text)")
        }
    }

    /// DESIGN §6: `gate.canary` comes before `portals.wave.1`, which comes before `gate.wave.1` and
    /// `portals.wave.2`. A canary added to the config after wave 1 ran: the canary runs, gate.canary
    /// waits, and yet wave 2 starts once gate.wave.1 is passed: a step ran before a gate that precedes it.
    @Test("a canary added after wave 1 ran: wave 2 does not start while gate.canary is unpassed (or the change is refused)")
    func canaryAddedMidRollout() throws {
        let workspace = try FarmWorkspace(
            app: "acme.waves", plans: Self.plans, portals: 20, config: #""rollout": { "waves": [10, 100], "between": "gate" }"#)
        defer { workspace.close() }
        #expect(try workspace.release("2.0.0").code == 3)
        let withCanary = #""rollout": { "canary": { "memberIds": ["m00003"] }, "waves": [10, 100], "between": "gate" }"#
        try Self.rewriteConfig(workspace, rollout: withCanary)
        _ = try workspace.run(["apply", "--yes", workspace.plan("2.0.0")])
        _ = try workspace.run(["gate", "pass", "gate.wave.1", workspace.plan("2.0.0")])
        let next = try workspace.run(["apply", "--yes", workspace.plan("2.0.0")])
        let canaryGate = try workspace.step("gate.canary", of: "2.0.0")?["state"] as? String
        let wave2 = try Self.members(below: 100.1, from: 10).filter { $0 != "m00003" }
        if canaryGate == "waiting" || canaryGate == "pending" {
            #expect(try Self.withoutTaskTab(workspace, wave2).count == wave2.count, "wave 2 ran before gate.canary: \(next.stdout)")
        }
    }

    // MARK: - A halted wave continued with --retry failed (harms a portal)

    /// README: "fix the cause and apply again (or `apply --retry failed`) to continue the same wave".
    /// A wave that halts once `minPortals` failed (3 of its 12 portals judged) and is continued with
    /// `--retry failed` retries the 3 failed portals and ends `done`: its 9 never-started portals are
    /// never reconciled, and the rollout then completes with exit 0.
    @Test("a wave halted early, fixed, continued with apply --retry failed: every portal of the wave is reconciled")
    func earlyHaltThenRetryFailed() throws {
        let rollout = #""rollout": { "waves": [50, 100], "halt": { "failedPercent": 10, "minPortals": 3 }, "between": "gate" }"#
        let workspace = try FarmWorkspace(app: "acme.waves", plans: Self.plans, portals: 20, config: rollout)
        defer { workspace.close() }
        let wave1 = try Self.members(below: 50)
        #expect(wave1.count == 12)
        for member in wave1 { try Self.fault(workspace, member, ["redirect_insecure"]) }
        let halted = try workspace.release("2.0.0", ["--parallel", "1"])
        #expect(halted.code == 1, "\(halted.stdout)")
        #expect(try workspace.step("portals.wave.1", of: "2.0.0")?["state"] as? String == "halted")
        for member in wave1 { try Self.fault(workspace, member, []) }
        let retried = try workspace.run(["apply", "--yes", "--retry", "failed", "--parallel", "1", workspace.plan("2.0.0")])
        #expect(retried.code == 3, "\(retried.stdout)\(retried.stderr)")
        let missing = try Self.withoutTaskTab(workspace, wave1)
        #expect(missing.isEmpty, "portals.wave.1 ended done but these of its portals were never reconciled: \(missing)")
        _ = try workspace.run(["gate", "pass", "gate.wave.1", workspace.plan("2.0.0")])
        let last = try workspace.run(["apply", "--yes", workspace.plan("2.0.0")])
        if last.code == 0 { #expect(try Self.withoutTaskTab(workspace).isEmpty, "the rollout completed: \(last.stdout)") }
    }

    // MARK: - Counts of a wave (wrong output)

    /// README: "`status` each wave's portals by state". A wave halted after 3 of its 12 portals: its
    /// 9 unstarted portals are not counted as pending anywhere for the wave (the halt detail says
    /// "0 pending", `status --format json` gives the wave `{"failed": 3}`), and the progress line of
    /// wave 1 counts every installation ("1/20 portals … 19 remaining") instead of the wave's 12.
    @Test("a wave halted early counts its unstarted portals as pending; its progress counts the wave's portals")
    func haltedWaveCounts() throws {
        let rollout = #""rollout": { "waves": [50, 100], "halt": { "failedPercent": 10, "minPortals": 3 }, "between": "gate" }"#
        let workspace = try FarmWorkspace(app: "acme.waves", plans: Self.plans, portals: 20, config: rollout)
        defer { workspace.close() }
        let wave1 = try Self.members(below: 50)
        for member in wave1 { try Self.fault(workspace, member, ["redirect_insecure"]) }
        let halted = try workspace.release("2.0.0", ["--parallel", "1"])
        #expect(halted.code == 1)
        #expect(halted.stdout.contains("portals.wave.1: 0 done, 0 needs-reinstall, 0 inactive, 3 failed, 9 pending"), "\(halted.stdout)")
        #expect(!halted.stderr.contains("/20 portals"), "progress of a 12-portal wave: \(halted.stderr)")
        let status = try CLIRunner.json(try workspace.run(["status", "--format", "json", workspace.plan("2.0.0")]))
        let steps = status["steps"] as? [[String: Any]] ?? []
        let wave = steps.first { $0["id"] as? String == "portals.wave.1" }?["portals"] as? [String: Int] ?? [:]
        #expect(wave.values.reduce(0, +) == wave1.count, "status --format json, portals.wave.1: \(wave)")
    }

    /// README: "the step ends `halted` with the failure causes grouped". Four portals failing for
    /// one cause (an insecure redirect) are listed as four causes of one portal each, because each
    /// message carries the portal's address.
    @Test("a halt groups one cause of 4 portals as one cause")
    func haltCausesGrouped() throws {
        let rollout = #""rollout": { "waves": [50, 100], "halt": { "failedPercent": 10, "minPortals": 3 }, "between": "gate" }"#
        let workspace = try FarmWorkspace(app: "acme.waves", plans: Self.plans, portals: 20, config: rollout)
        defer { workspace.close() }
        for member in ["m00001", "m00002", "m00006", "m00007"] { try Self.fault(workspace, member, ["redirect_insecure"]) }
        let halted = try workspace.release("2.0.0")
        #expect(halted.code == 1)
        let detail = try workspace.step("portals.wave.1", of: "2.0.0")?["detail"] as? String ?? ""
        #expect(detail.contains("4×"), "\(detail)")
    }

    // MARK: - Workers and a halt (harms a portal)

    /// README: a halted wave's "later waves are not touched"; DESIGN §7: a wave whose failed share
    /// passes `rollout.halt` ends `halted`. With `apply --worker` processes on PostgreSQL, the
    /// coordinator halts wave 2 and exits 1, and the workers go on claiming and binding portals of
    /// the halted wave.
    @Test("apply --worker on PostgreSQL: once the coordinator halted the wave, no worker binds another portal of it")
    func workersStopAtAHalt() throws {
        guard let postgres = try FleetTests.postgresDatabase("waves_probe") else { return }
        let rollout = #""rollout": { "waves": [30, 60, 100], "halt": { "failedPercent": 10, "minPortals": 4 }, "between": "gate" }"#
        let workspace = try FarmWorkspace(
            app: "acme.waves", plans: Self.plans, portals: 60, environment: ["B24PLAN_DATABASE_URL": postgres], config: rollout,
            faults: "slow=60")
        defer { workspace.close() }
        // The installations table in PostgreSQL, copied from the farm's SQLite one.
        #expect(try workspace.run(["init", "--installations-table"]).code == 0)
        let rows = try workspace.rows("SELECT member_id, client_endpoint, access_token, refresh_token, expires_at FROM portals")
        let values = rows.map {
            "('\($0["member_id"] ?? "")', '\($0["client_endpoint"] ?? "")', '\($0["access_token"] ?? "")', '\($0["refresh_token"] ?? "")', \($0["expires_at"] ?? 0))"
        }.joined(separator: ", ")
        let insert = try CLIRunner.runTool(
            "/usr/bin/env",
            [
                "psql", postgres, "-q", "-v", "ON_ERROR_STOP=1", "-c",
                "INSERT INTO portals (member_id, client_endpoint, access_token, refresh_token, expires_at) VALUES \(values)",
            ])
        #expect(insert.code == 0, "\(insert.stderr)")
        let all = (1...60).map { String(format: "m%05d", $0) }
        let position = try WavesTests.percentiles(all)
        let wave2 = all.filter { position[$0]! >= 30 && position[$0]! < 60 }

        func start(_ arguments: [String]) throws -> Process {
            let process = Process()
            process.executableURL = CLIRunner.binary
            process.arguments = arguments
            process.currentDirectoryURL = workspace.folder
            process.environment = CLIRunner.childEnvironment(workspace.environment)
            process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
            process.standardError = FileHandle(forWritingAtPath: "/dev/null")
            try process.run()
            return process
        }
        func share() throws -> Int32 {
            let workers = try (0..<2).map { _ in try start(["apply", "--worker", "--parallel", "2", workspace.plan("2.0.0")]) }
            usleep(300_000)
            let coordinator = try start(["apply", "--yes", "--parallel", "2", workspace.plan("2.0.0")])
            coordinator.waitUntilExit()
            try workspace.resetStats()
            let deadline = Date().addingTimeInterval(15)
            while Date() < deadline && workers.contains(where: \.isRunning) { usleep(100_000) }
            for worker in workers where worker.isRunning { kill(worker.processIdentifier, SIGINT) }
            for worker in workers { worker.waitUntilExit() }
            return coordinator.terminationStatus
        }

        #expect(try workspace.release("2.0.0").code == 3, "wave 1 runs, then gate.wave.1")
        for (index, member) in wave2.enumerated() where index % 3 != 2 { try Self.fault(workspace, member, ["redirect_insecure", "slow"]) }
        #expect(try workspace.run(["gate", "pass", "gate.wave.1", workspace.plan("2.0.0")]).code == 0)
        let coordinator = try share()
        #expect(coordinator == 1, "the coordinator halts wave 2")
        let state = try CLIRunner.runTool(
            "/usr/bin/env",
            [
                "psql", postgres, "-At", "-c",
                "SELECT s.state FROM b24plan_steps s JOIN b24plan_runs r ON r.id = s.run_id WHERE r.version = '2.0.0' AND s.step_id = 'portals.wave.2'",
            ])
        #expect(state.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "halted")
        let writes = try workspace.writes()
        #expect(writes.isEmpty, "bound on portals of the halted wave after the coordinator had halted it and exited: \(writes)")
    }

    // MARK: - Bulk repair during a wave rollout (harms a portal)

    /// README: a halted wave's "later waves are not touched"; `drift` prints the exact repair
    /// command. While wave 1 is halted, drift lists the portals of wave 2 (never reached by the
    /// rollout) as drift and prints a repair, and `reconcile --all` of the published release binds
    /// 2.0.0 on every portal, past the halt, without a word. Expected: refused (or limited to the
    /// portals the rollout reached) while the release's own rollout is halted or at a wave gate.
    @Test("reconcile --all while the release's wave 1 is halted does not bind wave 2's portals past the halt")
    func bulkRepairPastAHalt() throws {
        let rollout = #""rollout": { "waves": [50, 100], "halt": { "failedPercent": 10, "minPortals": 3 }, "between": "gate" }"#
        let workspace = try FarmWorkspace(app: "acme.waves", plans: Self.plans, portals: 20, config: rollout)
        defer { workspace.close() }
        for member in ["m00001", "m00002", "m00006"] { try Self.fault(workspace, member, ["redirect_insecure"]) }
        #expect(try workspace.release("2.0.0").code == 1)
        #expect(try workspace.step("portals.wave.1", of: "2.0.0")?["state"] as? String == "halted")
        for member in ["m00001", "m00002", "m00006"] { try Self.fault(workspace, member, []) }
        let wave2 = try Self.members(below: 100.1, from: 50)
        let repair = try workspace.run(["reconcile", "--all", workspace.plan("2.0.0")])
        let touched = wave2.count - (try Self.withoutTaskTab(workspace, wave2).count)
        #expect(touched == 0, "reconcile --all (exit \(repair.code)) bound 2.0.0 on \(touched) portals of wave 2 while wave 1 is halted")
    }

    /// README: "`--member-id`: that portal … exit 0 done"; a single unknown id exits 1 naming it.
    /// With several ids none of which is an installation, the bulk repair says "on 2 installations",
    /// "repair complete" and exits 0, naming neither.
    @Test("reconcile --member-id with ids that are no installation names them")
    func bulkRepairUnknownIds() throws {
        let workspace = try FarmWorkspace(app: "acme.waves", plans: Self.plans, portals: 5)
        defer { workspace.close() }
        #expect(try workspace.release("2.0.0").code == 0)
        let repair = try workspace.run(["reconcile", "--member-id", "m99999,m99998", workspace.plan("2.0.0")])
        let text = repair.stdout + repair.stderr
        #expect(text.contains("m99999") && text.contains("m99998"), "exit \(repair.code): \(text)")
    }

    /// README: `reconcile --member-id ID` (the ONAPPINSTALL hook) is "recorded in the release's run".
    /// During a wave rollout it records the portal under a `portals.reconcile` step the run does not
    /// have; its wave then records it again, and `status` / `log` count 21 portals of 20 installations.
    @Test("reconcile --member-id of a later wave's portal during a rollout: status counts each installation once")
    func singlePortalReconcileDuringWaves() throws {
        let workspace = try FarmWorkspace(
            app: "acme.waves", plans: Self.plans, portals: 20, config: #""rollout": { "waves": [50, 100], "between": "gate" }"#)
        defer { workspace.close() }
        #expect(try workspace.release("2.0.0").code == 3)
        #expect(try workspace.run(["reconcile", "--member-id", "m00005", workspace.plan("2.0.0")]).code == 0)
        _ = try workspace.run(["gate", "pass", "gate.wave.1", workspace.plan("2.0.0")])
        #expect(try workspace.run(["apply", "--yes", workspace.plan("2.0.0")]).code == 0)
        let status = try CLIRunner.json(try workspace.run(["status", "--format", "json", workspace.plan("2.0.0")]))
        let portals = status["portals"] as? [String: Int] ?? [:]
        #expect(portals.values.reduce(0, +) == 20, "status --format json of 20 installations: \(portals)")
    }

    // MARK: - An empty canary (wrong output)

    /// README: the canary is `memberIds` or `where`. A canary id that is no active installation (a
    /// typo) gives an empty canary: `portals.canary: done — 0 done …`, then the operator is asked to
    /// "check the portals of portals.canary". Expected: the missing id is named (or the step refused).
    @Test("a canary whose memberIds match no installation is named, not silently done with 0 portals")
    func emptyCanary() throws {
        let rollout = #""rollout": { "canary": { "memberIds": ["m99999"] }, "waves": [50, 100], "between": "gate" }"#
        let workspace = try FarmWorkspace(app: "acme.waves", plans: Self.plans, portals: 5, config: rollout)
        defer { workspace.close() }
        let apply = try workspace.release("2.0.0")
        let text = apply.stdout + apply.stderr
        let afterCanary = text.range(of: "→ portals.canary").map { String(text[$0.upperBound...]) } ?? ""
        #expect(afterCanary.contains("m99999"), "\(afterCanary)")
    }

    // MARK: - diff --format json (wrong output)

    /// `schemas/diff-output.schema.json`: `partnerAccount.minimumBitrix24Version` is required ("null
    /// when the plan sets none"). diff leaves the key out, so the document fails its own schema for
    /// every plan without a minimum version (every plan of the repository sets one).
    @Test("diff --format json of a plan without minimumBitrix24Version (with canary and soaks) validates against its schema")
    func diffJSONValidates() throws {
        let rollout = #""rollout": { "canary": { "memberIds": ["m00001"] }, "waves": [1, 10, 100], "between": "30m" }"#
        let workspace = try FarmWorkspace(app: "acme.waves", plans: Self.plans, portals: 3, config: rollout)
        defer { workspace.close() }
        let diff = try workspace.run(["diff", "--format", "json", "--installations", "5000", workspace.plan("2.0.0")])
        #expect(diff.code == 0)
        let document = workspace.folder.appendingPathComponent("diff.json")
        try diff.stdout.write(to: document, atomically: true, encoding: .utf8)
        let check = try CLIRunner.runTool(
            "/usr/bin/env",
            [
                "python3", "-c",
                "import json,sys,jsonschema\nv=jsonschema.Draft202012Validator(json.load(open(sys.argv[1])))\n"
                    + "e=[f'{list(x.absolute_path)}: {x.message}' for x in v.iter_errors(json.load(open(sys.argv[2])))]\nprint('\\n'.join(e))\nsys.exit(1 if e else 0)",
                CLIRunner.packageRoot.appendingPathComponent("schemas/diff-output.schema.json").path, document.path,
            ])
        #expect(check.code == 0, "\(check.stdout)\(check.stderr)")
    }
}

/// Handler preflight probes, with a handler stand-in on 127.0.0.1 and ::1
/// (`scripts/probe/waves/handlers6.py`: `/status/<code>/…`, `/sleep/<ms>/…`, `/_log`).
@Suite("waves probe: preflight", .serialized)
struct PreflightProbeTests {
    final class Handlers: @unchecked Sendable {
        let process = Process()
        let input = Pipe()
        var port4 = 0
        var port6 = 0

        init() throws {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", CLIRunner.packageRoot.appendingPathComponent("scripts/probe/waves/handlers6.py").path]
            let output = Pipe()
            process.standardOutput = output
            process.standardInput = input
            process.standardError = FileHandle(forWritingAtPath: "/dev/null")
            try process.run()
            var buffer = Data()
            while port6 == 0 {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                buffer.append(chunk)
                for line in String(decoding: buffer, as: UTF8.self).split(separator: "\n") {
                    if line.hasPrefix("PORT4 ") { port4 = Int(line.dropFirst(6)) ?? 0 }
                    if line.hasPrefix("PORT6 ") { port6 = Int(line.dropFirst(6)) ?? 0 }
                }
            }
            guard port4 > 0, port6 > 0 else { throw PortalFarm.FarmError(message: "handlers6.py did not print its ports") }
        }

        /// Requests seen (the `/_log` lines).
        func log() throws -> [String] {
            let output = try CLIRunner.runTool("/usr/bin/env", ["curl", "-s", "http://127.0.0.1:\(port4)/_log"])
            return output.stdout.split(separator: "\n").map(String.init)
        }

        func stop() {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
        }
    }

    /// 2.0.0 adds a task tab on `task` and the events on `events`.
    static func plans(task: String, events: [String]) -> [String: String] {
        var plans = WavesTests.plans
        let list = events.map { #"{ "event": "ONCRMDEALUPDATE", "handler": "\#($0)" }"# }.joined(separator: ", ")
        plans["2.0.0"] =
            #"{ "app": "acme.waves", "scopes": ["crm", "placement", "task"], "handlerHosts": ["app.acme.example"], "version": "2.0.0", "#
            + #""changelog": { "en": "A task tab with the linked deals." }, "placements": [{ "placement": "CRM_DEAL_DETAIL_TAB", "#
            + #""handler": "https://app.acme.example/deal", "title": "Deals" }, { "placement": "TASK_VIEW_TAB", "handler": "\#(task)", "#
            + #""title": "Tasks" }], "events": [\#(list)] }"# + "\n"
        return plans
    }

    /// README: `--preflight-timeout` is the time one handler may take ("one POST … to each …
    /// (`--preflight-timeout`, default 10 s)"). 21 handlers that each answer 200 within 3 s fail with
    /// "no answer within 8 s": the requests are sent a few at a time and the timeout runs from the
    /// start of the step.
    @Test("21 handlers answering within 3 s pass a preflight with --preflight-timeout 8")
    func slowHandlersUnderTheTimeout() throws {
        let handlers = try Handlers()
        defer { handlers.stop() }
        let base = "http://127.0.0.1:\(handlers.port4)/sleep/3000"
        let workspace = try FarmWorkspace(
            app: "acme.waves", plans: Self.plans(task: "\(base)/task", events: (1...20).map { "\(base)/hook\($0)" }), portals: 3,
            environment: ["B24PLAN_SKIP_PREFLIGHT": ""])
        defer { workspace.close() }
        let apply = try workspace.release("2.0.0", ["--preflight-timeout", "8"])
        #expect(apply.code == 0, "\(apply.stdout)\(apply.stderr)")
        #expect(try workspace.step("portals.preflight", of: "2.0.0")?["state"] as? String == "done")
    }

    /// README: handler URLs are checked by "one POST with an empty form to each"; lint accepts an
    /// IPv6 literal host, and libcurl requests one (URLSession could not: `B24PLAN_HTTP=urlsession`
    /// passes such a URL as not checked).
    @Test("a handler on an IPv6 literal host is requested and passes")
    func ipv6LiteralHandler() throws {
        let handlers = try Handlers()
        defer { handlers.stop() }
        let base = "http://[::1]:\(handlers.port6)/status/200"
        let workspace = try FarmWorkspace(
            app: "acme.waves", plans: Self.plans(task: "\(base)/task", events: ["\(base)/hook"]), portals: 3,
            environment: ["B24PLAN_SKIP_PREFLIGHT": ""])
        defer { workspace.close() }
        #expect(try workspace.run(["lint", workspace.plan("2.0.0")]).code == 0)
        let apply = try workspace.release("2.0.0")
        #expect(apply.code == 0, "\(apply.stdout)\(apply.stderr)")
        #expect(!(apply.stdout + apply.stderr).contains("not checked"), "\(apply.stdout)")
        let detail = try workspace.step("portals.preflight", of: "2.0.0")?["detail"] as? String ?? ""
        #expect(detail.contains("\(base)/task → 200") && detail.contains("\(base)/hook → 200"), "\(detail)")
        #expect(try handlers.log().count == 2, "one request per handler URL")
    }
}
