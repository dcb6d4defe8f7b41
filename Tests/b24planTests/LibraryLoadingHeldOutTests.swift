import Foundation
import Testing

/// Held-out tests of the client libraries loaded on first use, written from README.md ("From source",
/// the "HTTP client" row of the configuration table) and DESIGN.md alone:
///
/// - libpq, MariaDB Connector/C and libcurl are loaded when a command first needs them; the commands
///   that reach no server run, with the same output, whatever `B24PLAN_LIBPQ`, `B24PLAN_LIBMARIADB`
///   and `B24PLAN_LIBCURL` say;
/// - a command that needs a missing one stops before it does anything (no run, no step row, no
///   deploy), exit 64, one `error:` sentence naming the library and the package to install;
/// - the variables name a file (a path, or a name the loader searches for); a library that lacks a
///   function b24plan calls is refused by name; `B24PLAN_HTTP=urlsession` is no fallback any more;
/// - no password of a URL is shown.
@Suite("library loading (held out)", .serialized)
struct LibraryLoadingHeldOutTests {
    /// A copy of the sample app with a SQLite state store where 1.0.1 is published (baseline) and an
    /// installations table, optionally with installations on a dead address.
    struct Workspace {
        let url: URL
        static let environment = [
            "B24_CLIENT_ID": "app.held-out", "B24_CLIENT_SECRET": "client-s3cret", "B24PLAN_DATABASE_URL": "",
            "B24PLAN_SKIP_PREFLIGHT": "",
        ]
        static let variables: Set<String> = ["B24PLAN_LIBPQ", "B24PLAN_LIBMARIADB", "B24PLAN_LIBCURL", "B24PLAN_HTTP"]

        init(installations: [String] = []) throws {
            url = try CLIRunner.temporaryFolder()
            let plans = url.appendingPathComponent("plans")
            try FileManager.default.createDirectory(at: plans, withIntermediateDirectories: true)
            try FileManager.default.copyItem(
                at: CLIRunner.packageRoot.appendingPathComponent("plans/acme.dealsync"), to: plans.appendingPathComponent("acme.dealsync"))
            let initialize = try run(["init", "--installations-table"])
            try #require(initialize.code == 0, "init: \(initialize.stderr)")
            let baseline = try run(["baseline", "plans/acme.dealsync/1.0.1.json"])
            try #require(baseline.code == 0, "baseline: \(baseline.stderr)")
            for member in installations {
                _ = try rows(
                    """
                    INSERT INTO portals (member_id, client_endpoint, access_token, refresh_token, expires_at, active)
                    VALUES ('\(member)', 'http://127.0.0.1:9/rest/', 'access-\(member)', 'refresh-\(member)', 4102444800, 1)
                    """)
            }
        }

        /// Runs b24plan in the workspace with the three variables unset, then `extra`.
        func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> CLIRunner.Output {
            try CLIRunner.run(
                arguments, in: url, environment: Self.environment.merging(extra) { _, new in new },
                removing: Self.variables.subtracting(extra.keys))
        }

        func rows(_ sql: String) throws -> [[String: Any]] {
            try CLIRunner.sqliteRows(url.appendingPathComponent(".b24plan/state.db"), sql)
        }

        /// Everything b24plan keeps in the store that a command could add to or change.
        func journal() throws -> String {
            let runs = try rows("SELECT id, version, state FROM b24plan_runs ORDER BY id")
            let steps = try rows("SELECT run_id, step_id, state FROM b24plan_steps ORDER BY run_id, step_id")
            let portals = try rows(
                "SELECT member_id, client_endpoint, access_token, refresh_token, expires_at, active FROM portals ORDER BY 1")
            let migrations = try rows("SELECT version FROM schema_migrations ORDER BY 1")
            let text = { (rows: [[String: Any]]) in
                rows.map { row in row.keys.sorted().map { "\($0)=\(row[$0].map { "\($0)" } ?? "nil")" }.joined(separator: ",") }
                    .joined(separator: ";")
            }
            return [runs, steps, portals, migrations].map(text).joined(separator: "|")
        }

