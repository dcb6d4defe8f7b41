import Foundation
import Testing

@testable import PlanStore

#if canImport(Glibc)
    import Glibc
#endif

/// How a PostgreSQL URL is read (passwords with `@ / : ? % #`, raw or percent-encoded), passed to
/// libpq, and shown.
@Suite("PostgresURL")
struct PostgresURLTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var url: String
        var user: String?
        var password: String?
        var host: String?
        var port: String?
        var database: String?
        var redacted: String

        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "raw @ / : ? % in the password", url: "postgres://app:p@ss/w:rd?x%@db.example:5432/state?sslmode=disable",
            user: "app", password: "p@ss/w:rd?x%", host: "db.example", port: "5432", database: "state",
            redacted: "postgres://app:***@db.example:5432/state?sslmode=disable"),
        Case(
            name: "the same password percent-encoded", url: "postgresql://app:p%40ss%2Fw%3Ard%3Fx%25@db/state", user: "app",
            password: "p@ss/w:rd?x%", host: "db", database: "state", redacted: "postgresql://app:***@db/state"),
        Case(
            name: "encoded user, colons in the password, IPv6 host, encoded database",
            url: "postgres://us%40er:a:b:c@[::1]:6543/my%20db", user: "us@er", password: "a:b:c", host: "::1", port: "6543",
            database: "my db", redacted: "postgres://us%40er:***@[::1]:6543/my%20db"),
        Case(
            name: "several hosts and a password parameter",
            url: "postgres://app@h1:5432,h2:5433/state?password=p%40ss&connect_timeout=3", user: "app", host: "h1,h2",
            port: "5432,5433", database: "state", redacted: "postgres://app@h1:5432,h2:5433/state?password=***&connect_timeout=3"),
        Case(
            name: "a socket folder as a parameter", url: "postgres:///state?host=%2Fvar%2Frun%2Fpostgresql", database: "state",
            redacted: "postgres:///state?host=%2Fvar%2Frun%2Fpostgresql"),
        Case(
            name: "an @ in a query value, no user info", url: "postgres://db/state?application_name=me@work", host: "db",
            database: "state", redacted: "postgres://db/state?application_name=me@work"),
        Case(
            name: "no user, a # in the password, no database", url: "postgres://:only#pass@db/", password: "only#pass", host: "db",
            redacted: "postgres://:***@db/"),
        Case(
            name: "a % that starts no escape stays", url: "postgres://app:100%zz@db/state", user: "app", password: "100%zz", host: "db",
            database: "state", redacted: "postgres://app:***@db/state"),
    ]

    @Test("parts, decoding and the redacted form", arguments: cases)
    func parse(_ item: Case) throws {
        let url = try PostgresURL(item.url)
        #expect(url.user == item.user)
        #expect(url.password == item.password)
        #expect(url.host == item.host)
        #expect(url.port == item.port)
        #expect(url.database == item.database)
        #expect(url.redacted == item.redacted)
        #expect(try DatabaseURL(item.url).redacted == item.redacted)
        for secret in url.secrets {
            #expect(!url.redacted.contains(secret), "\(secret) in \(url.redacted)")
        }
        if let password = item.password {
            #expect(url.secrets.contains(password))
            #expect(url.connectionParameters.contains(.init("password", password)))
        }
    }

    @Test("libpq gets keyword/value pairs with connect_timeout 10 s unless the URL sets one")
    func parameters() throws {
        let url = try PostgresURL("postgres://app:p@ss@db:5433/state?sslmode=require")
        #expect(
            url.connectionParameters == [
                .init("connect_timeout", "10"), .init("host", "db"), .init("port", "5433"), .init("dbname", "state"),
                .init("user", "app"), .init("password", "p@ss"), .init("sslmode", "require"),
            ])
        let own = try PostgresURL("postgres://db/state?connect_timeout=3")
        #expect(own.connectionParameters.filter { $0.keyword == "connect_timeout" } == [.init("connect_timeout", "3")])
    }

    @Test(
        "a bad URL is refused without showing its password",
        arguments: [
            "postgres://app:s3cr@t-pw@db:notaport/state", "postgres://app:s3cr@t-pw@[::1/state", "mysql://app:s3cr@t-pw@db:notaport/x",
        ])
    func refused(_ text: String) throws {
        let error = try #require(throws: DatabaseError.self) { try DatabaseURL(text) }
        #expect(!error.message.contains("s3cr") && !error.message.contains("t-pw"), "\(error.message)")
    }

    @Test("a nasty password reaches the server intact: the URL connects, and a failure shows no part of it")
    func connects() throws {
        let base = try PostgresURL(try Backend.requirePostgresURL())
        let host = try #require(base.host), port = try #require(base.port), user = base.user ?? "postgres"
        // The test cluster trusts local connections, so any password is accepted: what matters is
        // that host, port and database come out right although the password holds @ / : ?.
        for password in ["p@ss/w:rd?x%#1", "p%40ss%2Fw%3Ard%3Fx"] {
            let db = try PostgresDatabase(connectionString: "postgres://\(user):\(password)@\(host):\(port)/postgres")
            #expect(try db.queryFirst("SELECT 1 AS one")?["one"] == 1)
            db.close()
            let error = try #require(throws: DatabaseError.self) {
                try PostgresDatabase(connectionString: "postgres://\(user):\(password)@\(host):\(port)/no_such_database_here")
            }
            #expect(error.message.contains("no_such_database_here"), "\(error.message)")
            for fragment in ["p@ss", "w:rd", "ss/w", "%40ss", "rd?x", "3Ard"] {
                #expect(!error.message.contains(fragment), "\(error.message)")
            }
        }
    }

    @Test("a server that accepts but never answers cannot hang a connection (connect_timeout)")
    func silentServer() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(listener >= 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(bound == 0 && listen(listener, 16) == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        let port = UInt16(bigEndian: address.sin_port)
        let started = Date()
        let error = try #require(throws: DatabaseError.self) {
            try PostgresDatabase(connectionString: "postgres://app:s3cret-pw@127.0.0.1:\(port)/state?connect_timeout=2")
        }
        #expect(Date().timeIntervalSince(started) < 10, "connect_timeout bounds the wait")
        #expect(error.message.contains("app:***@127.0.0.1"), "\(error.message)")
        #expect(!error.message.contains("s3cret"))
    }
}
