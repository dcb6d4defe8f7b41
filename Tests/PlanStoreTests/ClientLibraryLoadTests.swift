import PlanStore
import Testing

@Suite("client libraries: loading")
struct ClientLibraryLoadTests {
    @Test("each client library loads from its usual file names, and again at no cost", arguments: ClientLibrary.allCases)
    func loads(library: ClientLibrary) throws {
        try library.load()
        try library.load()
    }

    @Test("the error names the library, what the loader said and the package to install")
    func message() {
        let error = ClientLibraryError(library: .mariadb, reason: "libmariadb.so.3: cannot open shared object file")
        #expect(
            error.description
                == "cannot load MariaDB Connector/C, the MySQL and MariaDB client library (libmariadb.so.3: cannot open shared object "
                + "file); install it, e.g. `apt-get install libmariadb3` on Debian or Ubuntu")
    }

    @Test("a file name with terminal escapes is printed escaped")
    func escapedReason() {
        let error = ClientLibraryError(library: .curl, reason: "/x\u{1B}[2J: cannot open shared object file")
        #expect(!error.description.contains("\u{1B}"))
        #expect(error.description.contains("/x\\u{1B}[2J"))
    }
}
