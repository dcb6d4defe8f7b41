/// Finds the published plan a release follows: `--against FILE`, else the plan with the highest
/// lower version in the same folder (DESIGN §3). A candidate that does not parse or decode is B24P107.
public struct PreviousPlanLocator: Sendable {
    public var fileSystem: any FileSystem

    public init(fileSystem: any FileSystem) {
        self.fileSystem = fileSystem
    }

    public struct Result: Sendable {
        public var document: PlanDocument?
        public var diagnostics: [Diagnostic]
    }

    public func locate(for document: PlanDocument, against path: String?) -> Result {
        if let path { return load(path, for: document) }
        guard let version = Version(document.plan.version, scheme: document.plan.versioning) else {
            return Result(document: nil, diagnostics: [])
        }
        let directory = FilePath.directory(of: document.source.path)
        guard let names = try? fileSystem.list(directory) else { return Result(document: nil, diagnostics: []) }
        let ownName = FilePath.fileName(of: document.source.path)
        var best: (version: Version, path: String)?
        for name in names.sorted() where name.hasSuffix(".json") && name != ownName {
            let candidatePath = directory.isEmpty ? name : FilePath.join(directory, name)
            guard let candidate = candidateVersion(candidatePath, scheme: document.plan.versioning) else { continue }
            guard version.isGreater(than: candidate) else { continue }
            if best == nil || candidate.isGreater(than: best!.version) { best = (candidate, candidatePath) }
        }
        guard let best else { return Result(document: nil, diagnostics: []) }
        return load(best.path, for: document)
    }

    private func load(_ path: String, for document: PlanDocument) -> Result {
        let loaded = PlanLoader(fileSystem: fileSystem).load(path)
        let errors = loaded.diagnostics.filter { $0.severity == .error }
        guard let previous = loaded.document, errors.isEmpty else {
            guard let first = errors.first else { return Result(document: nil, diagnostics: []) }
            var diagnostic = first
            if loaded.source == nil {
                diagnostic = document.diagnostic("B24P107", "", at: ["version"])
            }
            diagnostic.rule = "B24P107"
            diagnostic.severity = .error
            diagnostic.message = PlanMessages.previousPlanUnusable(path, reason: first.message)
            diagnostic.notes = []
            return Result(document: nil, diagnostics: [diagnostic])
        }
        return Result(document: previous, diagnostics: [])
    }

    /// The version of a file that looks like a plan: from its `version` when it has `app` and
    /// `version`, else from a file name such as `1.2.0.json` (so a broken plan is still found).
    private func candidateVersion(_ path: String, scheme: Versioning) -> Version? {
        if let bytes = try? fileSystem.read(path) {
            let parsed = JSONParser.parse(SourceFile(path: path, bytes: bytes))
            if let root = parsed.root, root.member("app")?.value.string != nil,
                let text = root.member("version")?.value.string
            {
                return Version(text, scheme: scheme)
            }
        }
        let stem = String(FilePath.fileName(of: path).dropLast(".json".count))
        return Version(stem, scheme: scheme)
    }
}
