import Foundation
import Testing

@testable import PlanStore

@Suite("DatabaseThread")
struct DatabaseThreadTests {
    final class Order: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [String] = []
        func add(_ item: String) { lock.withLock { items.append(item) } }
        var all: [String] { lock.withLock { items } }
    }

    @Test("urgent work (a rotated token's write) runs next, ahead of queued group commits, and never inside one")
    func urgentGoesFirst() async throws {
        let thread = DatabaseThread(name: "test.urgent")
        defer { thread.stop() }
        let order = Order()
        let gate = DispatchSemaphore(value: 0)
        // The thread is busy with a group; two more groups queue behind it.
        let busy = Task { @Sendable in
            await thread.run {
                gate.wait()
                order.add("group 1")
            }
        }
        try await Task.sleep(nanoseconds: 50_000_000)
        let second = Task { @Sendable in await thread.run { order.add("group 2") } }
        let third = Task { @Sendable in await thread.run { order.add("group 3") } }
        try await Task.sleep(nanoseconds: 50_000_000)
        let token = Task { @Sendable in await thread.run(urgent: true) { order.add("token") } }
        try await Task.sleep(nanoseconds: 50_000_000)
        gate.signal()
        _ = await busy.value
        _ = await token.value
        _ = await second.value
        _ = await third.value
        let ran = order.all
        #expect(Array(ran.prefix(2)) == ["group 1", "token"], "\(ran)")
        #expect(Set(ran.dropFirst(2)) == ["group 2", "group 3"], "\(ran)")
    }
}
