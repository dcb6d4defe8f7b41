import Foundation
import Testing

@testable import PlanStore

/// Journal schema 4: requests per second (`b24plan_request_rate`), added to by several processes.
extension JournalTests {
    @Test("request counts add up per (run, step, second) across connections; read in time order", arguments: Backend.allCases)
    func requestRateAdds(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        defer { fixture.tearDown() }
        let journal = Journal(database: fixture.db)
        try journal.migrate()
        let run = try journal.openRun(app: "acme.rate", version: "1.0.0", planSHA256: "aa")
        #expect(try journal.requestRate(run: run.id) == [])
        try journal.addRequestCounts(run: run.id, step: "portals.reconcile", [])
        try journal.addRequestCounts(
            run: run.id, step: "portals.reconcile",
            [.init(second: 1_800_000_001, requests: 5, errors: 1), .init(second: 1_800_000_000, requests: 7, errors: 0)])
        // A second process (apply --worker) counting in the same seconds, and one more.
        let worker = Journal(database: try fixture.connect())
        try worker.addRequestCounts(
            run: run.id, step: "portals.reconcile",
            [.init(second: 1_800_000_001, requests: 3, errors: 2), .init(second: 1_800_000_002, requests: 1, errors: 0)])
        try worker.addRequestCounts(run: run.id, step: "portals.scope-audit", [.init(second: 1_800_000_001, requests: 4, errors: 0)])
        try journal.addRequestCounts(run: run.id + 1, step: "portals.reconcile", [.init(second: 1_800_000_001, requests: 99, errors: 0)])
        let rows = try #require(try journal.requestRate(run: run.id))
        #expect(
            rows.map { "\($0.stepID) \($0.count.second) \($0.count.requests) \($0.count.errors)" } == [
                "portals.reconcile 1800000000 7 0", "portals.reconcile 1800000001 8 3", "portals.scope-audit 1800000001 4 0",
                "portals.reconcile 1800000002 1 0",
            ])
    }

    @Test("a journal before schema 4 has no request rate: read as not recorded, not as an error", arguments: Backend.allCases)
    func requestRateBeforeSchema4(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        defer { fixture.tearDown() }
        let db = fixture.db
        let (d, key) = (db.dialect, Journal.metaKeyColumn(db.dialect))
        try db.execute("CREATE TABLE b24plan_meta (\(key) \(d.keyTextType) PRIMARY KEY, value \(d.textType) NOT NULL)")
        for version in 1...3 { for statement in JournalSchema.migrations(d)[version] ?? [] { try db.execute(statement) } }
        try db.execute("INSERT INTO b24plan_meta (\(key), value) VALUES ('schema_version', '3')")
        let journal = Journal(database: db)
        #expect(try journal.requestRate(run: 1) == nil)
        try journal.migrate()
        #expect(try journal.recordedSchemaVersion() == 4)
        #expect(try journal.requestRate(run: 1) == [])
    }
}
