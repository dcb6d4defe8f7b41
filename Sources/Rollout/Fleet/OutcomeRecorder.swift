import Foundation
import PlanStore

/// Saves each portal's outcome in the journal (on the fleet's database thread) and keeps the
/// summary. An outcome that may be the whole fleet's failure rather than the portal's is held
/// until the fleet knows which: recorded once a refresh (or any portal) has succeeded, dropped
/// when the fleet stops for a systemic reason (DESIGN §7: "mark nothing").
///
/// The requests the fleet's sessions sent (`meter`) are added to the journal's requests per second
/// with the portal results: the seconds that have ended, at most once a second, in the same trip
/// to the database thread; `flushRequests` adds the rest at the end.
final class OutcomeRecorder: @unchecked Sendable {
    let fleet: PortalFleet
    let runID: Int?
    let stepID: String
    let meter: RequestMeter?
    private(set) var summary = PortalFleet.Summary()
    private var held: [(memberID: String, outcome: PortalOutcome)] = []
    /// The second (Unix time) of the last drain of `meter`.
    private var drainedAt = 0

    init(fleet: PortalFleet, runID: Int?, stepID: String, meter: RequestMeter? = nil) {
        self.fleet = fleet
        self.runID = runID
        self.stepID = stepID
        self.meter = meter
    }

    /// Adds every second the meter still holds to the journal (at the end of the fleet's run).
    func flushRequests() async {
        guard let meter, let journal = fleet.journal, let runID else { return }
        let counts = meter.drain()
        guard !counts.isEmpty else { return }
        let stepID = self.stepID
        _ = await fleet.thread.run { try journal.addRequestCounts(run: runID, step: stepID, counts) }
    }

    /// The ended seconds to add now: once a second at most, so a busy fleet adds one row per second.
    private func dueRequests() -> [Journal.RequestCount] {
        guard let meter else { return [] }
        let now = Int(fleet.client.clock.unixTime().rounded(.down))
        guard now > drainedAt else { return [] }
        drainedAt = now
        return meter.drain(before: now)
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
        let requests = dueRequests()
        let result = await fleet.thread.run {
            if marks { try installations.markInactive(memberID: memberID) }
            guard let journal, let runID else { return }
            try journal.addRequestCounts(run: runID, step: stepID, requests)
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
