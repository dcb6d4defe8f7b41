import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The real file system, through POSIX `open(2)`/`read(2)`, Foundation for listing, and
/// `realpath(3)` for canonical paths.
public struct LocalFileSystem: FileSystem {
    public init() {}

    /// Reads a regular file only: a FIFO, a device or a folder is refused without waiting for a
    /// writer (the file is opened non-blocking and checked with `fstat` before any read).
    public func read(_ path: String) throws -> [UInt8] {
        let (descriptor, size) = try openRegularFile(path)
        defer { close(descriptor) }
        // Read straight into the array, sized by fstat (one byte more, to see the end in one call);
        // a file that grew meanwhile grows the array. No larger minimum: a page per small
        // migration file was a page fault each.
        var bytes: [UInt8] = []
        var capacity = max(size + 1, 64)
        while true {
            let filled = bytes.count
            var failure: Int32 = 0
            var reachedEnd = false
            bytes.reserveCapacity(capacity)
            bytes.append(contentsOf: repeatElement(0, count: capacity - filled))
            let total = bytes.withUnsafeMutableBytes { buffer -> Int in
                var total = filled
                while total < buffer.count {
                    let count = readDescriptor(descriptor, buffer.baseAddress! + total, buffer.count - total)
                    if count < 0 {
                        if errno == EINTR { continue }
                        failure = errno
                        break
                    }
                    if count == 0 {
                        reachedEnd = true
                        break
                    }
                    total += count
                }
                return total
            }
            bytes.removeSubrange(total...)
            if failure != 0 { throw FileSystemError(path: path, reason: Self.reason(failure)) }
            if reachedEnd { return bytes }
            capacity *= 2
        }
    }

    /// Why `path` cannot be read as a plan or migration file ("no such file", "is a directory",
    /// "permission denied", "is not a regular file (a FIFO)"), or nil when it can; reads nothing.
    public func unreadableReason(_ path: String) -> String? {
        do {
            close(try openRegularFile(path).descriptor)
            return nil
        } catch {
            return error.reason
        }
    }

    /// An open descriptor of the regular file at `path` (blocking mode restored) and its size in
    /// bytes, or why not.
    private func openRegularFile(_ path: String) throws(FileSystemError) -> (descriptor: Int32, size: Int) {
        let descriptor = open(path.isEmpty ? "." : path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileSystemError(path: path, reason: Self.reason(errno)) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let code = errno
            close(descriptor)
            throw FileSystemError(path: path, reason: Self.reason(code))
        }
        let type = status.st_mode & S_IFMT
        guard type == S_IFREG else {
            close(descriptor)
            throw FileSystemError(path: path, reason: Self.kindReason(type))
        }
        let flags = fcntl(descriptor, F_GETFL)
        if flags >= 0 { _ = fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK) }
        return (descriptor, Int(status.st_size))
    }

    /// The phrase for a file that is not a regular one.
    private static func kindReason(_ type: mode_t) -> String {
        switch type {
        case S_IFDIR: return "is a directory"
        case S_IFIFO: return "is not a regular file (a FIFO)"
        case S_IFSOCK: return "is not a regular file (a socket)"
        case S_IFCHR, S_IFBLK: return "is not a regular file (a device)"
        default: return "is not a regular file"
        }
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

    /// The phrase for a failed `open`, `read` or `realpath`.
    private static func reason(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "no such file"
        case EACCES, EPERM: return "permission denied"
        case EISDIR: return "is a directory"
        case ENOTDIR: return "a folder on its path is a file"
        case ELOOP: return "too many levels of symbolic links"
        default: return String(cString: strerror(code))
        }
    }
}

/// `read(2)` (a free function, because `LocalFileSystem.read` hides the C name inside the type).
private func readDescriptor(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
        return Glibc.read(descriptor, buffer, count)
    #elseif canImport(Musl)
        return Musl.read(descriptor, buffer, count)
    #else
        return Darwin.read(descriptor, buffer, count)
    #endif
}
