import Foundation

/// The only way the core reads files: a protocol, so tests and `explain` examples run in memory.
public protocol FileSystem: Sendable {
    /// The bytes of the file at `path`; throws `FileSystemError` when it cannot be read.
    func read(_ path: String) throws -> [UInt8]
    /// The names of the entries of a directory (not recursive), or an error.
    func list(_ directory: String) throws -> [String]
    /// The absolute path of `path` with `.`, `..` and every symbolic link resolved (POSIX `realpath`);
    /// throws `FileSystemError` when `path` or a link on the way does not exist.
    func canonicalPath(_ path: String) throws -> String
    /// Whether anything (a file, a folder) is at `path`, following symbolic links. `.git` is a folder
    /// in a clone and a file in a worktree, so this is not a folder check.
    func exists(_ path: String) -> Bool
}

/// Why a file could not be read.
public struct FileSystemError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}
