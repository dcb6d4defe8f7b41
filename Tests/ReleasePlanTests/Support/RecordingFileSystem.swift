import Foundation

@testable import ReleasePlan

/// An in-memory file system that records the canonical path of every file whose bytes were read,
/// so a test can tell that lint never read a refused file.
struct RecordingFileSystem: FileSystem {
    final class Log: @unchecked Sendable {
        private let lock = NSLock()
        private var paths: [String] = []

        func append(_ path: String) { lock.withLock { paths.append(path) } }
        var reads: [String] { lock.withLock { paths } }
    }

    var inner: InMemoryFileSystem
    let log = Log()

    init(_ inner: InMemoryFileSystem) { self.inner = inner }

    /// Canonical paths read, in order.
    var reads: [String] { log.reads }

    func read(_ path: String) throws -> [UInt8] {
        log.append((try? inner.canonicalPath(path)) ?? path)
        return try inner.read(path)
    }

    func list(_ directory: String) throws -> [String] { try inner.list(directory) }
    func canonicalPath(_ path: String) throws -> String { try inner.canonicalPath(path) }
    func exists(_ path: String) -> Bool { inner.exists(path) }
}
