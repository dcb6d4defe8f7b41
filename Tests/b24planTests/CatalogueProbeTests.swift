import Foundation
import Testing

/// Fault probe of issue 11 (catalogue fidelity), black box: each test states what the docs, the README
/// or DESIGN.md promise and fails while b24plan does otherwise. Shell reproductions: `probe/*.sh`.
@Suite("catalogue probe", .serialized)
struct CatalogueProbeTests {
    typealias Setup = CatalogueFarmTests.Setup

    /// Writes `plans/acme.widgets/<version>.json`: 2.1.0's bindings under another version and changelog.
    static func writeCopyOf210(_ setup: Setup, as version: String, changelog: String) throws {
        let plans = setup.folder.appendingPathComponent("plans/acme.widgets")
        var text = try String(contentsOf: plans.appendingPathComponent("2.1.0.json"), encoding: .utf8)
        text = text.replacingOccurrences(of: "\"2.1.0\"", with: "\"\(version)\"")
        text = text.replacingOccurrences(of: "The Sites action is renamed; the block action is gone.", with: changelog)
        try text.write(to: plans.appendingPathComponent("\(version).json"), atomically: true, encoding: .utf8)
    }

    static func describe(_ landing: [[String: Any]]) -> [String] {
        landing.map { "\($0["placement"] ?? "") \($0["title"] ?? "")" }.sorted()
    }

    // MARK: - Sites bindings a later release never repairs (harms a portal)

    /// README, rollback: "the next release reconciles every portal, since they hold the older bindings".
    /// For Sites placements the next release only binds again (PLACEMENT_EXIST counts as bound): the
    /// block binding 2.1.0 removed stays, and LANDING_SETTINGS keeps 2.0.0's title; drift cannot see it.
    @Test("after apply --rollback 2.0.0, release 2.2.0 (= 2.1.0's bindings) leaves the portals with 2.1.0's Sites bindings")
    func releaseAfterRollbackRestoresSitesBindings() throws {
        let setup = try CatalogueFarmTests.workspace()
        defer { setup.close() }
        try Self.writeCopyOf210(setup, as: "2.2.0", changelog: "The Sites action is renamed again after the rollback.")
        #expect(try setup.release("2.0.0").code == 0)
        #expect(try setup.release("2.1.0").code == 0)
        let rollback = try setup.run(["apply", "--yes", "--rollback", "plans/acme.widgets/2.0.0.json"])
        #expect(rollback.code == 0, "\(rollback.stdout)\(rollback.stderr)")
        #expect(Self.describe(try setup.landing("m00001")).count == 2, "the rollback restored 2.0.0's two Sites bindings")
        let next = try setup.release("2.2.0")
        #expect(next.code == 0, "\(next.stdout)\(next.stderr)")
        for member in ["m00001", "m00003"] {
            let landing = Self.describe(try setup.landing(member))
            #expect(landing == ["LANDING_SETTINGS Check the page"], "\(member) after 2.2.0: \(landing)")
        }
    }

    /// A portal that failed during 2.1.0 (which removed the block binding and retitled LANDING_SETTINGS)
    /// is reported done by 2.2.0, by `reconcile --member-id` and by drift, yet keeps 2.0.0's Sites bindings.
    @Test("a portal that failed during 2.1.0 keeps 2.0.0's Sites bindings through release 2.2.0 and reconcile --member-id")
    func failedPortalIsRepairedByTheNextRelease() throws {
        let setup = try CatalogueFarmTests.workspace()
        defer { setup.close() }
        try Self.writeCopyOf210(setup, as: "2.2.0", changelog: "Release 2.2.0 keeps the renamed Sites action.")
        #expect(try setup.release("2.0.0").code == 0)
        _ = try setup.farm.control("/_farm/portal/m00002/faults", post: ["faults": ["redirect_insecure"]])
        let failing = try setup.release("2.1.0")
        #expect(failing.code == 3, "m00002 fails: \(failing.stdout)")
        _ = try setup.farm.control("/_farm/portal/m00002/faults", post: ["faults": [String]()])
        #expect(Self.describe(try setup.landing("m00002")).count == 2, "m00002 still holds 2.0.0's Sites bindings")
        let next = try setup.release("2.2.0")
        #expect(next.code == 0, "\(next.stdout)\(next.stderr)")
        let repair = try setup.run(["reconcile", "--member-id", "m00002", "plans/acme.widgets/2.2.0.json"])
        #expect(repair.code == 0, "\(repair.stdout)\(repair.stderr)")
        let landing = Self.describe(try setup.landing("m00002"))
        #expect(landing == ["LANDING_SETTINGS Check the page"], "m00002 after 2.2.0 and reconcile: \(landing)")
    }

    // MARK: - Portal state (wrong output)

