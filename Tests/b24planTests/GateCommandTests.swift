import Foundation
import Testing

/// `gate pass` with a step written the short way, and who passes it when `$USER` is unset (issue 13).
@Suite("b24plan gate pass: step names and the actor (the built binary)")
struct GateCommandTests {
    static let plan = ApplyWorkspace.planPath("1.0.0")

    struct ShortName: Sendable, CustomTestStringConvertible {
        var written: String
        var meant: String
        var testDescription: String { "\(written) → \(meant)" }
    }

    static let shortNames = [
        ShortName(written: "partner", meant: "gate.partner"), ShortName(written: "moderation", meant: "gate.moderation"),
        ShortName(written: "Partner", meant: "gate.partner"), ShortName(written: "gate.partnr", meant: "gate.partner"),
        ShortName(written: "DEPLOY", meant: "deploy"),
    ]

    @Test("a gate without its gate. prefix: exit 64, did you mean gate.X?, and the plan's manual steps", arguments: shortNames)
    func shortName(_ name: ShortName) throws {
        let ws = try ApplyWorkspace(.sqlite)
        defer { ws.tearDown() }
        try ws.prepareStore()
        try ws.writePlan("1.0.0", deploy: false)
        let output = try ws.b24plan(["gate", "pass", name.written, Self.plan])
        #expect(output.code == 64, "\(output.stderr)")
        #expect(
            output.stderr.hasPrefix(
                "error: the plan has no step \(name.written); did you mean \(name.meant)?\n"
                    + "the plan's manual steps: deploy, gate.partner, gate.moderation\n"), "\(output.stderr)")
        #expect(output.stdout.isEmpty)
    }

    @Test("a wave gate written wave.1 points at gate.wave.1")
    func waveGate() throws {
        let ws = try ApplyWorkspace(.sqlite)
        defer { ws.tearDown() }
        try ws.prepareStore()
        try ws.write(
            Self.plan,
            """
            { "app": "\(ApplyWorkspace.app)", "version": "1.0.0", "changelog": { "en": "Release 1.0.0 of the apply test application." },
              "scopes": ["crm"], "requiredMethods": ["crm.deal.get"],
              "events": [{ "event": "ONCRMDEALUPDATE", "handler": "https://app.acme.example/hook" }] }

            """)
        let config = try #require(ws.read("b24plan.config.json"))
        try ws.write(
            "b24plan.config.json",
            config.replacingOccurrences(
                of: "{\n", with: "{\n  \"rollout\": { \"waves\": [50, 100], \"between\": \"gate\" },\n", options: [],
                range: config.range(of: "{\n")))
        let output = try ws.b24plan(["gate", "pass", "wave.1", Self.plan])
        #expect(output.code == 64, "\(output.stderr)")
        #expect(output.stderr.hasPrefix("error: the plan has no step wave.1; did you mean gate.wave.1?\n"), "\(output.stderr)")
        #expect(output.stderr.contains("the plan's manual steps: deploy, gate.partner, gate.moderation, gate.wave.1\n"), "\(output.stderr)")
    }

    /// A workspace whose apply of 1.0.0 ran the deploy and stopped at gate.partner.
    static func atPartnerGate() throws -> ApplyWorkspace {
        let ws = try ApplyWorkspace(.sqlite)
        try ws.prepareStore()
        try ws.writeDeployScript()
        try ws.writePlan("1.0.0")
        let first = try ws.b24plan(["apply", "--yes", Self.plan])
        #expect(first.code == 3, "\(first.stdout)\n\(first.stderr)")
        return ws
    }

    @Test("without USER and LOGNAME the gate is passed by the account name (password database), not 'unknown'")
    func actorWithoutUser() throws {
        let ws = try Self.atPartnerGate()
        defer { ws.tearDown() }
        let uid = geteuid()
        let expected = getpwuid(uid).flatMap { $0.pointee.pw_name.map { String(cString: $0) } } ?? "uid \(uid)"
        let pass = try ws.b24plan(["gate", "pass", "gate.partner", Self.plan], removing: ["USER", "LOGNAME"])
        #expect(pass.code == 0, "\(pass.stderr)")
        #expect(pass.stdout.contains("passed gate.partner of acme.apply 1.0.0 (by \(expected))"), "\(pass.stdout)")
        #expect(!pass.stdout.contains("unknown"))
        #expect(try ws.rows("SELECT passed_by FROM b24plan_gates WHERE step_id = 'gate.partner'") == [[expected]])
        let byName = try ws.b24plan(["gate", "pass", "gate.moderation", Self.plan, "--by", "alice"], removing: ["USER", "LOGNAME"])
        #expect(byName.stdout.contains("(by alice)"), "--by wins: \(byName.stdout)")
    }

    @Test("a --by and --reason with terminal escapes are stored as typed and printed escaped by gate and log")
    func escapesInActorAndReason() throws {
        let ws = try Self.atPartnerGate()
        defer { ws.tearDown() }
        let by = "mallory\u{1B}]0;owned\u{7}"
        let reason = "no\u{1B}[2J\u{1B}[31m entry"
        let reject = try ws.b24plan(["gate", "reject", "gate.partner", Self.plan, "--by", by, "--reason", reason])
        #expect(reject.code == 0, "\(reject.stderr)")
        let log = try ws.b24plan(["log"])
        for output in [reject.stdout + reject.stderr, log.stdout + log.stderr] {
            #expect(!output.contains("\u{1B}") && !output.contains("\u{7}"), "\(output.debugDescription)")
            #expect(output.contains("mallory"), "\(output)")
        }
        #expect(log.stdout.contains("no\\u{1B}[2J"), "\(log.stdout)")
        #expect(try ws.rows("SELECT rejected_by, reason FROM b24plan_gate_rejections WHERE step_id = 'gate.partner'") == [[by, reason]])
    }
}
