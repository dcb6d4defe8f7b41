import Foundation
import ReleasePlan
import Synchronization
import Testing

@testable import PlanStore

/// Several `b24plan migrate` at once on a fresh MariaDB or PostgreSQL database: one runs, the others
/// are refused by the run lock before they look at the migrations table. None reports a migration
/// another one is still running as dirty ("half-migrated"), none fails creating the table, and the
/// database ends migrated once.
@Suite("migrate: runs at once")
struct ConcurrentMigrateCLITests {
    /// Migration 1 takes a second, so the others start while it runs.
    static func files(_ backend: String) -> [(String, String)] {
        let sleep = backend == "mysql" ? "DO SLEEP(1);" : "SELECT pg_sleep(1);"
        return [
            ("0001_slow.sql", "\(sleep)\nCREATE TABLE slow_first (id INTEGER);\n"),
            ("0002_next.sql", "CREATE TABLE slow_next (id INTEGER);\n"),
        ]
    }

    @Test("six migrate processes started together: one migrates, the rest are refused by the lock", arguments: ["mysql", "postgres"])
    func together(backend: String) throws {
        let name = "b24plan_together_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        let url: String
        let drop: () -> Void
        if backend == "mysql" {
            let admin = try MySQLDatabase(url: try Backend.requireMySQLURL())
            try admin.execute("CREATE DATABASE \(name) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
            url = try Backend.mysqlURL(database: name)
            drop = {
                _ = try? admin.execute("DROP DATABASE IF EXISTS \(name)")
                admin.close()
            }
        } else {
            let base = try Backend.requirePostgresURL()
            let admin = try PostgresDatabase(connectionString: base)
            try admin.execute("CREATE DATABASE \(name)")
            guard let slash = base.lastIndex(of: "/") else { throw DatabaseError(message: "no database in \(base)") }
            url = base[..<slash] + "/" + name
            drop = {
                _ = try? admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
                admin.close()
            }
        }
        defer { drop() }
        let folder = try StoreCLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // An app of its own: MariaDB's run lock (GET_LOCK) is per server, and other suites migrate acme.dirty.
        try MigrateDirtyCLITests.writePlan(in: folder, files: Self.files(backend), app: "acme.together")
        let migrate = ["migrate", "plans/acme.together/1.0.0.json", "--database", url]

        let results = Mutex([ChildProcess.Result?](repeating: nil, count: 6))
        DispatchQueue.concurrentPerform(iterations: 6) { index in
            let result = try? StoreCLI.run(migrate, in: folder)
            results.withLock { $0[index] = result }
        }
        let outputs = results.withLock { $0 }.map { $0.map(MigrateDirtyCLITests.output) ?? "(not run)" }
        for output in outputs {
            #expect(!output.contains("half-migrated"), "\(output)")
            #expect(!output.contains("duplicate key") && !output.contains("already exists"), "\(output)")
        }
        let succeeded = results.withLock { $0 }.filter { $0?.exitCode == 0 }.count
        #expect(succeeded >= 1, "\(outputs)")
        for (result, output) in zip(results.withLock { $0 }, outputs) where result?.exitCode != 0 {
            #expect(output.contains("is running"), "refused by the lock, nothing else: \(output)")
        }
        let again = try StoreCLI.run(migrate, in: folder)
        #expect(again.exitCode == 0, "\(MigrateDirtyCLITests.output(again))")
        #expect(MigrateDirtyCLITests.output(again).contains("applied now: none"), "\(MigrateDirtyCLITests.output(again))")
    }
}
