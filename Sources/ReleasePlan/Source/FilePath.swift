/// Small, pure path helpers (POSIX separators) so the core does not depend on the process's state.
public enum FilePath {
    /// The directory part of a path ("" for a bare file name).
    public static func directory(of path: String) -> String {
        guard let slash = lastSlash(in: path) else { return "" }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// The last component of a path.
    public static func fileName(of path: String) -> String {
        guard let slash = lastSlash(in: path) else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// The last `/` of a path as a character; an ASCII path (where bytes are characters) is
    /// searched byte by byte, without breaking it into characters (lint splits 2,000 paths).
    private static func lastSlash(in path: String) -> String.Index? {
        // The byte offset of the last slash (itself nil when there is none), or nil for a path
        // that is not ASCII (or not stored contiguously): then characters are searched.
        let asciiSlash: Int?? =
            path.utf8.withContiguousStorageIfAvailable { bytes -> Int?? in
                var slash: Int?
                for index in bytes.indices {
                    guard bytes[index] < 0x80 else { return nil }
                    if bytes[index] == UInt8(ascii: "/") { slash = index }
                }
                return .some(slash)
            } ?? nil
        guard let found = asciiSlash else { return path.lastIndex(of: "/") }
        return found.map { path.utf8.index(path.utf8.startIndex, offsetBy: $0) }
    }

    /// `relative` resolved against `directory`, normalised; absolute paths are returned normalised.
    public static func join(_ directory: String, _ relative: String) -> String {
        if relative.hasPrefix("/") || directory.isEmpty { return normalize(relative) }
        return normalize(directory + "/" + relative)
    }

    /// Removes `.` components and folds `x/..`, keeping leading `..` of relative paths.
    public static func normalize(_ path: String) -> String {
        if isNormal(path) { return path }
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
            } else if part == "..", absolute, parts.isEmpty {
                continue
            } else {
                parts.append(part)
            }
        }
        let joined = parts.joined(separator: "/")
        if absolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// Whether `normalize` would return `path` unchanged: ASCII (so bytes are characters), not
    /// empty, no empty, `.` or `..` component, no trailing slash (except `/` itself). Reads bytes
    /// only: lint normalises every migration's path several times.
    static func isNormal(_ path: String) -> Bool {
        path.utf8.withContiguousStorageIfAvailable(isNormal) ?? false
    }

    private static func isNormal(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        guard !bytes.isEmpty, bytes.allSatisfy({ $0 < 0x80 }) else { return false }
        if bytes.count == 1 && bytes[0] == slash { return true }
        var start = bytes[0] == slash ? 1 : 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != slash { end += 1 }
            let length = end - start
            if length == 0 { return false }
            if bytes[start] == dot && (length == 1 || (length == 2 && bytes[start + 1] == dot)) { return false }
            start = end + 1
        }
        return true
    }

    /// `path` written relative to `directory`, both taken as normalised: `../plans/a.json` for
    /// `/w/plans/a.json` from `/w/out`. Nil when there is no such path: one is absolute and the
    /// other not, or `directory` climbs out (`..`) further than `path` does.
    public static func relative(_ path: String, from directory: String) -> String? {
        let target = normalize(path), base = normalize(directory)
        guard target.hasPrefix("/") == base.hasPrefix("/") else { return nil }
        let targetParts = target.split(separator: "/").filter { $0 != "." }
        let baseParts = base.split(separator: "/").filter { $0 != "." }
        var common = 0
        while common < targetParts.count, common < baseParts.count, targetParts[common] == baseParts[common] { common += 1 }
        guard !baseParts[common...].contains("..") else { return nil }
        let parts = Array(repeating: Substring(".."), count: baseParts.count - common) + targetParts[common...]
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }
}
