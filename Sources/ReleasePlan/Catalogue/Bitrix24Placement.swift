/// One widget placement (embedding location), as the catalogue knows it.
///
/// Obtain values from ``Bitrix24Catalogue/placement(_:)``; the initializer exists for tests and for
/// callers that need to describe a placement the catalogue does not list.
public struct Bitrix24Placement: Sendable, Equatable {
    /// The canonical, uppercased placement code, e.g. `CRM_DYNAMIC_128_DETAIL_TAB`.
    public let code: String
    /// The scopes the placement needs besides the binding method's own (`placement`): any one of
    /// them is enough. Empty when none is needed (`LEFT_MENU`, `REST_APP_URI`, `IM_SMILES_SELECTOR`, …).
    /// More than one only where the docs disagree (see ``scopeDispute``).
    public let acceptedScopes: [String]
    /// Where the docs disagree about the scope, what each page says; `nil` when they agree.
    public let scopeDispute: String?
    /// Whether this is a messenger placement (`IM_*`, `IMMOBILE_CONTEXT_MENU`). The docs disagree whether
    /// registering one needs scope `im`, so a missing `im` is only a warning (B24P215).
    public let isMessenger: Bool
    /// Whether the portal keeps at most one handler per app for this placement
    /// (`REST_APP_URI`, `PAGE_BACKGROUND_WORKER`; a second bind gives `ERROR_PLACEMENT_MAX_COUNT`).
    public let allowsSingleHandler: Bool
    /// The `OPTIONS` keys the portal stores for this placement. Every other key is dropped silently,
    /// so an empty set means the placement keeps no option at all (B24P217).
    public let keptOptions: Set<String>
    /// The `OPTIONS` keys `placement.bind` insists on (`ERROR_ARGUMENT` / `EMPTY_ERROR_HANDLER_URL` without them).
    public let requiredOptions: [String]
    /// How it is registered: `placement.bind`, or `landing.repo.bind` for the Sites placements.
    public let binding: Bitrix24BindingMethod
    /// Whether the docs describe it today (B24P218 when `removed`).
    public let status: Bitrix24DocsStatus
    /// The docs page it comes from, under `api-reference/` of `bitrix24/b24restdocs` (or where else
    /// it was found, e.g. `b24phpsdk: PlacementLocationCode`).
    public let source: String
    /// For a removed code: what to use instead, or where it is still found.
    public let removalNote: String?

    /// The scope a sentence names: the first accepted scope, or `nil` when none is needed.
    public var scope: String? { acceptedScopes.first }

    /// Creates a placement description.
    public init(
        code: String,
        scope: String?,
        alsoAccepted: [String] = [],
        scopeDispute: String? = nil,
        isMessenger: Bool = false,
        allowsSingleHandler: Bool = false,
        keptOptions: Set<String> = [],
        requiredOptions: [String] = [],
        binding: Bitrix24BindingMethod = .placement,
        status: Bitrix24DocsStatus = .documented,
        source: String = "",
        removalNote: String? = nil
    ) {
        self.code = code
        self.acceptedScopes = (scope.map { [$0] } ?? []) + alsoAccepted
        self.scopeDispute = scopeDispute
        self.isMessenger = isMessenger
        self.allowsSingleHandler = allowsSingleHandler
        self.keptOptions = keptOptions
        self.requiredOptions = requiredOptions
        self.binding = binding
        self.status = status
        self.source = source
        self.removalNote = removalNote
    }

    /// Whether a token (or a plan) holding `granted` has a scope this placement needs.
    public func isSatisfied(by granted: Set<String>) -> Bool {
        Bitrix24Catalogue.grantsAny(of: acceptedScopes, in: granted)
    }
}
