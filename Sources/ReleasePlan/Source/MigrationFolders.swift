/// The canonical paths of the folders holding a plan's migration files, found once for many files
/// (`MigrationFileResolver.canonicalFolders(of:)`): a file in a known folder that is no symbolic
/// link is then read without resolving its path. Only folders inside the project are kept, so a
/// file read from one (no link) is inside the project too.
public struct MigrationFolders: Sendable, Equatable {
    /// For files written as plain relative paths (`migrations/0001.sql`: ASCII, without `.`, `..`
    /// or empty components), which stay below the plan's folder: by the folder part as written
    /// ("" for a file beside the plan).
    var byWrittenFolder: [String: String] = [:]
    /// For any other file: by the folder of the path joined with the plan's folder.
    var byJoinedFolder: [String: String] = [:]

    /// Whether `file` is written as a plain relative path (see `byWrittenFolder`).
    static func isPlainRelative(_ file: String) -> Bool {
        !file.hasPrefix("/") && FilePath.isNormal(file)
    }
}