        func remove() { try? FileManager.default.removeItem(at: url) }
    }

    /// The one sentence a command prints when it cannot start: exit 64, one `error:` line, no usage text,
    /// no crash, naming every word given, and none of `secrets`.
    static func expectOneSentence(
        _ output: CLIRunner.Output, naming words: [String], hiding secrets: [String] = [], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(output.code == 64, "exit \(output.code): \(output.stdout)\(output.stderr)", sourceLocation: sourceLocation)
        let errors = output.stderr.split(separator: "\n").filter { $0.hasPrefix("error: ") }
        #expect(errors.count == 1, "one sentence: \(output.stderr)", sourceLocation: sourceLocation)
        #expect(!output.stderr.contains("usage:"), "no usage text: \(output.stderr)", sourceLocation: sourceLocation)
        #expect(!output.stderr.contains("Fatal error"), "no crash: \(output.stderr)", sourceLocation: sourceLocation)
        for word in words { #expect(output.stderr.contains(word), "names \(word): \(output.stderr)", sourceLocation: sourceLocation) }
        for secret in secrets {
            #expect(!(output.stdout + output.stderr).contains(secret), "hides \(secret): \(output.stderr)", sourceLocation: sourceLocation)
        }
    }

    /// A library, the variable naming it, a store URL that needs it, and what its error names.
    struct Library: Sendable, CustomStringConvertible {
        let variable: String
        let url: String
        let words: [String]
        let functionPrefix: String
        var description: String { variable }

        static let postgres = Library(
            variable: "B24PLAN_LIBPQ", url: "postgres://probe:Pa55@w0rd%2F:x@127.0.0.1:1/heldout", words: ["libpq", "libpq5"],
            functionPrefix: "PQ")
        static let mariadb = Library(
            variable: "B24PLAN_LIBMARIADB", url: "mysql://probe:Pa55@w0rd%2F:x@127.0.0.1:1/heldout",
            words: ["MariaDB", "libmariadb3"], functionPrefix: "mysql_")
        static let secrets = ["Pa55", "w0rd"]
    }

    // MARK: - A missing database library

    @Test(
        "a store command whose database library is missing: exit 64, one sentence naming it and its package, no password",
        arguments: [Library.postgres, Library.mariadb],
        [
            ["status"], ["status", "--format", "json"], ["log"], ["report", "--format", "json"], ["init"],
            ["init", "--installations-table"],
            ["baseline", "plans/acme.dealsync/1.0.1.json"], ["migrate", "plans/acme.dealsync/3.0.0.json"],
            ["apply", "--yes", "plans/acme.dealsync/1.1.0.json"], ["apply", "--worker", "--yes", "plans/acme.dealsync/1.1.0.json"],
            ["gate", "pass", "gate.partner", "plans/acme.dealsync/1.1.0.json"], ["abandon", "plans/acme.dealsync/1.1.0.json"],
            ["drift", "plans/acme.dealsync/1.0.1.json"], ["reconcile", "--all", "plans/acme.dealsync/1.0.1.json"],
        ])
    func missingDatabaseLibrary(library: Library, command: [String]) throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let before = try workspace.journal()
        let output = try workspace.run(
            command + ["--database", library.url], environment: [library.variable: "/nonexistent/held-out/\(library.variable).so"])
        Self.expectOneSentence(output, naming: library.words + ["apt-get install"], hiding: Library.secrets)
        #expect(try workspace.journal() == before, "the SQLite store beside it is untouched")
        #expect(!output.stdout.contains("deploying"), "no deploy ran: \(output.stdout)")
    }

