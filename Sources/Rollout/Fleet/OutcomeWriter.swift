import Foundation
import PlanStore
import Synchronization

/// Writes the fleet's portal outcomes to the journal by group commit: the fleet queues an
/// outcome without waiting (`enqueue`), and one writer task commits what has queued — up to
/// `groupSize` outcomes, gathered for at most `linger` after the first — in one transaction on the
/// fleet's database thread, with the `inactive` marks in the installations table and the requests
/// per second that have ended.
///
/// Only committed outcomes count in `summary` (and so in progress lines and the exit code): a
/// kill -9 before the commit leaves those portals pending, and the next run reconciles them again,
/// which writes nothing to a portal that is already done. A rotated token never waits behind
/// queued groups: it is written by its own urgent item on the thread, which runs right after the
/// group being written (a few milliseconds at most) and never inside one. Once a group
/// fails, the fleet stops (`FleetHealth.stop(.store)`) and nothing more is written: the journal
/// keeps every group committed before it, and none after.
final class OutcomeWriter: Sendable {
    /// Outcomes per transaction, at most.
    static let defaultGroupSize = 200
    /// How long the first queued outcome waits for others, in nanoseconds (5 ms).
    static let defaultLinger: UInt64 = 5_000_000

    private struct Entry: Sendable {
        let memberID: String
        let outcome: PortalOutcome
    }

    private struct State: ~Copyable {
        var queue: [Entry] = []
        var writing = false
        var urgent = false
        var closed = false
        var failed = false
        var waiters: [CheckedContinuation<Void, Never>] = []
        var summary = PortalFleet.Summary()
        var writer: Task<Void, Never>?
    }

    let fleet: PortalFleet
    let runID: Int?
    let stepID: String
    let meter: RequestMeter?
    let groupSize: Int
    let linger: UInt64
    private let onProgress: @Sendable (PortalFleet.Summary) -> Void
    private let state = Mutex(State())
    private let wake: AsyncStream<Void>.Continuation
    private let wakeups: AsyncStream<Void>
    /// The second (Unix time) of the last drain of `meter`; only the writer task touches it.
    private let drainedAt = Mutex(0)

    init(
        fleet: PortalFleet, runID: Int?, stepID: String, meter: RequestMeter?, groupSize: Int = defaultGroupSize,
        linger: UInt64 = defaultLinger, onProgress: @escaping @Sendable (PortalFleet.Summary) -> Void
    ) {
        self.fleet = fleet
        self.runID = runID
        self.stepID = stepID
        self.meter = meter
        self.groupSize = max(1, groupSize)
        self.linger = linger
        self.onProgress = onProgress
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let writer = Task { [self] in await self.loop() }
        state.withLock { $0.writer = writer }
    }

    /// The committed outcomes.
    var summary: PortalFleet.Summary { state.withLock { $0.summary } }

    /// Whether nothing is queued or being written.
    var isIdle: Bool { state.withLock { $0.queue.isEmpty && !$0.writing } }

    /// Queues an outcome for the next group; never waits. Dropped once a group has failed.
    func enqueue(_ memberID: String, _ outcome: PortalOutcome) {
        let accepted = state.withLock { state -> Bool in
            guard !state.failed, !state.closed else { return false }
            state.queue.append(Entry(memberID: memberID, outcome: outcome))
            return true
        }
        if accepted { wake.yield() }
    }

    /// Returns once every outcome queued so far is committed (or dropped after a failure), without
    /// waiting for the group to fill.
    func flush() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = state.withLock { state -> Bool in
                if state.queue.isEmpty && !state.writing { return true }
                state.urgent = true
                state.waiters.append(continuation)
                return false
            }
            if idle { continuation.resume() } else { wake.yield() }
        }
    }

    /// Commits what is queued, then ends the writer; later outcomes are dropped.
    func close() async {
        let writer = state.withLock { state -> Task<Void, Never>? in
            state.closed = true
            return state.writer
        }
        wake.yield()
        await writer?.value
    }

    private func loop() async {
        var wakeups = self.wakeups.makeAsyncIterator()
        while true {
            let (empty, closed, hurry) = state.withLock { ($0.queue.isEmpty, $0.closed, $0.urgent || $0.queue.count >= groupSize) }
            if empty {
                if closed { break }
                _ = await wakeups.next()
                continue
            }
            if !hurry && !closed { try? await Task.sleep(nanoseconds: linger) }
            let group = state.withLock { state -> [Entry] in
                let group = Array(state.queue.prefix(groupSize))
                state.queue.removeFirst(group.count)
                state.writing = true
                return group
            }
            let committed = await write(group)
            let (summary, waiters) = state.withLock { state -> (PortalFleet.Summary?, [CheckedContinuation<Void, Never>]) in
                state.writing = false
                if committed {
                    for entry in group { Self.count(entry, in: &state.summary) }
                } else {
                    state.failed = true
                    state.queue.removeAll()
                }
                guard state.queue.isEmpty else { return (committed ? state.summary : nil, []) }
                state.urgent = false
                defer { state.waiters.removeAll() }
                return (committed ? state.summary : nil, state.waiters)
            }
            if let summary { onProgress(summary) }
            for waiter in waiters { waiter.resume() }
        }
        let waiters = state.withLock { state in
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
        wake.finish()
    }

    /// Writes one group in one transaction; false (and the fleet stopping) when it failed.
    private func write(_ group: [Entry]) async -> Bool {
        let (journal, installations, runID, stepID) = (fleet.journal, fleet.installations, runID, stepID)
        let inactive = fleet.marksInstallations ? group.filter { $0.outcome.state == .inactive }.map(\.memberID) : []
        guard let journal, let runID else {
            if inactive.isEmpty { return true }
            return report(await fleet.thread.run { try installations.markInactive(memberIDs: inactive) })
        }
        let requests = dueRequests()
        let rows = group.map { entry in
            Journal.PortalOutcomeRow(
                memberID: entry.memberID, state: entry.outcome.state, batches: entry.outcome.writes, lastError: entry.outcome.lastError,
                missingScopes: entry.outcome.missingScopes.isEmpty ? nil : entry.outcome.missingScopes.joined(separator: ","))
        }
        return report(
            await fleet.thread.run {
                // One connection holds the journal and the installations table: one transaction.
                try journal.database.transaction {
                    try installations.markInactive(memberIDs: inactive)
                    try journal.addRequestCounts(run: runID, step: stepID, requests)
                    try journal.savePortalOutcomes(run: runID, step: stepID, rows)
                }
            })
    }

    private func report(_ result: Result<Void, Error>) -> Bool {
        guard case .failure(let error) = result else { return true }
        fleet.health.stop(.store("\(error)"))
        return false
    }

    /// The ended seconds to add now: once a second at most, so a busy fleet adds one row per second.
    private func dueRequests() -> [Journal.RequestCount] {
        guard let meter else { return [] }
        let now = Int(fleet.client.clock.unixTime().rounded(.down))
        let due = drainedAt.withLock { drainedAt -> Bool in
            guard now > drainedAt else { return false }
            drainedAt = now
            return true
        }
        return due ? meter.drain(before: now) : []
    }

    private static func count(_ entry: Entry, in summary: inout PortalFleet.Summary) {
        let (memberID, outcome) = (entry.memberID, entry.outcome)
        summary.processed += 1
        summary.writes += outcome.writes
        summary.counts[outcome.state, default: 0] += 1
        if !outcome.differences.isEmpty { summary.drifted.append((memberID, outcome.differences)) }
        if outcome.state == .failed { summary.failures.append((memberID, outcome.lastError ?? "failed")) }
    }
}
