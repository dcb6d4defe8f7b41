import Foundation
import ReleasePlan
import Testing

@testable import PlanStore

/// Counts the connections a runner opens and closes.
final class ConnectionLog: @unchecked Sendable {
    private let lock = NSLock()
    private var databases: [ClosingDatabase] = []
    func add(_ database: ClosingDatabase) { lock.withLock { databases.append(database) } }
    var opened: Int { lock.withLock { databases.count } }
    var closed: Int { lock.withLock { databases.filter(\.isClosed).count } }
}

/// A database that remembers being closed.
final class ClosingDatabase: Database, @unchecked Sendable {
    let base: any Database
    private let lock = NSLock()
    private var closedFlag = false
    init(_ base: any Database) { self.base = base }
    var isClosed: Bool { lock.withLock { closedFlag } }
    var dialect: SQLDialect { base.dialect }
    var isInTransaction: Bool { base.isInTransaction }
    func execute(_ sql: String, _ parameters: [SQLValue]) throws -> Int { try base.execute(sql, parameters) }
    func query(_ sql: String, _ parameters: [SQLValue]) throws -> [SQLRow] { try base.query(sql, parameters) }
    func prepare(_ sql: String) throws -> any PreparedStatement { try base.prepare(sql) }
    func transaction<T>(_ body: () throws -> T) throws -> T { try base.transaction(body) }
    func close() {
        lock.withLock { closedFlag = true }
        base.close()
    }
}

@Suite("Data migrations: connections opened as workers start")
struct DataMigrationConnectionTests {
    @Test("more connections are opened only for the workers let in, and closed at the end", arguments: [Backend.postgres, .mysql])
    func opensWhatItUses(_ backend: Backend) throws {
        let bench = try MigrationBench(backend)
        defer { bench.tearDown() }
        let total = try DataMigrationRunnerTests.makeItems(bench.db)
        let log = ConnectionLog()
        let fixture = bench.fixture
        let run = GroupedRun(bench, DataMigrationGroupingTests.touch(backend))
        let progress = try run.runner.run(
            memberIDs: DataMigrationRunnerTests.members, first: .init(database: bench.db, journal: bench.journal), more: 7
        ) {
            let database = ClosingDatabase(try fixture.connect())
            log.add(database)
            return .init(database: database, journal: Journal(database: database))
        }
        #expect(progress.portalsDone == 50 && progress.rowsChanged == total)
        #expect(log.opened >= 1 && log.opened < 7, "two workers at first, more only when they pay: \(log.opened) opened")
        #expect(log.closed == log.opened)
        #expect(try bench.db.queryFirst("SELECT COUNT(*) AS n FROM items WHERE touched <> 1")?["n"].int == 0)
    }

    @Test("a connection that cannot be opened ends the run with its error; what committed is consistent", arguments: [Backend.postgres])
    func openerFails(_ backend: Backend) throws {
        let bench = try MigrationBench(backend)
        defer { bench.tearDown() }
        _ = try DataMigrationRunnerTests.makeItems(bench.db)
        let run = GroupedRun(bench, DataMigrationGroupingTests.touch(backend))
        let error = try #require(throws: MigrationError.self) {
            try run.runner.run(
                memberIDs: DataMigrationRunnerTests.members, first: .init(database: bench.db, journal: bench.journal), more: 3
            ) { throw DatabaseError(message: "too many connections (scripted)") }
        }
        #expect(error.message.contains("too many connections"), "\(error.message)")
        try DataMigrationGroupingTests.expectConsistent(bench)
        // Applying again finishes the rest.
        let again = GroupedRun(bench, DataMigrationGroupingTests.touch(backend))
        _ = try again.runner.run(
            memberIDs: DataMigrationRunnerTests.members, connections: [.init(database: bench.db, journal: bench.journal)])
        #expect(try bench.db.queryFirst("SELECT COUNT(*) AS n FROM items WHERE touched <> 1")?["n"].int == 0)
    }
}
