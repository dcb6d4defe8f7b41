/// Where a plan's migration files are, and which of them b24plan may read: `lint` and `apply` both
/// ask it, so what lint accepted is what apply runs.
///
/// A migration `file` is relative to the plan's folder and must stay inside the project, also after
/// symbolic links are resolved. The project is the nearest folder above the plan file holding `.git`
/// (a folder in a clone, a file in a worktree), else the parent of the plan's folder. A refused file
/// is never read.
public struct MigrationFileResolver: Sendable {
    public let fileSystem: any FileSystem
    /// The folder of the plan file as given ("" for the current folder).
    public let planDirectory: String
    /// The canonical paths of the plan's folder and of the project, or why they could not be found.
    private let folders: Result<Folders, FileSystemError>

    private struct Folders: Sendable {
        var plan: String
        var project: String
    }

    public init(fileSystem: any FileSystem, planDirectory: String) {
        self.fileSystem = fileSystem
        self.planDirectory = planDirectory
        self.folders = Result { () throws(FileSystemError) -> Folders in
            let plan = try Self.canonical(planDirectory.isEmpty ? "." : planDirectory, in: fileSystem)
            return Folders(plan: plan, project: Self.projectRoot(ofCanonical: plan, in: fileSystem))
        }
    }

    /// A migration file that may be read.
    public struct Resolved: Sendable, Equatable {
        /// The plan's folder joined with `file`, normalised: how diagnostics and saved plans name it.
        public var path: String
        /// `path` with symbolic links resolved: what is read.
        public var canonicalPath: String
    }

    /// The canonical path of the project folder migration files must stay in.
    public var projectRoot: String? { try? folders.get().project }

    /// Where `file` (as the plan gives it) is, or why it may not be read. Reads no file's bytes.
    public func resolve(_ file: String) throws(MigrationFileError) -> Resolved {
        let path = FilePath.join(planDirectory, file)
        let folders: Folders
        do {
            folders = try self.folders.get()
        } catch {
            throw .unreadable(file: file, reason: PlanMessages.projectRootUnknown(error.reason))
        }
        let root = folders.project
        if file.hasPrefix("/") { throw .absolute(file: file, projectRoot: root) }
        // Checked by name first (nothing outside is touched), then with the links resolved.
        guard Self.isInside(FilePath.join(folders.plan, file), root) else {
            throw .outsideProject(file: file, projectRoot: root)
        }
        let canonical: String
        do {
            canonical = try Self.canonical(path, in: fileSystem)
        } catch {
            throw .unreadable(file: file, reason: error.reason)
        }
        guard Self.isInside(canonical, root) else {
            throw .linksOutsideProject(file: file, target: canonical, projectRoot: root)
        }
        return Resolved(path: path, canonicalPath: canonical)
    }

    /// The bytes of `file`, named by its joined path; refused files are not read.
    public func read(_ file: String) throws(MigrationFileError) -> SourceFile {
        let resolved = try resolve(file)
        do {
            return SourceFile(path: resolved.path, bytes: try fileSystem.read(resolved.canonicalPath))
        } catch {
            throw .unreadable(file: file, reason: (error as? FileSystemError)?.reason ?? "\(error)")
        }
    }

    /// `fileSystem.canonicalPath(path)` with its error as a `FileSystemError`.
    private static func canonical(_ path: String, in fileSystem: any FileSystem) throws(FileSystemError) -> String {
        do {
            return try fileSystem.canonicalPath(path)
        } catch let error as FileSystemError {
            throw error
        } catch {
            throw FileSystemError(path: path, reason: "\(error)")
        }
    }

    /// The nearest folder from the plan's folder upwards holding `.git`, else the plan folder's parent.
    private static func projectRoot(ofCanonical planFolder: String, in fileSystem: any FileSystem) -> String {
        var folder = planFolder
        while true {
            if fileSystem.exists(FilePath.join(folder, ".git")) { return folder }
            if folder == "/" { break }
            folder = FilePath.directory(of: folder)
        }
        return FilePath.directory(of: planFolder)
    }

    /// Whether the absolute `path` is `root` or below it (component-wise, so /ab is not inside /a).
    static func isInside(_ path: String, _ root: String) -> Bool {
        let path = FilePath.normalize(path)
        let root = FilePath.normalize(root)
        return root == "/" || path == root || path.hasPrefix(root + "/")
    }
}
