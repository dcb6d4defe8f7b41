import PlanStore

/// How one portal ended in a portal step: one of the terminal states, with what explains it.
public struct PortalOutcome: Sendable, Equatable {
    public var state: Journal.PortalState
    public var missingScopes: [String] = []
    public var lastError: String?
    /// What differed from the plan (drift, or what this run changed).
    public var differences: [String] = []
    /// Write commands sent.
    public var writes = 0

    public init(
        state: Journal.PortalState, missingScopes: [String] = [], lastError: String? = nil, differences: [String] = [], writes: Int = 0
    ) {
        self.state = state
        self.missingScopes = missingScopes
        self.lastError = lastError
        self.differences = differences
        self.writes = writes
    }

    /// The terminal state an error implies (DESIGN §7): a dead refresh token needs a reinstall; a
    /// deleted portal or an uninstalled app is inactive; everything else failed (and may be retried).
    public static func from(_ error: Error) -> PortalOutcome {
        guard let error = error as? BitrixError else { return PortalOutcome(state: .failed, lastError: "\(error)") }
        switch error {
        case .oauth(let code, let status):
            if code == "invalid_grant" {
                return PortalOutcome(
                    state: .needsReinstall, lastError: "the refresh token is expired or was already used: the portal must reinstall the app"
                )
            }
            if code == "invalid_client" || status == 404 || code == "not_found" || code == "PORTAL_DELETED" {
                return PortalOutcome(state: .inactive, lastError: error.description)
            }
            return PortalOutcome(state: .failed, lastError: error.description)
        case .api(let code, _, _) where ["PORTAL_DELETED", "APPLICATION_NOT_FOUND"].contains(code):
            return PortalOutcome(state: .inactive, lastError: error.description)
        default:
            return PortalOutcome(state: .failed, lastError: error.description)
        }
    }
}
