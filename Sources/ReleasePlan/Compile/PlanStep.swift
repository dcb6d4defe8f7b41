/// One step of the execution graph (DESIGN §6). `diff` prints exactly the steps `apply` runs.
public struct PlanStep: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Equatable, Codable, CaseIterable {
        case migrateSchema = "migrate.schema"
        case migrateData = "migrate.data"
        case deploy
        case gatePartner = "gate.partner"
        case gateModeration = "gate.moderation"
        case portalsPreflight = "portals.preflight"
        case portalsReconcile = "portals.reconcile"
        /// The canary of a rollout in waves (`portals.canary`): the reconcile on the canary portals.
        case portalsCanary = "portals.canary"
        /// One wave of a rollout (`portals.wave.N`): the reconcile on that wave's portals.
        case portalsWave = "portals.wave"
        /// The manual gate after the canary or a wave (`gate.canary`, `gate.wave.N`).
        case gateWave = "gate.wave"
        /// The timed soak after the canary or a wave (`soak.canary`, `soak.wave.N`).
        case soak
        case portalsScopeAudit = "portals.scope-audit"
    }

    /// Stable id: `migrate.schema.3`, `deploy`, `gate.partner`, `portals.reconcile`, …
    public var id: String
    public var kind: Kind
    /// The ids of the steps that must finish first.
    public var after: [String]
    /// A person must pass it (`b24plan gate pass`).
    public var manual: Bool
    /// What the step will do, one line each, as `diff` prints them.
    public var actions: [String]
    /// The migration a `migrate.*` step runs.
    public var migration: Migration?
    /// The argv a `deploy` step runs (nil: a manual gate).
    public var command: [String]?
    /// A soak's length in seconds (`soak.*` steps).
    public var soakSeconds: Int?

    /// Whether the step reconciles portals (`portals.reconcile`, `portals.canary`, `portals.wave.N`).
    public var reconcilesPortals: Bool { kind == .portalsReconcile || kind == .portalsCanary || kind == .portalsWave }

    /// Whether the step sends HTTP requests (the preflight, a reconcile, the scope audit): a command
    /// that runs one needs libcurl, and checks it can load it before anything runs.
    public var sendsRequests: Bool { kind == .portalsPreflight || kind == .portalsScopeAudit || reconcilesPortals }

    public init(
        id: String, kind: Kind, after: [String] = [], manual: Bool = false, actions: [String] = [],
        migration: Migration? = nil, command: [String]? = nil, soakSeconds: Int? = nil
    ) {
        self.soakSeconds = soakSeconds
        self.id = id
        self.kind = kind
        self.after = after
        self.manual = manual
        self.actions = actions
        self.migration = migration
        self.command = command
    }
}
