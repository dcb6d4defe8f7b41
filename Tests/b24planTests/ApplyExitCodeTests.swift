import Foundation
import Testing

/// Apply's exit code matches its words (DESIGN §7): portals that need a reinstall or are inactive
/// are reported, not failures; failed portals and pending gates leave the run incomplete (3).
@Suite("apply exit codes", .serialized)
struct ApplyExitCodeTests {
    static func workspace(faults: String) throws -> FarmWorkspace {
        let fixtures = CLIRunner.packageRoot.appendingPathComponent("Tests/Fixtures/catalogue/acme.widgets")
        var plans: [String: String] = [:]
        for version in ["1.0.0", "2.0.0"] {
            plans[version] = try String(contentsOf: fixtures.appendingPathComponent("\(version).json"), encoding: .utf8)
        }
        return try FarmWorkspace(app: "acme.widgets", plans: plans, faults: faults)
    }

    @Test("a portal that needs a reinstall and one that is inactive: apply complete, exit 0, both counted with the command that lists them")
    func reportedPortalsExitZero() throws {
        let setup = try Self.workspace(faults: "missing_scope=2,uninstalled=1")
        defer { setup.close() }
        let apply = try setup.release("2.0.0")
        #expect(apply.code == 0, "\(apply.stdout)\(apply.stderr)")
        #expect(apply.stdout.contains("apply complete: acme.widgets 2.0.0"), "\(apply.stdout)")
        #expect(
            apply.stdout.contains("1 portal needs a reinstall to grant new scopes (b24plan status --portals --state needs-reinstall"),
            "\(apply.stdout)")
        #expect(apply.stdout.contains("1 portal is inactive"), "\(apply.stdout)")
        let reconcile = try setup.rows(
            "SELECT s.started_at, s.finished_at FROM b24plan_steps s JOIN b24plan_runs r ON r.id = s.run_id "
                + "WHERE s.step_id = 'portals.reconcile' AND r.version = '2.0.0'"
        ).first
        let (started, finished) = (reconcile?["started_at"] as? String ?? "", reconcile?["finished_at"] as? String ?? "")
        #expect(!started.isEmpty && started < finished, "the reconcile's start and end are its own: \(reconcile ?? [:])")
        let json = try setup.run(["apply", "--yes", "--format", "json", setup.plan("2.0.0")])
        #expect(json.code == 0, "\(json.stdout)\(json.stderr)")
        let document = try CLIRunner.json(json)
        #expect(document["complete"] as? Bool == true)
        #expect(
            document["portals"] as? [String: Int] == ["done": 3, "needs-reinstall": 1, "inactive": 1, "failed": 0, "pending": 0],
            "\(document["portals"] ?? "none")")
    }

    @Test("a failed portal: apply incomplete, exit 3, the summary names --retry failed and status --portals")
    func failedPortalExitsThree() throws {
        let setup = try Self.workspace(faults: "")
        defer { setup.close() }
        _ = try setup.farm.control("/_farm/portal/m00002/faults", post: ["faults": ["redirect_insecure"]])
        let apply = try setup.release("2.0.0")
        #expect(apply.code == 3, "\(apply.stdout)\(apply.stderr)")
        #expect(apply.stdout.contains("apply incomplete: acme.widgets 2.0.0"), "\(apply.stdout)")
        #expect(apply.stdout.contains("1 portal failed: apply --retry failed retries them"), "\(apply.stdout)")
        _ = try setup.farm.control("/_farm/portal/m00002/faults", post: ["faults": [String]()])
        let retry = try setup.run(["apply", "--yes", "--retry", "failed", setup.plan("2.0.0")])
        #expect(retry.code == 0, "\(retry.stdout)\(retry.stderr)")
    }

    @Test("a pending gate: exit 3; the hint passes the gate with the file apply was given and says no more than once that it waits")
    func pendingGateHint() throws {
        let setup = try Self.workspace(faults: "")
        defer { setup.close() }
        let apply = try setup.run(["apply", "--yes", setup.plan("2.0.0")])
        #expect(apply.code == 3, "\(apply.stdout)\(apply.stderr)")
        #expect(apply.stdout.contains("b24plan gate pass deploy plans/acme.widgets/2.0.0.json"), "\(apply.stdout)")
        #expect(!apply.stdout.contains("waiting — waiting"), "\(apply.stdout)")
    }
}
