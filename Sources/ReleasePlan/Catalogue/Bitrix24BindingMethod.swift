/// How a placement is registered on a portal, and whether its registrations can be read back.
public enum Bitrix24BindingMethod: String, Sendable, Equatable, Codable {
    /// `placement.bind` / `placement.unbind`, read back with `placement.get`.
    case placement = "placement.bind"
    /// `landing.repo.bind` / `landing.repo.unbind` (the Sites placements `LANDING_SETTINGS` and
    /// `LANDING_BLOCK_<CODE>`). The docs name no method that reads them back, so a bind is sent on
    /// every reconcile and `PLACEMENT_EXIST` counts as already bound.
    case landingRepository = "landing.repo.bind"

    /// The REST method that registers a binding.
    public var bindMethod: String { rawValue }

    /// The REST method that removes one.
    public var unbindMethod: String {
        switch self {
        case .placement: "placement.unbind"
        case .landingRepository: "landing.repo.unbind"
        }
    }

    /// Whether `placement.get` lists what this method registered.
    public var canBeReadBack: Bool { self == .placement }

    /// The scope the binding method itself needs (`placement`; the Sites placements need only
    /// `landing`, their own scope).
    public var methodScope: String? {
        switch self {
        case .placement: "placement"
        case .landingRepository: nil
        }
    }
}
