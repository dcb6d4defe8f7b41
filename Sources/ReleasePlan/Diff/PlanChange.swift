/// One item that differs between the published plan and the new one (DESIGN §5).
public struct PlanChange: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Equatable, Codable, CaseIterable {
        case scope, placement, event, migration, monetization, minimumBitrix24Version, requiredMethod, changelog,
            handlerHosts
    }

    public enum Action: String, Sendable, Equatable, Codable, CaseIterable {
        case added, removed, changed

        /// `+`, `-` or `~`, as the text diff prints it.
        public var symbol: String {
            switch self {
            case .added: return "+"
            case .removed: return "-"
            case .changed: return "~"
            }
        }
    }

    public var kind: Kind
    public var action: Action
    /// The item's identity: the scope code, placement code, event name, migration id, language, …
    public var id: String
    public var before: PlanValue?
    public var after: PlanValue?
    /// The semver bump this change requires.
    public var requires: Bump
    /// Why it requires that bump, as a phrase: "adding scope `task`".
    public var reason: String
    /// Where the change is in the new plan (or in the previous one for a removal).
    public var path: JSONPath

    public init(
        kind: Kind, action: Action, id: String, before: PlanValue?, after: PlanValue?, requires: Bump,
        reason: String, path: JSONPath
    ) {
        self.kind = kind
        self.action = action
        self.id = id
        self.before = before
        self.after = after
        self.requires = requires
        self.reason = reason
        self.path = path
    }
}
