import PlanStore
import ReleasePlan

/// Reconciles one portal: one read batch, the portal's own diff, write batches of ≤ 50 commands
/// (`halt=0`); "Handler already binded" (and `PLACEMENT_EXIST` / `PLACEMENT_NO_EXIST` for the Sites
/// placements) counts as success. Read-only for drift.
public struct PortalReconcileTask: Sendable {
    public enum Mode: Sendable, Equatable {
        /// Change the portal; write the release notice when the plan has one.
        case apply
        /// Only read and compare (drift).
        case readOnly
    }

    public let reconciler: PortalReconciler
    public let mode: Mode

    /// - Parameters:
    ///   - plan: the release to reconcile the portal to.
    ///   - landingUnbinds: Sites bindings the release removes or changes (``Journal/sitesUnbinds(for:)``).
    ///   - mode: write or only compare.
    public init(plan: Plan, landingUnbinds: [BindingKey] = [], mode: Mode) {
        self.reconciler = PortalReconciler(plan: plan, landingUnbinds: landingUnbinds)
        self.mode = mode
    }

    /// Sends a write batch; commands refused with OPERATION_TIME_LIMIT are sent again (in order, in a
    /// new batch) once the method's budget is back, a few times at most.
    func sendRetryingTimeLimits(_ commands: [BatchCommand], session: PortalSession, attempts: Int = 3) async throws -> BatchResult {
        var result = try await session.batch(commands)
        for _ in 0..<attempts {
            let limited = commands.filter { result.errors[$0.key]?.code == "OPERATION_TIME_LIMIT" }
            guard let first = limited.first else { break }
            try await session.waitForOperatingReset(
                method: first.method, resetAt: limited.compactMap { result.operatingResetAt[$0.key] }.max())
            let retried = try await session.batch(limited)
            for command in limited {
                result.errors[command.key] = retried.errors[command.key]
                result.results[command.key] = retried.results[command.key]
            }
        }
        return result
    }

    /// Whether the catalogue marks a placement or event code as removed from the docs.
    static func isRemovedFromDocs(_ code: String) -> Bool {
        Bitrix24Catalogue.placement(code)?.status == .removed || Bitrix24Catalogue.event(code)?.status == .removed
    }

    public func run(_ session: PortalSession) async -> PortalOutcome {
        do {
            let methods = reconciler.plan.requiredMethods
            let noticeOption = mode == .apply ? reconciler.plan.notice?.option : nil
            let read = try await session.batch(PortalSnapshot.readCommands(requiredMethods: methods, noticeOption: noticeOption))
            let snapshot = try PortalSnapshot(batch: read, requiredMethods: methods)
            if snapshot.enterprise { session.useEnterprisePacing() }
            let work = reconciler.work(for: snapshot, includeNotice: mode == .apply)
            var outcome = PortalOutcome(state: .done, missingScopes: work.missingScopes, differences: work.differences)
            var notes: [String] = []
            if !snapshot.unavailableMethods.isEmpty {
                notes.append("methods not available on this portal: " + snapshot.unavailableMethods.joined(separator: ", "))
            }
            if mode == .apply {
                for start in stride(from: 0, to: work.commands.count, by: 50) {
                    let chunk = Array(work.commands[start..<min(start + 50, work.commands.count)])
                    let result = try await sendRetryingTimeLimits(chunk, session: session)
                    outcome.writes += chunk.count
                    for command in chunk {
                        guard result.results[command.key] != nil || result.errors[command.key] != nil else {
                            // Neither done nor refused: nothing is known to have changed, so not done.
                            if outcome.state != .needsReinstall { outcome.state = .failed }
                            notes.append("\(command.method) \(command.subject): the batch answer has neither a result nor an error for it")
                            continue
                        }
                        guard let error = result.errors[command.key], !error.meansAlreadyDone(by: command.method) else { continue }
                        let notFound = error.code == "ERROR_PLACEMENT_NOT_FOUND" || error.code == "ERROR_EVENT_NOT_FOUND"
                        // landing.repo.* needs only scope landing, which was checked: never a scope.
                        let sites = command.method.hasPrefix("landing.")
                        if notFound && sites {
                            outcome.state = .failed
                            notes.append(
                                "\(command.method) \(command.subject): \(error.description); the portal does not know this Sites "
                                    + "code although the token holds scope landing")
                        } else if notFound && !Self.isRemovedFromDocs(command.subject) {
                            outcome.state = .needsReinstall
                            notes.append("\(command.method) refused for lack of a scope: \(error.description)")
                        } else if notFound {
                            // Not a scope: the portal no longer knows the code. A reinstall would not help.
                            outcome.state = .failed
                            notes.append(
                                "\(command.method) \(command.subject): \(error.description); this code is removed from the "
                                    + "Bitrix24 docs (B24P218): remove it from the plan")
                        } else if outcome.state != .needsReinstall {
                            outcome.state = .failed
                            notes.append(
                                "\(command.method) \(command.subject): \(error.description)"
                            )
                        }
                    }
                }
            }
            if outcome.state == .done && (!work.missingScopes.isEmpty || !snapshot.installed) {
                outcome.state = .needsReinstall
            }
            if !snapshot.installed { notes.insert("app.info says INSTALLED: false (widgets hidden, events not sent)", at: 0) }
            if !work.missingScopes.isEmpty {
                notes.append(
                    "token lacks " + work.missingScopes.joined(separator: ", ")
                        + (work.skipped.isEmpty ? "" : "; skipped " + work.skipped.joined(separator: ", ")))
            }
            outcome.lastError = notes.isEmpty ? nil : notes.joined(separator: "; ")
            return outcome
        } catch {
            return PortalOutcome.from(error, health: session.health)
        }
    }
}
