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
        let opened: (descriptor: Int32, size: Int)
        do {
            opened = try openRegularFile(path, flags: 0)
        } catch {
            throw error.error
        }
        defer { close(opened.descriptor) }
        return try Self.readAll(opened.descriptor, size: opened.size, path: path)
    }

    /// Opens the path with `O_NOFOLLOW`: a symbolic link (or any failure to open) is `.unavailable`,
    /// so that the caller resolves it; four system calls per file (open, fstat, read, close)
    /// instead of `realpath`'s one `readlink` per component and the read's own.
    public func readUnlinked(_ path: String) -> UnlinkedRead {
        do {
            let (descriptor, size) = try openRegularFile(path, flags: O_NOFOLLOW)
            defer { close(descriptor) }
            return .bytes(try Self.readAll(descriptor, size: size, path: path))
        } catch let error as OpenFailure {
            return error.opened ? .failed(error.error) : .unavailable
        } catch let error as FileSystemError {
            return .failed(error)
        } catch {
            return .failed(FileSystemError(path: path, reason: "\(error)"))
        }
    }

    /// The bytes of an open regular file of `size` bytes (by `fstat`): read straight into the
    /// array, one byte more than the size to see the end in one call (a regular file reads short
    /// only at its end); a file that grew meanwhile grows the array. No larger minimum: a page per
    /// small migration file was a page fault each.
    private static func readAll(_ descriptor: Int32, size: Int, path: String) throws -> [UInt8] {
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
                    let wanted = buffer.count - total
                    let count = readDescriptor(descriptor, buffer.baseAddress! + total, wanted)
                    if count < 0 {
                        if errno == EINTR { continue }
                        failure = errno
                        break
                    }
                    total += count
                    if count < wanted {
                        reachedEnd = true
                        break
                    }
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
            close(try openRegularFile(path, flags: 0).descriptor)
            return nil
        } catch {
            return error.error.reason
        }
    }

    /// A failure of `openRegularFile`: `opened` when `open` succeeded (the file is no regular one,
    /// or `fstat` failed), false when `open` itself failed.
    private struct OpenFailure: Error {
        var error: FileSystemError
        var opened: Bool
    }

    /// An open descriptor of the regular file at `path` and its size in bytes, or why not. It stays
    /// non-blocking, which changes nothing for a regular file (reads of those never block on a writer).
    private func openRegularFile(_ path: String, flags: Int32) throws(OpenFailure) -> (descriptor: Int32, size: Int) {
        let descriptor = open(path.isEmpty ? "." : path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | flags)
        guard descriptor >= 0 else {
            throw OpenFailure(error: FileSystemError(path: path, reason: Self.reason(errno)), opened: false)
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let code = errno
            close(descriptor)
            throw OpenFailure(error: FileSystemError(path: path, reason: Self.reason(code)), opened: true)
        }
        let type = status.st_mode & S_IFMT
        guard type == S_IFREG else {
            close(descriptor)
            throw OpenFailure(error: FileSystemError(path: path, reason: Self.kindReason(type)), opened: true)
        }
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
