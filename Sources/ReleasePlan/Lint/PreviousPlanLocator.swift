/// Finds the published plan a release follows (DESIGN §3): `--against FILE`; else, when the state
/// store's history is given, the store's newest published plan of the app (a note says so when the
/// folder would have chosen otherwise); else the plan of the same app and version beside it that
/// comes first (the plan is a copy whose version was not bumped, which B24P102 then reports); else
/// the plan with the highest lower version in the same folder that is not a pre-release (a
/// pre-release is never published, so never a baseline). A previous plan that does not parse or
/// decode is B24P107.
public struct PreviousPlanLocator: Sendable {
    public var fileSystem: any FileSystem
    /// Plan files already loaded, by path (the linter loads the likely previous plan while the plan
    /// itself is parsed); a path not here is loaded when chosen.
    var preloaded: [String: PlanLoader.Result] = [:]

    public init(fileSystem: any FileSystem) {
        self.fileSystem = fileSystem
    }

    /// Where the previous plan came from.
    public enum Source: String, Sendable, Equatable {
        /// `--against FILE`.
        case against
        /// The state store's newest published plan (`PublishedHistory.newest`).
        case store
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
        /// B24P107 for an unusable previous plan; the note (B24P102, severity note) when the store
        /// and the folder disagree.
        public var diagnostics: [Diagnostic]
        /// The store's newest published plan of the app, decoded, whether or not it is `document`
        /// (a plan that is itself published is compared with the folder).
        public var storeNewest: PlanDocument?

        init(document: PlanDocument? = nil, source: Source? = nil, diagnostics: [Diagnostic] = []) {
            self.document = document
            self.source = document == nil ? nil : source
            self.diagnostics = diagnostics
        }
    }

    public func locate(for document: PlanDocument, against path: String?) -> Result {
        if let path { return load(path, for: document, source: .against) }
        let folder = PlanFolder.scan(beside: document.source.path, scheme: document.plan.versioning, fileSystem: fileSystem)
        return locate(for: document, against: path, history: nil, in: folder)
    }

    /// The previous plan of `document`: `against`, else the store's (when `history` is given), else
    /// the folder's (already scanned).
    public func locate(for document: PlanDocument, against path: String?, history: PublishedHistory?, in folder: PlanFolder)
        -> Result
    {
        if let path { return load(path, for: document, source: .against) }
        let candidate = folderCandidate(for: document, in: folder)
        // A store that has published nothing of this app has no say: the folder decides (DESIGN §3).
        guard let history, history.newest[document.plan.app] != nil else {
            guard let candidate else { return Result() }
            return load(candidate.entry.path, for: document, source: candidate.source)
        }
        return locateInStore(for: document, history: history, folderCandidate: candidate)
    }

    /// The store's newest published plan wins over the folder's candidate, except for a plan that
    /// is itself published (at or below the newest published version and recorded, or equal to it):
    /// that one is history, compared with the folder as without a store.
    private func locateInStore(
        for document: PlanDocument, history: PublishedHistory, folderCandidate candidate: (entry: PlanFolder.Entry, source: Source)?
    ) -> Result {
        let plan = document.plan
        var storeNewest: PlanDocument?
        var result = Result()
        if let published = history.newest[plan.app] {
            let loaded = loadPublished(published, for: document)
            storeNewest = loaded.document
            if let newest = loaded.document, Self.isPublished(document, history: history, newest: newest) {
                var fromFolder = candidate.map { load($0.entry.path, for: document, source: $0.source) } ?? Result()
                fromFolder.storeNewest = newest
                return fromFolder
            }
            result = loaded
        }
        if result.diagnostics.isEmpty, let note = disagreement(document, folder: candidate?.entry, store: result.document) {
            result.diagnostics.append(note)
        }
        result.storeNewest = storeNewest
        return result
    }

