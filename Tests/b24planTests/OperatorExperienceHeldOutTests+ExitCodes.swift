import Foundation
import Testing

/// Exit codes that match the words (issue 13, item 2): apply's outcome and each command's `--help`.
extension OperatorExperienceHeldOutTests {
    /// Whether apply's output gives `count` next to `word` ("3 need a reinstall", "needs-reinstall: 3"),
    /// the number standing alone (not part of a version such as 2.0.0).
    static func says(_ output: CLIRunner.Output, _ count: Int, _ word: String) -> Bool {
        let number = "(?<![0-9.])\(count)(?![0-9.])"
        let text = output.stdout + "\n" + output.stderr
        return [number + "[^0-9,;\\n]{0,40}" + word, word + "[a-z-]*\\s*[:=]\\s*" + number].contains {
            text.range(of: $0, options: [.regularExpression, .caseInsensitive]) != nil
        }
    }

    @Test("apply exits 0 when every step is done and portals are done, need a reinstall or are inactive; the text says how many")
    func completeWithReinstallAndInactive() throws {
        let workspace = try Self.workspace(portals: 8)
        defer { workspace.close() }
        try Self.lackTask(workspace, Self.member(2))
        try Self.lackTask(workspace, Self.member(5))
        try Self.notInstalled(workspace, Self.member(7))
        try Self.fault(workspace, Self.member(4), ["deleted"])
        try Self.fault(workspace, Self.member(6), ["uninstalled"])
        let apply = try workspace.release("2.0.0")
        #expect(
            apply.code == 0, "a scope-adding release that reached every portal is complete: \(apply.code)\n\(apply.stdout)\(apply.stderr)")
        #expect(Self.says(apply, 3, "reinstall"), "the text says 3 portals need a reinstall: \(apply.stdout)")
        #expect(Self.says(apply, 2, "inactive"), "the text says 2 portals are inactive: \(apply.stdout)")
        let status = try CLIRunner.json(try workspace.run(["status", "--format", "json", workspace.plan("2.0.0")]))
        #expect(
            status["portals"] as? [String: Int] == ["done": 3, "needs-reinstall": 3, "inactive": 2, "failed": 0, "pending": 0],
            "\(status)")
        let again = try workspace.run(["apply", "--yes", workspace.plan("2.0.0")])
        #expect(again.code == 0, "applying the complete run again: still 0: \(again.stdout)\(again.stderr)")
    }

    @Test("apply exits 3 at a pending gate and while a portal is failed; 0 once the failed portal is retried and done")
    func failedPortalKeepsItIncomplete() throws {
        let handlers = try HandlerServer()
        defer { handlers.stop() }
        let (workspace, endpoint) = try Self.mixedFleet(handlers)
        defer { workspace.close() }
        let gate = try workspace.run(["apply", "--yes", workspace.plan("2.0.0")])
        #expect(gate.code == 3, "gate.canary is pending: \(gate.stdout)\(gate.stderr)")
        #expect(gate.stdout.contains("b24plan gate pass gate.canary"), "\(gate.stdout)")

        #expect(try workspace.run(["gate", "pass", "gate.canary", workspace.plan("2.0.0")]).code == 0)
        let waves = try workspace.run(["apply", "--yes", workspace.plan("2.0.0")])
        #expect(waves.code == 3, "every step is done but a portal failed: incomplete: \(waves.code) \(waves.stdout)\(waves.stderr)")
        let tasks = try workspace.rows(
            "SELECT t.member_id, t.state FROM b24plan_portal_tasks t JOIN b24plan_runs r ON r.id = t.run_id WHERE r.version = '2.0.0'")
        let states = Dictionary(
            tasks.map { ($0["member_id"] as? String ?? "?", $0["state"] as? String ?? "?") }, uniquingKeysWith: { first, _ in first })
        #expect(states[Self.member(5)] == "failed", "the 5xx portal is still failed: \(states)")
        #expect((7...10).allSatisfy { states[Self.member($0)] == "done" }, "the wave reached the rest: \(states)")
        let (_, failed) = try Self.portalsJSON(workspace, ["--state", "failed"])
        #expect(Self.members(failed) == [Self.member(5)], "\(failed)")
        let reason = Self.list(failed).first?["reason"] as? String ?? ""
        #expect(reason.contains("500"), "the reason of a persistent 5xx names the status: \(reason)")

        try Self.setEndpoint(workspace, Self.member(5), endpoint)
        let retried = try workspace.run(["apply", "--yes", "--retry", "failed", workspace.plan("2.0.0")])
        #expect(retried.code == 0, "no portal failed or pending: complete: \(retried.code) \(retried.stdout)\(retried.stderr)")
        #expect(Self.says(retried, 2, "reinstall"), "the text says 2 need a reinstall: \(retried.stdout)")
        #expect(Self.says(retried, 2, "inactive"), "the text says 2 are inactive: \(retried.stdout)")
        let status = try CLIRunner.json(try workspace.run(["status", "--format", "json", workspace.plan("2.0.0")]))
        #expect(
            status["portals"] as? [String: Int] == ["done": 6, "needs-reinstall": 2, "inactive": 2, "failed": 0, "pending": 0],
            "\(status)")
    }

    @Test("apply exits 1 when a step fails (a deploy command that exits 7), before any portal is touched")
    func failedStepExitsOne() throws {
        let workspace = try Self.workspace(portals: 3, deploy: true)
        defer { workspace.close() }
        let script = workspace.folder.appendingPathComponent("plans/\(Self.app)/deploy.sh")
        try "#!/bin/sh\necho 'upload rejected' >&2\nexit 7\n".write(to: script, atomically: true, encoding: .utf8)
        let apply = try workspace.run(["apply", "--yes", workspace.plan("2.0.0")])
        #expect(apply.code == 1, "\(apply.stdout)\(apply.stderr)")
        #expect(try workspace.step("deploy", of: "2.0.0")?["state"] as? String == "failed")
        #expect(try workspace.farm.stats()["requests_total"] as? Int == 0)
    }

    /// Each command's own exit codes: must list, must not list.
    static let helpCases: [(command: [String], must: Set<Int>, mustNot: Set<Int>)] = [
        (["lint"], [0, 1], [2, 3]),
        (["diff"], [0, 1, 2], [3]),
        (["apply"], [0, 1, 3, 64], [2]),
        (["drift"], [0, 1, 2], [3]),
        (["status"], [0], [2, 3]),
        (["init"], [0], [2, 3]),
        (["baseline"], [0], [2, 3]),
        (["explain"], [0], [2, 3]),
        (["graph"], [0], [2, 3]),
    ]

    @Test("--help of each command lists only its own exit codes", arguments: helpCases.map { $0.command })
    func helpListsOwnExitCodes(_ command: [String]) throws {
        let expected = try #require(Self.helpCases.first { $0.command == command })
        let help = try CLIRunner.run(command + ["--help"])
        #expect(help.code == 0, "\(help.stderr)")
        let codes = Self.exitCodes(inHelp: help.stdout)
        #expect(codes != nil, "the help has an exit codes section: \(help.stdout)")
        let listed = codes ?? []
        #expect(listed.isSuperset(of: expected.must), "\(command) lists \(expected.must.sorted()): \(listed.sorted())\n\(help.stdout)")
        #expect(listed.isDisjoint(with: expected.mustNot), "\(command) does not list \(expected.mustNot.sorted()): \(listed.sorted())")
        if expected.mustNot.contains(3) {
            #expect(!help.stdout.lowercased().contains("incomplete"), "\(command) --help speaks of no incomplete apply: \(help.stdout)")
        }
        if command == ["diff"] {
            let section = help.stdout.components(separatedBy: "\n").drop { !$0.lowercased().hasPrefix("exit code") }
            let two = section.first { $0.split(separator: " ").first == "2" } ?? ""
            #expect(two.contains("--detailed-exitcode"), "diff's 2 is for --detailed-exitcode: \(two)")
        }
    }
}