    /// The bare LANDING_BLOCK passes lint with a warning (B24P218: "the portal may reject it"). When the
    /// portal does (ERROR_PLACEMENT_NOT_FOUND) although its token holds `landing`, the portal is recorded
    /// as needs-reinstall "for lack of a scope": a reinstall cannot help, and the operator is misled.
    @Test("a Sites code the portal refuses while the token holds `landing` is not recorded as needs-reinstall")
    func refusedSitesCodeIsNotAMissingScope() throws {
        let setup = try CatalogueFarmTests.workspace()
        defer { setup.close() }
        let plans = setup.folder.appendingPathComponent("plans/acme.widgets")
        var text = try String(contentsOf: plans.appendingPathComponent("2.0.0.json"), encoding: .utf8)
        text = text.replacingOccurrences(of: "LANDING_BLOCK_04.1.one_col_fix_with_title", with: "LANDING_BLOCK")
        try text.write(to: plans.appendingPathComponent("2.0.0.json"), atomically: true, encoding: .utf8)
        let apply = try setup.release("2.0.0")
        let status = try CLIRunner.json(try setup.run(["status", "--format", "json", "plans/acme.widgets/2.0.0.json"]))
        let portals = status["portals"] as? [String: Int] ?? [:]
        #expect(portals["needs-reinstall"] ?? 0 == 0, "every portal holds `landing`: \(portals)\n\(apply.stdout)")
        #expect(!apply.stdout.contains("for lack of a scope") && !apply.stderr.contains("for lack of a scope"))
    }

    // MARK: - Lint (wrong output / cosmetic)

    /// Writes `plan` as `1.0.0.json` in a fresh folder and returns `lint --format json`'s diagnostics.
    static func lint(_ plan: [String: Any]) throws -> [[String: Any]] {
        let folder = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = try JSONSerialization.data(withJSONObject: plan, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: folder.appendingPathComponent("1.0.0.json"))
        let output = try CLIRunner.run(["lint", "--format", "json", "1.0.0.json"], in: folder)
        return try CLIRunner.json(output)["diagnostics"] as? [[String: Any]] ?? []
    }

    static func plan(scopes: [String], placements: [[String: Any]] = [], events: [[String: Any]] = []) -> [String: Any] {
        [
            "app": "acme.widgets", "version": "1.0.0", "changelog": ["en": "Actions in the Sites editor for every block."],
            "scopes": scopes, "handlerHosts": ["app.acme.example"], "placements": placements, "events": events,
        ]
    }

