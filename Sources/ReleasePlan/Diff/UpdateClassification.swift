/// What kind of update a release is, the bump it needs, and the moderation it will go through (DESIGN §5).
public struct UpdateClassification: Sendable, Equatable {
    public enum UpdateType: String, Sendable, Equatable, Codable, CaseIterable {
        case initial, patch, minor, major, critical
    }

    public var updateType: UpdateType
    /// The bump the version number declares; nil for an initial release or under `versioning: free`.
    public var declaredBump: Bump?
    /// The largest bump the changes require; nil for an initial release.
    public var requiredBump: Bump?
    /// `max(declared, required)`.
    public var effectiveLevel: Bump?
    /// The moderation row of the update timeline; nil for an initial release.
    public var moderation: Bitrix24TimelineRow?
    public var changes: [PlanChange]

    /// Classifies `plan` against the published `previous` (nil: an initial release).
    public static func classify(_ plan: Plan, previous: Plan?) -> UpdateClassification {
        guard let previous else {
            return UpdateClassification(
                updateType: .initial, declaredBump: nil, requiredBump: nil, effectiveLevel: nil, moderation: nil,
                changes: [])
        }
        let changes = PlanDiff.changes(from: previous, to: plan)
        let required = PlanDiff.requiredBump(changes)
        let declared = declaredBump(plan, previous: previous)
        let effective = max(declared ?? required, required)
        let addsMigration = changes.contains { $0.kind == .migration && $0.action == .added }
        let updateType: UpdateType
        if addsMigration {
            updateType = .critical
        } else {
            switch effective {
            case .patch: updateType = .patch
            case .minor: updateType = .minor
            case .major: updateType = .major
            }
        }
        let monetizationChanged = changes.contains { $0.kind == .monetization && $0.id == "model" }
        let row = monetizationChanged ? "monetization" : effective == .major ? "major" : effective == .minor ? "feature" : "bugfix"
        return UpdateClassification(
            updateType: updateType, declaredBump: declared, requiredBump: required, effectiveLevel: effective,
            moderation: Bitrix24Catalogue.updateTimeline.first { $0.row == row }, changes: changes)
    }

    /// The semver difference between the two versions; nil under `versioning: free` or when either
    /// version does not parse.
    public static func declaredBump(_ plan: Plan, previous: Plan) -> Bump? {
        guard plan.versioning == .semver, let new = SemanticVersion(plan.version),
            let old = SemanticVersion(previous.version)
        else { return nil }
        return new.bump(from: old)
    }
}
