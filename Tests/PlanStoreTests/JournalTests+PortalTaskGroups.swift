import Foundation
import Testing

@testable import PlanStore

extension JournalTests {
    @Test(
        "savePortalTasks writes many tasks as savePortalTask would, 200 to a statement, a repeated member in order",
        arguments: Backend.allCases)
    func portalTaskGroups(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        defer { fixture.tearDown() }
        let journal = Journal(database: fixture.db)
        try journal.migrate()
        let run = try journal.openRun(app: "acme.tasks", version: "1.0.0", planSHA256: "x").id
        let step = "migrate.data.2"
        try journal.savePortalTask(run: run, step: step, .init(memberID: "m0001", state: .failed, attempts: 2, lastError: "earlier"))
        var tasks = (0..<450).map { index in
            Journal.PortalTask(
                memberID: String(format: "m%04d", index), state: index % 3 == 0 ? .done : .running, batches: index % 7 + 1,
                rowsChanged: index * 5, attempts: index == 1 ? 2 : 0, lastError: index == 1 ? "earlier" : nil)
        }
        // The same member twice in one call: the later task wins.
        tasks.insert(.init(memberID: "m0440", state: .running, batches: 1), at: 100)
        try fixture.db.transaction { try journal.savePortalTasks(run: run, step: step, tasks) }
        let stored = try journal.portalTasks(run: run, step: step)
        #expect(stored.count == 450)
        #expect(stored == Array(tasks.filter { $0 != tasks[100] }))
        try journal.savePortalTasks(run: run, step: step, [])
        #expect(try journal.portalCounts(run: run, step: step) == [.done: 150, .running: 300])
    }
}
