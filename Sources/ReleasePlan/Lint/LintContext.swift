/// Everything a rule may look at: the plan, the published plan before it, and the migration files.
public struct LintContext: Sendable {
    public var document: PlanDocument
    /// The published plan this release follows; nil for an initial release (or when it is unusable).
    public var previous: PlanDocument?
    /// Where `previous` came from (nil without one).
    public var previousSource: PreviousPlanLocator.Source?
    /// The other plan files of the plan's folder.
    public var folder: PlanFolder
    /// Whether the plan is already released (a later plan beside it, or the store says so): then
    /// its digests are history, and `lint --fix` never writes into it.
    public var releaseStatus: ReleaseStatus = .open
    /// The migration files, by index in `plan.migrations`; absent when the file could not be read
    /// or was refused (outside the project: its bytes are never read).
    public var migrationFiles: [Int: SourceFile]
    /// Why a migration file could not be read or was refused, by index in `plan.migrations`.
    public var migrationFileErrors: [Int: MigrationFileError]
    /// The SHA-256 (lowercase hex) of each file in `migrationFiles`, where computed as it was read.
    public var migrationDigests: [Int: String] = [:]

    public init(
        document: PlanDocument, previous: PlanDocument? = nil, previousSource: PreviousPlanLocator.Source? = nil,
        folder: PlanFolder? = nil, migrationFiles: [Int: SourceFile] = [:], migrationFileErrors: [Int: MigrationFileError] = [:]
    ) {
        self.document = document
        self.previous = previous
        self.previousSource = previous == nil ? nil : previousSource
        self.folder = folder ?? PlanFolder(directory: FilePath.directory(of: document.source.path), entries: [])
        self.migrationFiles = migrationFiles
        self.migrationFileErrors = migrationFileErrors
    }

    public var plan: Plan { document.plan }

    /// The plan's version, when it parses under its versioning scheme.
    public var version: Version? { Version(plan.version, scheme: plan.versioning) }

    /// The scopes the plan requests as rules about a missing scope read them: normalised (`tasks`
    /// counts as `task`), and a misspelt code read as the one it misspells, so that B24P201 alone
    /// reports the typo (not also B24P204, B24P205, B24P206 or B24P215).
    public var requestedScopes: Set<String> {
        Set(plan.scopeCodes.map { Bitrix24Catalogue.normalizedScope(Bitrix24Catalogue.scopeMeant($0) ?? $0) })
    }

    /// The plan as meant: each misspelt scope, placement or event read as the known one it misspells.
    /// B24P201–B24P203 report the typo; rules that compare with the published plan (B24P103) read
    /// this, so that `tsk` for a published `task` is not also "adding scope tsk".
    public var planAsMeant: Plan {
        var meant = plan
        for index in meant.scopes.indices {
            meant.scopes[index].code = Bitrix24Catalogue.scopeMeant(meant.scopes[index].code) ?? meant.scopes[index].code
        }
        for index in meant.placements.indices where Bitrix24Catalogue.placement(meant.placements[index].placement) == nil {
            if let known = Bitrix24Catalogue.placementMeant(meant.placements[index].placement) {
                meant.placements[index].placement = known.code
            }
        }
        for index in meant.events.indices where Bitrix24Catalogue.event(meant.events[index].event) == nil {
            if let known = Bitrix24Catalogue.eventMeant(meant.events[index].event) { meant.events[index].event = known.name }
        }
        return meant
    }

    /// Migration ids of the published plan: migrations with these ids are not new.
    public var publishedMigrationIDs: Set<Int> { Set(previous?.plan.migrations.map(\.id) ?? []) }

    /// A diagnostic in the plan file at `path`.
    public func diagnostic(
        _ rule: RuleCode, _ message: String, at path: JSONPath, pointingAtKey: Bool = false,
        severity: Severity? = nil, notes: [String] = []
    ) -> Diagnostic {
        document.diagnostic(rule, message, at: path, pointingAtKey: pointingAtKey, severity: severity, notes: notes)
    }
}
