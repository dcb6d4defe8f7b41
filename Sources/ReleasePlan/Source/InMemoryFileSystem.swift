/// Files held in memory, keyed by path: for tests and for `explain` examples.
///
/// Relative paths are relative to a working folder at `/`, so `plans/a.json` and `/plans/a.json`
/// name the same file. Folders exist where files are; `symlinks` adds symbolic links, which
/// `read`, `canonicalPath` and `exists` follow as the real file system does.
public struct InMemoryFileSystem: FileSystem {
    public var files: [String: [UInt8]]
    /// Symbolic links: the link's path to its target (absolute, or relative to the link's folder).
    public var symlinks: [String: String]

    public init(_ files: [String: String] = [:], symlinks: [String: String] = [:]) {
        self.files = files.mapValues { Array($0.utf8) }
        self.symlinks = symlinks
    }

    public func read(_ path: String) throws -> [UInt8] {
        if let bytes = files[FilePath.normalize(path)], symlinks.isEmpty { return bytes }
        let canonical = try canonicalPath(path)
        guard let bytes = file(at: canonical) else {
            throw FileSystemError(path: path, reason: "is a directory")
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

    public func canonicalPath(_ path: String) throws -> String {
        var resolved: [Substring] = []
        var pending = Self.absolute(path).split(separator: "/")[...]
        var hops = 0
        while let part = pending.popFirst() {
            if part == "." { continue }
            if part == ".." {
                _ = resolved.popLast()
                continue
            }
            let candidate = "/" + (resolved + [part]).joined(separator: "/")
            if let target = link(at: candidate) {
                hops += 1
                guard hops <= 40 else { throw FileSystemError(path: path, reason: "too many levels of symbolic links") }
                if target.hasPrefix("/") { resolved = [] }
                pending = target.split(separator: "/") + pending
                continue
            }
            guard entryExists(candidate) else { throw FileSystemError(path: path, reason: "no such file") }
            resolved.append(part)
        }
        return "/" + resolved.joined(separator: "/")
    }

    public func exists(_ path: String) -> Bool {
        (try? canonicalPath(path)) != nil
    }

    /// `path` made absolute against the working folder `/` and normalised.
    static func absolute(_ path: String) -> String {
        FilePath.normalize(path.hasPrefix("/") ? path : "/" + path)
    }

    private func file(at absolutePath: String) -> [UInt8]? {
        files.first { Self.absolute($0.key) == absolutePath }?.value
    }

    private func link(at absolutePath: String) -> String? {
        symlinks.first { Self.absolute($0.key) == absolutePath }?.value
    }

    /// A file, a folder holding a file, or a link at an absolute path (links not followed).
    private func entryExists(_ absolutePath: String) -> Bool {
        if absolutePath == "/" { return true }
        let folder = absolutePath + "/"
        return files.keys.contains { Self.absolute($0) == absolutePath || Self.absolute($0).hasPrefix(folder) }
            || symlinks.keys.contains { Self.absolute($0).hasPrefix(folder) } || link(at: absolutePath) != nil
    }
}