    @Test(
        "hostile values of the variable: a directory, devices, an empty or text file, a relative path, a huge name, an executable",
        arguments: [Library.postgres, Library.mariadb])
    func hostileValues(library: Library) throws {
        let folder = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let empty = folder.appendingPathComponent("empty.so")
        let text = folder.appendingPathComponent("text.so")
        try Data().write(to: empty)
        try Data("not a shared object\n".utf8).write(to: text)
        let values = [
            folder.path, "/dev/zero", "/dev/null", empty.path, text.path, "relative/held-out/lib.so", "./text.so",
            String(repeating: "A", count: 100_000), "/" + String(repeating: "B", count: 5000), CLIRunner.binary.path, "lib\u{7F}\u{85}.so",
        ]
        for value in values {
            let output = try CLIRunner.run(
                ["status", "--database", library.url], in: folder, environment: [library.variable: value, "B24PLAN_DATABASE_URL": ""])
            Self.expectOneSentence(output, naming: library.words, hiding: Library.secrets)
            #expect(output.stderr.utf8.count < 20_000, "a bounded sentence for \(value.prefix(40))…: \(output.stderr.utf8.count) bytes")
        }
    }

    @Test("another library in its place is refused by the name of a function it lacks", arguments: [Library.postgres, Library.mariadb])
    func anotherLibrary(library: Library) throws {
        let folder = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // libsqlite3 is linked into b24plan, so the loader always finds it: a real library, the wrong one.
        for other in ["libsqlite3.so.0", "libc.so.6"] {
            let output = try CLIRunner.run(
                ["status", "--database", library.url], in: folder, environment: [library.variable: other, "B24PLAN_DATABASE_URL": ""])
            Self.expectOneSentence(output, naming: library.words + [other, library.functionPrefix], hiding: Library.secrets)
        }
    }

