import Foundation
import PlanStore
import ReleasePlan
import Synchronization

/// Runs a per-portal task on every selected installation: `parallel` portals in flight, the
/// portals' outcomes saved in the journal by group commit (`OutcomeWriter`: many portals per
/// transaction, a few milliseconds after they are known; the summary and progress count committed
/// ones only).
///
/// Every database call runs on `thread`, never on the concurrency pool; a store error comes back
/// as a value and stops the fleet (no new portals, in-flight ones end at their next request), so
/// nothing ever tears down the task group while requests are in flight. The fleet also stops on
/// a systemic failure or a signal (`FleetHealth`), and then throws `FleetStopped` once every
/// in-flight portal has ended.
public final class PortalFleet: @unchecked Sendable {
    /// Which portals a run touches.
    public enum Selection: String, Sendable, CaseIterable {
        /// Portals without a final state in this step, and failed ones (a resumed run skips done ones).
        case unfinished
        /// Only portals that failed (`apply --retry failed`).
        case failed
        /// Only portals that needed a reinstall (`apply --retry needs-reinstall`).
        case needsReinstall = "needs-reinstall"
        /// Every selected portal, whatever its state (`reconcile --member-id`).
        case any
    }

    public struct Summary: Sendable, Equatable {
        public var counts: [Journal.PortalState: Int] = [:]
        public var processed = 0
        public var writes = 0
        /// Portals that differ from the plan (drift), with the differences.
        public var drifted: [(memberID: String, differences: [String])] = []
        /// Portals that ended `failed`, with the reason (drift reports them as unknown).
        public var failures: [(memberID: String, reason: String)] = []

        public static func == (lhs: Summary, rhs: Summary) -> Bool {
            lhs.counts == rhs.counts && lhs.processed == rhs.processed && lhs.writes == rhs.writes
                && lhs.drifted.map(\.memberID) == rhs.drifted.map(\.memberID)
        }
    }

    public typealias PortalTask = @Sendable (PortalSession, InstallationStore.Installation) async -> PortalOutcome

    public let installations: InstallationStore
    public let journal: Journal?
    public let client: PortalClientFactory
    public let parallel: Int
    public let pageSize: Int
    /// Where every database call of the fleet runs.
    public let thread: DatabaseThread
    /// Whether an `inactive` portal is marked in the installations table (writing commands only).
    public let marksInstallations: Bool
    public var health: FleetHealth { client.health }

    public init(
        installations: InstallationStore, journal: Journal?, client: PortalClientFactory, parallel: Int, pageSize: Int = 500,
        thread: DatabaseThread, marksInstallations: Bool = true
    ) {
        self.installations = installations
        self.journal = journal
        self.client = client
        self.parallel = max(1, parallel)
        self.pageSize = pageSize
        self.thread = thread
        self.marksInstallations = marksInstallations && journal != nil
    }

    /// Runs `task` on the selected portals of (run, step), paging through the installations;
    /// `where`/`memberIDs` narrow the set.
    public func run(
        runID: Int?, stepID: String, selection: Selection, where extra: String? = nil, memberIDs: [String]? = nil,
        memberFilter: (@Sendable (String) -> Bool)? = nil,
        onProgress: @escaping @Sendable (Summary) -> Void = { _ in }, task: @escaping PortalTask
    ) async throws -> Summary {
        let source = PagedPortalSource(
            fleet: self, runID: runID, stepID: stepID, selection: selection, where: extra, memberIDs: memberIDs, memberFilter: memberFilter)
        return try await drive(source, runID: runID, stepID: stepID, onProgress: onProgress, task: task)
    }

    /// Claims and runs portals of (run, step) until none is left to claim and none is leased by
    /// another process (a shared run on PostgreSQL).
    public func runClaiming(
        runID: Int, stepID: String, owner: String, leaseSeconds: TimeInterval = 120,
        onProgress: @escaping @Sendable (Summary) -> Void = { _ in }, onNotice: @escaping @Sendable (String) -> Void = { _ in },
        task: @escaping PortalTask
    ) async throws -> Summary {
        guard let journal else { throw BitrixError.malformed("claiming portals needs the journal") }
        let source = ClaimingPortalSource(
            fleet: self, journal: journal, runID: runID, stepID: stepID, owner: owner, leaseSeconds: leaseSeconds)
        source.notice = onNotice
        return try await drive(
            source, runID: runID, stepID: stepID, keepAliveEvery: max(0.2, leaseSeconds / 3), onProgress: onProgress, onNotice: onNotice,
            task: task)
    }

    static func selected(_ state: Journal.PortalState?, _ selection: Selection) -> Bool {
        switch selection {
        case .unfinished: return state == nil || state == .pending || state == .running || state == .failed
        case .failed: return state == .failed
        case .needsReinstall: return state == .needsReinstall
        case .any: return true
        }
    }

