import CClientLibraries

/// A client library that b24plan loads when it first needs it (CClientLibraries), not at start:
/// lint, diff and the other commands that reach no server run without these libraries, and a
/// command that needs one missing says so in one sentence instead of the loader refusing to start.
public enum ClientLibrary: Sendable, CaseIterable {
    /// libpq, for `postgres://` state stores and app databases.
    case postgres
    /// MariaDB Connector/C, for `mysql://` and `mariadb://` ones.
    case mariadb
    /// libcurl, for every request to a portal, the OAuth server or a handler.
    case curl

    /// Loads the library if it is not loaded yet; throws, naming it and the package that has it,
    /// when it cannot be loaded or lacks a function b24plan calls. Cheap after the first call.
    public func load() throws(ClientLibraryError) {
        var message = [CChar](repeating: 0, count: 1024)
        guard b24_client_library_load(number, &message, message.count) != 0 else { return }
        let reason = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        throw ClientLibraryError(library: self, reason: reason)
    }

    /// What the library is, for a message.
    public var name: String {
        switch self {
        case .postgres: "libpq, the PostgreSQL client library"
        case .mariadb: "MariaDB Connector/C, the MySQL and MariaDB client library"
        case .curl: "libcurl, the HTTP client library"
        }
    }

    /// How to install it on Debian and Ubuntu.
    public var installHint: String {
        switch self {
        case .postgres: "`apt-get install libpq5` on Debian or Ubuntu"
        case .mariadb: "`apt-get install libmariadb3` on Debian or Ubuntu"
        case .curl: "`apt-get install libcurl4` on Debian or Ubuntu 22.04 (`libcurl4t64` on Ubuntu 24.04)"
        }
    }

    private var number: b24_client_library {
        switch self {
        case .postgres: B24_LIBRARY_LIBPQ
        case .mariadb: B24_LIBRARY_MARIADB
        case .curl: B24_LIBRARY_CURL
        }
    }
}
