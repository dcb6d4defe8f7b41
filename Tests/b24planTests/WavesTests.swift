import Foundation
import Testing

/// A rollout in waves against the farm: membership by the documented bucket of each member_id, a
/// wave that fails on too many portals halts with the later waves untouched, and a retry after the
/// fault is cleared continues it.
@Suite("rollout in waves", .serialized)
struct WavesTests {
    static let plans: [String: String] = {
        let head = #""app": "acme.waves", "scopes": ["crm", "placement", "task"], "handlerHosts": ["app.acme.example"],"#
        let deal = #"{ "placement": "CRM_DEAL_DETAIL_TAB", "handler": "https://app.acme.example/deal", "title": "Deals" }"#
        let task = #"{ "placement": "TASK_VIEW_TAB", "handler": "https://app.acme.example/task", "title": "Tasks" }"#
        return [
            "1.0.0":
                "{ \(head) \"version\": \"1.0.0\", \"changelog\": { \"en\": \"Deal tab with the linked items.\" }, \"placements\": [\(deal)] }\n",
            "2.0.0": "{ \(head) \"version\": \"2.0.0\", \"changelog\": { \"en\": \"A task tab with the linked deals.\" }, "
                + "\"placements\": [\(deal), \(task)] }\n",
        ]
    }()

