import Foundation
import PlanStore
import ReleasePlan
import Rollout

/// Building the portal client for apply, drift and reconcile: credentials only from the
/// environment (B24_CLIENT_ID / B24_CLIENT_SECRET), the token URL from the config.
enum PortalOptions {
    static let options: [OptionSpec] = [
        .value("where", "SQL", "Only installations matching this extra condition."),
        .value("member-id", "ID", "Only this installation (repeatable as a comma-separated list)."),
    ]

    /// Nil when the credentials are missing (the caller decides whether that matters).
    static func fleet(database: any Database, journal: Journal?, config: AppConfig, parallel: Int, environment: [String: String]) throws
        -> PortalFleet
    {
        guard let clientID = environment["B24_CLIENT_ID"], !clientID.isEmpty, let secret = environment["B24_CLIENT_SECRET"], !secret.isEmpty
        else {
            throw UsageError(
                message: "the portal steps need B24_CLIENT_ID and B24_CLIENT_SECRET in the environment (to refresh expired tokens)")
        }
        let installations = InstallationStore(database: database, mapping: config.installations)
        let store = InstallationCredentialStore(installations: installations)
        let transport = URLSessionTransport(connectionsPerHost: max(8, parallel * 2))
        let refresher = TokenRefresher(
            transport: transport, tokenURL: config.tokenURL, clientID: clientID, clientSecret: secret, store: store)
        let factory = PortalClientFactory(transport: transport, clock: SystemClock(), refresher: refresher, store: store)
        return PortalFleet(installations: installations, journal: journal, client: factory, parallel: parallel)
    }

    static func memberIDs(_ arguments: ParsedArguments) -> [String]? {
        arguments.value("member-id").map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
    }
}
