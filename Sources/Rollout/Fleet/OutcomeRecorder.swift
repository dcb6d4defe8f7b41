import Foundation
import PlanStore

/// Saves each portal's outcome in the journal (on the fleet's database thread) and keeps the
/// summary. An outcome that may be the whole fleet's failure rather than the portal's is held
/// until the fleet knows which: recorded once a refresh (or any portal) has succeeded, dropped
/// when the fleet stops for a systemic reason (DESIGN §7: "mark nothing").
final class OutcomeRecorder: @unchecked Sendable {
    let fleet: PortalFleet
    let runID: Int?
    let stepID: String
    private(set) var summary = PortalFleet.Summary()
    private var held: [(memberID: String, outcome: PortalOutcome)] = []

    init(fleet: PortalFleet, runID: Int?, stepID: String) {
        self.fleet = fleet
        self.runID = runID
        self.stepID = stepID
    }

    func handle(_ memberID: String, _ outcome: PortalOutcome) async {
        let health = fleet.health
        if let suspect = outcome.suspect {
            if health.stopReason != nil {
                held.append((memberID, outcome))
                return
            }
            if !cleared(suspect) {
                held.append((memberID, outcome))
                return
            }
        }
        await record(memberID, outcome)
        let ready = held.filter { $0.outcome.suspect.map(cleared) ?? true }
        guard !ready.isEmpty, health.stopReason == nil else { return }
        held.removeAll { item in ready.contains { $0.memberID == item.memberID } }
        for item in ready { await record(item.memberID, item.outcome) }
    }

    /// At the end: outcomes still held were never cleared (no refresh, or no portal answer,
    /// succeeded in the run), so they are no evidence about their portals: the fleet stops as a
    /// systemic failure and nothing is recorded for them (DESIGN §7: "mark nothing").
    func finish() async {
        guard fleet.health.stopReason == nil, let suspect = held.first?.outcome.suspect else { return }
        fleet.health.concludeUncleared(suspect, portals: held.count)
    }

    /// Portals held back and not recorded (pending for the next run).
    var unrecorded: [String] { held.map(\.memberID) }

    private func cleared(_ suspect: FleetHealth.Suspect) -> Bool {
        suspect.isRefresh ? fleet.health.anyRefreshSucceeded : fleet.health.anyPortalAnswered
    }

    private func record(_ memberID: String, _ outcome: PortalOutcome) async {
        let (journal, installations, runID, stepID) = (fleet.journal, fleet.installations, runID, stepID)
        let marks = fleet.marksInstallations && outcome.state == .inactive
        let result = await fleet.thread.run {
            if marks { try installations.markInactive(memberID: memberID) }
            guard let journal, let runID else { return }
            let previous = try journal.portalTask(run: runID, step: stepID, member: memberID)
            try journal.savePortalTask(
                run: runID, step: stepID,
                Journal.PortalTask(
                    memberID: memberID, state: outcome.state, batches: outcome.writes, rowsChanged: 0,
                    attempts: (previous?.attempts ?? 0) + 1, lastError: outcome.lastError,
                    missingScopes: outcome.missingScopes.isEmpty ? nil : outcome.missingScopes.joined(separator: ",")))
        }
        if case .failure(let error) = result {
            fleet.health.stop(.store("\(error)"))
            return
        }
        summary.processed += 1
        summary.writes += outcome.writes
        summary.counts[outcome.state, default: 0] += 1
        if !outcome.differences.isEmpty { summary.drifted.append((memberID, outcome.differences)) }
        if outcome.state == .failed { summary.failures.append((memberID, outcome.lastError ?? "failed")) }
    }
}
