import Foundation
import ReleasePlan
import Rollout
import Testing

@Suite("PortalReconciler")
struct PortalReconcilerTests {
    typealias F = Fixtures

    static func work(_ snapshot: PortalSnapshot, plan: Plan = F.plan(), notice: Bool = false) -> PortalReconciler.Work {
        PortalReconciler(plan: plan).work(for: snapshot, includeNotice: notice)
    }

    /// `method PARAM=value …` lines for readable comparisons (only the identifying parameters).
    static func summary(_ commands: [BatchCommand]) -> [String] {
        commands.map { command in
            let p = command.parameters
            let code = p["PLACEMENT"]?.stringValue ?? p["event"]?.stringValue ?? ""
            let handler = p["HANDLER"]?.stringValue ?? p["handler"]?.stringValue ?? ""
            return "\(command.key) \(command.method) \(code) \(handler)".trimmingCharacters(in: .whitespaces)
        }
    }

    @Test func nothingBoundBindsEverything() throws {
        let work = Self.work(try F.snapshot(placements: "[]", events: "[]"))
        #expect(
            Self.summary(work.commands) == [
                "w0000 placement.bind CRM_DEAL_DETAIL_TAB \(F.dealTab)", "w0001 placement.bind TASK_VIEW_TAB \(F.taskTab)",
                "w0002 placement.bind PAGE_BACKGROUND_WORKER \(F.worker)", "w0003 event.bind ONAPPUPDATE \(F.updateHook)",
                "w0004 event.bind ONCRMDEALUPDATE \(F.dealHook)",
            ])
        #expect(work.differences.count == 5)
        #expect(work.hasDrift)
        #expect(work.missingScopes.isEmpty && work.skipped.isEmpty)
        let deal = decodeCommand(work.commands[0].encoded).parameters
        #expect(deal["TITLE"] == "Deal sync")
        #expect(deal["LANG_ALL[ru][TITLE]"] == "Синхронизация")
        #expect(deal["LANG_ALL[en][TITLE]"] == "Deal sync")
        #expect(deal["OPTIONS[dropped]"] == "x")
        #expect(decodeCommand(work.commands[2].encoded).parameters["OPTIONS[errorHandlerUrl]"] == F.errorURL)
        let event = decodeCommand(work.commands[4].encoded).parameters
        #expect(event == ["event": "ONCRMDEALUPDATE", "handler": F.dealHook, "auth_type": "0", "event_type": "offline"])
        #expect(decodeCommand(work.commands[3].encoded).parameters["event_type"] == "online")
    }

    @Test func anExactlyMatchingPortalNeedsNoCommand() throws {
        let work = Self.work(try F.snapshot())
        #expect(work.commands.isEmpty)
        #expect(work.differences.isEmpty)
        #expect(!work.hasDrift)
    }

    struct Title: Sendable, CustomTestStringConvertible {
        var name: String
        var binding: PlacementBinding
        var language: String?
        var stored: String
        var changes: Bool
        var testDescription: String { name }
    }

    static let langAll = [
        "ru": LocalizedPlacementText(title: "Сделки"), "en": LocalizedPlacementText(title: "Deals"),
        "de": LocalizedPlacementText(title: "Geschäfte"),
    ]
    static func tab(title: String? = "Plain", langAll: [String: LocalizedPlacementText]? = PortalReconcilerTests.langAll)
        -> PlacementBinding
    {
        PlacementBinding(placement: "CRM_LEAD_DETAIL_TAB", handler: "https://app.example/lead", title: title, langAll: langAll)
    }

    @Test(
        "the title is compared as the portal stores it",
        arguments: [
            Title(name: "portal language", binding: tab(), language: "ru", stored: "Сделки", changes: false),
            Title(name: "portal language, stored differs", binding: tab(), language: "ru", stored: "Deals", changes: true),
            Title(name: "language missing → first key sorted", binding: tab(), language: "fr", stored: "Geschäfte", changes: false),
            Title(name: "language missing, stored TITLE", binding: tab(), language: "fr", stored: "Plain", changes: true),
            Title(name: "no language → first key sorted", binding: tab(), language: nil, stored: "Geschäfte", changes: false),
            Title(name: "no LANG_ALL → TITLE", binding: tab(langAll: nil), language: "ru", stored: "Plain", changes: false),
            Title(name: "empty LANG_ALL → TITLE", binding: tab(langAll: [:]), language: "ru", stored: "Plain", changes: false),
            Title(name: "TITLE changed", binding: tab(title: "New", langAll: nil), language: "ru", stored: "Plain", changes: true),
            Title(
                name: "no title at all, stored empty", binding: tab(title: nil, langAll: nil), language: "ru", stored: "", changes: false),
        ])
    func title(_ item: Title) throws {
        let language = item.language.map { #""\#($0)""# } ?? "null"
        let snapshot = try F.snapshot(
            appInfo: #"{"INSTALLED":true,"LANGUAGE_ID":\#(language)}"#,
            placements:
                #"[{"placement":"CRM_LEAD_DETAIL_TAB","handler":"https://app.example/lead","options":[],"title":"\#(item.stored)"}]"#,
            events: "[]")
        let work = Self.work(snapshot, plan: F.plan(placements: [item.binding], events: []))
        let expected =
            item.changes
            ? [
                "w0000 placement.unbind CRM_LEAD_DETAIL_TAB https://app.example/lead",
                "w0001 placement.bind CRM_LEAD_DETAIL_TAB https://app.example/lead",
            ]
            : []
        #expect(Self.summary(work.commands) == expected)
    }

    struct Options: Sendable, CustomTestStringConvertible {
        var name: String
        var placement: String
        var options: [String: PlanValue]
        var stored: String
        var changes: Bool
        var testDescription: String { name }
    }

    @Test(
        "options are compared on the keys the portal keeps",
        arguments: [
            Options(
                name: "dropped option, stored []", placement: "CRM_DEAL_DETAIL_TAB", options: ["dropped": .string("x")], stored: "[]",
                changes: false),
            Options(
                name: "kept option equal", placement: "PAGE_BACKGROUND_WORKER", options: ["errorHandlerUrl": .string("https://e/1")],
                stored: #"{"errorHandlerUrl":"https://e/1"}"#, changes: false),
            Options(
                name: "kept option differs", placement: "PAGE_BACKGROUND_WORKER", options: ["errorHandlerUrl": .string("https://e/2")],
                stored: #"{"errorHandlerUrl":"https://e/1"}"#, changes: true),
            Options(
                name: "kept and dropped mixed", placement: "IM_SIDEBAR",
                options: ["iconName": .string("fa-cloud"), "extranet": .string("N"), "unknown": .number("5")],
                stored: #"{"iconName":"fa-cloud","extranet":"N"}"#, changes: false),
            Options(
                name: "kept option lost on the portal", placement: "IM_SIDEBAR", options: ["iconName": .string("fa-cloud")],
                stored: "[]", changes: true),
            Options(
                name: "extra option on the portal", placement: "IM_SIDEBAR", options: ["iconName": .string("fa-cloud")],
                stored: #"{"iconName":"fa-cloud","color":"RED"}"#, changes: true),
        ])
    func options(_ item: Options) throws {
        let handler = "https://app.example/opt"
        let binding = PlacementBinding(placement: item.placement, handler: handler, title: "T", options: item.options)
        let snapshot = try F.snapshot(
            scopes: ["crm", "placement", "im"],
            placements: #"[{"placement":"\#(item.placement)","handler":"\#(handler)","options":\#(item.stored),"title":"T"}]"#, events: "[]"
        )
        let work = Self.work(snapshot, plan: F.plan(placements: [binding], events: [], scopes: ["placement", "im"]))
        #expect(work.commands.count == (item.changes ? 2 : 0))
    }

    @Test func aSecondRunAfterBindingMakesNoWrites() throws {
        // Run 1 binds the deal tab with an option the portal drops; the portal then shows `"options": []`.
        let plan = F.plan(placements: [F.dealTabBinding], events: [])
        let first = Self.work(try F.snapshot(placements: "[]", events: "[]"), plan: plan)
        #expect(first.commands.count == 1)
        let stored =
            #"[{"placement":"CRM_DEAL_DETAIL_TAB","handler":"\#(F.dealTab)","options":[],"title":"Синхронизация","description":null}]"#
        let second = Self.work(try F.snapshot(placements: stored, events: "[]"), plan: plan)
        #expect(second.commands.isEmpty)
        #expect(second.differences.isEmpty)
    }

    @Test func anExtraBoundHandlerIsUnbound() throws {
        let placements =
            F.storedPlacementsJSON.dropLast()
            + #",{"placement":"CRM_LEAD_DETAIL_TAB","handler":"https://old.example/x","options":[],"title":"Old"}]"#
        let events =
            F.storedEventsJSON.dropLast() + #",{"event":"ONCRMLEADADD","handler":"https://old.example/e","auth_type":"7","offline":1}]"#
        let work = Self.work(try F.snapshot(placements: String(placements), events: String(events)))
        #expect(
            Self.summary(work.commands) == [
                "w0000 placement.unbind CRM_LEAD_DETAIL_TAB https://old.example/x", "w0001 event.unbind ONCRMLEADADD https://old.example/e",
            ])
        #expect(decodeCommand(work.commands[1].encoded).parameters["auth_type"] == "7")
        #expect(decodeCommand(work.commands[1].encoded).parameters["event_type"] == "offline")
        #expect(
            work.differences == ["- placement CRM_LEAD_DETAIL_TAB → https://old.example/x", "- event ONCRMLEADADD → https://old.example/e"])
    }
}
