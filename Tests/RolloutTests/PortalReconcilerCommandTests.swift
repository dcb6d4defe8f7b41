import Foundation
import ReleasePlan
import Rollout
import Testing

@Suite("PortalReconciler: events, scopes, notice, order")
struct PortalReconcilerCommandTests {
    typealias F = Fixtures
    static let hook = "https://app.example/e"

    static func eventWork(_ binding: EventBinding, stored: String) throws -> PortalReconciler.Work {
        let snapshot = try F.snapshot(placements: "[]", events: stored)
        return PortalReconciler(plan: F.plan(placements: [], events: [binding])).work(for: snapshot, includeNotice: false)
    }

    @Test(
        "event auth_type and event_type are compared as event.get gives them",
        arguments: [
            (nil, EventBinding.EventType.online, #""auth_type":"0","offline":0"#, false),
            (0, .online, #""auth_type":"0","offline":0"#, false),
            (nil, .online, #""auth_type":0,"offline":0"#, false),
            (nil, .online, #""offline":0"#, false),
            (1, .online, #""auth_type":"0","offline":0"#, true),
            (nil, .online, #""auth_type":"5","offline":0"#, true),
            (nil, .offline, #""auth_type":"0","offline":1"#, false),
            (nil, .offline, #""auth_type":"0","offline":"1""#, false),
            (nil, .offline, #""auth_type":"0","offline":true"#, false),
            (nil, .offline, #""auth_type":"0","offline":0"#, true),
            (nil, .online, #""auth_type":"0","offline":1"#, true),
        ] as [(Int?, EventBinding.EventType, String, Bool)])
    func eventComparison(authType: Int?, eventType: EventBinding.EventType, stored: String, changes: Bool) throws {
        let binding = EventBinding(event: "ONAPPUPDATE", handler: Self.hook, eventType: eventType, authType: authType)
        let work = try Self.eventWork(binding, stored: #"[{"event":"ONAPPUPDATE","handler":"\#(Self.hook)",\#(stored)}]"#)
        #expect(work.commands.map(\.method) == (changes ? ["event.unbind", "event.bind"] : []))
        if changes {
            // The unbind names the stored registration, the bind the planned one.
            let unbind = decodeCommand(work.commands[0].encoded).parameters
            let stored = try F.snapshot(placements: "[]", events: #"[{"event":"ONAPPUPDATE","handler":"x",\#(stored)}]"#).events[0]
            #expect(unbind["auth_type"] == stored.authType)
            #expect(unbind["event_type"] == (stored.offline ? "offline" : "online"))
            let bind = decodeCommand(work.commands[1].encoded).parameters
            #expect(bind["auth_type"] == String(authType ?? 0))
            #expect(bind["event_type"] == eventType.rawValue)
        }
    }

    @Test func aDuplicateRegistrationWithAnotherAuthTypeIsUnbound() throws {
        // (event, handler, user) is the portal's key: an extra registration for another user is not in the plan.
        let stored =
            #"[{"event":"ONAPPUPDATE","handler":"\#(Self.hook)","auth_type":"1","offline":0},"#
            + #"{"event":"ONAPPUPDATE","handler":"\#(Self.hook)","auth_type":"0","offline":0}]"#
        let work = try Self.eventWork(EventBinding(event: "ONAPPUPDATE", handler: Self.hook), stored: stored)
        let unbinds = work.commands.filter { $0.method == "event.unbind" }.map { decodeCommand($0.encoded).parameters["auth_type"] }
        #expect(unbinds == ["1"])
    }

    @Test func aMissingScopeSkipsItsItemsAndIsReported() throws {
        let plan = F.plan(events: [F.updateEvent, F.dealEvent, EventBinding(event: "ONTASKADD", handler: "https://app.example/task")])
        let snapshot = try F.snapshot(scopes: ["crm", "placement"], placements: "[]", events: "[]")
        let work = PortalReconciler(plan: plan).work(for: snapshot, includeNotice: false)
        #expect(work.missingScopes == ["task"])
        #expect(work.skipped == ["placement TASK_VIEW_TAB → \(F.taskTab)", "event ONTASKADD → https://app.example/task"])
        #expect(!work.commands.contains { $0.encoded.contains("TASK") })
        #expect(work.commands.map(\.method) == ["placement.bind", "placement.bind", "event.bind", "event.bind"])
    }

    @Test func withoutThePlacementScopeNoPlacementIsBound() throws {
        let snapshot = try F.snapshot(scopes: ["crm", "task"], placements: "[]", events: "[]")
        let work = PortalReconciler(plan: F.plan()).work(for: snapshot, includeNotice: false)
        #expect(work.missingScopes == ["placement"])
        #expect(work.commands.map(\.method) == ["event.bind", "event.bind"])
        #expect(work.skipped.count == 3)
    }

    @Test(
        "the notice carries the version, the changelog in the portal's language and what is missing",
        arguments: [("ru", "Добавлена вкладка задач."), ("de", "Neuer Tab."), ("fr", "Adds a task tab."), (nil, "Adds a task tab.")]
            as [(String?, String)])
    func notice(language: String?, changelog: String) throws {
        let plan = F.plan(notice: Notice(option: "b24plan_release"))
        let snapshot = try F.snapshot(appInfo: F.appInfo(language: language), scopes: ["crm", "placement"])
        let work = PortalReconciler(plan: plan).work(for: snapshot, includeNotice: true)
        let notice = try #require(work.commands.last)
        #expect(notice.method == "app.option.set")
        #expect(work.commands.filter { $0.method == "app.option.set" }.count == 1)
        #expect(
            notice.parameters == [
                "options": .object([
                    "b24plan_release": .object([
                        "version": .string("1.3.0"), "changelog": .string(changelog), "missingScopes": .array([.string("task")]),
                        "reinstallRequired": .bool(true),
                    ])
                ])
            ])
        let sent = decodeCommand(notice.encoded).parameters
        #expect(sent["options[b24plan_release][reinstallRequired]"] == "1")
        #expect(sent["options[b24plan_release][missingScopes][0]"] == "task")
        let quiet = PortalReconciler(plan: plan).work(for: try F.snapshot(), includeNotice: true)
        #expect(quiet.commands.map { decodeCommand($0.encoded).parameters["options[b24plan_release][reinstallRequired]"] } == ["0"])
        #expect(!quiet.hasDrift)
        #expect(PortalReconciler(plan: plan).work(for: try F.snapshot(), includeNotice: false).commands.isEmpty)
        #expect(PortalReconciler(plan: F.plan()).work(for: try F.snapshot(), includeNotice: true).commands.isEmpty)
    }

    @Test func commandsAreOrderedUnbindsBindsNoticeWithKeysInOrder() throws {
        // Changed title (unbind + bind), a new event (bind), an extra placement (unbind), a changed event.
        let placements =
            #"[{"placement":"CRM_DEAL_DETAIL_TAB","handler":"\#(F.dealTab)","options":[],"title":"Old title"},"#
            + #"{"placement":"TASK_VIEW_TAB","handler":"\#(F.taskTab)","options":[],"title":"Linked deals"},"#
            + #"{"placement":"PAGE_BACKGROUND_WORKER","handler":"\#(F.worker)","options":{"errorHandlerUrl":"\#(F.errorURL)"},"title":""},"#
            + #"{"placement":"USER_PROFILE_MENU","handler":"https://old.example/u","options":[],"title":"x"}]"#
        let events = #"[{"event":"ONCRMDEALUPDATE","handler":"\#(F.dealHook)","auth_type":"0","offline":0}]"#
        let plan = F.plan(notice: Notice(option: "release"))
        let work = PortalReconciler(plan: plan).work(for: try F.snapshot(placements: placements, events: events), includeNotice: true)
        #expect(
            PortalReconcilerTests.summary(work.commands) == [
                "w0000 placement.unbind CRM_DEAL_DETAIL_TAB \(F.dealTab)", "w0001 placement.unbind USER_PROFILE_MENU https://old.example/u",
                "w0002 event.unbind ONCRMDEALUPDATE \(F.dealHook)", "w0003 placement.bind CRM_DEAL_DETAIL_TAB \(F.dealTab)",
                "w0004 event.bind ONAPPUPDATE \(F.updateHook)", "w0005 event.bind ONCRMDEALUPDATE \(F.dealHook)", "w0006 app.option.set",
            ])
        #expect(work.differences.count == 4)
    }
}