    /// The documented bucket, computed independently: the first 32 bits of SHA-256(member_id) as a
    /// share of 2^32, in percent.
    static func percentiles(_ members: [String]) throws -> [String: Double] {
        let script =
            "import hashlib,sys\nfor m in sys.argv[1:]: print(m, int(hashlib.sha256(m.encode()).hexdigest()[:8], 16) / 2**32 * 100)"
        let output = try CLIRunner.runTool("/usr/bin/env", ["python3", "-c", script] + members)
        var result: [String: Double] = [:]
        for line in output.stdout.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2 { result[String(parts[0])] = Double(parts[1]) }
        }
        return result
    }

    static func hasTaskTab(_ workspace: FarmWorkspace, _ member: String) throws -> Bool {
        let placements = try workspace.farm.portal(member)["placements"] as? [[String: Any]] ?? []
        return placements.contains { $0["placement"] as? String == "TASK_VIEW_TAB" }
    }

    @Test("three waves: the second halts on its failures, the third is untouched; cleared and retried, the rollout completes")
    func haltAndContinue() throws {
        let rollout = #""rollout": { "waves": [10, 50, 100], "halt": { "failedPercent": 5, "minPortals": 5 }, "between": "gate" }"#
        let workspace = try FarmWorkspace(app: "acme.waves", plans: Self.plans, portals: 40, config: rollout)
        defer { workspace.close() }
        let members = (1...40).map { String(format: "m%05d", $0) }
        let position = try Self.percentiles(members)
        let wave1 = members.filter { position[$0]! < 10 }
        let wave2 = members.filter { position[$0]! >= 10 && position[$0]! < 50 }
        let wave3 = members.filter { position[$0]! >= 50 }
        #expect(!wave1.isEmpty && wave2.count >= 4 && !wave3.isEmpty, "the seed gives every wave portals")

        let diff = try workspace.run(["diff", workspace.plan("2.0.0")])
        #expect(diff.stdout.contains("portals.wave.1") && diff.stdout.contains("gate.wave.2"), "\(diff.stdout)")

        // Wave 1 runs after the release gates, then the rollout waits at gate.wave.1.
        let first = try workspace.release("2.0.0")
        #expect(first.code == 3, "\(first.stdout)\(first.stderr)")
        for member in members { #expect(try Self.hasTaskTab(workspace, member) == wave1.contains(member), "\(member)") }
        #expect(first.stdout.contains("b24plan gate pass gate.wave.1"), "\(first.stdout)")

        // A broken portal host for half of wave 2: more than 5 % of the wave fails.
        let broken = Array(wave2.prefix(wave2.count / 2))
        for member in broken { _ = try workspace.farm.control("/_farm/portal/\(member)/faults", post: ["faults": ["redirect_insecure"]]) }
        #expect(
            try workspace.run(["gate", "pass", "portals.wave.1", workspace.plan("2.0.0")]).code == 0, "the wave's own id passes its gate")
        let halted = try workspace.run(["apply", "--yes", workspace.plan("2.0.0")])
        #expect(halted.code == 1, "\(halted.stdout)\(halted.stderr)")
        #expect(halted.stdout.contains("portals.wave.2 halted") && halted.stdout.contains("Causes:"), "\(halted.stdout)")
        #expect(try workspace.step("portals.wave.2", of: "2.0.0")?["state"] as? String == "halted")
        for member in wave3 { #expect(try !Self.hasTaskTab(workspace, member), "wave 3 untouched: \(member)") }
        let status = try workspace.run(["status", workspace.plan("2.0.0")])
        #expect(status.stdout.contains("portals.wave.2") && status.stdout.contains("\(broken.count) failed"), "\(status.stdout)")

        // Fixed: the same wave continues, then waits for its gate; then the last wave.
        for member in broken { _ = try workspace.farm.control("/_farm/portal/\(member)/faults", post: ["faults": []]) }
        let retried = try workspace.run(["apply", "--yes", "--retry", "failed", workspace.plan("2.0.0")])
        #expect(retried.code == 3, "\(retried.stdout)\(retried.stderr)")
        #expect(try workspace.step("portals.wave.2", of: "2.0.0")?["state"] as? String == "done")
        for member in wave3 { #expect(try !Self.hasTaskTab(workspace, member)) }
        #expect(try workspace.run(["gate", "pass", "gate.wave.2", workspace.plan("2.0.0")]).code == 0)
        let last = try workspace.run(["apply", "--yes", workspace.plan("2.0.0")])
        #expect(last.code == 0, "\(last.stdout)\(last.stderr)")
        for member in members { #expect(try Self.hasTaskTab(workspace, member), "\(member)") }

        // Each portal is in exactly the wave its bucket names, recorded in the journal.
        let tasks = try workspace.rows(
            "SELECT t.step_id, t.member_id FROM b24plan_portal_tasks t JOIN b24plan_runs r ON r.id = t.run_id WHERE r.version = '2.0.0'")
        var recorded: [String: [String]] = [:]
        for row in tasks { recorded[row["member_id"] as? String ?? "", default: []].append(row["step_id"] as? String ?? "") }
        for member in members {
            let expected = wave1.contains(member) ? "portals.wave.1" : wave2.contains(member) ? "portals.wave.2" : "portals.wave.3"
            #expect(recorded[member] == [expected], "\(member): \(recorded[member] ?? [])")
        }
    }

    @Test("a canary by member id goes first, then each wave after a timed soak; the canary is left out of the waves")
    func canaryAndSoak() throws {
        let rollout = #""rollout": { "canary": { "memberIds": ["m00007", "m00011"] }, "waves": [50, 100], "between": "1s" }"#
        let workspace = try FarmWorkspace(app: "acme.waves", plans: Self.plans, portals: 12, config: rollout)
        defer { workspace.close() }
        let members = (1...12).map { String(format: "m%05d", $0) }
        let canary = ["m00007", "m00011"]
        let position = try Self.percentiles(members)

        let first = try workspace.release("2.0.0")
        #expect(first.code == 3, "\(first.stdout)\(first.stderr)")
        for member in members { #expect(try Self.hasTaskTab(workspace, member) == canary.contains(member), "\(member)") }
        #expect(first.stdout.contains("soaking until"), "\(first.stdout)")
        #expect(try workspace.step("soak.canary", of: "2.0.0")?["state"] as? String == "waiting")

        Thread.sleep(forTimeInterval: 1.2)
        let second = try workspace.run(["apply", "--yes", workspace.plan("2.0.0")])
        #expect(second.code == 3, "the next soak waits: \(second.stdout)\(second.stderr)")
        for member in members {
            let expected = canary.contains(member) || position[member]! < 50
            #expect(try Self.hasTaskTab(workspace, member) == expected, "\(member)")
        }
        Thread.sleep(forTimeInterval: 1.2)
        let last = try workspace.run(["apply", "--yes", workspace.plan("2.0.0")])
        #expect(last.code == 0, "\(last.stdout)\(last.stderr)")
        for member in members { #expect(try Self.hasTaskTab(workspace, member), "\(member)") }
        let inWaves = try workspace.rows(
            "SELECT t.member_id FROM b24plan_portal_tasks t JOIN b24plan_runs r ON r.id = t.run_id "
                + "WHERE r.version = '2.0.0' AND t.step_id LIKE 'portals.wave.%'")
        #expect(Set(inWaves.compactMap { $0["member_id"] as? String }) == Set(members).subtracting(canary))
    }

    @Test("SIGKILL during the second wave, then apply again: the same membership, every portal in its one wave")
    func killAndResume() throws {
        let rollout = #""rollout": { "waves": [30, 100], "between": "gate" }"#
        let workspace = try FarmWorkspace(app: "acme.waves", plans: Self.plans, portals: 60, config: rollout, faults: "slow=60")
        defer { workspace.close() }
        let members = (1...60).map { String(format: "m%05d", $0) }
        let position = try Self.percentiles(members)
        #expect(try workspace.release("2.0.0", ["--parallel", "4"]).code == 3)
        #expect(try workspace.run(["gate", "pass", "gate.wave.1", workspace.plan("2.0.0")]).code == 0)

        let process = Process()
        process.executableURL = CLIRunner.binary
        process.arguments = ["apply", "--yes", "--parallel", "4", workspace.plan("2.0.0")]
        process.currentDirectoryURL = workspace.folder
        process.environment = CLIRunner.childEnvironment(workspace.environment)
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        var recorded = 0
        while Date() < deadline && process.isRunning {
            recorded =
                (try? workspace.rows(
                    "SELECT COUNT(*) AS n FROM b24plan_portal_tasks WHERE step_id = 'portals.wave.2' AND state <> 'pending'"))?.first?["n"]
                as? Int ?? 0
            if recorded >= 5 { break }
            usleep(50_000)
        }
        #expect(process.isRunning, "apply finished before it could be killed")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()

        let resumed = try workspace.run(["apply", "--yes", "--parallel", "4", workspace.plan("2.0.0")])
        #expect(resumed.code == 0, "\(resumed.stdout)\(resumed.stderr)")
        let tasks = try workspace.rows(
            "SELECT t.step_id, t.member_id, t.state FROM b24plan_portal_tasks t JOIN b24plan_runs r ON r.id = t.run_id "
                + "WHERE r.version = '2.0.0'")
        var recordedWaves: [String: [String]] = [:]
        for row in tasks {
            recordedWaves[row["member_id"] as? String ?? "", default: []].append(row["step_id"] as? String ?? "")
            #expect(row["state"] as? String == "done")
        }
        for member in members {
            let expected = position[member]! < 30 ? "portals.wave.1" : "portals.wave.2"
            #expect(recordedWaves[member] == [expected], "\(member): \(recordedWaves[member] ?? [])")
            #expect(try Self.hasTaskTab(workspace, member), "\(member)")
        }
    }

    @Test("the shares changed between two applies: the next wave takes every portal no earlier step did; none skipped, none twice")
    func sharesChanged() throws {
        let workspace = try FarmWorkspace(
            app: "acme.waves", plans: Self.plans, portals: 30, config: #""rollout": { "waves": [30, 100] }"#)
        defer { workspace.close() }
        #expect(try workspace.release("2.0.0").code == 3)
        let config = workspace.folder.appendingPathComponent("b24plan.config.json")
        let text = try String(contentsOf: config, encoding: .utf8)
            .replacingOccurrences(of: #""waves": [30, 100]"#, with: #""waves": [10, 50, 100]"#)
        try text.write(to: config, atomically: true, encoding: .utf8)
        #expect(try workspace.run(["gate", "pass", "gate.wave.1", workspace.plan("2.0.0")]).code == 0)
        let second = try workspace.run(["apply", "--yes", workspace.plan("2.0.0")])
        #expect(second.code == 3, "wave 2 ends at its gate: \(second.stdout)\(second.stderr)")
        #expect(try workspace.run(["gate", "pass", "gate.wave.2", workspace.plan("2.0.0")]).code == 0)
        let last = try workspace.run(["apply", "--yes", workspace.plan("2.0.0")])
        #expect(last.code == 0, "\(last.stdout)\(last.stderr)")
        let members = (1...30).map { String(format: "m%05d", $0) }
        for member in members { #expect(try Self.hasTaskTab(workspace, member), "\(member)") }
        let tasks = try workspace.rows(
            "SELECT t.member_id, COUNT(*) AS n FROM b24plan_portal_tasks t JOIN b24plan_runs r ON r.id = t.run_id "
                + "WHERE r.version = '2.0.0' GROUP BY t.member_id")
        #expect(tasks.count == 30 && tasks.allSatisfy { $0["n"] as? Int == 1 }, "every portal reconciled once: \(tasks)")
    }

    @Test("a failure below the halt threshold: the wave is done, the next one may start, the failed portal is retried later")
    func belowThreshold() throws {
        let rollout = #""rollout": { "waves": [50, 100], "halt": { "failedPercent": 20, "minPortals": 5 } }"#
        let workspace = try FarmWorkspace(app: "acme.waves", plans: Self.plans, portals: 30, config: rollout)
        defer { workspace.close() }
        let members = (1...30).map { String(format: "m%05d", $0) }
        let position = try Self.percentiles(members)
        let broken = try #require(members.first { position[$0]! < 50 })
        _ = try workspace.farm.control("/_farm/portal/\(broken)/faults", post: ["faults": ["redirect_insecure"]])
        let first = try workspace.release("2.0.0")
        #expect(first.code == 3, "\(first.stdout)\(first.stderr)")
        #expect(try workspace.step("portals.wave.1", of: "2.0.0")?["state"] as? String == "done")
        #expect(try workspace.run(["gate", "pass", "gate.wave.1", workspace.plan("2.0.0")]).code == 0)
        let second = try workspace.run(["apply", "--yes", workspace.plan("2.0.0")])
        #expect(second.code == 3, "every step ran, one portal failed: \(second.stdout)")
        #expect(second.stdout.contains("1 portal failed"), "\(second.stdout)")
        _ = try workspace.farm.control("/_farm/portal/\(broken)/faults", post: ["faults": []])
        let retried = try workspace.run(["apply", "--yes", "--retry", "failed", workspace.plan("2.0.0")])
        #expect(retried.code == 0, "\(retried.stdout)\(retried.stderr)")
        for member in members { #expect(try Self.hasTaskTab(workspace, member), "\(member)") }
    }
}
