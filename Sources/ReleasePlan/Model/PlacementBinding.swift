/// A widget registration: `placement.bind` on every portal. Keyed by (placement, handler).
public struct PlacementBinding: Sendable, Equatable, Codable {
    public var placement: String
    public var handler: String
    public var title: String?
    public var description: String?
    public var groupName: String?
    /// Language code → localised texts (sent as LANG_ALL).
    public var langAll: [String: LocalizedPlacementText]?
    /// Sent as OPTIONS; the portal keeps only some keys per placement (see the catalogue).
    public var options: [String: PlanValue]?

    public init(
        placement: String, handler: String, title: String? = nil, description: String? = nil,
        groupName: String? = nil, langAll: [String: LocalizedPlacementText]? = nil, options: [String: PlanValue]? = nil
    ) {
        self.placement = placement
        self.handler = handler
        self.title = title
        self.description = description
        self.groupName = groupName
        self.langAll = langAll
        self.options = options
    }

    /// The identity Bitrix24 uses for "Handler already binded".
    public var key: BindingKey { BindingKey(code: placement.uppercasedCode, handler: handler) }
}

/// The texts of one language in LANG_ALL.
public struct LocalizedPlacementText: Sendable, Equatable, Codable {
    public var title: String?
    public var description: String?
    public var groupName: String?

    public init(title: String? = nil, description: String? = nil, groupName: String? = nil) {
        self.title = title
        self.description = description
        self.groupName = groupName
    }
}

/// An event handler registration: `event.bind`. Keyed by (event, handler).
public struct EventBinding: Sendable, Equatable, Codable {
    public enum EventType: String, Sendable, Equatable, Codable, CaseIterable {
        case online, offline
    }

    public var event: String
    public var handler: String
    public var eventType: EventType
    /// The user id the handler runs as (0: the user who caused the event).
    public var authType: Int?

    public init(event: String, handler: String, eventType: EventType = .online, authType: Int? = nil) {
        self.event = event
        self.handler = handler
        self.eventType = eventType
        self.authType = authType
    }

    public var key: BindingKey { BindingKey(code: event.uppercasedCode, handler: handler) }
}

/// (placement or event code, handler URL): the identity of a binding. Codes compare upper-cased.
public struct BindingKey: Sendable, Hashable, Comparable, Codable {
    public var code: String
    public var handler: String

    public init(code: String, handler: String) {
        self.code = code
        self.handler = handler
    }

    public static func < (lhs: BindingKey, rhs: BindingKey) -> Bool {
        (lhs.code, lhs.handler) < (rhs.code, rhs.handler)
    }
}

/// A SQL migration, cumulative since the first release.
public struct Migration: Sendable, Equatable, Codable {
    public var id: Int
    public var name: String
    /// Relative to the plan file.
    public var file: String
    /// Hex SHA-256 of the file's bytes.
    public var sha256: String?
    /// A data migration run once per active installation, in batches.
    public var perPortal: Bool
    public var batchSize: Int?
    /// False runs the migration outside a transaction (CREATE INDEX CONCURRENTLY).
    public var transaction: Bool

    public init(
        id: Int, name: String, file: String, sha256: String? = nil, perPortal: Bool = false, batchSize: Int? = nil,
        transaction: Bool = true
    ) {
        self.id = id
        self.name = name
        self.file = file
        self.sha256 = sha256
        self.perPortal = perPortal
        self.batchSize = batchSize
        self.transaction = transaction
    }
}
