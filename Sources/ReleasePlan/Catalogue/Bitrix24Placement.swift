/// One widget placement (embedding location) that `placement.bind` accepts, as the catalogue knows it.
///
/// Obtain values from ``Bitrix24Catalogue/placement(_:)``; the initializer exists for tests and for
/// callers that need to describe a placement the catalogue does not list.
public struct Bitrix24Placement: Sendable, Equatable {
    /// The canonical, uppercased placement code, e.g. `CRM_DYNAMIC_128_DETAIL_TAB`.
    public let code: String
    /// The scope the placement needs besides `placement`; `nil` when `placement` alone is enough
    /// (`LEFT_MENU`, `REST_APP_URI`, `PAGE_BACKGROUND_WORKER`, `BI_ANALYTICS_MENU`).
    public let scope: String?
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

    /// Creates a placement description.
    /// - Parameters:
    ///   - code: the canonical uppercased code.
    ///   - scope: the scope needed besides `placement`, or `nil`.
    ///   - isMessenger: whether it is a messenger placement.
    ///   - allowsSingleHandler: whether only one handler per app is allowed.
    ///   - keptOptions: the option keys the portal stores.
    ///   - requiredOptions: the option keys that must be given.
    public init(
        code: String,
        scope: String?,
        isMessenger: Bool = false,
        allowsSingleHandler: Bool = false,
        keptOptions: Set<String> = [],
        requiredOptions: [String] = []
    ) {
        self.code = code
        self.scope = scope
        self.isMessenger = isMessenger
        self.allowsSingleHandler = allowsSingleHandler
        self.keptOptions = keptOptions
        self.requiredOptions = requiredOptions
    }
}
