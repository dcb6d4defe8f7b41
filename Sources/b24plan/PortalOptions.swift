import Foundation
import PlanStore
import ReleasePlan
import Rollout

/// Building the portal client for apply, drift and reconcile: credentials only from the
/// environment (B24_CLIENT_ID / B24_CLIENT_SECRET), the token URL from the config, timeouts from
/// the command line.
enum PortalOptions {
    /// Seconds one HTTP request may take (`--request-timeout`).
    static let defaultRequestTimeout = 30
    /// Seconds one portal may take in all, retries and waits included (`--portal-timeout`).
    static let defaultPortalTimeout = 180

    static let options: [OptionSpec] = [
        .value("where", "SQL", "Only installations matching this extra condition."),
        .value("member-id", "ID", "Only this installation (repeatable as a comma-separated list)."),
        .value("request-timeout", "SECONDS", "Longest one HTTP request may take (default \(defaultRequestTimeout))."),
        .value(
            "portal-timeout", "SECONDS",
            "Longest one portal may take, retries and waits included; then it is left failed for a retry (default \(defaultPortalTimeout))."
        ),
    ]

    /// Whether the command may write to the installations table beyond rotated tokens.
    enum Access {
        /// apply, reconcile: mark inactive installations, store new endpoints.
        case writing
        /// drift: only a rotated token is ever written.
        case readOnly
    }

    static func fleet(
        database: any Database, journal: Journal?, config: AppConfig, parallel: Int, arguments: ParsedArguments,
        environment: [String: String], access: Access, store: DatabaseURL
    ) throws -> PortalFleet {
        let (clientID, secret) = try requireCredentials(environment)
        try InstallationStore(database: database, mapping: config.installations).checkShape(
            store: store.redacted, marksInactive: access == .writing)
        let (requestTimeout, portalTimeout) = try timeouts(arguments)
        let thread = DatabaseThread(name: "b24plan.installations")
        let installations = InstallationStore(database: database, mapping: config.installations)
        let store = InstallationCredentialStore(installations: installations, thread: thread, storesEndpoints: access == .writing)
        let health = FleetHealth(tokenURL: config.tokenURL)
        // A request that failed because this process ran out of file descriptors says so and stops
        // the step naming the limit, not the network.
        let transport = DescriptorAwareTransport(
            try HTTPClient.transport(
                connectionsPerHost: max(8, parallel * 2), timeout: TimeInterval(requestTimeout), idleConnections: parallel + 16),
            onExhausted: { health.outOfFileDescriptors($0) })
        // When portals stop answering, one request to the token URL's host tells a dead network
        // from a few dead portals (nil for a token URL that is no http(s) URL: nothing vouches).
        health.useNetworkCheck(TokenURLCheck(transport: transport, tokenURL: config.tokenURL))
        let refresher = TokenRefresher(transport: transport, tokenURL: config.tokenURL, clientID: clientID, clientSecret: secret)
        let clock = SystemClock()
        let keeper = TokenKeeper(refresher: refresher, store: store, clock: clock, health: health, patience: tokenPatience(environment))
        let factory = PortalClientFactory(
            transport: transport, clock: clock, keeper: keeper, health: health, portalTimeout: Double(portalTimeout))
        return PortalFleet(
            installations: installations, journal: journal, client: factory, parallel: parallel, thread: thread,
            marksInstallations: access == .writing)
    }

    /// Raises the open-file limit for `parallel` portals in flight, or refuses (exit 64) before any
    /// step when even the hard limit is too low; on PostgreSQL and MySQL/MariaDB the per-portal
    /// migrations' connections (`--max-connections`) count too.
    static func reserveOpenFiles(parallel: Int, store: DatabaseURL, arguments: ParsedArguments) throws {
        var limit = OpenFileBudget(parallel: parallel)
        switch store {
        case .sqlite: break
        case .postgres, .mysql: limit.extraConnections = min(parallel, try arguments.positiveInteger("max-connections") ?? 16)
        }
        try limit.reserve()
    }

    /// The token protocol's patience; `B24PLAN_TOKEN_WRITE_PATIENCE` (seconds) shortens the token
    /// write retries for tests of an unwritable store.
    static func tokenPatience(_ environment: [String: String]) -> TokenKeeper.Patience {
        var patience = TokenKeeper.Patience()
        if let text = environment["B24PLAN_TOKEN_WRITE_PATIENCE"], let seconds = Double(text), seconds > 0 {
            patience.tokenWrite = seconds
        }
        return patience
    }

    /// `--request-timeout` and `--portal-timeout` in seconds (a usage error, exit 64, unless whole
    /// numbers from 1): commands check them before any step runs.
    static func timeouts(_ arguments: ParsedArguments) throws -> (request: Int, portal: Int) {
        (
            try arguments.positiveInteger("request-timeout") ?? defaultRequestTimeout,
            try arguments.positiveInteger("portal-timeout") ?? defaultPortalTimeout
        )
    }

    /// `B24_CLIENT_ID` and `B24_CLIENT_SECRET`, or a usage error (exit 64) naming them.
    @discardableResult
    static func requireCredentials(_ environment: [String: String]) throws -> (id: String, secret: String) {
        // Blank counts as unset: a secret of spaces is a mistake in the CI settings, not a secret.
        func value(_ name: String) -> String? {
            environment[name].flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        }
        guard let clientID = value("B24_CLIENT_ID"), let secret = value("B24_CLIENT_SECRET") else {
            let missing = ["B24_CLIENT_ID", "B24_CLIENT_SECRET"].filter { value($0) == nil }
            throw SetupError(
                "the portal steps need the app's OAuth client: \(missing.joined(separator: " and ")) "
                    + "\(missing.count == 1 ? "is" : "are") not set (b24plan reads B24_CLIENT_ID and B24_CLIENT_SECRET "
                    + "only from the environment, to refresh expired tokens)")
        }
        return (clientID, secret)
    }

    /// `--where SQL`, checked to be one condition (it goes inside parentheses after the
    /// installations' own `where`, which it must not escape); a usage error otherwise.
    static func whereClause(_ arguments: ParsedArguments) throws -> String? {
        guard let text = arguments.value("where") else { return nil }
        if let problem = SQLCondition.problem(text) { throw UsageError(message: "--where \"\(text)\": \(problem)") }
        return text
    }

    static func memberIDs(_ arguments: ParsedArguments) -> [String]? {
        arguments.value("member-id").map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
    }
}
