import Foundation
import Testing

@testable import PlanStore

/// How a MySQL/MariaDB URL is read (passwords with `@ / : ? % #`, raw or percent-encoded), passed
/// to Connector/C, and shown.
@Suite("MySQLURL")
struct MySQLURLTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var url: String
        var user: String?
        var password: String?
        var host: String?
        var port = 3306
        var socket: String?
        var database: String?
        var redacted: String

        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "raw @ / : ? % in the password", url: "mysql://app:p@ss/w:rd?x%@db.example:3307/state?ssl-mode=required",
            user: "app", password: "p@ss/w:rd?x%", host: "db.example", port: 3307, database: "state",
            redacted: "mysql://app:***@db.example:3307/state?ssl-mode=required"),
        Case(
            name: "the same password percent-encoded", url: "mariadb://app:p%40ss%2Fw%3Ard%3Fx%25@db/state", user: "app",
            password: "p@ss/w:rd?x%", host: "db", database: "state", redacted: "mariadb://app:***@db/state"),
        Case(
            name: "encoded user, colons in the password, IPv6 host, encoded database",
            url: "mysql://us%40er:a:b:c@[::1]:6543/my%20db", user: "us@er", password: "a:b:c", host: "::1", port: 6543,
            database: "my db", redacted: "mysql://us%40er:***@[::1]:6543/my%20db"),
        Case(
            name: "a socket path as the host", url: "mysql://app:%25%25@%2Frun%2Fmysqld%2Fmysqld.sock/state", user: "app",
            password: "%%", socket: "/run/mysqld/mysqld.sock", database: "state",
            redacted: "mysql://app:***@%2Frun%2Fmysqld%2Fmysqld.sock/state"),
        Case(
            name: "no user info, a socket option", url: "mysql:///state?socket=/tmp/my.sock&charset=utf8mb4",
            socket: "/tmp/my.sock", database: "state", redacted: "mysql:///state?socket=/tmp/my.sock&charset=utf8mb4"),
        Case(
            name: "an empty password", url: "mysql://app:@db/state", user: "app", password: "", host: "db", database: "state",
            redacted: "mysql://app:***@db/state"),
    ]

    @Test("parts, decoding and the redacted form", arguments: cases)
    func parts(_ item: Case) throws {
        let url = try MySQLURL(item.url)
        #expect(url.user == item.user)
        #expect(url.password == item.password)
        #expect(url.host == item.host)
        #expect(url.port == item.port)
        #expect(url.socket == item.socket)
        #expect(url.database == item.database)
        #expect(url.redacted == item.redacted)
        #expect(try DatabaseURL(item.url).redacted == item.redacted)
        if let password = item.password, !password.isEmpty {
            #expect(!url.redacted.contains(password))
            #expect(try DatabaseURL(item.url).secrets.contains(password))
        }
    }

    @Test("options: ssl-mode, timeouts; connect timeout 10 s unless given")
    func options() throws {
        let plain = try MySQLURL("mysql://app@db/state")
        #expect(plain.connectTimeout == 10 && plain.readTimeout == nil && plain.sslMode == nil)
        let set = try MySQLURL("mysql://app@db/state?ssl-mode=VERIFY_IDENTITY&connect-timeout=3&read-timeout=30")
        #expect(set.sslMode == .verifyIdentity && set.connectTimeout == 3 && set.readTimeout == 30)
    }

    @Test(
        "a bad URL is refused without showing its password",
        arguments: [
            "mysql://app:s3cr@t-pw@db:notaport/state", "mysql://app:s3cr@t-pw@[::1/state", "mysql://app:s3cr@t-pw@db/x?charset=latin1",
            "mariadb://app:s3cr@t-pw@db/x?ssl-mode=sometimes", "mysql://app:s3cr@t-pw@db/x?bogus=1", "mysql://app:s3cr@t-pw@a,b/x",
            "mysql://app:s3cr@t-pw@db/x?connect-timeout=soon",
        ])
    func refused(_ text: String) throws {
        let error = try #require(throws: DatabaseError.self) { try DatabaseURL(text) }
        #expect(!error.message.contains("s3cr") && !error.message.contains("t-pw"), "\(error.message)")
    }

    @Test("the test server's nasty password reaches it intact, and a failed connection shows no part of it")
    func connects() throws {
        let text = try Backend.requireMySQLURL()
        let url = try MySQLURL(text)
        let db = try MySQLDatabase(url: text)
        #expect(try db.queryFirst("SELECT 1 AS one")?["one"] == 1)
        #expect(try db.queryFirst("SELECT @@character_set_client AS c")?["c"] == "utf8mb4")
        db.close()
        let password = try #require(url.password)
        let wrong = text.replacingOccurrences(of: "/" + (url.database ?? ""), with: "/no_such_database_here")
        let missing = try #require(throws: DatabaseError.self) { try MySQLDatabase(url: wrong) }
        #expect(missing.message.contains("no_such_database_here"), "\(missing.message)")
        let denied = try #require(throws: DatabaseError.self) {
            try MySQLDatabase(url: text.replacingOccurrences(of: "@127.0.0.1", with: "x@127.0.0.1"))
        }
        for error in [missing, denied] {
            #expect(error.message.contains(":***@"), "\(error.message)")
            for fragment in url.secrets + [password, String(password.prefix(4)), String(password.suffix(4))] {
                #expect(!error.message.contains(fragment), "\(error.message)")
            }
        }
    }

    @Test("a server that accepts but never answers cannot hang a connection (connect-timeout)")
    func silentServer() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(listener >= 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
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
            try MySQLDatabase(url: "mysql://app:s3cret-pw@127.0.0.1:\(port)/state?connect-timeout=2&read-timeout=2")
        }
        #expect(Date().timeIntervalSince(started) < 10, "the timeouts bound the wait")
        #expect(error.message.contains("app:***@127.0.0.1"), "\(error.message)")
        #expect(!error.message.contains("s3cret"))
    }

    @Test(
        "a query value that looks like a secret is hidden in every message, and refused as an option",
        arguments: ["password", "PWD", "db_pass", "secret", "token"])
    func secretQueryValue(key: String) {
        let text = "mysql://u@db.example:3306/app?charset=utf8mb4&\(key)=Qu%40ry-S3cret"
        #expect(throws: DatabaseError.self) { try MySQLURL(text) }
        do {
            _ = try MySQLURL(text)
        } catch {
            let message = "\(error)"
            #expect(message.contains("unknown option"), "\(message)")
            #expect(message.contains("\(key)=***"), "\(message)")
            #expect(!message.contains("S3cret"), "\(message)")
        }
    }
}
