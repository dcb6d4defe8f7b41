import Foundation

/// Keeps `.b24plan/` (the default state store, which holds the installations' tokens when the app's
/// table lives there) out of git: `init` appends it to the working directory's `.gitignore`.
/// The file is handled as bytes: one that is not UTF-8, or has a byte-order mark or CRLF line
/// ends, keeps every byte it had.
enum GitIgnoreEntry {
    static let stateFolder = ".b24plan/"

    /// Lines that already ignore the folder: `.b24plan`, `/.b24plan`, `**/.b24plan`, each with or
    /// without a trailing `/`, `/*` or `/**` (surrounding blanks and a CR ignored).
    static func ignoresStateFolder(_ line: [UInt8]) -> Bool {
        var text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        for prefix in ["**/", "/"] where text.hasPrefix(prefix) { text.removeFirst(prefix.count) }
        for suffix in ["/**", "/*", "/"] where text.hasSuffix(suffix) {
            text.removeLast(suffix.count)
            break
        }
        return text == ".b24plan"
    }

    /// `bytes` with the entry appended on a line of its own (in the file's line-end style), or nil
    /// when a line already ignores the folder.
    static func adding(to bytes: [UInt8]) -> [UInt8]? {
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.contains(where: { ignoresStateFolder(Array($0)) }) { return nil }
        let crlf = bytes.contains(UInt8(ascii: "\r")) && bytes.firstRange(of: [UInt8(ascii: "\r"), UInt8(ascii: "\n")]) != nil
        let newline: [UInt8] = crlf ? [UInt8(ascii: "\r"), UInt8(ascii: "\n")] : [UInt8(ascii: "\n")]
        var result = bytes
        if !result.isEmpty && result.last != UInt8(ascii: "\n") { result += newline }
        return result + Array(stateFolder.utf8) + newline
    }

    /// Appends the entry to `.gitignore` in `folder` (creating the file); whether it wrote. A file
    /// that cannot be read or written throws a one-sentence error.
    static func ensure(in folder: String = FileManager.default.currentDirectoryPath) throws -> Bool {
        let path = URL(fileURLWithPath: folder).appendingPathComponent(".gitignore").path
        var bytes: [UInt8] = []
        if FileManager.default.fileExists(atPath: path) {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw GitIgnoreError(message: "cannot read \(path): add \(stateFolder) to it yourself")
            }
            bytes = [UInt8](data)
        }
        guard let updated = adding(to: bytes) else { return false }
        // Appended in place (through a symbolic link too), never rewritten: every byte stays.
        let suffix = Data(updated[bytes.count...])
        do {
            if let handle = FileHandle(forWritingAtPath: path) {
                defer { try? handle.close() }
                try handle.seekToEnd()
                try handle.write(contentsOf: suffix)
            } else {
                try suffix.write(to: URL(fileURLWithPath: path))
            }
        } catch {
            throw GitIgnoreError(message: "cannot write \(path): add \(stateFolder) to it yourself")
        }
        return true
    }

    struct GitIgnoreError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
