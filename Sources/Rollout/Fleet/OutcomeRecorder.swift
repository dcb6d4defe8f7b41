import Foundation
import PlanStore

/// Decides which portal outcomes the journal gets and hands them to the group commit
/// (`OutcomeWriter`), without waiting for it. An outcome that may be the whole fleet's failure
/// rather than the portal's is held until the fleet knows which: queued once a refresh has
/// succeeded (a wrong secret or token URL), or once the network was shown to work after it (a
/// portal or the network check answered later: `FleetHealth.networkCleared`); dropped when the
/// fleet stops for a systemic reason (DESIGN §7: "mark nothing"). The summary counts committed
/// outcomes only.
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
    /// Outcomes held back, each with the fleet's network mark when it came.
    private var held: [(memberID: String, outcome: PortalOutcome, mark: UInt64)] = []

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

    /// Queues the outcome (and held ones now cleared) for the journal; never waits for a commit.
    /// Returns whether a failed outcome was queued (the fleet commits it before the next portal).
    @discardableResult
    func handle(_ memberID: String, _ outcome: PortalOutcome) -> Bool {
        let health = fleet.health
        var queuedFailure = false
        if let suspect = outcome.suspect {
            let mark = health.networkMark
            if health.stopReason != nil || !cleared(suspect, mark: mark) {
                held.append((memberID, outcome, mark))
            } else {
                writer.enqueue(memberID, outcome)
                queuedFailure = outcome.state == .failed
            }
        } else {
            writer.enqueue(memberID, outcome)
            queuedFailure = outcome.state == .failed
        }
        return release() || queuedFailure
    }

    /// Queues the held outcomes that are cleared now; true when it queued any.
    @discardableResult
    private func release() -> Bool {
        guard !held.isEmpty, fleet.health.stopReason == nil else { return false }
        var kept: [(memberID: String, outcome: PortalOutcome, mark: UInt64)] = []
        var released = false
        for item in held {
            if let suspect = item.outcome.suspect, !cleared(suspect, mark: item.mark) {
                kept.append(item)
            } else {
                writer.enqueue(item.memberID, item.outcome)
                released = true
            }
        }
        held = kept
        return released
    }

    /// At the end: outcomes of portals that gave no answer are cleared when the network works now
    /// (a network check: those portals are dead on their own, and end failed). What is still held
    /// was never cleared (no refresh succeeded in the run, or the network check got no answer
    /// either), so it is no evidence about its portals: the fleet stops as a systemic failure and
    /// nothing is recorded for them (DESIGN §7: "mark nothing").
    func finish() async {
        let network = held.filter { if case .network = $0.outcome.suspect { true } else { false } }
        if fleet.health.stopReason == nil, let newest = network.map(\.mark).max(), await fleet.health.verifyNetwork(after: newest) {
            release()
        }
        await writer.close()
        guard fleet.health.stopReason == nil, let suspect = held.first?.outcome.suspect else { return }
        fleet.health.concludeUncleared(suspect, portals: held.filter { $0.outcome.suspect?.isRefresh == suspect.isRefresh }.count)
    }

    /// Portals held back and not recorded (pending for the next run).
    var unrecorded: [String] { held.map(\.memberID) }

    private func cleared(_ suspect: FleetHealth.Suspect, mark: UInt64) -> Bool {
        suspect.isRefresh ? fleet.health.anyRefreshSucceeded : fleet.health.networkCleared(after: mark)
    }
}
