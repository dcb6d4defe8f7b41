import Foundation
import ReleasePlan

/// Absolute, physical paths for saved plans (the core's `FilePath` is pure and knows no working
/// directory): a saved plan stores its inputs relative to its own folder, resolved through symlinks.
enum LocalPath {
    /// The working directory (physical, as getcwd reports it).
    static var workingDirectory: String { FileManager.default.currentDirectoryPath }

    /// The folder `path` is in, absolute and with symlinks resolved ("." for a bare file name).
    static func folder(of path: String) -> String {
        let directory = FilePath.directory(of: path)
        return realDirectory(directory.isEmpty ? "." : directory)
    }

    /// `path` made absolute through its folder's real path. The file itself is not followed: a
    /// plan's migrations are relative to the folder it was read from, even when it is a symlink.
    static func physical(_ path: String) -> String {
        FilePath.join(folder(of: path), FilePath.fileName(of: path))
    }

    /// `directory` absolute with symlinks resolved; lexically joined to the working directory when
    /// it does not exist.
    static func realDirectory(_ directory: String) -> String {
        guard let resolved = realpath(directory, nil) else { return FilePath.join(workingDirectory, directory) }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// How to show an absolute path: relative to the working directory when it is below it.
    static func display(_ path: String) -> String {
        let base = workingDirectory.hasSuffix("/") ? workingDirectory : workingDirectory + "/"
        return path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path
    }
}
