import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The real file system, through Foundation (and `realpath(3)` for canonical paths).
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

    public func canonicalPath(_ path: String) throws -> String {
        guard let resolved = realpath(path.isEmpty ? "." : path, nil) else {
            throw FileSystemError(path: path, reason: Self.reason(errno))
        }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    public func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path.isEmpty ? "." : path)
    }

    /// The phrase for a failed `realpath`, worded like `read`'s reasons.
    private static func reason(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "no such file"
        case EACCES: return "cannot be read (permission denied)"
        case ENOTDIR: return "a folder on its path is a file"
        case ELOOP: return "too many levels of symbolic links"
        default: return String(cString: strerror(code))
        }
    }
}