    /// block.md: `LANDING_BLOCK_<CODE>` (a block code such as 04.1.one_col_fix_with_title or repo_1132) or
    /// `LANDING_BLOCK_*`. A `*` inside a code is neither; the farm refuses it, lint says nothing.
    @Test("lint refuses a Sites block code with a * that is not the whole code", arguments: ["LANDING_BLOCK_*x", "LANDING_BLOCK_**"])
    func starInsideBlockCode(_ code: String) throws {
        let diagnostics = try Self.lint(
            Self.plan(scopes: ["landing"], placements: [["placement": code, "handler": "https://app.acme.example/b", "title": "B"]]))
        #expect(
            diagnostics.contains { $0["rule"] as? String == "B24P202" && $0["path"] as? String == "placements[0].placement" },
            "\(diagnostics)")
    }

    /// view-tab.md: groupId is a `string`, "a comma-separated list of project identifiers, for example
    /// `11,12`". An array passes lint silently, and on the farm every reconcile then unbinds and binds
    /// TASK_VIEW_TAB again on every portal (drift always exit 2): probe/groupid-types.sh '[11,12]'.
    @Test("lint flags a TASK_VIEW_TAB groupId that is not a string")
    func groupIdArray() throws {
        let diagnostics = try Self.lint(
            Self.plan(
                scopes: ["task", "placement"],
                placements: [
                    [
                        "placement": "TASK_VIEW_TAB", "handler": "https://app.acme.example/t", "title": "T",
                        "options": ["groupId": [11, 12]],
                    ]
                ]))
        #expect(
            diagnostics.contains { ($0["path"] as? String ?? "").hasPrefix("placements[0].options.groupId") }, "\(diagnostics)")
    }

    /// landing.repo.bind takes PLACEMENT, PLACEMENT_HANDLER and TITLE (settings.md, block.md). A Sites
    /// placement's description, langAll and groupName go nowhere, yet lint is silent (B24P217 covers
    /// options only) and a change to them is a minor change that unbinds and binds on every portal.
    // langAll is used: the title in the portal's language is sent as TITLE (the lead's decision).
    @Test("lint warns about description and groupName on a Sites placement", arguments: ["description", "groupName"])
    func sitesPlacementKeysThatGoNowhere(_ key: String) throws {
        let value: Any = key == "langAll" ? ["de": ["title": "Prüfen"]] : "Checks the page"
        let diagnostics = try Self.lint(
            Self.plan(
                scopes: ["landing"],
                placements: [["placement": "LANDING_SETTINGS", "handler": "https://app.acme.example/s", "title": "S", key: value]]))
        #expect(diagnostics.contains { ($0["path"] as? String ?? "").hasPrefix("placements[0].\(key)") }, "\(diagnostics)")
    }

    /// DESIGN §4: B24P219 covers `ONIMV2*` and `ONIMBOTV2*`; a name of that family that is not in the
    /// catalogue gets B24P203 "unknown event" instead, without the reason.
    @Test("an ONIMV2*/ONIMBOTV2* name outside the catalogue still gets B24P219", arguments: ["ONIMV2CHATUPDATE", "ONIMBOTV2CHATUPDATE"])
    func b24p219Family(_ event: String) throws {
        let diagnostics = try Self.lint(
            Self.plan(scopes: ["im", "imbot"], events: [["event": event, "handler": "https://app.acme.example/h"]]))
        #expect(diagnostics.contains { $0["rule"] as? String == "B24P219" }, "\(diagnostics)")
    }

    /// chat-bots/outdated/events/index.md and each of its event pages carry "DEPRECATED: The development
    /// of the old Bot API has been discontinued. Please use Events imbot.v2". The catalogue lists these six
    /// as "documented" (IM_SMILES_SELECTOR, with the same kind of note, is "deprecated"), so B24P218 stays
    /// silent, and `explain B24P219`'s good example recommends ONIMBOTMESSAGEADD.
    @Test(
        "the old Bot API events are deprecated in the catalogue and B24P218 warns",
        arguments: [
            "ONIMBOTMESSAGEADD", "ONIMBOTMESSAGEUPDATE", "ONIMBOTMESSAGEDELETE", "ONIMCOMMANDADD", "ONIMBOTJOINCHAT", "ONIMBOTDELETE",
        ])
    func oldBotEventsDeprecated(_ event: String) throws {
        let catalogue = try CLIRunner.json(try CLIRunner.run(["catalogue", "--format", "json"]))
        let entry = (catalogue["events"] as? [[String: Any]] ?? []).first { $0["name"] as? String == event }
        #expect(entry?["status"] as? String == "deprecated", "\(String(describing: entry))")
        let diagnostics = try Self.lint(
            Self.plan(scopes: ["imbot"], events: [["event": event, "handler": "https://app.acme.example/h"]]))
        #expect(diagnostics.contains { $0["rule"] as? String == "B24P218" }, "\(diagnostics)")
    }

    @Test("explain B24P219 does not recommend a deprecated event as the good example")
    func explainB24P219GoodExample() throws {
        let explain = try CLIRunner.run(["explain", "B24P219"])
        let good = explain.stdout.components(separatedBy: "Good:").last ?? ""
        #expect(!good.contains("ONIMBOTMESSAGEADD"), "\(good)")
    }

    /// A mistyped Sites code in a plan whose only scope is `landing` also gets B24P206 (error: "the plan
    /// has placements but does not request the scope placement") — Sites placements never need it.
    @Test("a mistyped Sites code does not also demand the scope placement (B24P206)")
    func mistypedSitesCodeDoesNotDemandPlacement() throws {
        let diagnostics = try Self.lint(
            Self.plan(
                scopes: ["landing"],
                placements: [["placement": "LANDING_BLOCK_a b", "handler": "https://app.acme.example/b", "title": "B"]]))
        #expect(diagnostics.contains { $0["rule"] as? String == "B24P202" })
        #expect(!diagnostics.contains { $0["rule"] as? String == "B24P206" }, "\(diagnostics)")
    }

    // MARK: - Saved plans (outside issue 11, found on the way)

    /// README: `diff --out SAVED` then `apply SAVED`. Passing gate.moderation publishes the version, after
    /// which `apply SAVED` is refused ("compiled against store:…@1.0.0, but … is …@2.0.0 now"), so the
    /// reviewed plan can never reach the portals.
    @Test("a saved plan finishes its run after the gates are passed")
    func savedPlanAfterGates() throws {
        let setup = try CatalogueFarmTests.workspace()
        defer { setup.close() }
        #expect(try setup.run(["diff", "--out", "saved.json", "plans/acme.widgets/2.0.0.json"]).code == 0)
        #expect(try setup.run(["apply", "--yes", "saved.json"]).code == 3)
        for gate in ["deploy", "gate.partner", "gate.moderation"] {
            #expect(try setup.run(["gate", "pass", gate, "plans/acme.widgets/2.0.0.json"]).code == 0)
        }
        let final = try setup.run(["apply", "--yes", "saved.json"])
        #expect(final.code == 0, "\(final.stdout)\(final.stderr)")
        #expect(try setup.landing("m00001").count == 2)
    }
}