    @Test("a missing libpq with the test cluster's URL: exit 64 before connecting, and the database is as it was")
    func missingLibpqOnARealServer() throws {
        guard let base = ProcessInfo.processInfo.environment["B24PLAN_TEST_POSTGRES_URL"], !base.isEmpty else {
            try Test.cancel("B24PLAN_TEST_POSTGRES_URL is not set: PostgreSQL case skipped")
        }
        let workspace = try Workspace()
        defer { workspace.remove() }
        // The same server and database, with a password in the URL (trust authentication ignores it).
        let url = base.replacingOccurrences(of: "://postgres@", with: "://postgres:Pa55@w0rd%2F:x@")
        let before = try workspace.run(["log", "--format", "json", "--database", url])
        for command in [["init"], ["migrate", "plans/acme.dealsync/3.0.0.json"], ["apply", "--yes", "plans/acme.dealsync/1.1.0.json"]] {
            let output = try workspace.run(command + ["--database", url], environment: ["B24PLAN_LIBPQ": "/nonexistent/libpq.so.5"])
            Self.expectOneSentence(output, naming: Library.postgres.words, hiding: Library.secrets)
        }
        let after = try workspace.run(["log", "--format", "json", "--database", url])
        #expect(
            after.code == before.code && after.stdout == before.stdout, "nothing was created or run: \(before.stderr) / \(after.stderr)")
    }

    @Test("lint --fix never writes into a plan the named PostgreSQL store published, also when libpq cannot be loaded")
    func lintFixGuardWithoutLibpq() throws {
        guard let base = ProcessInfo.processInfo.environment["B24PLAN_TEST_POSTGRES_URL"], !base.isEmpty,
            FileManager.default.isExecutableFile(atPath: "/usr/bin/psql")
        else { try Test.cancel("B24PLAN_TEST_POSTGRES_URL or psql missing: PostgreSQL case skipped") }
        let name = "heldout_fix_\(UInt32.random(in: 0...UInt32.max))"
        let created = try CLIRunner.runTool("/usr/bin/psql", [base, "-qc", "CREATE DATABASE \(name)"])
        try #require(created.code == 0, "\(created.stderr)")
        defer { _ = try? CLIRunner.runTool("/usr/bin/psql", [base, "-qc", "DROP DATABASE IF EXISTS \(name)"]) }
        let slash = try #require(base.range(of: "/", options: .backwards))
        let url = String(base[..<slash.lowerBound]) + "/\(name)"
        let folder = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let app = folder.appendingPathComponent("plans/app")
        try FileManager.default.createDirectory(at: app, withIntermediateDirectories: true)
        let sample = CLIRunner.packageRoot.appendingPathComponent("plans/acme.dealsync")
        try FileManager.default.copyItem(at: sample.appendingPathComponent("migrations"), to: app.appendingPathComponent("migrations"))
        try FileManager.default.copyItem(at: sample.appendingPathComponent("1.0.1.json"), to: app.appendingPathComponent("1.0.1.json"))
        let environment = ["B24PLAN_DATABASE_URL": url]
        for command in [["init"], ["baseline", "plans/app/1.0.1.json"]] {
            let output = try CLIRunner.run(command, in: folder, environment: environment)
            try #require(output.code == 0, "\(command): \(output.stderr)")
        }
        // The published plan's digest is wrong now (its migration file was "edited"): --fix must not touch it.
        let plan = app.appendingPathComponent("1.0.1.json")
        let text = try String(contentsOf: plan, encoding: .utf8)
        let digest = try #require(text.range(of: #"[0-9a-f]{64}"#, options: .regularExpression))
        let edited = text.replacingCharacters(in: digest, with: String(repeating: "0", count: 64))
        try edited.write(to: plan, atomically: true, encoding: .utf8)
        for variables in [[:], ["B24PLAN_LIBPQ": "/nonexistent/libpq.so.5"]] {
            let output = try CLIRunner.run(
                ["lint", "--fix", "plans/app/1.0.1.json"], in: folder, environment: environment.merging(variables) { _, new in new })
            #expect(
                try String(contentsOf: plan, encoding: .utf8) == edited, "\(variables): the published plan was rewritten: \(output.stderr)")
        }
    }

    // MARK: - A missing libcurl

    @Test("apply of a release that reaches the portals, with libcurl missing: exit 64 before the deploy, no step recorded")
    func applyWithoutLibcurl() throws {
        let workspace = try Workspace(installations: ["m1"])
        defer { workspace.remove() }
        let before = try workspace.journal()
        for skip in ["", "1"] {
            let output = try workspace.run(
                ["apply", "--yes", "plans/acme.dealsync/1.1.0.json"],
                environment: ["B24PLAN_LIBCURL": "/nonexistent/libcurl.so.4", "B24PLAN_SKIP_PREFLIGHT": skip])
            Self.expectOneSentence(output, naming: ["libcurl", "libcurl4", "apt-get install"], hiding: ["client-s3cret", "access-m1"])
            #expect(!output.stdout.contains("deploying"), "the deploy did not run: \(output.stdout)")
            #expect(try workspace.journal() == before, "no run, no step row, no token written")
        }
    }

    @Test(
        "portal commands with libcurl missing: exit 64 before anything, no run or step recorded, no token written",
        arguments: [
            ["drift", "plans/acme.dealsync/1.0.1.json"], ["drift", "--format", "json", "plans/acme.dealsync/1.0.1.json"],
            ["reconcile", "--member-id", "m1", "plans/acme.dealsync/1.0.1.json"],
            ["reconcile", "--member-id", "m1,m2", "plans/acme.dealsync/1.0.1.json"],
            ["reconcile", "--all", "plans/acme.dealsync/1.0.1.json"],
            ["reconcile", "--where", "member_id <> ''", "plans/acme.dealsync/1.0.1.json"],
            ["reconcile", "--all", "--format", "json", "plans/acme.dealsync/1.0.1.json"],
        ])
    func portalCommandsWithoutLibcurl(command: [String]) throws {
        let workspace = try Workspace(installations: ["m1", "m2"])
        defer { workspace.remove() }
        let before = try workspace.journal()
        let output = try workspace.run(command, environment: ["B24PLAN_LIBCURL": "/nonexistent/libcurl.so.4"])
        Self.expectOneSentence(output, naming: ["libcurl", "libcurl4"], hiding: ["client-s3cret", "access-m1", "refresh-m1"])
        let after = try workspace.journal()
        #expect(after == before, "nothing recorded: \(after)")
    }

    @Test("apply of a release that sends no request (migrations, deploy, gates) runs without libcurl")
    func applyWithoutRequestsNeedsNoLibcurl() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        // 2.0.0 published: 2.0.1 adds migrations and changes nothing a portal holds (no preflight, no reconcile).
        let baseline = try workspace.run(["baseline", "plans/acme.dealsync/2.0.0.json"])
        try #require(baseline.code == 0, "\(baseline.stderr)")
        // baseline records migration 1 as applied without running it: the live database already has its table.
        let live = try CLIRunner.runTool(
            "/usr/bin/env", ["sqlite3", ".b24plan/state.db", ".read plans/acme.dealsync/migrations/0001_create_deal_links.sql"],
            in: workspace.url)
        try #require(live.code == 0, "\(live.stderr)")
        let graph = try workspace.run(["graph", "--format", "json", "plans/acme.dealsync/2.0.1.json"])
        try #require(!graph.stdout.contains("portals."), "the release reaches no portal: \(graph.stdout)")
        let apply = try workspace.run(
            ["apply", "--yes", "plans/acme.dealsync/2.0.1.json"], environment: ["B24PLAN_LIBCURL": "/nonexistent/libcurl.so.4"])
        #expect(apply.code == 3, "stops at gate.partner: exit \(apply.code): \(apply.stderr)")
        #expect(!apply.stderr.contains("cannot load"), "\(apply.stderr)")
        #expect(try workspace.rows("SELECT version FROM schema_migrations WHERE version > 1").count == 2, "its migrations ran")
    }

    @Test("B24PLAN_HTTP=urlsession is no fallback: without libcurl, drift still stops naming libcurl")
    func noURLSessionFallback() throws {
        let workspace = try Workspace(installations: ["m1"])
        defer { workspace.remove() }
        let output = try workspace.run(
            ["drift", "plans/acme.dealsync/1.0.1.json"],
            environment: ["B24PLAN_LIBCURL": "/nonexistent/libcurl.so.4", "B24PLAN_HTTP": "urlsession"])
        Self.expectOneSentence(output, naming: ["libcurl"])
    }

    @Test("a library lacking libcurl's functions is refused by the name of one; libpq in its place too")
    func anotherLibraryForLibcurl() throws {
        let workspace = try Workspace(installations: ["m1"])
        defer { workspace.remove() }
        for other in ["libsqlite3.so.0", "libc.so.6"] {
            let output = try workspace.run(["drift", "plans/acme.dealsync/1.0.1.json"], environment: ["B24PLAN_LIBCURL": other])
            Self.expectOneSentence(output, naming: ["libcurl", other, "curl_"])
        }
    }

    @Test("B24PLAN_LIBCURL naming the real libcurl, by path or by soname, is used: drift reaches the (dead) portal")
    func libcurlNamedExplicitly() throws {
        let candidates = [
            "/usr/lib/x86_64-linux-gnu/libcurl.so.4", "/usr/lib/aarch64-linux-gnu/libcurl.so.4", "/lib/x86_64-linux-gnu/libcurl.so.4",
        ]
        guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            try Test.cancel("no libcurl.so.4 at a known path")
        }
        let workspace = try Workspace(installations: ["m1"])
        defer { workspace.remove() }
        for value in [path, "libcurl.so.4"] {
            let output = try workspace.run(
                ["drift", "--format", "json", "plans/acme.dealsync/1.0.1.json"], environment: ["B24PLAN_LIBCURL": value])
            #expect(output.code != 64 && output.code < 128, "\(value): exit \(output.code): \(output.stderr)")
            #expect(!output.stderr.contains("cannot load"), "\(value): \(output.stderr)")
        }
    }

    // MARK: - Commands that reach no server

    @Test("commands that reach no server print the same bytes whatever the three variables name")
    func serverlessCommandsIgnoreTheVariables() throws {
        let workspace = try Workspace(installations: ["m1"])
        defer { workspace.remove() }
        _ = try workspace.run(["apply", "--yes", "plans/acme.dealsync/1.1.0.json"], environment: ["B24PLAN_SKIP_PREFLIGHT": "1"])
        let garbage = [
            "B24PLAN_LIBPQ": "/dev/zero", "B24PLAN_LIBMARIADB": workspace.url.path, "B24PLAN_LIBCURL": "/nonexistent/held-out/libcurl.so",
        ]
        let commands: [[String]] = [
            ["lint", "plans/acme.dealsync"], ["lint", "--format", "json", "plans/acme.dealsync"],
            ["lint", "--format", "sarif", "plans/acme.dealsync/2.0.0.json"], ["lint", "--format", "gitlab", "plans/acme.dealsync"],
            ["lint", "--format", "github", "plans/acme.dealsync"], ["diff", "plans/acme.dealsync/2.0.0.json"],
            ["diff", "--format", "json", "plans/acme.dealsync/3.0.0.json"],
            ["diff", "--format", "markdown", "plans/acme.dealsync/2.0.0.json"],
            ["graph", "--format", "json", "plans/acme.dealsync/3.0.0.json"],
            ["graph", "--format", "dot", "plans/acme.dealsync/3.0.0.json"],
            ["explain"], ["explain", "B24P305"], ["explain", "--format", "json", "B24P001"], ["schema", "plan"], ["schema", "diff"],
            ["catalogue", "--format", "json"], ["catalogue", "events"], ["status"], ["status", "--format", "json"],
            ["status", "--portals", "--format", "json", "plans/acme.dealsync/1.1.0.json"], ["log", "--format", "json"], ["log"],
            ["report", "--format", "json"], ["report", "--format", "html"], ["--version"], ["--help"],
        ]
        for command in commands {
            let plain = try workspace.run(command)
            let hostile = try workspace.run(command, environment: garbage)
            #expect(plain.code == hostile.code, "\(command): exit \(plain.code) / \(hostile.code): \(hostile.stderr)")
            #expect(plain.stdout == hostile.stdout, "\(command): the same output")
            #expect(plain.stderr == hostile.stderr, "\(command): \(plain.stderr) / \(hostile.stderr)")
            #expect(hostile.code != 64, "\(command): \(hostile.stderr)")
        }
    }

    @Test("migrate on a SQLite store needs no database client library (the variables name garbage)")
    func sqliteWorkWithoutClientLibraries() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let garbage = ["B24PLAN_LIBPQ": "/dev/zero", "B24PLAN_LIBMARIADB": "/dev/zero"]
        let migrate = try workspace.run(
            ["migrate", "plans/acme.dealsync/3.0.0.json", "--database", "sqlite:copy.db"], environment: garbage)
        #expect(migrate.code == 0, "\(migrate.stdout)\(migrate.stderr)")
        #expect(!migrate.stderr.contains("cannot load"), "\(migrate.stderr)")
    }

    // MARK: - Secrets

    @Test("a password given as a URL query parameter is never shown", arguments: ["postgres", "mysql"])
    func queryPasswordHidden(scheme: String) throws {
        let folder = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for variables in [[:], ["B24PLAN_LIBPQ": "/nonexistent/libpq.so.5", "B24PLAN_LIBMARIADB": "/nonexistent/libmariadb.so.3"]] {
            let output = try CLIRunner.run(
                ["status", "--database", "\(scheme)://probe@127.0.0.1:1/heldout?password=QueryS3cret"], in: folder,
                environment: variables.merging(["B24PLAN_DATABASE_URL": ""]) { _, new in new })
            #expect(output.code == 64, "\(output.stderr)")
            #expect(!(output.stdout + output.stderr).contains("QueryS3cret"), "\(scheme): \(output.stderr)")
        }
    }
}

