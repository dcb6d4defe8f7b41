import Foundation
import PlanStore
import ReleasePlan

/// Runs a per-portal task on every selected installation: installations read in pages, `parallel`
/// portals in flight, each portal's outcome saved in the journal as soon as it is known.
public final class PortalFleet: @unchecked Sendable {
    /// Which portals a run touches.
    public enum Selection: String, Sendable, CaseIterable {
        /// Portals without a final state in this step (a resumed run skips done ones).
        case unfinished
        /// Only portals that failed (`apply --retry failed`).
        case failed
        /// Only portals that needed a reinstall (`apply --retry needs-reinstall`).
        case needsReinstall = "needs-reinstall"
    }

    public struct Summary: Sendable, Equatable {
        public var counts: [Journal.PortalState: Int] = [:]
        public var processed = 0
        public var writes = 0
        /// Portals that differ from the plan (drift), with the differences.
        public var drifted: [(memberID: String, differences: [String])] = []

        public static func == (lhs: Summary, rhs: Summary) -> Bool {
            lhs.counts == rhs.counts && lhs.processed == rhs.processed && lhs.writes == rhs.writes
                && lhs.drifted.map(\.memberID) == rhs.drifted.map(\.memberID)
        }
    }

    public let installations: InstallationStore
    public let journal: Journal?
    public let client: PortalClientFactory
    public let parallel: Int
    public let pageSize: Int

    public init(installations: InstallationStore, journal: Journal?, client: PortalClientFactory, parallel: Int, pageSize: Int = 500) {
        self.installations = installations
        self.journal = journal
        self.client = client
        self.parallel = max(1, parallel)
        self.pageSize = pageSize
    }

    /// Runs `task` on the selected portals of (run, step); `where`/`memberIDs` narrow the set.
    public func run(
        runID: Int?, stepID: String, selection: Selection, where extra: String? = nil, memberIDs: [String]? = nil,
        onProgress: @escaping @Sendable (Summary) -> Void = { _ in },
        task: @escaping @Sendable (PortalSession, InstallationStore.Installation) async -> PortalOutcome
    ) async throws -> Summary {
        var known: [String: Journal.PortalState] = [:]
        if let journal, let runID {
            for item in try journal.portalTasks(run: runID, step: stepID) { known[item.memberID] = item.state }
        }
        var summary = Summary()
        var after: String?
        try await withThrowingTaskGroup(of: (String, PortalOutcome).self) { group in
            var inFlight = 0
            while true {
                let page = try installations.installations(after: after, limit: pageSize, where: extra, memberIDs: memberIDs)
                for installation in page where Self.selected(known[installation.memberID], selection) {
                    if inFlight >= parallel, let (memberID, outcome) = try await group.next() {
                        inFlight -= 1
                        try record(memberID, outcome, runID: runID, stepID: stepID, into: &summary)
                        onProgress(summary)
                    }
                    let session = client.session(for: installation)
                    group.addTask { (installation.memberID, await task(session, installation)) }
                    inFlight += 1
                }
                guard page.count == pageSize, let last = page.last else { break }
                after = last.memberID
            }
            while let (memberID, outcome) = try await group.next() {
                try record(memberID, outcome, runID: runID, stepID: stepID, into: &summary)
                onProgress(summary)
            }
        }
        return summary
    }

    static func selected(_ state: Journal.PortalState?, _ selection: Selection) -> Bool {
        switch selection {
        case .unfinished: return state == nil || state == .pending || state == .running
        case .failed: return state == .failed
        case .needsReinstall: return state == .needsReinstall
        }
    }

    func record(_ memberID: String, _ outcome: PortalOutcome, runID: Int?, stepID: String, into summary: inout Summary) throws {
        summary.processed += 1
        summary.writes += outcome.writes
        summary.counts[outcome.state, default: 0] += 1
        if !outcome.differences.isEmpty { summary.drifted.append((memberID, outcome.differences)) }
        if outcome.state == .inactive { try installations.markInactive(memberID: memberID) }
        guard let journal, let runID else { return }
        let previous = try journal.portalTask(run: runID, step: stepID, member: memberID)
        try journal.savePortalTask(
            run: runID, step: stepID,
            Journal.PortalTask(
                memberID: memberID, state: outcome.state, batches: outcome.writes, rowsChanged: 0,
                attempts: (previous?.attempts ?? 0) + 1, lastError: outcome.lastError,
                missingScopes: outcome.missingScopes.isEmpty ? nil : outcome.missingScopes.joined(separator: ",")))
    }
}

/// Makes the REST session of a portal from its installation row.
public struct PortalClientFactory: Sendable {
    public let transport: any HTTPTransport
    public let clock: any RolloutClock
    public let refresher: TokenRefresher
    public let store: any CredentialStore
    public let policy: RetryPolicy

    public init(
        transport: any HTTPTransport, clock: any RolloutClock, refresher: TokenRefresher, store: any CredentialStore,
        policy: RetryPolicy = RetryPolicy()
    ) {
        self.transport = transport
        self.clock = clock
        self.refresher = refresher
        self.store = store
        self.policy = policy
    }

    public func session(for installation: InstallationStore.Installation) -> PortalSession {
        PortalSession(
            memberID: installation.memberID, endpoint: installation.endpoint, accessToken: installation.accessToken,
            refreshToken: installation.refreshToken, transport: transport, clock: clock, refresher: refresher, store: store,
            policy: policy)
    }
}

/// Writes rotated tokens and new endpoints into the installations table.
public struct InstallationCredentialStore: CredentialStore, @unchecked Sendable {
    public let installations: InstallationStore

    public init(installations: InstallationStore) { self.installations = installations }

    public func saveTokens(memberID: String, tokens: OAuthTokens) throws {
        try installations.saveTokens(
            memberID: memberID, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: tokens.expiresAt,
            endpoint: tokens.endpoint)
    }

    public func saveEndpoint(memberID: String, endpoint: String) throws {
        try installations.saveEndpoint(memberID: memberID, endpoint: endpoint)
    }
}
