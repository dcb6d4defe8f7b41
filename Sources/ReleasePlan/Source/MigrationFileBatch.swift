/// A plan's migration files, each read once and hashed as it is read, on every core: a release
/// with 2,000 migrations reads 2,000 files, and most of the time per file is the system calls.
public struct MigrationFileBatch: Sendable {
    /// The files read, by index in the plan's `migrations`.
    public var files: [Int: SourceFile] = [:]
    /// Why a file could not be read or was refused, by index.
    public var errors: [Int: MigrationFileError] = [:]
    /// The SHA-256 (lowercase hex) of each file read, by index.
    public var digests: [Int: String] = [:]

    /// Files per task: enough to make a task worth scheduling, few enough to share the files out.
    static let filesPerTask = 64

    /// Reads `files` (as a plan's migrations give them) through `resolver`. Refused files are not
    /// read. `alongside` runs as one more task among the reads, the first to start: work that
    /// needs nothing from the files (the linter loads the previous plan meanwhile).
    public static func read(
        _ files: [String], with resolver: MigrationFileResolver, alongside: @Sendable () -> Void = {}
    ) -> MigrationFileBatch {
        let folders = resolver.canonicalFolders(of: files)
        let tasks = (files.count + filesPerTask - 1) / filesPerTask
        let read = ConcurrentWork.map(1 + tasks) { task -> [Outcome] in
            guard task > 0 else {
                alongside()
                return []
            }
            let indices = (task - 1) * filesPerTask..<min(files.count, task * filesPerTask)
            return indices.map { Outcome(files[$0], resolver: resolver, folders: folders) }
        }
        var batch = MigrationFileBatch()
        batch.files.reserveCapacity(files.count)
        batch.digests.reserveCapacity(files.count)
        for (index, outcome) in read.joined().enumerated() {
            switch outcome {
            case .read(let source, let digest):
                batch.files[index] = source
                batch.digests[index] = digest
            case .refused(let error):
                batch.errors[index] = error
            }
        }
        return batch
    }

    /// What became of one file.
    private enum Outcome: Sendable {
        case read(SourceFile, digest: String)
        case refused(MigrationFileError)

        init(_ file: String, resolver: MigrationFileResolver, folders: MigrationFolders) {
            do {
                let source = try resolver.read(file, in: folders)
                self = .read(source, digest: SHA256.hex(source.bytes))
            } catch {
                self = .refused(error)
            }
        }
    }
}
