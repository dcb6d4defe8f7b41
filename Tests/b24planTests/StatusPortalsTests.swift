import Foundation
import Testing

/// `status --portals` (issue 13): which portals are in which state and why, paged in member-id order.
@Suite("status --portals", .serialized)
struct StatusPortalsTests {
    /// Eight portals: m00005 lacks `task` (needs-reinstall), m00002 has uninstalled the app
    /// (APPLICATION_NOT_FOUND: inactive), m00003's portal is deleted (PORTAL_DELETED: inactive),
    /// m00006 redirects to http (failed); the rest end done.
    static func rollout() throws -> FarmWorkspace {
        let fixtures = CLIRunner.packageRoot.appendingPathComponent("Tests/Fixtures/catalogue/acme.widgets")
        var plans: [String: String] = [:]
        for version in ["1.0.0", "2.0.0"] {
            plans[version] = try String(contentsOf: fixtures.appendingPathComponent("\(version).json"), encoding: .utf8)
        }
        let setup = try FarmWorkspace(app: "acme.widgets", plans: plans, portals: 8, faults: "missing_scope=1")
        for (member, fault) in [("m00002", "uninstalled"), ("m00003", "deleted"), ("m00006", "redirect_insecure")] {
            _ = try setup.farm.control("/_farm/portal/\(member)/faults", post: ["faults": [fault]])
        }
        return setup
    }

    static func list(_ setup: FarmWorkspace, _ options: [String]) throws -> (document: [String: Any], entries: [[String: Any]]) {
        let output = try setup.run(["status", "--portals", "--format", "json"] + options)
        #expect(output.code == 0, "\(output.stdout)\(output.stderr)")
        let document = try CLIRunner.json(output)
        return (document, document["portalList"] as? [[String: Any]] ?? [])
    }

    @Test("before the reconcile every installation is listed pending; after it each portal has its state, host and reason")
    func statesAndReasons() throws {
        let setup = try Self.rollout()
        defer { setup.close() }
        let first = try setup.run(["apply", "--yes", setup.plan("2.0.0")])
        #expect(first.code == 3)
        let before = try Self.list(setup, [setup.plan("2.0.0")])
        #expect(before.entries.map { $0["memberId"] as? String } == (1...8).map { String(format: "m%05d", $0) })
        #expect(before.entries.allSatisfy { $0["state"] as? String == "pending" && $0["attempts"] as? Int == 0 })
        #expect(before.document["nextAfter"] is NSNull)

        try setup.passGates("2.0.0")
        let apply = try setup.run(["apply", "--yes", setup.plan("2.0.0")])
        #expect(apply.code == 3, "m00006 failed: \(apply.stdout)")
        let after = try Self.list(setup, [])
        var byMember: [String: [String: Any]] = [:]
        for entry in after.entries { byMember[entry["memberId"] as? String ?? ""] = entry }
        #expect(byMember.count == 8)
        func field(_ member: String, _ key: String) -> String? { byMember[member]?[key] as? String }
        #expect(field("m00001", "state") == "done")
        #expect(byMember["m00001"]?["reason"] is NSNull)
        #expect(field("m00005", "state") == "needs-reinstall")
        #expect(field("m00005", "reason")?.contains("missing scopes: task") == true, "\(byMember["m00005"] ?? [:])")
        #expect(field("m00002", "state") == "inactive")
        #expect(field("m00002", "reason")?.contains("APPLICATION_NOT_FOUND") == true, "\(byMember["m00002"] ?? [:])")
        #expect(field("m00003", "state") == "inactive")
        #expect(field("m00003", "reason")?.contains("PORTAL_DELETED") == true, "\(byMember["m00003"] ?? [:])")
        #expect(field("m00006", "state") == "failed")
        #expect(field("m00006", "reason")?.isEmpty == false)
        #expect((byMember["m00006"]?["attempts"] as? Int ?? 0) >= 1)
        #expect(field("m00001", "host") == "127.0.0.1" || field("m00001", "host")?.isEmpty == false)
        #expect(field("m00001", "updatedAt")?.isEmpty == false)

        let failed = try Self.list(setup, ["--state", "failed"])
        #expect(failed.entries.map { $0["memberId"] as? String } == ["m00006"])
        let inactive = try Self.list(setup, ["--state", "inactive"])
        #expect(inactive.entries.map { $0["memberId"] as? String } == ["m00002", "m00003"])

        let text = try setup.run(["status", "--portals", "--state", "needs-reinstall"])
        #expect(text.code == 0)
        #expect(text.stdout.contains("MEMBER ID"), "\(text.stdout)")
        #expect(text.stdout.contains("m00005") && !text.stdout.contains("m00001 "), "\(text.stdout)")
    }

    @Test("--limit and --after page through every portal once, in order; nextAfter is null on the last page")
    func paging() throws {
        let setup = try Self.rollout()
        defer { setup.close() }
        _ = try setup.release("2.0.0")
        // The reconcile's journal row keeps when it started (it waits for m00006); the baseline's,
        // which never ran, has no start.
        let reconcile = try setup.rows(
            "SELECT r.version, s.started_at, s.finished_at FROM b24plan_steps s JOIN b24plan_runs r ON r.id = s.run_id "
                + "WHERE s.step_id = 'portals.reconcile' ORDER BY r.version")
        #expect(reconcile.count == 2)
        #expect(reconcile.first?["started_at"] is NSNull, "baseline 1.0.0: \(reconcile)")
        #expect((reconcile.last?["started_at"] as? String)?.isEmpty == false, "\(reconcile)")
        var seen: [String] = []
        var after: String?
        var pages = 0
        repeat {
            let page = try Self.list(setup, ["--limit", "3"] + (after.map { ["--after", $0] } ?? []))
            #expect(page.entries.count <= 3)
            seen += page.entries.compactMap { $0["memberId"] as? String }
            after = page.document["nextAfter"] as? String
            pages += 1
        } while after != nil && pages < 10
        #expect(seen == (1...8).map { String(format: "m%05d", $0) })
        #expect(pages == 3)
        let all = try Self.list(setup, ["--limit", "0"])
        #expect(all.entries.count == 8)
        let text = try setup.run(["status", "--portals", "--limit", "2"])
        #expect(text.stdout.contains("b24plan status --portals --after m00002"), "\(text.stdout)")
    }

    @Test("a wrong --state or --limit is a usage error")
    func badOptions() throws {
        let setup = try Self.rollout()
        defer { setup.close() }
        _ = try setup.run(["apply", "--yes", setup.plan("2.0.0")])
        #expect(try setup.run(["status", "--portals", "--state", "broken"]).code == 64)
        #expect(try setup.run(["status", "--portals", "--limit", "-1"]).code == 64)
    }
}