/// `--format json` written by the new encoder: byte for byte what Foundation's JSONEncoder wrote
/// before. The expected files in Tests/Fixtures/json-identity/expected were written by the binary
/// before the change (b24plan-base) from the plans beside them: control characters, DEL and C1
/// controls in keys and values, lone surrogates escaped in the input, emoji, a long string, numbers
/// such as -0, 1E2, 0.1, 123456789012345678901234 and 5e-324, nesting 120 levels deep, keys whose
/// orders differ (case, digits, scalars), duplicate keys and 1e400 (lint findings).
@Suite("JSON output identity (held out)")
struct JSONOutputIdentityHeldOutTests {
    static let fixture = CLIRunner.packageRoot.appendingPathComponent("Tests/Fixtures/json-identity")

    struct Case: Sendable, CustomStringConvertible {
        let expected: String
        let arguments: [String]
        var description: String { expected }
    }

    static let cases = [
        Case(expected: "lint-next.json", arguments: ["lint", "--format", "json", "next.json"]),
        Case(expected: "lint-bad.json", arguments: ["lint", "--format", "json", "bad.json"]),
        Case(expected: "lint-folder.json", arguments: ["lint", "--format", "json", "."]),
        Case(expected: "lint-bad.sarif", arguments: ["lint", "--format", "sarif", "bad.json"]),
        Case(expected: "lint-bad.gitlab.json", arguments: ["lint", "--format", "gitlab", "bad.json"]),
        Case(expected: "diff-next.json", arguments: ["diff", "--format", "json", "next.json"]),
        Case(expected: "diff-back.json", arguments: ["diff", "--format", "json", "--against", "next.json", "1.0.1.json"]),
        Case(expected: "graph-next.json", arguments: ["graph", "--format", "json", "next.json"]),
    ]

