import Foundation
import Testing

/// libpq, MariaDB Connector/C and libcurl are loaded when a command first needs them: commands that
/// reach no server run without them, and one that needs a missing library says so in one sentence,
/// exit 64, before anything runs (README: install).
@Suite("client libraries loaded on demand", .serialized)
struct ClientLibraryTests {
    /// Every client library named by a file that does not exist.
    static let missing = [
        "B24PLAN_LIBPQ": "/nonexistent/libpq.so.5", "B24PLAN_LIBMARIADB": "/nonexistent/libmariadb.so.3",
        "B24PLAN_LIBCURL": "/nonexistent/libcurl.so.4",
    ]

    @Test(
        "lint, diff, explain and status run without the client libraries, printing what they print with them",
        arguments: [
            ["lint", "plans/acme.dealsync/1.1.0.json"], ["diff", "plans/acme.dealsync/1.1.0.json"],
            ["diff", "--format", "json", "plans/acme.dealsync/2.0.0.json"], ["explain", "B24P301"], ["status"],
        ])
    func commandsWithoutServers(arguments: [String]) throws {
        let folder = try SetupChecksTests.Folder()
        defer { folder.remove() }
        let with = try folder.run(arguments)
        let without = try folder.run(arguments, environment: Self.missing)
        #expect(without.code == with.code, "\(without.stderr)")
        #expect(without.stdout == with.stdout)
        #expect(without.stderr == with.stderr)
        #expect(!with.stdout.isEmpty)
    }

    @Test("apply without libcurl: exit 64 naming libcurl and its package, before any step")
    func applyWithoutCurl() throws {
        let folder = try SetupChecksTests.Folder()
        defer { folder.remove() }
        let apply = try folder.run(["apply", "--yes", "plans/acme.dealsync/1.1.0.json"], environment: Self.missing)
        SetupChecksTests.expectOneSentence(apply, naming: ["cannot load libcurl", "/nonexistent/libcurl.so.4", "apt-get install libcurl4"])
        try folder.expectNothingRan()
    }

    @Test("a library that lacks a function b24plan calls is refused by name, before any step")
    func libraryWithoutTheFunctions() throws {
        let folder = try SetupChecksTests.Folder()
        defer { folder.remove() }
        let apply = try folder.run(
            ["apply", "--yes", "plans/acme.dealsync/1.1.0.json"], environment: ["B24PLAN_LIBCURL": "libsqlite3.so.0"])
        SetupChecksTests.expectOneSentence(
            apply, naming: ["cannot load libcurl", "libsqlite3.so.0 has no curl_", "another library, or too old a version"])
        try folder.expectNothingRan()
    }

    @Test(
        "a server state store without its client library: exit 64 naming the store and the library",
        arguments: [
            ("postgres://b24plan@127.0.0.1:1/state", "libpq, the PostgreSQL client library", "libpq5"),
            ("mysql://b24plan@127.0.0.1:1/state", "MariaDB Connector/C", "libmariadb3"),
        ])
    func storeWithoutLibrary(url: String, library: String, package: String) throws {
        let folder = try SetupChecksTests.Folder()
        defer { folder.remove() }
        let status = try folder.run(["status", "--database", url], environment: Self.missing)
        SetupChecksTests.expectOneSentence(
            status, naming: ["cannot open the state store", "cannot load \(library)", "apt-get install \(package)"])
    }

    /// A FIFO could block `dlopen` forever (and signals with it); a folder or a device is no library.
    @Test("a FIFO, a folder and a device named by B24PLAN_LIBPQ are refused without being opened")
    func pathsThatAreNoRegularFile() throws {
        let folder = try SetupChecksTests.Folder()
        defer { folder.remove() }
        let fifo = folder.url.appendingPathComponent("libpq.so.5").path
        #expect(mkfifo(fifo, 0o600) == 0)
        for path in [fifo, folder.url.path, "/dev/null"] {
            let status = try folder.run(["status", "--database", "postgres://u@127.0.0.1:1/x"], environment: ["B24PLAN_LIBPQ": path])
            SetupChecksTests.expectOneSentence(status, naming: ["cannot load libpq", "\(path): not a regular file"])
        }
    }
}