    /// Whether `document` is a published release rather than the next one: its version is the
    /// store's newest, or recorded as published and not above the newest.
    private static func isPublished(_ document: PlanDocument, history: PublishedHistory, newest: PlanDocument) -> Bool {
        let plan = document.plan
        guard let version = Version(plan.version, scheme: plan.versioning),
            let published = Version(newest.plan.version, scheme: plan.versioning)
        else { return false }
        if version.isEquivalent(to: published) { return true }
        return !version.isGreater(than: published) && history.isPublished(app: plan.app, version: plan.version, scheme: plan.versioning)
    }

    /// The note when the folder alone would compare with another plan than the store's.
    private func disagreement(_ document: PlanDocument, folder entry: PlanFolder.Entry?, store: PlanDocument?) -> Diagnostic? {
        let message: String
        switch (entry, store) {
        case (nil, nil):
            return nil
        case (let entry?, nil):
            message = PlanMessages.storeHasNoRelease(folder: entry.path, folderVersion: entry.version, app: document.plan.app)
        case (nil, let store?):
            message = PlanMessages.folderHasNoPrevious(storeVersion: store.plan.version)
        case (let entry?, let store?):
            let scheme = document.plan.versioning
            let sameVersion =
                Version(entry.version, scheme: scheme).flatMap { folderVersion in
                    Version(store.plan.version, scheme: scheme).map { folderVersion.isEquivalent(to: $0) }
                } ?? (entry.version == store.plan.version)
            if !sameVersion {
                message = PlanMessages.folderDisagreesWithStore(
                    folder: entry.path, folderVersion: entry.version, storeVersion: store.plan.version)
            } else if let bytes = try? fileSystem.read(entry.path), bytes != store.source.bytes {
                message = PlanMessages.folderPlanDiffersFromStore(folder: entry.path, version: store.plan.version)
            } else {
                return nil
            }
        }
        return document.diagnostic("B24P102", message, at: ["version"], severity: .note)
    }

    /// The folder's choice, unloaded: a same-version original (the plan is a copy), else the
    /// highest lower release.
    private func folderCandidate(for document: PlanDocument, in folder: PlanFolder) -> (entry: PlanFolder.Entry, source: Source)? {
        let scheme = document.plan.versioning
        guard let version = Version(document.plan.version, scheme: scheme) else { return nil }
        if !version.isPreRelease, let original = folder.originals(of: document).first { return (original, .folderSameVersion) }
        return folder.highestLowerRelease(than: version, scheme: scheme).map { ($0, .folder) }
    }

    /// The previous plan of `document` among the plans of its folder (already scanned).
    public func locate(for document: PlanDocument, in folder: PlanFolder) -> Result {
        locate(for: document, against: nil, history: nil, in: folder)
    }

    /// The store's plan: parsed and decoded from its bytes, named by its label; B24P107 (at this
    /// plan's `version`, since the store is no file to edit) when it is unusable.
    private func loadPublished(_ published: PublishedPlan, for document: PlanDocument) -> Result {
        let source = SourceFile(path: published.label, bytes: published.bytes)
        let parsed = JSONParser.parse(source)
        var diagnostics = parsed.diagnostics
        var previous: PlanDocument?
        if parsed.diagnostics.isEmpty, let root = parsed.root {
            let decoded = PlanDecoder.decode(root, source: source)
            previous = decoded.document
            diagnostics = decoded.diagnostics
        }
        let errors = diagnostics.filter { $0.severity == .error }
        guard let previous, errors.isEmpty else {
            let reason = errors.first?.message ?? "it is not a release plan"
            return Result(diagnostics: [
                document.diagnostic("B24P107", PlanMessages.previousPlanUnusable(published.label, reason: reason), at: ["version"])
            ])
        }
        return Result(document: previous, source: .store)
    }

    private func load(_ path: String, for document: PlanDocument, source: Source) -> Result {
        let loaded = preloaded[path] ?? PlanLoader(fileSystem: fileSystem).load(path)
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
