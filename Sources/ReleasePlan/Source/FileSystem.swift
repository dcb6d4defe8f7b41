import Foundation

/// The only way the core reads files: a protocol, so tests and `explain` examples run in memory.
public protocol FileSystem: Sendable {
    /// The bytes of the file at `path`; throws `FileSystemError` when it cannot be read.
    func read(_ path: String) throws -> [UInt8]
    /// The names of the entries of a directory (not recursive), or an error.
    func list(_ directory: String) throws -> [String]
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

/// The real file system, through Foundation.
public struct LocalFileSystem: FileSystem {
    public init() {}

    public func read(_ path: String) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw FileSystemError(path: path, reason: "no such file")
        }
        if isDirectory.boolValue { throw FileSystemError(path: path, reason: "is a directory") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FileSystemError(path: path, reason: "cannot be read (permission denied?)")
        }
        return [UInt8](data)
    }

    public func list(_ directory: String) throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory)
        } catch {
            throw FileSystemError(path: directory, reason: "cannot list the directory")
        }
    }
}

/// Files held in memory, keyed by path: for tests and for `explain` examples.
public struct InMemoryFileSystem: FileSystem {
    public var files: [String: [UInt8]]

    public init(_ files: [String: String] = [:]) {
        self.files = files.mapValues { Array($0.utf8) }
    }

    public func read(_ path: String) throws -> [UInt8] {
        guard let bytes = files[FilePath.normalize(path)] else {
            throw FileSystemError(path: path, reason: "no such file")
        }
        return bytes
    }

    public func list(_ directory: String) throws -> [String] {
        let prefix = directory.isEmpty || directory == "." ? "" : FilePath.normalize(directory) + "/"
        return files.keys.compactMap { key in
            guard key.hasPrefix(prefix) else { return nil }
            let rest = key.dropFirst(prefix.count)
            return rest.contains("/") ? nil : String(rest)
        }.sorted()
    }
}