    private func drive(
        _ source: any PortalSource, runID: Int?, stepID: String, keepAliveEvery: Double? = nil,
        onProgress: @escaping @Sendable (Summary) -> Void, onNotice: @escaping @Sendable (String) -> Void = { _ in },
        task: @escaping PortalTask
    ) async throws -> Summary {
        let health = self.health
        // Requests per second, for the journal (a run's steps only; drift has no run).
        let meter: RequestMeter? = journal != nil && runID != nil ? RequestMeter() : nil
        let recorder = OutcomeRecorder(fleet: self, runID: runID, stepID: stepID, meter: meter, onProgress: onProgress)
        // No statement of the fleet waits forever on another session's lock (PostgreSQL; SQLite has
        // its busy timeout): a blocked token write fails, is retried, and the run stops.
        let database = installations.database
        let (limit, unlimit): ([String], [String])
        switch database.dialect {
        case .postgres:
            (limit, unlimit) = (
                ["SET lock_timeout = '10s'", "SET statement_timeout = '60s'"], ["RESET lock_timeout", "RESET statement_timeout"]
            )
        case .mysql:
            (limit, unlimit) = (["SET SESSION innodb_lock_wait_timeout = 10"], ["SET SESSION innodb_lock_wait_timeout = DEFAULT"])
        case .sqlite:
            (limit, unlimit) = ([], [])
        }
        if !limit.isEmpty { _ = await thread.run { for statement in limit { try database.execute(statement) } } }
        defer { if !unlimit.isEmpty { _ = thread.runAndWait { for statement in unlimit { try database.execute(statement) } } } }
        let inFlight = MemberSet()
        let keepAlive = keepAliveEvery.map { interval in
            Task {
                while !Task.isCancelled {
                    try? await Task.sleep(nanoseconds: UInt64(interval * 1e9))
                    let members = inFlight.members
                    if !members.isEmpty { await source.keepAlive(inFlight: members) }
                }
            }
        }
        defer { keepAlive?.cancel() }
        var lastNotice: String?
        await withTaskGroup(of: (String, PortalOutcome).self) { group in
            var running = 0
            var exhausted = false
            while true {
                // A claiming source takes portals a few at a time (a claim is a round trip and a
                // transaction on the journal), not one each time a portal ends.
                let refill = running == 0 ? 1 : min(parallel, source.claimGranularity(parallel: parallel))
                // While the network is being checked (portals stopped answering), no portal starts.
                await health.waitForNetworkCheck()
                while !exhausted && parallel - running >= refill && health.stopReason == nil {
                    let batch: PortalBatch
                    do {
                        batch = try await source.next(limit: parallel - running)
                    } catch {
                        health.stop(.store("\(error)"))
                        break
                    }
                    switch batch {
                    case .exhausted:
                        exhausted = true
                    case .later(let notice):
                        if let notice, notice != lastNotice { onNotice(notice) }
                        lastNotice = notice
                        if running == 0 {
                            // Our own finished portals count as leased until their group commits.
                            if recorder.writer.isIdle {
                                try? await Task.sleep(nanoseconds: 200_000_000)
                            } else {
                                await recorder.writer.flush()
                            }
                        }
                    case .items(let installations):
                        for installation in installations {
                            let session = client.session(for: installation, meter: meter)
                            inFlight.insert(installation.memberID)
                            // No token the session held leaves it in what the portal said.
                            group.addTask { (installation.memberID, session.redacted(await task(session, installation))) }
                            running += 1
                        }
                    }
                    if case .later = batch { break }
                }
                guard running > 0 else {
                    if exhausted || health.stopReason != nil { break }
                    continue
                }
                guard let (memberID, outcome) = await group.next() else { break }
                running -= 1
                inFlight.remove(memberID)
                if outcome.stopped {
                    await source.giveBack([memberID])
                    continue
                }
                // A failure is committed before another portal starts, with every outcome queued
                // before it: a wave's halt (`rollout.halt`, judged on the committed summary) stops
                // the fleet at the same portal as when every outcome had its own commit.
                if recorder.handle(memberID, outcome) { await recorder.writer.flush() }
            }
        }
        await recorder.finish()
        // Every request sent was sent, whatever became of its portal: the seconds left are added too.
        await recorder.flushRequests()
        if !recorder.unrecorded.isEmpty { await source.giveBack(recorder.unrecorded) }
        if let reason = health.stopReason {
            throw FleetStopped(reason: reason, unsavedTokens: health.unsavedTokens)
        }
        return recorder.summary
    }
}

/// Member ids shared between the fleet loop and its lease keeper.
final class MemberSet: Sendable {
    private let storage = Mutex<Set<String>>([])
    func insert(_ memberID: String) { storage.withLock { _ = $0.insert(memberID) } }
    func remove(_ memberID: String) { storage.withLock { _ = $0.remove(memberID) } }
    var members: [String] { storage.withLock { Array($0) } }
}
