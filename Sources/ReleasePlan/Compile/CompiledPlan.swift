/// A release compiled into what will happen: the update's classification, its changes, and the
/// ordered steps. A plain value, so that `diff`, saved plans and `apply` share it.
public struct CompiledPlan: Sendable, Equatable, Codable {
    public var app: String
    /// The published version; nil for an initial release.
    public var from: String?
    public var to: String
    public var updateType: UpdateClassification.UpdateType
    public var declaredBump: Bump?
    public var requiredBump: Bump?
    public var effectiveLevel: Bump?
    public var moderation: Bitrix24TimelineRow?
    public var changes: [PlanChange]
    public var steps: [PlanStep]
    /// What to enter in the partner account for this version.
    public var partnerAccount: PartnerAccountValues
    public var rollout: RolloutEstimate?
    /// The plan as written (what `apply` executes from a saved plan).
    public var plan: Plan
    /// The scopes added since the published plan (what the scope audit looks for).
    public var addedScopes: [String]
    /// The rollout in waves the graph follows (`rollout` in the config, `apply --waves`); nil: one
    /// `portals.reconcile` step.
    public var rolloutPolicy: RolloutPolicy? = nil

    public func step(_ id: String) -> PlanStep? { steps.first { $0.id == id } }

    /// Whether the release is a semver pre-release (`2.0.0-rc.1`): never published, so never the
    /// previous plan of the next release (DESIGN §3).
    public var isPreRelease: Bool { Version(to, scheme: plan.versioning)?.isPreRelease ?? false }
}

/// The values a release needs in the partner account (partners.bitrix24.com), printed by `diff`.
public struct PartnerAccountValues: Sendable, Equatable, Codable {
    public var version: String
    public var changelog: [String: String]
    public var minimumBitrix24Version: String?
    public var scopes: [String]

    enum CodingKeys: String, CodingKey { case version, changelog, minimumBitrix24Version, scopes }

    /// Every key, `minimumBitrix24Version` as null when the plan sets none (diff JSON is public API).
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(version, forKey: .version)
        try container.encode(changelog, forKey: .changelog)
        try container.encode(minimumBitrix24Version, forKey: .minimumBitrix24Version)
        try container.encode(scopes, forKey: .scopes)
    }
}
