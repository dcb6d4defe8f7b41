import Foundation
import ReleasePlan
import Rollout
import Testing

/// The Sites placements (landing.repo.bind, no read method) and kept options such as groupId.
@Suite("PortalReconciler: Sites placements and kept options")
struct PortalReconcilerLandingTests {
    typealias F = Fixtures

    static let settings = PlacementBinding(
        placement: "LANDING_SETTINGS", handler: "\(F.host)/site", title: "Meta tags",
        langAll: ["ru": LocalizedPlacementText(title: "Мета-теги")])
    static let block = PlacementBinding(placement: "LANDING_BLOCK_04.1.one_col_fix_with_title", handler: "\(F.host)/block")

    static func plan(_ placements: [PlacementBinding], scopes: [String] = ["crm", "placement", "task", "landing"]) -> Plan {
        F.plan(placements: placements, events: [], scopes: scopes)
    }

    static func lines(_ commands: [BatchCommand]) -> [String] {
        commands.map { command in
            let fields = decodeCommand(command.encoded).parameters
            let described = fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            return "\(command.method) \(described)"
        }
    }

    @Test("every Sites placement is bound with landing.repo.bind, as the plan spells it, with the title in the portal's language")
    func landingBinds() throws {
        let reconciler = PortalReconciler(plan: Self.plan([F.dealTabBinding, Self.settings, Self.block]))
        let work = reconciler.work(
            for: try F.snapshot(scopes: ["crm", "placement", "landing"], placements: "[]", events: "[]"), includeNotice: false)
        #expect(
            Self.lines(work.commands) == [
                "placement.bind HANDLER=\(F.dealTab) LANG_ALL[en][TITLE]=Deal sync LANG_ALL[ru][TITLE]=Синхронизация "
                    + "OPTIONS[dropped]=x PLACEMENT=CRM_DEAL_DETAIL_TAB TITLE=Deal sync",
                "landing.repo.bind fields[PLACEMENT]=LANDING_SETTINGS fields[PLACEMENT_HANDLER]=\(F.host)/site fields[TITLE]=Мета-теги",
                "landing.repo.bind fields[PLACEMENT]=LANDING_BLOCK_04.1.one_col_fix_with_title fields[PLACEMENT_HANDLER]=\(F.host)/block",
            ])
        #expect(
            work.unreadable == [
                "placement LANDING_SETTINGS → \(F.host)/site", "placement LANDING_BLOCK_04.1.ONE_COL_FIX_WITH_TITLE → \(F.host)/block",
            ])
        // Only the placement.bind is a difference drift can see.
        #expect(work.differences == ["+ placement CRM_DEAL_DETAIL_TAB → \(F.dealTab)"])
    }

    @Test("a portal listing a Sites placement in placement.get: never unbound with placement.unbind")
    func listedLandingIsNotOurs() throws {
        let stored = """
            [{"placement":"LANDING_SETTINGS","userId":0,"handler":"\(F.host)/old","options":[],"title":"x","description":null,"langAll":[]}]
            """
        let work = PortalReconciler(plan: Self.plan([])).work(for: try F.snapshot(placements: stored, events: "[]"), includeNotice: false)
        #expect(work.commands.isEmpty)
        #expect(!work.hasDrift)
    }

    @Test("the release's removed and changed Sites bindings are unbound first; without scope landing nothing is sent and all is skipped")
    func landingUnbinds() throws {
        let retired = [BindingKey(code: "landing_block_04.1.one_col_fix_with_title", handler: "\(F.host)/block")]
        let reconciler = PortalReconciler(plan: Self.plan([Self.settings]), landingUnbinds: retired)
        let work = reconciler.work(for: try F.snapshot(scopes: ["landing"], placements: "[]", events: "[]"), includeNotice: false)
        #expect(work.commands.map(\.method) == ["landing.repo.unbind", "landing.repo.bind"])
        #expect(
            decodeCommand(work.commands[0].encoded).parameters == [
                "code": "landing_block_04.1.one_col_fix_with_title", "handler": "\(F.host)/block",
            ])
        let without = reconciler.work(
            for: try F.snapshot(scopes: ["crm", "placement"], placements: "[]", events: "[]"), includeNotice: false)
        #expect(without.commands.isEmpty)
        #expect(without.skipped.count == 2)
        #expect(without.missingScopes == ["task", "landing"])
    }

    @Test("TASK_VIEW_TAB's groupId is kept: a portal storing it needs no command; another value is a change")
    func groupIDKept() throws {
        let tab = PlacementBinding(
            placement: "TASK_VIEW_TAB", handler: F.taskTab, title: "Linked deals", options: ["groupId": .string("11,12")])
        let stored = { (value: String) in
            """
            [{"placement":"TASK_VIEW_TAB","userId":0,"handler":"\(F.taskTab)","options":{"groupId":"\(value)"},"title":"Linked deals",
              "description":null,"langAll":[]}]
            """
        }
        let reconciler = PortalReconciler(plan: Self.plan([tab]))
        #expect(reconciler.work(for: try F.snapshot(placements: stored("11,12"), events: "[]"), includeNotice: false).commands.isEmpty)
        let changed = reconciler.work(for: try F.snapshot(placements: stored("11"), events: "[]"), includeNotice: false)
        #expect(changed.commands.map(\.method) == ["placement.unbind", "placement.bind"])
        #expect(decodeCommand(changed.commands[1].encoded).parameters["OPTIONS[groupId]"] == "11,12")
    }

    @Test("a disputed event scope: either reading lets the bind through (ONIMCONNECTOR* with imopenlines only)")
    func disputedScope() throws {
        let event = EventBinding(event: "ONIMCONNECTORMESSAGEADD", handler: F.dealHook)
        let plan = F.plan(placements: [], events: [event], scopes: ["imopenlines"])
        let work = PortalReconciler(plan: plan).work(
            for: try F.snapshot(scopes: ["imopenlines"], placements: "[]", events: "[]"), includeNotice: false)
        #expect(work.commands.map(\.method) == ["event.bind"])
        #expect(work.skipped.isEmpty)
    }
}

