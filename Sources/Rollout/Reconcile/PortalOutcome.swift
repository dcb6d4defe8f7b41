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
    /// The fleet stopped this portal before it finished: nothing is recorded for it.
    public var stopped = false
    /// A failure that may be the whole fleet's rather than this portal's (a wrong client secret,
    /// the network): the fleet holds it until it knows which (DESIGN §7, systemic failures).
    public var suspect: FleetHealth.Suspect?

    public init(
        state: Journal.PortalState, missingScopes: [String] = [], lastError: String? = nil, differences: [String] = [], writes: Int = 0
    ) {
        self.state = state
        self.missingScopes = missingScopes
        self.lastError = lastError
        self.differences = differences
        self.writes = writes
    }

    /// The terminal state an error implies (DESIGN §7). A dead refresh token needs a reinstall. A
    /// portal is `inactive` only on evidence about that portal: PORTAL_DELETED or
    /// APPLICATION_NOT_FOUND from the portal itself, or an OAuth 404 for it while other portals'
    /// refreshes succeed. Everything else failed (and is retried by the next apply).
    public static func from(_ error: Error, health: FleetHealth? = nil) -> PortalOutcome {
        if let stopped = error as? FleetStopped {
            var outcome = PortalOutcome(state: .pending, lastError: stopped.description)
            outcome.stopped = true
            return outcome
        }
        guard let error = error as? BitrixError else { return PortalOutcome(state: .failed, lastError: "\(error)") }
        switch error {
        case .oauth(let code, let status):
            if code == "invalid_grant" {
                return PortalOutcome(
                    state: .needsReinstall, lastError: "the refresh token is expired or was already used: the portal must reinstall the app"
                )
            }
            let notFound = status == 404 || code == "not_found"
            if notFound, health?.anyRefreshSucceeded == true {
                return PortalOutcome(state: .inactive, lastError: "the OAuth server does not know this portal (HTTP 404): \(error)")
            }
            var outcome = PortalOutcome(state: .failed, lastError: error.description)
            outcome.suspect = TokenKeeper.suspect(error)
            if code == "invalid_client" {
                outcome.lastError = "\(error): the client id or secret is wrong, or the app is not installed on this portal"
            }
            return outcome
        case .api(let code, _, _) where ["PORTAL_DELETED", "APPLICATION_NOT_FOUND"].contains(code):
            return PortalOutcome(state: .inactive, lastError: error.description)
        case .transport(let message):
            var outcome = PortalOutcome(state: .failed, lastError: error.description)
            outcome.suspect = .network(message)
            return outcome
        default:
            return PortalOutcome(state: .failed, lastError: error.description)
        }
    }
}
