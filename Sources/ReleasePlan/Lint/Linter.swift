/// Reads a plan with everything it refers to, runs every rule and applies suppressions.
public struct Linter: Sendable {
    public var fileSystem: any FileSystem

    public init(fileSystem: any FileSystem = LocalFileSystem()) {
        self.fileSystem = fileSystem
    }

    /// The outcome of linting one plan file.
    public struct Result: Sendable {
        public var diagnostics: [Diagnostic]
        /// Every plan file read, by path (for renderers that print source lines). Migration files
        /// are in `context`: every diagnostic points into a plan (a finding in a migration's SQL
        /// points at its entry and quotes the line in a note).
        public var sources: [String: SourceFile]
        /// The context the rules saw; nil when the plan could not be read, parsed or decoded.
        public var context: LintContext?
    }

    /// Lints the plan at `path` against `againstPath`, or the previous plan found next to it.
    /// `history` is what the state store recorded as published (nil: no store); see `PublishedHistory`.
    public func lint(path: String, against againstPath: String? = nil, history: PublishedHistory? = nil) -> Result {
        var sources: [String: SourceFile] = [:]
        // The plan, and meanwhile the folder beside it with the plan likely to be its previous one.
        let fileSystem = fileSystem
        nonisolated(unsafe) var planLoad: PlanLoader.Result?
        nonisolated(unsafe) var prefetch: PreviousPlanPrefetch?
        ConcurrentWork.both(
            { planLoad = PlanLoader(fileSystem: fileSystem).load(path) },
            { prefetch = PreviousPlanPrefetch.run(path: path, against: againstPath, history: history, fileSystem: fileSystem) })
        guard let loaded = planLoad, let prefetch else { preconditionFailure("the plan was not loaded") }
        if let source = loaded.source { sources[path] = source }
        guard let document = loaded.document else {
            return Result(diagnostics: Diagnostic.sortedForOutput(loaded.diagnostics), sources: sources, context: nil)
        }
        var diagnostics = loaded.diagnostics
        // The previous plan is chosen (from what was loaded in advance) while the migration files are read.
        nonisolated(unsafe) var found: (folder: PlanFolder, previous: PreviousPlanLocator.Result)?
        let resolver = MigrationFileResolver(fileSystem: fileSystem, planDirectory: FilePath.directory(of: path))
        let migrationFiles = MigrationFileBatch.read(document.plan.migrations.map(\.file), with: resolver) {
            let folder = prefetch.folder(for: document.plan, beside: path, fileSystem: fileSystem)
            var locator = PreviousPlanLocator(fileSystem: fileSystem)
            locator.preloaded = prefetch.loaded
            found = (folder, locator.locate(for: document, against: againstPath, history: history, in: folder))
        }
        guard let (folder, previous) = found else { preconditionFailure("the previous plan was not looked for") }
        diagnostics += previous.diagnostics
        if let source = previous.document?.source { sources[source.path] = source }

        var context = LintContext(document: document, previous: previous.document, previousSource: previous.source, folder: folder)
        context.releaseStatus = ReleaseStatus.of(document, folder: folder, history: history, newest: previous.storeNewest)
        context.migrationFiles = migrationFiles.files
        context.migrationFileErrors = migrationFiles.errors
        context.migrationDigests = migrationFiles.digests
        // The rule families are independent of each other; their findings keep the registry's order.
        let checked = context
        for findings in ConcurrentWork.map(LintRegistry.families.count, { LintRegistry.families[$0].check(checked) }) {
            diagnostics += findings
        }
        diagnostics = SuppressionRules.apply(document.plan.suppress, to: diagnostics, in: context)
        return Result(diagnostics: Diagnostic.sortedForOutput(diagnostics), sources: sources, context: context)
    }
}
