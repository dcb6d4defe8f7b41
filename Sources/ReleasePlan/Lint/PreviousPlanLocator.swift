/// Finds the published plan a release follows (DESIGN §3): `--against FILE`; else the plan of the
/// same app and version beside it that comes first (the plan is a copy whose version was not bumped,
/// which B24P102 then reports); else the plan with the highest lower version in the same folder that
/// is not a pre-release (a pre-release is never published, so never a baseline). A candidate that
/// does not parse or decode is B24P107.
public struct PreviousPlanLocator: Sendable {
    public var fileSystem: any FileSystem

    public init(fileSystem: any FileSystem) {
        self.fileSystem = fileSystem
    }

    /// Where the previous plan came from.
    public enum Source: String, Sendable, Equatable {
        /// `--against FILE`.
        case against
        /// The plan with the highest lower non-pre-release version in the folder.
        case folder
        /// A plan in the folder declaring the same app and version, before this one in file order
        /// (`PlanFolder.precedes`): this plan is a copy whose version was not bumped.
        case folderSameVersion
    }

    public struct Result: Sendable {
        public var document: PlanDocument?
        /// Where `document` came from; nil when there is none.
        public var source: Source?
        public var diagnostics: [Diagnostic]

        init(document: PlanDocument? = nil, source: Source? = nil, diagnostics: [Diagnostic] = []) {
            self.document = document
            self.source = document == nil ? nil : source
            self.diagnostics = diagnostics
        }
    }

    public func locate(for document: PlanDocument, against path: String?) -> Result {
        if let path { return load(path, for: document, source: .against) }
        let folder = PlanFolder.scan(beside: document.source.path, scheme: document.plan.versioning, fileSystem: fileSystem)
        return locate(for: document, in: folder)
    }

    /// The previous plan of `document` among the plans of its folder (already scanned).
    public func locate(for document: PlanDocument, in folder: PlanFolder) -> Result {
        let scheme = document.plan.versioning
        guard let version = Version(document.plan.version, scheme: scheme) else { return Result() }
        if !version.isPreRelease, let original = folder.originals(of: document).first {
            return load(original.path, for: document, source: .folderSameVersion)
        }
        guard let best = folder.highestLowerRelease(than: version, scheme: scheme) else { return Result() }
        return load(best.path, for: document, source: .folder)
    }

    private func load(_ path: String, for document: PlanDocument, source: Source) -> Result {
        let loaded = PlanLoader(fileSystem: fileSystem).load(path)
        let errors = loaded.diagnostics.filter { $0.severity == .error }
        guard let previous = loaded.document, errors.isEmpty else {
            guard let first = errors.first else { return Result() }
            var diagnostic = first
            if loaded.source == nil {
                diagnostic = document.diagnostic("B24P107", "", at: ["version"])
            }
            diagnostic.rule = "B24P107"
            diagnostic.severity = .error
            diagnostic.message = PlanMessages.previousPlanUnusable(path, reason: first.message)
            diagnostic.notes = []
            return Result(diagnostics: [diagnostic])
        }
        return Result(document: previous, source: source)
    }
}
