/// One release of a Bitrix24 app as its plan file describes it (format version 1, DESIGN §3).
///
/// A plain value: decoding and checking happen elsewhere, so the model stays easy to compare,
/// encode and hand to the compiler.
public struct Plan: Sendable, Equatable, Codable {
    public var app: String
    public var version: String
    public var versioning: Versioning
    /// Language code → text the moderator reads.
    public var changelog: [String: String]
    public var monetization: Monetization?
    public var minimumBitrix24Version: String?
    public var scopes: [ScopeRequest]
    public var scopeUpgrade: ScopeUpgrade?
    /// When present, every handler host must match one of these (DESIGN §3).
    public var handlerHosts: [String]?
    public var placements: [PlacementBinding]
    public var events: [EventBinding]
    public var requiredMethods: [String]
    /// Cumulative since the first release, ids 1…n.
    public var migrations: [Migration]
    public var deploy: Deploy?
    public var notice: Notice?
    /// The dialect of the app's database; nil when the plan names none (PostgreSQL-flavoured rules).
    public var database: DatabaseDialect?
    public var suppress: [Suppression]

    public init(
        app: String = "", version: String = "", versioning: Versioning = .semver, changelog: [String: String] = [:],
        monetization: Monetization? = nil, minimumBitrix24Version: String? = nil, scopes: [ScopeRequest] = [],
        scopeUpgrade: ScopeUpgrade? = nil, handlerHosts: [String]? = nil, placements: [PlacementBinding] = [],
        events: [EventBinding] = [], requiredMethods: [String] = [], migrations: [Migration] = [],
        deploy: Deploy? = nil, notice: Notice? = nil, database: DatabaseDialect? = nil, suppress: [Suppression] = []
    ) {
        self.app = app
        self.version = version
        self.versioning = versioning
        self.changelog = changelog
        self.monetization = monetization
        self.minimumBitrix24Version = minimumBitrix24Version
        self.scopes = scopes
        self.scopeUpgrade = scopeUpgrade
        self.handlerHosts = handlerHosts
        self.placements = placements
        self.events = events
        self.requiredMethods = requiredMethods
        self.migrations = migrations
        self.deploy = deploy
        self.notice = notice
        self.database = database
        self.suppress = suppress
    }

    /// The scope codes requested, in plan order.
    public var scopeCodes: [String] { scopes.map(\.code) }
}

/// How versions are compared: semver precedence, or dot-separated segments.
public enum Versioning: String, Sendable, Equatable, Codable, CaseIterable {
    case semver, free
}

/// How installations get newly added scopes.
public enum ScopeUpgrade: String, Sendable, Equatable, Codable, CaseIterable {
    /// The app shows a reinstall button.
    case reinstall
    /// The app runs an extra OAuth flow for the new scope only.
    case incremental
}

/// A requested OAuth scope, optionally with the purpose the moderator is told.
public struct ScopeRequest: Sendable, Equatable, Codable {
    public var code: String
    public var purpose: String?

    public init(code: String, purpose: String? = nil) {
        self.code = code
        self.purpose = purpose
    }
}

public struct Monetization: Sendable, Equatable, Codable {
    public enum Model: String, Sendable, Equatable, Codable, CaseIterable {
        case free, paid, subscription
    }

    public var model: Model
    public var trialDays: Int?

    public init(model: Model, trialDays: Int? = nil) {
        self.model = model
        self.trialDays = trialDays
    }
}

/// The deploy hook: an argv run without a shell.
public struct Deploy: Sendable, Equatable, Codable {
    public var command: [String]?

    public init(command: [String]?) { self.command = command }
}

/// Where the per-portal reconcile writes the release notice (`app.option.set`).
public struct Notice: Sendable, Equatable, Codable {
    public var option: String

    public init(option: String) { self.option = option }
}

/// Silences one rule at one path (and everything under it); the reason is mandatory.
public struct Suppression: Sendable, Equatable, Codable {
    public var rule: String
    public var at: String
    public var reason: String?

    public init(rule: String, at: String, reason: String?) {
        self.rule = rule
        self.at = at
        self.reason = reason
    }
}
