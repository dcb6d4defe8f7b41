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
    /// The bytes of the file at the canonical folder path joined with one name, read without
    /// resolving that path again, when its last component is no symbolic link (see
    /// `UnlinkedRead`). The default answers `.unavailable`: the caller resolves and reads as usual.
    func readUnlinked(_ path: String) -> UnlinkedRead
}

extension FileSystem {
    public func readUnlinked(_ path: String) -> UnlinkedRead { .unavailable }
}

/// What `FileSystem.readUnlinked` found.
public enum UnlinkedRead: Sendable, Equatable {
    /// The file's bytes: its path was canonical as given.
    case bytes([UInt8])
    /// The file was opened but is no regular file or could not be read (the reason `read` gives).
    case failed(FileSystemError)
    /// A symbolic link, a missing file, or no fast way: resolve the path and read it instead, for
    /// the same answer and the same messages.
    case unavailable
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
