import Foundation
import ReleasePlan
import Testing

@testable import Rollout

/// The release notice is read with the snapshot and written only when the portal's copy differs.
@Suite("the release notice: written only when it differs")
struct NoticeIdempotenceTests {
    typealias F = Fixtures

    static let plan = F.plan(notice: Notice(option: "b24plan_release"))

    static func snapshot(notice: String?) throws -> PortalSnapshot {
        var snapshot = try F.snapshot()
        snapshot.notice = notice.map(F.json)
        return snapshot
    }

    static func writesNotice(_ stored: String?) throws -> Bool {
        let work = PortalReconciler(plan: plan).work(for: try snapshot(notice: stored), includeNotice: true)
        return work.commands.contains { $0.method == "app.option.set" }
    }

    // The portal (language ru) holds the scopes the plan needs, so nothing is missing.
    static let current = #"{"version":"1.3.0","changelog":"Добавлена вкладка задач.","missingScopes":"","reinstallRequired":"0"}"#

    @Test("as the portal stores form values (strings, 0/1, empty list as \"\"): current, so no write")
    func currentAsStored() throws {
        #expect(try !Self.writesNotice(Self.current))
    }

    @Test("as JSON values, or serialized into one string: current too")
    func currentInOtherShapes() throws {
        #expect(
            try !Self.writesNotice(
                #"{"version":"1.3.0","changelog":"Добавлена вкладка задач.","missingScopes":[],"reinstallRequired":false}"#))
        let serialized =
            #"{\"version\":\"1.3.0\",\"changelog\":\"Добавлена вкладка задач.\",\"missingScopes\":[],\"reinstallRequired\":false}"#
        #expect(try !Self.writesNotice("\"\(serialized)\""))
    }

    @Test(
        "missing, another version, another changelog, a new missing scope, or an unreadable answer: written",
        arguments: [
            nil, "null", "\"\"",
            #"{"version":"1.2.0","changelog":"Добавлена вкладка задач.","missingScopes":"","reinstallRequired":"0"}"#,
            #"{"version":"1.3.0","changelog":"Adds a task tab.","missingScopes":"","reinstallRequired":"0"}"#,
            #"{"version":"1.3.0","changelog":"Добавлена вкладка задач.","missingScopes":["task"],"reinstallRequired":"1"}"#,
            #"{"version":"1.3.0","changelog":"Добавлена вкладка задач.","missingScopes":"","reinstallRequired":"0","extra":"x"}"#,
        ] as [String?])
    func written(stored: String?) throws {
        #expect(try Self.writesNotice(stored))
    }

    @Test("the read batch asks for the option only when a notice is written (apply), never for drift")
    func readBatch() {
        let apply = PortalSnapshot.readCommands(requiredMethods: [], noticeOption: "b24plan_release")
        #expect(apply.map(\.method) == ["app.info", "scope", "placement.get", "event.get", "app.option.get"])
        #expect(apply.last?.parameters == ["option": .string("b24plan_release")])
        #expect(!PortalSnapshot.readCommands(requiredMethods: []).contains { $0.method == "app.option.get" })
        let many = PortalSnapshot.readCommands(requiredMethods: (1...60).map { "crm.m\($0).get" }, noticeOption: "n")
        #expect(many.count == 50, "one batch holds 50 commands")
    }
}
