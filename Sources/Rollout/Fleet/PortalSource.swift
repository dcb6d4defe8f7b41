import Foundation
import PlanStore

/// Where the fleet takes its next portals from: the installations table page by page (one
/// process), or tasks claimed from the journal under a lease (a shared run on PostgreSQL).
/// Every call runs its database work on the fleet's `DatabaseThread`.
protocol PortalSource: AnyObject, Sendable {
    /// Up to `limit` installations to start now.
    func next(limit: Int) async throws -> PortalBatch
    /// Puts back portals that were taken but not finished (the fleet stopped).
    func giveBack(_ memberIDs: [String]) async
    /// Work to do now and then while portals are in flight (renewing leases).
    func keepAlive(inFlight: [String]) async
    /// How many free places the fleet waits for before it asks for more portals (1: at once).
    func claimGranularity(parallel: Int) -> Int
}

extension PortalSource {
    func claimGranularity(parallel: Int) -> Int { 1 }
}

enum PortalBatch {
    case items([InstallationStore.Installation])
    /// Nothing to start now, but others hold leases that may come back.
    case later(String?)
    case exhausted
}

/// The installations table, a page at a time, skipping portals the journal has finished.
final class PagedPortalSource: PortalSource, @unchecked Sendable {
    let fleet: PortalFleet
    let runID: Int?
    let stepID: String
    let selection: PortalFleet.Selection
    let whereClause: String?
    let memberIDs: [String]?
    /// Only members it accepts (a wave's share of the installations).
    let memberFilter: (@Sendable (String) -> Bool)?
    private var known: [String: Journal.PortalState]?
    private var buffer: [InstallationStore.Installation] = []
    private var after: String?
    private var lastPage = false

    init(
        fleet: PortalFleet, runID: Int?, stepID: String, selection: PortalFleet.Selection, where whereClause: String?, memberIDs: [String]?,
        memberFilter: (@Sendable (String) -> Bool)? = nil
    ) {
        self.memberFilter = memberFilter
        self.fleet = fleet
        self.runID = runID
        self.stepID = stepID
        self.selection = selection
        self.whereClause = whereClause
        self.memberIDs = memberIDs
    }

    func next(limit: Int) async throws -> PortalBatch {
        if known == nil {
            let (journal, runID, stepID) = (fleet.journal, runID, stepID)
            known = try await fleet.thread.perform {
                var states: [String: Journal.PortalState] = [:]
                if let journal, let runID {
                    for item in try journal.portalTasks(run: runID, step: stepID) { states[item.memberID] = item.state }
                }
                return states
            }
        }
        while buffer.isEmpty && !lastPage {
            let (installations, after, pageSize, whereClause, memberIDs) = (
                fleet.installations, after, fleet.pageSize, whereClause, memberIDs
            )
            let page = try await fleet.thread.perform {
                try installations.installations(after: after, limit: pageSize, where: whereClause, memberIDs: memberIDs)
            }
            lastPage = page.count < pageSize
            self.after = page.last?.memberID
            if page.isEmpty { lastPage = true }
            buffer = page.filter { PortalFleet.selected(known?[$0.memberID], selection) && (memberFilter?($0.memberID) ?? true) }
        }
        guard !buffer.isEmpty else { return .exhausted }
        let taken = Array(buffer.prefix(limit))
        buffer.removeFirst(taken.count)
        return .items(taken)
    }

    func giveBack(_ memberIDs: [String]) async {}
    func keepAlive(inFlight: [String]) async {}
}

/// Tasks claimed from the journal with `FOR UPDATE SKIP LOCKED` under a lease that is renewed
/// while the portal is worked on, so only a dead owner's leases ever expire (DESIGN §7, scale-out).
final class ClaimingPortalSource: PortalSource, @unchecked Sendable {
    let fleet: PortalFleet
    let journal: Journal
    let runID: Int
    let stepID: String
    let owner: String
    let leaseSeconds: TimeInterval
    /// Says what the source does that an operator should know (a dead process's portals taken over).
    var notice: @Sendable (String) -> Void = { _ in }
    /// Dead local owners' leases are looked for at the start and whenever nothing is claimable,
    /// not on every claim (a grouping query per portal would be on the hot path).
    private var lookForDeadLeases = true

    init(fleet: PortalFleet, journal: Journal, runID: Int, stepID: String, owner: String, leaseSeconds: TimeInterval) {
        self.fleet = fleet
        self.journal = journal
        self.runID = runID
        self.stepID = stepID
        self.owner = owner
        self.leaseSeconds = leaseSeconds
    }

    func next(limit: Int) async throws -> PortalBatch {
        let (journal, installations, runID, stepID, owner, lease) = (journal, fleet.installations, runID, stepID, owner, leaseSeconds)
        let (notice, releaseDead) = (self.notice, lookForDeadLeases)
        let batch = try await fleet.thread.perform { () throws -> PortalBatch in
            if releaseDead {
                let released = try journal.releaseDeadLocalLeases(run: runID, step: stepID)
                if released > 0 {
                    notice("took over \(released) portal\(released == 1 ? "" : "s") leased by a process of this host that is gone")
                }
            }
            let claimed = try journal.claimPortalTasks(run: runID, step: stepID, owner: owner, limit: limit, leaseSeconds: lease)
            if claimed.isEmpty {
                let unfinished = try journal.unfinishedPortalTasks(run: runID, step: stepID)
                if unfinished.pending == 0 && unfinished.leased == 0 { return .exhausted }
                let others = try journal.leaseHolders(run: runID, step: stepID).filter { $0.owner != owner }
                guard let first = others.first else { return .later(nil) }
                return .later(
                    "waiting for \(others.map(\.tasks).reduce(0, +)) portals leased by \(others.map(\.owner).joined(separator: ", ")) "
                        + "(until \(first.expiresAt) unless renewed)")
            }
            let found = try installations.installations(after: nil, limit: claimed.count, memberIDs: claimed)
            let active = Set(found.map(\.memberID))
            try journal.savePortalOutcomes(
                run: runID, step: stepID,
                claimed.filter { !active.contains($0) }.map {
                    Journal.PortalOutcomeRow(memberID: $0, state: .inactive, lastError: "no longer an active installation")
                })
            return found.isEmpty ? .later(nil) : .items(found)
        }
        if case .later = batch { lookForDeadLeases = true } else { lookForDeadLeases = false }
        return batch
    }

    /// An eighth of the places (16 of 128): claims stay few while nearly all places stay busy.
    func claimGranularity(parallel: Int) -> Int { max(1, parallel / 8) }

    func giveBack(_ memberIDs: [String]) async {
        let (journal, runID, stepID, owner) = (journal, runID, stepID, owner)
        _ = await fleet.thread.run { try journal.releaseClaims(run: runID, step: stepID, owner: owner, memberIDs: memberIDs) }
    }

    func keepAlive(inFlight: [String]) async {
        let (journal, runID, stepID, owner, lease) = (journal, runID, stepID, owner, leaseSeconds)
        _ = await fleet.thread.run {
            try journal.renewLeases(run: runID, step: stepID, owner: owner, memberIDs: inFlight, leaseSeconds: lease)
        }
    }
}
