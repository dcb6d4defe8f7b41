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

    /// Whether a plain relative path joins the plan's folder by concatenation (`FilePath.join`
    /// would change nothing): the plan's folder is itself normal and not `/`.
    private let joinsByConcatenation: Bool

    public init(fileSystem: any FileSystem, planDirectory: String) {
        self.fileSystem = fileSystem
        self.planDirectory = planDirectory
        self.joinsByConcatenation = FilePath.isNormal(planDirectory) && planDirectory != "/"
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
        let (path, root) = try pathInsideByName(file)
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

    /// The plan's folder joined with `file`, and the project root, when `file` is relative and
    /// stays inside the project by name (nothing outside is touched to find out).
    private func pathInsideByName(_ file: String) throws(MigrationFileError) -> (path: String, root: String) {
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
        return (path, root)
    }

    /// The bytes of `file`, named by its joined path; refused files are not read.
    public func read(_ file: String) throws(MigrationFileError) -> SourceFile {
        try read(file, in: canonicalFolders(of: [file]))
    }

    /// The canonical path of each folder holding one of `files` that stays inside the project by
    /// name, where it resolves: found once for many files.
    public func canonicalFolders(of files: [String]) -> MigrationFolders {
        var folders = MigrationFolders()
        var unresolved: Set<String> = []
        for file in files {
            let written = MigrationFolders.isPlainRelative(file) ? FilePath.directory(of: file) : nil
            if let written, folders.byWrittenFolder[written] != nil || unresolved.contains("written:" + written) { continue }
            let folder = FilePath.directory(of: FilePath.join(planDirectory, file))
            if written == nil, folders.byJoinedFolder[folder] != nil || unresolved.contains(folder) { continue }
            // A plain relative path stays below the plan's folder; any other is checked by name first.
            guard written != nil || (try? pathInsideByName(file)) != nil else { continue }
            // A folder outside the project is left to `resolve` (a link inside may lead back in).
            guard let resolved = try? Self.canonical(folder.isEmpty ? "." : folder, in: fileSystem), let root = projectRoot,
                Self.isInside(resolved, root)
            else {
                unresolved.insert(written.map { "written:" + $0 } ?? folder)
                continue
            }
            if let written { folders.byWrittenFolder[written] = resolved } else { folders.byJoinedFolder[folder] = resolved }
        }
        return folders
    }

    /// `read(_:)` given `canonicalFolders(of:)`: a file that is no symbolic link, in a folder whose
    /// canonical path is known and inside the project, is read by that path and its name without
    /// resolving it again (`FileSystem.readUnlinked`); any other is resolved first, as `resolve` does.
    public func read(_ file: String, in folders: MigrationFolders) throws(MigrationFileError) -> SourceFile {
        let path: String
        let folder: String?
        if MigrationFolders.isPlainRelative(file), case .success = self.folders {
            // Below the plan's folder, which is inside the project: no check by name needed.
            path = joinsByConcatenation ? planDirectory + "/" + file : FilePath.join(planDirectory, file)
            folder = folders.byWrittenFolder[FilePath.directory(of: file)]
        } else {
            path = try pathInsideByName(file).path
            folder = folders.byJoinedFolder[FilePath.directory(of: path)]
        }
        let name = FilePath.fileName(of: path)
        // The folder is inside the project, so is a file in it that is no link: no check needed.
        if name != ".", name != "..", let folder {
            switch fileSystem.readUnlinked(folder == "/" ? "/" + name : folder + "/" + name) {
            case .bytes(let bytes): return SourceFile(path: path, bytes: bytes)
            case .failed(let error): throw .unreadable(file: file, reason: error.reason)
            case .unavailable: break
            }
        }
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
        if FilePath.isNormal(path), FilePath.isNormal(root) {
            // ASCII, where bytes are characters: compared without building `root + "/"`.
            return root == "/" || Self.hasFolderPrefix(path.utf8, root.utf8)
        }
        let path = FilePath.normalize(path)
        let root = FilePath.normalize(root)
        return root == "/" || path == root || path.hasPrefix(root + "/")
    }

    /// Whether `path` is `root` or starts with `root` and a slash.
    private static func hasFolderPrefix(_ path: String.UTF8View, _ root: String.UTF8View) -> Bool {
        guard path.count >= root.count, path.starts(with: root) else { return false }
        return path.count == root.count || path[path.index(path.startIndex, offsetBy: root.count)] == UInt8(ascii: "/")
    }
}