@Suite("PortalReconcileTask: the Sites placements' answers")
struct LandingAnswerTests {
    typealias F = Fixtures

    static func run(_ portal: FakePortal, retired: [BindingKey]) async -> PortalOutcome {
        let plan = PortalReconcilerLandingTests.plan([PortalReconcilerLandingTests.settings])
        return await PortalReconcileTask(plan: plan, landingUnbinds: retired, mode: .apply).run(portal.kit.session())
    }

    static let read = F.readResults(scopes: ["crm", "placement", "task", "landing"], placements: "[]", events: "[]")
    static let retired = [BindingKey(code: "LANDING_BLOCK_*", handler: "\(F.host)/block")]

    @Test("PLACEMENT_EXIST on a bind and PLACEMENT_NO_EXIST on an unbind mean done")
    func alreadyDone() async {
        let portal = FakePortal(
            read: Self.read,
            fail: { _, command in
                command.hasPrefix("landing.repo.bind")
                    ? #"{"error":"PLACEMENT_EXIST","error_description":"Such embedding placement already exists"}"#
                    : #"{"error":"PLACEMENT_NO_EXIST","error_description":"Such embedding placement does not exist"}"#
            })
        let outcome = await Self.run(portal, retired: Self.retired)
        #expect(outcome.state == .done, "\(outcome)")
        #expect(outcome.writes == 2)
    }

    @Test("PLACEMENT_EXIST answering an unbind, or another error, fails the portal naming the code")
    func otherErrorsFail() async throws {
        let portal = FakePortal(
            read: Self.read,
            fail: { _, command in
                command.hasPrefix("landing.repo.unbind")
                    ? #"{"error":"PLACEMENT_EXIST","error_description":"odd"}"#
                    : #"{"error":"ACCESS_DENIED","error_description":"Insufficient permissions."}"#
            })
        let outcome = await Self.run(portal, retired: Self.retired)
        #expect(outcome.state == .failed)
        let error = try #require(outcome.lastError)
        #expect(error.contains("landing.repo.bind LANDING_SETTINGS: ") && error.contains("ACCESS_DENIED"), "\(error)")
        #expect(error.contains("landing.repo.unbind LANDING_BLOCK_*"), "\(error)")
    }
}

@Suite("PortalReconcileTask: a code the docs removed, refused by the portal")
struct RemovedCodeAnswerTests {
    typealias F = Fixtures

    @Test("ERROR_PLACEMENT_NOT_FOUND for a removed code fails the portal (a reinstall would not help), naming B24P218")
    func removedPlacementFails() async throws {
        let invoice = PlacementBinding(placement: "CRM_INVOICE_LIST_MENU", handler: "\(F.host)/invoice")
        let portal = FakePortal(
            read: F.readResults(placements: "[]", events: "[]"),
            fail: { _, command in
                command.contains("CRM_INVOICE_LIST_MENU")
                    ? #"{"error":"ERROR_PLACEMENT_NOT_FOUND","error_description":"Placement not found"}"# : nil
            })
        let plan = F.plan(placements: [F.dealTabBinding, invoice], events: [])
        let outcome = await PortalReconcileTask(plan: plan, mode: .apply).run(portal.kit.session())
        #expect(outcome.state == .failed)
        let error = try #require(outcome.lastError)
        #expect(error.contains("placement.bind CRM_INVOICE_LIST_MENU") && error.contains("B24P218"), "\(error)")
    }
}
