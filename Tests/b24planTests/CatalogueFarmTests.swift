import Foundation
import Testing

/// The catalogue's binding facts against the farm (which follows the same docs pages): kept options
/// such as TASK_VIEW_TAB's `groupId` reconcile once and then never again, and the Sites placements
/// go through `landing.repo.bind` / `landing.repo.unbind`, never `placement.*`.
@Suite("catalogue facts on the farm", .serialized)
struct CatalogueFarmTests {
    /// Five portals holding 1.0.0's deal tab (scopes crm, placement, task, landing); 1.0.0 baselined.
    typealias Setup = FarmWorkspace

    static func workspace() throws -> FarmWorkspace {
        let fixtures = CLIRunner.packageRoot.appendingPathComponent("Tests/Fixtures/catalogue/acme.widgets")
        var plans: [String: String] = [:]
        for version in ["1.0.0", "2.0.0", "2.1.0"] {
            plans[version] = try String(contentsOf: fixtures.appendingPathComponent("\(version).json"), encoding: .utf8)
        }
        return try FarmWorkspace(app: "acme.widgets", plans: plans)
    }

    @Test(
        "TASK_VIEW_TAB with groupId and two Sites placements: one placement.bind and two landing.repo.bind per portal, then drift is clean")
    func firstRelease() throws {
        let setup = try Self.workspace()
        defer { setup.close() }
        let apply = try setup.release("2.0.0")
        #expect(apply.code == 0, "\(apply.stdout)\(apply.stderr)")
        #expect(try setup.writes() == ["placement.bind": 5, "landing.repo.bind": 10])
        let errors = try setup.farm.stats()["errors_by_method"] as? [String: Any] ?? [:]
        #expect(errors.isEmpty, "no placement.bind of a Sites code, no refusal: \(errors)")
        let portal = try setup.farm.portal("m00003")
        let task = (portal["placements"] as? [[String: Any]] ?? []).first { $0["placement"] as? String == "TASK_VIEW_TAB" }
        #expect(task?["options"] as? [String: String] == ["groupId": "11,12"])
        #expect(
            Set(try setup.landing("m00003").map { "\($0["placement"] ?? "") \($0["title"] ?? "")" })
                == ["LANDING_SETTINGS Check meta tags", "LANDING_BLOCK_04.1.one_col_fix_with_title Translate"])
        let drift = try setup.run(["drift", "--format", "json", "plans/acme.widgets/2.0.0.json"])
        #expect(drift.code == 0, "groupId is kept, so nothing differs: \(drift.stdout)")
        let document = try CLIRunner.json(drift)
        #expect((document["notChecked"] as? [String])?.count == 2)
    }

    @Test("a second reconcile makes zero placement.* writes; the Sites binds answer PLACEMENT_EXIST and count as bound")
    func secondReconcile() throws {
        let setup = try Self.workspace()
        defer { setup.close() }
        #expect(try setup.release("2.0.0").code == 0)
        try setup.resetStats()
        let repair = try setup.run(["reconcile", "--member-id", "m00002", "plans/acme.widgets/2.0.0.json"])
        #expect(repair.code == 0, "\(repair.stdout)\(repair.stderr)")
        let writes = try setup.writes()
        #expect(writes["placement.bind"] == nil && writes["placement.unbind"] == nil, "\(writes)")
        let errors = try setup.farm.stats()["errors_by_method"] as? [String: [String: Int]] ?? [:]
        #expect(errors == ["landing.repo.bind": ["PLACEMENT_EXIST": 2]])
        #expect(try setup.landing("m00002").count == 2)
    }

    @Test("the next release unbinds the removed Sites placement and rebinds the retitled one with landing.repo.*")
    func landingChanges() throws {
        let setup = try Self.workspace()
        defer { setup.close() }
        #expect(try setup.release("2.0.0").code == 0)
        try setup.resetStats()
        let apply = try setup.release("2.1.0")
        #expect(apply.code == 0, "\(apply.stdout)\(apply.stderr)")
        #expect(try setup.writes() == ["landing.repo.unbind": 10, "landing.repo.bind": 5])
        for member in ["m00001", "m00005"] {
            let landing = try setup.landing(member)
            #expect(landing.map { "\($0["placement"] ?? "") \($0["title"] ?? "")" } == ["LANDING_SETTINGS Check the page"])
            let placements = try setup.farm.portal(member)["placements"] as? [[String: Any]] ?? []
            #expect(Set(placements.compactMap { $0["placement"] as? String }) == ["CRM_DEAL_DETAIL_TAB", "TASK_VIEW_TAB"])
        }
    }
}
