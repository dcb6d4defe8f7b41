import Foundation
import ReleasePlan

@testable import Rollout

/// Plans, snapshots and portal answers for the reconcile tests.
enum Fixtures {
    static let host = "https://app.example"
    static let dealTab = "\(host)/widget/deal"
    static let taskTab = "\(host)/widget/task"
    static let worker = "\(host)/worker"
    static let updateHook = "\(host)/events/update"
    static let dealHook = "\(host)/events/deal"
    static let errorURL = "\(host)/worker/error"

    static let dealTabBinding = PlacementBinding(
        placement: "CRM_DEAL_DETAIL_TAB", handler: dealTab, title: "Deal sync",
        langAll: ["en": LocalizedPlacementText(title: "Deal sync"), "ru": LocalizedPlacementText(title: "Синхронизация")],
        options: ["dropped": .string("x")])
    static let taskTabBinding = PlacementBinding(placement: "TASK_VIEW_TAB", handler: taskTab, title: "Linked deals")
    static let workerBinding = PlacementBinding(
        placement: "PAGE_BACKGROUND_WORKER", handler: worker, options: ["errorHandlerUrl": .string(errorURL)])
    static let updateEvent = EventBinding(event: "onAppUpdate", handler: updateHook)
    static let dealEvent = EventBinding(event: "ONCRMDEALUPDATE", handler: dealHook, eventType: .offline, authType: 0)

    /// A plan with three placements (crm, task, no scope) and two events; notice optional.
    static func plan(
        placements: [PlacementBinding] = [dealTabBinding, taskTabBinding, workerBinding],
        events: [EventBinding] = [updateEvent, dealEvent], scopes: [String] = ["crm", "placement", "task"],
        notice: Notice? = nil, requiredMethods: [String] = []
    ) -> Plan {
        Plan(
            app: "acme.dealsync", version: "1.3.0",
            changelog: ["en": "Adds a task tab.", "ru": "Добавлена вкладка задач.", "de": "Neuer Tab."],
            scopes: scopes.map { ScopeRequest(code: $0) }, placements: placements, events: events,
            requiredMethods: requiredMethods, notice: notice)
    }

    /// `placement.get` entries exactly as a portal (language `ru`) stores `plan()`'s placements.
    static let storedPlacementsJSON = """
        [{"placement":"CRM_DEAL_DETAIL_TAB","userId":0,"handler":"\(dealTab)","options":[],"title":"Синхронизация",
          "description":null,"langAll":{"en":{"TITLE":"Deal sync"},"ru":{"TITLE":"Синхронизация"}}},
         {"placement":"TASK_VIEW_TAB","userId":0,"handler":"\(taskTab)","options":[],"title":"Linked deals","description":null,"langAll":[]},
         {"placement":"PAGE_BACKGROUND_WORKER","userId":0,"handler":"\(worker)","options":{"errorHandlerUrl":"\(errorURL)"},
          "title":"","description":null,"langAll":[]}]
        """
    /// `event.get` entries as a portal stores `plan()`'s events (auth_type a string).
    static let storedEventsJSON = """
        [{"event":"ONAPPUPDATE","handler":"\(updateHook)","auth_type":"0","offline":0},
         {"event":"ONCRMDEALUPDATE","handler":"\(dealHook)","auth_type":"0","offline":1}]
        """

    static func appInfo(installed: Bool = true, language: String? = "ru", licenseFamily: String = "project") -> String {
        let lang = language.map { #","LANGUAGE_ID":"\#($0)""# } ?? ""
        return #"{"ID":"17","CODE":"acme.dealsync","VERSION":"12","STATUS":"P","INSTALLED":\#(installed),"#
            + #""PAYMENT_EXPIRED":"N","DAYS":120,"LICENSE":"ru_project","LICENSE_FAMILY":"\#(licenseFamily)""# + lang + "}"
    }

    static func scopesJSON(_ scopes: [String]) -> String {
        "[" + scopes.map { "\"\($0)\"" }.joined(separator: ",") + "]"
    }

    /// The read batch's `result.result` object.
    static func readResults(
        appInfo: String = appInfo(), scopes: [String] = ["crm", "placement", "task", "user"],
        placements: String = storedPlacementsJSON, events: String = storedEventsJSON, extra: String = ""
    ) -> String {
        #"{"app_info":\#(appInfo),"scope":\#(scopesJSON(scopes)),"placements":\#(placements),"events":\#(events)\#(extra)}"#
    }

    static func json(_ text: String) -> PlanValue {
        let parsed = JSONParser.parse(SourceFile(path: "fixture", text: text))
        precondition(parsed.diagnostics.isEmpty, "fixture JSON: \(parsed.diagnostics)")
        return PlanValue(parsed.root!)
    }

    /// A snapshot read from answers shaped as the portal sends them.
    static func snapshot(
        appInfo: String = appInfo(), scopes: [String] = ["crm", "placement", "task", "user"],
        placements: String = storedPlacementsJSON, events: String = storedEventsJSON
    ) throws -> PortalSnapshot {
        var batch = BatchResult()
        batch.results["app_info"] = json(appInfo)
        batch.results["scope"] = json(scopesJSON(scopes))
        batch.results["placements"] = json(placements)
        batch.results["events"] = json(events)
        return try PortalSnapshot(batch: batch, requiredMethods: [])
    }
}

/// A scripted portal for whole reconciles: answers the read batch from `read`, every write batch
/// with `true` per command except those `fail` gives an error JSON for.
final class FakePortal: @unchecked Sendable {
    let kit: SessionKit
    private let lock = NSLock()
    private var readResults: String
    private let fail: @Sendable (String, String) -> String?

    init(read: String = Fixtures.readResults(), fail: @escaping @Sendable (_ key: String, _ command: String) -> String? = { _, _ in nil }) {
        readResults = read
        self.fail = fail
        let box = WeakBox()
        kit = SessionKit(handler: { request in
            guard let portal = box.portal else { throw TransportError(message: "portal gone") }
            return portal.answer(request)
        })
        box.portal = self
    }

    private final class WeakBox: @unchecked Sendable { weak var portal: FakePortal? }

    func answer(_ request: HTTPRequest) -> HTTPResponse {
        let commands = request.batchCommands
        if commands["app_info"] != nil { return Answer.batch(results: lock.withLock { readResults }) }
        var results: [String] = []
        var errors: [String] = []
        for key in commands.keys.sorted() {
            if let error = fail(key, commands[key]!) {
                errors.append(#""\#(key)":\#(error)"#)
            } else {
                results.append(#""\#(key)":true"#)
            }
        }
        return Answer.batch(
            results: results.isEmpty ? "[]" : "{" + results.joined(separator: ",") + "}",
            errors: errors.isEmpty ? "[]" : "{" + errors.joined(separator: ",") + "}")
    }

    /// Write batches sent (every batch but the read batch).
    var writeBatches: [[String: String]] {
        kit.transport.requests.map(\.batchCommands).filter { $0["app_info"] == nil }
    }
}
