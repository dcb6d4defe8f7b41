/// One REST event, as the catalogue knows it.
public struct Bitrix24Event: Sendable, Equatable {
    /// The uppercased event name, e.g. `ONCRMDEALUPDATE` or `ONCRMDYNAMICITEMADD_128`
    /// (Bitrix24 compares event names case-insensitively).
    public let name: String
    /// The scopes the token must hold one of for `event.bind` to find the event; empty for the
    /// global application events (`ONAPPINSTALL`, `ONAPPUPDATE`, …) that every app can bind. More
    /// than one only where the docs disagree (see ``scopeDispute``).
    public let acceptedScopes: [String]
    /// Where the docs disagree about the scope, what each page says; `nil` when they agree.
    public let scopeDispute: String?
    /// How the app receives it: `event.bind`, or another mechanism (B24P219).
    public let delivery: Bitrix24EventDelivery
    /// Whether the docs describe it today (B24P218 when `removed`).
    public let status: Bitrix24DocsStatus
    /// The docs page it comes from, under `api-reference/` of `bitrix24/b24restdocs`.
    public let source: String
    /// For a removed or deprecated event: what to use instead.
    public let removalNote: String?

    /// The scope a sentence names: the first accepted scope, or `nil` for a global event.
    public var scope: String? { acceptedScopes.first }

    /// Creates an event description.
    public init(
        name: String,
        scope: String?,
        alsoAccepted: [String] = [],
        scopeDispute: String? = nil,
        delivery: Bitrix24EventDelivery = .eventBind,
        status: Bitrix24DocsStatus = .documented,
        source: String = "",
        removalNote: String? = nil
    ) {
        self.name = name
        self.acceptedScopes = (scope.map { [$0] } ?? []) + alsoAccepted
        self.scopeDispute = scopeDispute
        self.delivery = delivery
        self.status = status
        self.source = source
        self.removalNote = removalNote
    }

    /// Whether a token (or a plan) holding `granted` has a scope this event needs.
    public func isSatisfied(by granted: Set<String>) -> Bool {
        Bitrix24Catalogue.grantsAny(of: acceptedScopes, in: granted)
    }
}
