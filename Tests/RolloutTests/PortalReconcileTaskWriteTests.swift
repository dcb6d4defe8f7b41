import Foundation
import PlanStore
import ReleasePlan
import Rollout
import Testing

@Suite("PortalReconcileTask: how write batches execute on the portal")
struct PortalReconcileTaskWriteTests {
    typealias F = Fixtures

    /// The keys of a batch request in the order its JSON body lists them: the order PHP runs them.
    static func wireOrder(_ request: HTTPRequest) -> [String] {
        let text = String(decoding: request.body, as: UTF8.self)
        return request.batchCommands.keys.sorted { lhs, rhs in
            text.range(of: "\"\(lhs)\":")!.lowerBound < text.range(of: "\"\(rhs)\":")!.lowerBound
        }
    }

    @Test func aChangedPlacementIsStillBoundAfterTheWriteBatchRuns() async throws {
        // Three changed tabs (unbind + bind each) and seven new ones: 13 commands in one batch.
        func tab(_ name: String) -> PlacementBinding {
            PlacementBinding(placement: "CRM_DEAL_DETAIL_TAB", handler: "https://app.example/\(name)", title: "New \(name)")
        }
        let names = ["a", "b"] + (1...7).map { "n\($0)" } + ["c"]
        let stored = ["a", "b", "c"].map {
            #"{"placement":"CRM_DEAL_DETAIL_TAB","handler":"https://app.example/\#($0)","options":[],"title":"Old"}"#
        }
        let portal = FakePortal(read: F.readResults(placements: "[" + stored.joined(separator: ",") + "]", events: "[]"))
        let session = portal.kit.session()
        let outcome = await PortalReconcileTask(plan: F.plan(placements: names.map(tab), events: []), mode: .apply).run(session)
        #expect(outcome.state == .done)
        let write = try #require(portal.kit.transport.requests.last)
        #expect(write.batchCommands.count == 13)

        // Run the batch as the portal does, in wire order: an unbind removes, a bind of a handler
        // that is still bound fails with "Handler already binded" (which counts as success).
        var bound: Set<String> = ["a", "b", "c"].map { "https://app.example/\($0)" }.reduce(into: []) { $0.insert($1) }
        for key in Self.wireOrder(write) {
            let command = decodeCommand(write.batchCommands[key]!)
            let handler = command.parameters["HANDLER"] ?? ""
            if command.method == "placement.unbind" {
                bound.remove(handler)
            } else if command.method == "placement.bind" {
                bound.insert(handler)
            }
        }
        #expect(bound == Set(names.map { "https://app.example/\($0)" }))
        #expect(Self.wireOrder(write) == (0..<13).map { String(format: "w%04d", $0) })
    }

    /// Counts calls so an answer can change after the first one.
    final class Once: @unchecked Sendable {
        private let lock = NSLock()
        private var used = false
        func first() -> Bool {
            lock.withLock {
                defer { used = true }; return !used
            }
        }
    }

    @Test func aCommandHittingTheOperationTimeLimitIsRetriedNotFailed() async throws {
        let once = Once()
        let portal = FakePortal(
            read: PortalReconcileTaskTests.emptyPortal,
            fail: { key, _ in
                key == "w0000" && once.first()
                    ? #"{"error":"OPERATION_TIME_LIMIT","error_description":"Method is blocked due to operation time limit."}"# : nil
            })
        let outcome = await PortalReconcileTask(plan: F.plan(), mode: .apply).run(portal.kit.session())
        #expect(outcome.state == .done)
        #expect(portal.writeBatches.count == 2)
    }
}
