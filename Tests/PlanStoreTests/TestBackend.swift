import Foundation
import Testing

@testable import PlanStore

/// The implementations the behavioural suite runs against: each test takes one as its argument.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres, mysql

    var testDescription: String { rawValue }

    /// `B24PLAN_TEST_POSTGRES_URL`, e.g. `postgres://postgres@127.0.0.1:54329/postgres`
    /// (`scripts/postgres-test-cluster.sh` starts a server and exports it).
    static var postgresURL: String? {
        guard let url = ProcessInfo.processInfo.environment["B24PLAN_TEST_POSTGRES_URL"], !url.isEmpty else { return nil }
        return url
    }

    /// The PostgreSQL URL; without one, cancels the current test (case) or, under `CI=true`, throws.
    static func requirePostgresURL() throws -> String {
        if let url = postgresURL { return url }
        if isCI { throw MissingPostgres() }
        try Test.cancel("B24PLAN_TEST_POSTGRES_URL is not set: PostgreSQL case skipped")
    }

    /// `B24PLAN_TEST_MYSQL_URL`, e.g. `mysql://b24plan:secret@127.0.0.1:3306/b24plan_test`
    /// (`scripts/mariadb-test-server.sh` starts a server and exports it). Its user may create databases.
    static var mysqlURL: String? {
        guard let url = ProcessInfo.processInfo.environment["B24PLAN_TEST_MYSQL_URL"], !url.isEmpty else { return nil }
        return url
    }

    /// The MySQL URL; without one, cancels the current test (case) or, under `CI=true`, throws.
    static func requireMySQLURL() throws -> String {
        if let url = mysqlURL { return url }
        if isCI { throw MissingMySQL() }
        try Test.cancel("B24PLAN_TEST_MYSQL_URL is not set: MySQL case skipped")
    }

    /// The test server's URL with `database` in place of its own (the URL carries no query).
    static func mysqlURL(database: String) throws -> String {
        let url = try requireMySQLURL()
        guard let slash = url.lastIndex(of: "/") else { return url + "/" + database }
        return url[..<slash] + "/" + database
    }

    /// CI sets `CI=true`: there a missing PostgreSQL server fails the run instead of skipping.
    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }
}

/// A missing `B24PLAN_TEST_POSTGRES_URL` under `CI=true`.
struct MissingPostgres: Error, CustomStringConvertible {
    var description: String {
        "B24PLAN_TEST_POSTGRES_URL is not set and CI=true: the PostgreSQL cases must run in CI "
            + "(source scripts/postgres-test-cluster.sh before swift test)"
    }
}

/// A missing `B24PLAN_TEST_MYSQL_URL` under `CI=true`.
struct MissingMySQL: Error, CustomStringConvertible {
    var description: String {
        "B24PLAN_TEST_MYSQL_URL is not set and CI=true: the MySQL cases must run in CI "
            + "(source scripts/mariadb-test-server.sh before swift test)"
    }
}

/// One test's private database: a fresh SQLite file in a new temporary folder, or a fresh schema
/// on the PostgreSQL test server, or a fresh database on the MySQL one, so tests run in parallel without seeing each other's tables.
/// Call `tearDown()` (in a `defer`) to close every connection and drop the file or schema.
final class Fixture {
    let backend: Backend
    /// The first connection.
    let db: any Database
    private let location: String
    private var connections: [any Database] = []

    /// Opens the fixture; without a PostgreSQL server the PostgreSQL case is cancelled (shown as
    /// skipped with the reason) or, under `CI=true`, fails.
    init(_ backend: Backend) throws {
        self.backend = backend
        switch backend {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory
                .appendingPathComponent("b24plan-store-tests-\(UUID().uuidString)")
            location = folder.path
            // A nested path also checks that missing parent folders are created.
            db = try SQLiteDatabase(path: folder.appendingPathComponent("nested/state.db").path)
        case .postgres:
            let url = try Backend.requirePostgresURL()
            location = "b24plan_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
            db = try PostgresDatabase(connectionString: url)
            try db.execute("CREATE SCHEMA \(location)")
            try db.execute("SET search_path TO \(location)")
        case .mysql:
            let url = try Backend.requireMySQLURL()
            location = "b24plan_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
            let admin = try MySQLDatabase(url: url)
            defer { admin.close() }
            try admin.execute("CREATE DATABASE \(location) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
            db = try MySQLDatabase(url: try Backend.mysqlURL(database: location))
        }
        connections.append(db)
    }

    /// Another connection to the same database (and schema).
    func connect() throws -> any Database {
        let other: any Database
        switch backend {
        case .sqlite:
            other = try SQLiteDatabase(path: location + "/nested/state.db")
        case .postgres:
            other = try PostgresDatabase(connectionString: Backend.postgresURL ?? "")
            try other.execute("SET search_path TO \(location)")
        case .mysql:
            other = try MySQLDatabase(url: try Backend.mysqlURL(database: location))
        }
        connections.append(other)
        return other
    }

    func tearDown() {
        connections.forEach { $0.close() }
        switch backend {
        case .sqlite:
            try? FileManager.default.removeItem(atPath: location)
        case .postgres:
            if let url = Backend.postgresURL, let admin = try? PostgresDatabase(connectionString: url) {
                _ = try? admin.execute("DROP SCHEMA IF EXISTS \(location) CASCADE")
                admin.close()
            }
        case .mysql:
            if let url = Backend.mysqlURL, let admin = try? MySQLDatabase(url: url) {
                _ = try? admin.execute("DROP DATABASE IF EXISTS \(location)")
                admin.close()
            }
        }
    }
}

/// An error a transaction body throws on purpose.
struct Planned: Error, Equatable {}

/// A thread-safe counter for the concurrency test.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}

/// Hands a connection (whose implementations are `@unchecked Sendable`) to other threads.
struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
