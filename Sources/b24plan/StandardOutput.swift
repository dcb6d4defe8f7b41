import Foundation

/// Writes to standard output with `write(2)` and remembers the first failure (a full disk, a closed
/// file), so a command whose output was lost does not exit 0 as if it had been written.
final class StandardOutput: @unchecked Sendable {
    static let shared = StandardOutput()

    private let lock = NSLock()
    private var failure: Int32?

    /// The `errno` of the first failed write, if any.
    var failedErrno: Int32? { lock.withLock { failure } }

    func write(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        lock.lock()
        defer { lock.unlock() }
        guard failure == nil else { return }
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { buffer in
                Foundation.write(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                failure = errno
                return
            }
            offset += written
        }
    }
}
