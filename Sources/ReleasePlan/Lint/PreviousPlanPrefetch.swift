/// The folder beside a plan and the plan likely to be its previous one, read and parsed while the
/// plan itself is: two 1 MB plans are parsed on two cores instead of one after the other.
///
/// The guess reads the plan's version from its file name (`1.1.0.json`, as B24P109 wants) under
/// semver, or takes `--against`. It only saves time: `PreviousPlanLocator` chooses as always, from
/// the decoded plan, and uses a load made here only for the file it chooses.
struct PreviousPlanPrefetch: Sendable {
    /// The folder beside the plan, scanned under `scheme`.
    var folder: PlanFolder
    var scheme: Versioning
    /// Plan files loaded in advance, by path.
    var loaded: [String: PlanLoader.Result]

    /// Scans the folder of `path` and loads the likely previous plan. A state store that has
    /// published anything may choose its own plan instead: then nothing is loaded in advance.
    static func run(path: String, against: String?, history: PublishedHistory?, fileSystem: any FileSystem) -> Self {
        let scheme = Versioning.semver
        let folder = PlanFolder.scan(beside: path, scheme: scheme, fileSystem: fileSystem)
        let loader = PlanLoader(fileSystem: fileSystem)
        var loaded: [String: PlanLoader.Result] = [:]
        if let against {
            loaded[against] = loader.load(against)
        } else if history?.newest.isEmpty ?? true, let version = Version(PlanFolder.stem(of: FilePath.fileName(of: path)), scheme: scheme),
            let likely = folder.highestLowerRelease(than: version, scheme: scheme)
        {
            loaded[likely.path] = folder.bytesRead[likely.path].map { loader.load(likely.path, bytes: $0) } ?? loader.load(likely.path)
        }
        return Self(folder: folder, scheme: scheme, loaded: loaded)
    }

    /// The folder as scanned under the plan's own versioning (scanned again when it is not semver).
    func folder(for plan: Plan, beside path: String, fileSystem: any FileSystem) -> PlanFolder {
        plan.versioning == scheme ? folder : PlanFolder.scan(beside: path, scheme: plan.versioning, fileSystem: fileSystem)
    }
}
