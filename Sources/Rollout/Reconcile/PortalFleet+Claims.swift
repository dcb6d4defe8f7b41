import Foundation
import PlanStore

/// The shared-run mode on PostgreSQL: portals are claimed from the journal a few at a time, so any
/// number of `apply --worker` processes can work on one run (DESIGN §7, scale-out).
extension PortalFleet {
    /// Claims and runs portals of (run, step) until none is left to claim and none is leased by
    /// another process (or, for a worker, until the run stops running and nothing is claimable).
    public func runClaiming(
        runID: Int, stepID: String, owner: String, leaseSeconds: TimeInterval = 120,
        onProgress: @escaping @Sendable (Summary) -> Void = { _ in },
        task: @escaping @Sendable (PortalSession, InstallationStore.Installation) async -> PortalOutcome
    ) async throws -> Summary {
        guard let journal else { throw BitrixError.malformed("claiming portals needs the journal") }
        var summary = Summary()
        while true {
            let claimed = try journal.claimPortalTasks(
                run: runID, step: stepID, owner: owner, limit: parallel * 2, leaseSeconds: leaseSeconds)
            if claimed.isEmpty {
                let unfinished = try journal.unfinishedPortalTasks(run: runID, step: stepID)
                if unfinished.pending == 0 && unfinished.leased == 0 { return summary }
                try await Task.sleep(nanoseconds: 200_000_000)
                continue
            }
            let found = try installations.installations(after: nil, limit: claimed.count, memberIDs: claimed)
            let active = Set(found.map(\.memberID))
            for memberID in claimed where !active.contains(memberID) {
                try record(
                    memberID, PortalOutcome(state: .inactive, lastError: "no longer an active installation"), runID: runID, stepID: stepID,
                    into: &summary)
            }
            try await withThrowingTaskGroup(of: (String, PortalOutcome).self) { group in
                var inFlight = 0
                for installation in found {
                    if inFlight >= parallel, let (memberID, outcome) = try await group.next() {
                        inFlight -= 1
                        try record(memberID, outcome, runID: runID, stepID: stepID, into: &summary)
                        onProgress(summary)
                    }
                    let session = client.session(for: installation)
                    group.addTask { (installation.memberID, await task(session, installation)) }
                    inFlight += 1
                }
                while let (memberID, outcome) = try await group.next() {
                    try record(memberID, outcome, runID: runID, stepID: stepID, into: &summary)
                    onProgress(summary)
                }
            }
        }
    }
}
