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

    public init(
        id: String, kind: Kind, after: [String] = [], manual: Bool = false, actions: [String] = [],
        migration: Migration? = nil, command: [String]? = nil
    ) {
        self.id = id
        self.kind = kind
        self.after = after
        self.manual = manual
        self.actions = actions
        self.migration = migration
        self.command = command
    }
}
