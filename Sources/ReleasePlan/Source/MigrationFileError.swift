/// Why a migration file may not be read: B24P302 in `lint`, a refused step in `apply`.
public enum MigrationFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file does not exist or cannot be read (`reason` says which).
    case unreadable(file: String, reason: String)
    /// `file` is an absolute path.
    case absolute(file: String, projectRoot: String)
    /// `file` climbs out of the project with `..`.
    case outsideProject(file: String, projectRoot: String)
    /// `file` is inside the project but a symbolic link takes it to `target`, outside.
    case linksOutsideProject(file: String, target: String, projectRoot: String)

    /// The file as the plan gives it.
    public var file: String {
        switch self {
        case .unreadable(let file, _), .absolute(let file, _), .outsideProject(let file, _), .linksOutsideProject(let file, _, _):
            return file
        }
    }

    /// Whether the file was refused for where it is (rather than missing or unreadable).
    public var isOutsideProject: Bool {
        if case .unreadable = self { return false }
        return true
    }

    /// The message, from the catalogue.
    public var description: String {
        switch self {
        case .unreadable(let file, let reason): return PlanMessages.migrationFileUnreadable(file, reason: reason)
        case .absolute(let file, let root): return PlanMessages.migrationFileAbsolute(file, projectRoot: root)
        case .outsideProject(let file, let root): return PlanMessages.migrationFileOutsideProject(file, projectRoot: root)
        case .linksOutsideProject(let file, let target, let root):
            return PlanMessages.migrationFileLinksOutsideProject(file, target: target, projectRoot: root)
        }
    }
}
