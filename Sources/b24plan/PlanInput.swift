import Foundation
import PlanStore
import ReleasePlan

/// An input the command line names that is not there to be used — a file that cannot be read
/// (missing, a folder where a file is wanted, a FIFO, no permission) or a folder without plans —
/// is a `SetupError`: exit 64 (DESIGN §7 puts missing inputs there; not 2, which means "changes
/// present" under `diff --detailed-exitcode`), printed as `error: MESSAGE` without the usage lines.
extension SetupError {
    /// `cannot read plans/x.json: no such file`.
    static func unreadable(_ path: String, reason: String) -> SetupError {
        SetupError("cannot read \(path): \(reason)")
    }
}

/// The plan files a command line names, checked before the command touches anything.
enum PlanInput {
    /// Throws `SetupError` for the first of `paths` that is not a readable regular file.
    /// Opens each without blocking (a FIFO is refused, not waited on) and reads nothing.
    static func requireReadable(_ paths: [String]) throws {
        for path in paths {
            if let reason = LocalFileSystem().unreadableReason(path) { throw SetupError.unreadable(path, reason: reason) }
        }
    }

    /// Folders `plans(under:)` never enters, besides hidden ones (`.git`, `.b24plan`).
    static let skippedFolders: Set<String> = [".build", "node_modules"]

    /// What `lint DIR` lints: in `directory` and its subfolders, every file `PlanFolder.plans(in:)`
    /// takes for a plan (a `*.json` whose top-level object has `app` and `version`, or one named
    /// like a version, `1.2.0.json`; never `b24plan.config.json`), sorted by path. Hidden folders,
    /// `.build` and `node_modules` are skipped, and a symbolic link to a folder is not followed.
    static func plans(under directory: String) -> [String] {
        let manager = FileManager.default
        var found: [String] = []
        var pending = [directory]
        while let folder = pending.popLast() {
            found += PlanFolder.plans(in: folder, scheme: .semver, fileSystem: LocalFileSystem()).map(\.path)
            guard let names = try? manager.contentsOfDirectory(atPath: folder) else { continue }
            for name in names where !name.hasPrefix(".") && !skippedFolders.contains(name) {
                let path = FilePath.join(folder, name)
                guard let type = try? manager.attributesOfItem(atPath: path)[.type] as? FileAttributeType,
                    type == .typeDirectory
                else { continue }
                pending.append(path)
            }
        }
        return found.sorted()
    }

    /// Whether `path` is a folder (following a symbolic link given on the command line).
    static func isFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}

extension Command {
    /// The plan FILE (and `--against FILE`) of this command line, for `PlanInput.requireReadable`:
    /// the positional `planPositional` names, when the count of positionals is the expected one (else
    /// the command reports its usage error).
    func inputFiles(_ arguments: ParsedArguments) -> [String] {
        var files: [String] = []
        if let (index, count) = planPositional, arguments.positionals.count == count {
            files.append(arguments.positionals[index])
        }
        if options.contains(where: { $0.name == "against" }), let against = arguments.value("against") {
            files.append(against)
        }
        return files
    }

    /// `PlanInput.requireReadable(inputFiles(arguments))`: every command that takes a plan FILE
    /// calls it once its own usage checks passed, before it opens a store or reads the plan.
    func requireInputs(_ arguments: ParsedArguments) throws {
        try PlanInput.requireReadable(inputFiles(arguments))
    }
}
