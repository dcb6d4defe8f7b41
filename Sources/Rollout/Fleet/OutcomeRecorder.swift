import Foundation
import PlanStore

/// Decides which portal outcomes the journal gets and hands them to the group commit
/// (`OutcomeWriter`), without waiting for it. An outcome that may be the whole fleet's failure
/// rather than the portal's is held until the fleet knows which: queued once a refresh (or any
/// portal) has succeeded, dropped when the fleet stops for a systemic reason (DESIGN §7: "mark
/// nothing"). The summary counts committed outcomes only.
///
/// The requests the fleet's sessions sent (`meter`) are added to the journal's requests per second
/// with the portal results: the seconds that have ended, at most once a second, in a group's
/// transaction; `flushRequests` adds the rest at the end.
final class OutcomeRecorder: @unchecked Sendable {
    let fleet: PortalFleet
    let runID: Int?
    let stepID: String
    let meter: RequestMeter?
    let writer: OutcomeWriter
    private var held: [(memberID: String, outcome: PortalOutcome)] = []

    init(
        fleet: PortalFleet, runID: Int?, stepID: String, meter: RequestMeter? = nil,
        groupSize: Int = OutcomeWriter.defaultGroupSize, onProgress: @escaping @Sendable (PortalFleet.Summary) -> Void = { _ in }
    ) {
        self.fleet = fleet
        self.runID = runID
        self.stepID = stepID
        self.meter = meter
        self.writer = OutcomeWriter(fleet: fleet, runID: runID, stepID: stepID, meter: meter, groupSize: groupSize, onProgress: onProgress)
    }

    /// The committed outcomes.
    var summary: PortalFleet.Summary { writer.summary }

    /// Adds every second the meter still holds to the journal (at the end of the fleet's run,
    /// after `close`).
    func flushRequests() async {
        guard let meter, let journal = fleet.journal, let runID else { return }
        let counts = meter.drain()
        guard !counts.isEmpty else { return }
        let stepID = self.stepID
        _ = await fleet.thread.run { try journal.addRequestCounts(run: runID, step: stepID, counts) }
    }

    /// Queues the outcome (and held ones it clears) for the journal; never waits for a commit.
    func handle(_ memberID: String, _ outcome: PortalOutcome) {
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
        writer.enqueue(memberID, outcome)
        let ready = held.filter { $0.outcome.suspect.map(cleared) ?? true }
        guard !ready.isEmpty, health.stopReason == nil else { return }
        held.removeAll { item in ready.contains { $0.memberID == item.memberID } }
        for item in ready { writer.enqueue(item.memberID, item.outcome) }
    }

    /// At the end: outcomes still held were never cleared (no refresh, or no portal answer,
    /// succeeded in the run), so they are no evidence about their portals: the fleet stops as a
    /// systemic failure and nothing is recorded for them (DESIGN §7: "mark nothing").
    func finish() async {
        await writer.close()
        guard fleet.health.stopReason == nil, let suspect = held.first?.outcome.suspect else { return }
        fleet.health.concludeUncleared(suspect, portals: held.count)
    }

    /// Portals held back and not recorded (pending for the next run).
    var unrecorded: [String] { held.map(\.memberID) }

    private func cleared(_ suspect: FleetHealth.Suspect) -> Bool {
        suspect.isRefresh ? fleet.health.anyRefreshSucceeded : fleet.health.anyPortalAnswered
    }
}
