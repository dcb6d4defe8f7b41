/// The folder beside a plan and the plan likely to be its previous one, read and parsed while the
/// plan itself is: two 1 MB plans are parsed on two cores instead of one after the other.
///
/// The guess takes versions from file names (`1.0.0.json` beside `1.1.0.json`, as B24P109 wants)
/// under semver, or takes `--against`. It only saves time: `PreviousPlanLocator` chooses as always,
/// from the decoded plan and the folder's plans, and uses a load made here only for the file it
/// chooses.
struct PreviousPlanPrefetch: Sendable {
    /// The folder beside the plan, scanned under `scheme`.
    var folder: PlanFolder
    var scheme: Versioning
    /// Plan files loaded in advance, by path.
    var loaded: [String: PlanLoader.Result]

    /// Loads the likely previous plan and scans the folder of `path` (without skimming that plan
    /// again). A state store that has published anything may choose its own plan instead: then
    /// nothing is loaded in advance.
    static func run(path: String, against: String?, history: PublishedHistory?, fileSystem: any FileSystem) -> Self {
        let scheme = Versioning.semver
        let loader = PlanLoader(fileSystem: fileSystem)
        var loaded: [String: PlanLoader.Result] = [:]
        var parsed: [String: (bytes: [UInt8], root: JSONNode?)] = [:]
        if let against {
            loaded[against] = loader.load(against)
        } else if history?.newest.isEmpty ?? true, let likely = likelyPrevious(of: path, scheme: scheme, fileSystem: fileSystem),
            let bytes = try? fileSystem.read(likely)
        {
            let result = loader.load(likely, bytes: bytes)
            loaded[likely] = result
            parsed[likely] = (bytes, result.document?.root)
        }
        let folder = PlanFolder.scan(beside: path, scheme: scheme, fileSystem: fileSystem, parsed: parsed)
        return Self(folder: folder, scheme: scheme, loaded: loaded)
    }

    /// The plan file beside `path` named after the highest version below the one `path` is named
    /// after (`1.0.0.json` beside `1.1.0.json`), not a pre-release; file names alone decide.
    static func likelyPrevious(of path: String, scheme: Versioning, fileSystem: any FileSystem) -> String? {
        let directory = FilePath.directory(of: path)
        let ownName = FilePath.fileName(of: path)
        guard let version = PlanFolder.versionNamed(PlanFolder.stem(of: ownName), scheme: scheme),
            let names = try? fileSystem.list(directory)
        else { return nil }
        var best: (version: Version, name: String)?
        for name in names.sorted() where name.hasSuffix(".json") && name != ownName {
            guard let candidate = PlanFolder.versionNamed(PlanFolder.stem(of: name), scheme: scheme), !candidate.isPreRelease,
                version.isGreater(than: candidate)
            else { continue }
            if best == nil || candidate.isGreater(than: best!.version) { best = (candidate, name) }
        }
        return best.map { directory.isEmpty ? $0.name : FilePath.join(directory, $0.name) }
    }

    /// The folder as scanned under the plan's own versioning (scanned again when it is not semver).
    func folder(for plan: Plan, beside path: String, fileSystem: any FileSystem) -> PlanFolder {
        plan.versioning == scheme ? folder : PlanFolder.scan(beside: path, scheme: plan.versioning, fileSystem: fileSystem)
    }
}