    @Test("the bytes Foundation's JSONEncoder wrote for hostile plans", arguments: cases)
    func sameBytes(_ test: Case) throws {
        let folder = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plans = folder.appendingPathComponent("plan")
        try FileManager.default.copyItem(at: Self.fixture.appendingPathComponent("plan"), to: plans)
        let output = try CLIRunner.run(test.arguments, in: plans, environment: ["B24PLAN_DATABASE_URL": ""])
        let expected = try Data(contentsOf: Self.fixture.appendingPathComponent("expected/\(test.expected)"))
        let actual = Data(output.stdout.utf8)
        if actual != expected {
            let at = zip(actual, expected).prefix { $0 == $1 }.count
            let context = { (data: Data) in String(decoding: data.dropFirst(max(0, at - 80)).prefix(200), as: UTF8.self) }
            Issue.record(
                "\(test.expected): first difference at byte \(at) of \(expected.count)\nexpected: \(context(expected))\nactual:   \(context(actual))"
            )
        }
        #expect(output.code < 64, "\(output.stderr)")
    }

    @Test("the text diff of options with canonically equivalent keys is the same on every run (output order is deterministic)")
    func deterministicOptionOrder() throws {
        let folder = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plans = folder.appendingPathComponent("plan")
        try FileManager.default.createDirectory(at: plans, withIntermediateDirectories: true)
        for name in ["1.0.1.json", "migrations"] {
            try FileManager.default.copyItem(
                at: Self.fixture.appendingPathComponent("plan/\(name)"), to: plans.appendingPathComponent(name))
        }
        let published = try String(contentsOf: plans.appendingPathComponent("1.0.1.json"), encoding: .utf8)
        var next = published.replacingOccurrences(of: "\"version\": \"1.0.1\"", with: "\"version\": \"2.0.0\"")
        let title = try #require(next.range(of: "\"title\": \"DealSync\","))
        next.replaceSubrange(
            title, with: "\"options\": {\"e\\u0301\": 1, \"\\u00e9a\": 2, \"\\u212b\": 3, \"\\u00c5a\": 4}, \"title\": \"DealSync\",")
        try next.write(to: plans.appendingPathComponent("order.json"), atomically: true, encoding: .utf8)
        var outputs: Set<String> = []
        for format in ["text", "markdown", "json"] {
            outputs = []
            for _ in 0..<8 {
                let output = try CLIRunner.run(
                    ["diff", "--format", format, "order.json"], in: plans, environment: ["B24PLAN_DATABASE_URL": ""])
                #expect(output.code == 0, "\(output.stderr)")
                outputs.insert(output.stdout)
            }
            #expect(outputs.count == 1, "diff --format \(format) printed \(outputs.count) different outputs in 8 runs")
        }
    }
}
