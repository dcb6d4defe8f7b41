import Foundation
import PlanStore

/// Makes the REST session of a portal from its installation row: one transport, one token
/// keeper and one `FleetHealth` for the whole fleet.
public struct PortalClientFactory: Sendable {
    public let transport: any HTTPTransport
    public let clock: any RolloutClock
    public let keeper: TokenKeeper
    public let policy: RetryPolicy
    public let health: FleetHealth
    /// Seconds a portal may take in all (`--portal-timeout`); nil: no limit.
    public let portalTimeout: Double?

    public init(
        transport: any HTTPTransport, clock: any RolloutClock, keeper: TokenKeeper, health: FleetHealth,
        policy: RetryPolicy = RetryPolicy(),
        portalTimeout: Double? = nil
    ) {
        self.transport = transport
        self.clock = clock
        self.keeper = keeper
        self.policy = policy
        self.health = health
        self.portalTimeout = portalTimeout
    }

    /// The session of one portal; `meter` counts its requests per second (the fleet's, for the journal).
    public func session(for installation: InstallationStore.Installation, meter: RequestMeter? = nil) -> PortalSession {
        PortalSession(
            memberID: installation.memberID, endpoint: installation.endpoint, accessToken: installation.accessToken,
            refreshToken: installation.refreshToken, transport: transport, clock: clock, keeper: keeper, policy: policy, health: health,
            deadline: portalTimeout.map { clock.now() + $0 }, meter: meter)
    }
}
