import Foundation
import ReleasePlan

/// The portal's own diff: what to unbind, bind and rebind so its placements and events match the
/// plan, compared as the portal stores them (kept options only, LANG_ALL titles), skipping items
/// whose scope the token lacks. Pure: the runner sends the commands.
///
/// The Sites placements (`LANDING_SETTINGS`, `LANDING_BLOCK_<CODE>`) are registered with
/// `landing.repo.bind`, and no method reads them back: they are bound on every reconcile
/// (`PLACEMENT_EXIST` counts as bound), and the ones the release removes or changes are unbound
/// first with `landing.repo.unbind`, from the release's own changes.
public struct PortalReconciler: Sendable {
    public let plan: Plan
    /// Sites bindings to remove before binding (the code as the previous plan wrote it, the handler).
    public let landingUnbinds: [BindingKey]

    /// The plan's placements and events with what the catalogue says of them, looked up once per run
    /// rather than once per portal.
    private let plannedPlacements: [PlannedPlacement]
    private let plannedEvents: [PlannedEvent]
    private let landingPlacements: [PlacementBinding]

    public init(plan: Plan, landingUnbinds: [BindingKey] = []) {
        self.plan = plan
        self.landingUnbinds = landingUnbinds
        plannedPlacements = plan.placements.filter { Self.bindingMethod($0.placement) == .placement }.map(PlannedPlacement.init)
        plannedEvents = plan.events.map(PlannedEvent.init)
        landingPlacements = plan.placements.filter { Self.bindingMethod($0.placement) == .landingRepository }
    }

    /// A placement of the plan registered with `placement.bind`, and its bind command.
    private struct PlannedPlacement {
        let binding: PlacementBinding
        let key: BindingKey
        /// The scopes the catalogue asks for (nil: an unknown code, bound as lint left it).
        let catalogue: Bitrix24Placement?
        let keptOptions: [String: String]
        let bind: BatchCommand

        init(_ binding: PlacementBinding) {
            self.binding = binding
            key = binding.key
            catalogue = Bitrix24Catalogue.placement(binding.placement)
            keptOptions = PortalReconciler.keptOptions(binding)
            bind = PortalReconciler.bindPlacement(binding)
        }
    }

    /// An event handler of the plan and its bind command.
    private struct PlannedEvent {
        let binding: EventBinding
        let key: BindingKey
        let authType: String
        let offline: Bool
        let catalogue: Bitrix24Event?
        let bind: BatchCommand

        init(_ binding: EventBinding) {
            self.binding = binding
            key = binding.key
            authType = String(binding.authType ?? 0)
            offline = binding.eventType == .offline
            catalogue = Bitrix24Catalogue.event(binding.event)
            bind = PortalReconciler.bindEvent(binding)
        }
    }

    /// The commands and findings for one portal.
    public struct Work: Sendable, Equatable {
        /// Unbinds first, then binds (a change is an unbind and a bind), then the notice.
        public var commands: [BatchCommand] = []
        /// One line per difference, for drift and logs ("+ placement TASK_VIEW_TAB → …").
        public var differences: [String] = []
        /// Plan scopes the token lacks.
        public var missingScopes: [String] = []
        /// Items left out because their scope is missing.
        public var skipped: [String] = []
        /// Items the portal cannot show (the Sites placements): bound again, never compared.
        public var unreadable: [String] = []

        /// Whether anything differs from the plan (the notice is not a difference).
        public var hasDrift: Bool { !differences.isEmpty }
    }

    public func work(for snapshot: PortalSnapshot, includeNotice: Bool) -> Work {
        var work = Work()
        let granted = snapshot.scopes
        work.missingScopes = plan.scopeCodes.filter { !granted.contains($0) && !granted.contains(Bitrix24Catalogue.normalizedScope($0)) }
        placementWork(snapshot, into: &work)
        landingWork(snapshot, into: &work)
        eventWork(snapshot, into: &work)
        let binds = work.commands.filter { $0.method.hasSuffix(".bind") }
        let unbinds = work.commands.filter { $0.method.hasSuffix(".unbind") }
        work.commands = unbinds + binds
        if includeNotice, let notice = plan.notice {
            let value = noticeValue(snapshot: snapshot, missing: work.missingScopes)
            // Written only when the portal's copy differs, compared as the portal stores form values.
            if snapshot.notice.map({ PHPFormValue.flatten($0) }) != PHPFormValue.flatten(value) {
                work.commands.append(
                    BatchCommand(key: "", method: "app.option.set", parameters: ["options": .object([notice.option: value])]))
            }
        }
        // Zero-padded: the portal runs a batch's commands in the order of their keys as text.
        for index in work.commands.indices {
            let digits = String(index)
            work.commands[index].key = "w" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
        }
        return work
    }

    private func hasScope(_ scope: String?, in granted: Set<String>) -> Bool {
        guard let scope else { return true }
        return granted.contains(scope) || granted.contains { Bitrix24Catalogue.normalizedScope($0) == scope }
    }

    /// How a placement code is registered (an unknown code as `placement.bind`, as lint left it).
    public static func bindingMethod(_ code: String) -> Bitrix24BindingMethod {
        Bitrix24Catalogue.bindingMethod(forCode: code)
    }

    private func placementWork(_ snapshot: PortalSnapshot, into work: inout Work) {
        let canBind = snapshot.scopes.contains("placement")
        var stored: [BindingKey: PortalSnapshot.StoredPlacement] = [:]
        // Should a portal ever list a Sites placement, it is landing.repo's to manage, not ours to unbind.
        for item in snapshot.placements where Self.bindingMethod(item.placement) == .placement {
            stored[BindingKey(code: item.placement, handler: item.handler)] = item
        }
        var wanted = Set<BindingKey>()
        for planned in plannedPlacements {
            let key = planned.key
            wanted.insert(key)
            let present = stored[key]
            if let present, matches(planned, present, language: snapshot.language) { continue }
            let scopeGranted = planned.catalogue?.isSatisfied(by: snapshot.scopes) ?? true
            guard canBind, scopeGranted else {
                work.skipped.append("placement \(key.code) → \(key.handler)")
                continue
            }
            if present != nil {
                work.differences.append("~ placement \(key.code) → \(key.handler) (title or options differ)")
                work.commands.append(unbindPlacement(key))
            } else {
                work.differences.append("+ placement \(key.code) → \(key.handler)")
            }
            work.commands.append(planned.bind)
        }
        for (key, _) in stored.sorted(by: { $0.key < $1.key }) where !wanted.contains(key) {
            work.differences.append("- placement \(key.code) → \(key.handler)")
            work.commands.append(unbindPlacement(key))
        }
    }

    /// The Sites placements: unbind what the release removes or changes, then bind every one the
    /// plan has (they cannot be read back, so there is nothing to compare).
    private func landingWork(_ snapshot: PortalSnapshot, into work: inout Work) {
        let wanted = landingPlacements
        guard !wanted.isEmpty || !landingUnbinds.isEmpty else { return }
        let canBind = hasScope("landing", in: snapshot.scopes)
        for key in landingUnbinds {
            guard canBind else {
                work.skipped.append("placement \(key.code.uppercased()) → \(key.handler) (unbind)")
                continue
            }
            work.commands.append(
                BatchCommand(
                    key: "", method: Bitrix24BindingMethod.landingRepository.unbindMethod,
                    parameters: ["code": .string(key.code), "handler": .string(key.handler)]))
        }
        for binding in wanted {
            let key = binding.key
            work.unreadable.append("placement \(key.code) → \(key.handler)")
            guard canBind else {
                work.skipped.append("placement \(key.code) → \(key.handler)")
                continue
            }
            var fields: [String: PlanValue] = [
                // As the plan spells it: block codes are lowercase in the docs, and the case does not matter.
                "PLACEMENT": .string(binding.placement), "PLACEMENT_HANDLER": .string(binding.handler),
            ]
            if let title = Self.storedTitle(binding, language: snapshot.language) { fields["TITLE"] = .string(title) }
            work.commands.append(
                BatchCommand(
                    key: "", method: Bitrix24BindingMethod.landingRepository.bindMethod, parameters: ["fields": .object(fields)]))
        }
    }

    private func eventWork(_ snapshot: PortalSnapshot, into work: inout Work) {
        // The portal keys a registration by (event, handler, user): match stored entries exactly,
        // and unbind every stored entry no plan binding claims (duplicates for other users too).
        var unclaimed = snapshot.events
        for planned in plannedEvents {
            let key = planned.key
            let authType = planned.authType
            let offline = planned.offline
            if let index = unclaimed.firstIndex(where: {
                $0.event == key.code && $0.handler == key.handler && $0.authType == authType && $0.offline == offline
            }) {
                unclaimed.remove(at: index)
                continue
            }
            guard planned.catalogue?.isSatisfied(by: snapshot.scopes) ?? true else {
                work.skipped.append("event \(key.code) → \(key.handler)")
                continue
            }
            if let index = unclaimed.firstIndex(where: { $0.event == key.code && $0.handler == key.handler }) {
                let present = unclaimed.remove(at: index)
                work.differences.append("~ event \(key.code) → \(key.handler) (auth type or event type differ)")
                work.commands.append(unbindEvent(key, authType: present.authType, offline: present.offline))
            } else {
                work.differences.append("+ event \(key.code) → \(key.handler)")
            }
            work.commands.append(planned.bind)
        }
        for item in unclaimed.sorted(by: { ($0.event, $0.handler, $0.authType) < ($1.event, $1.handler, $1.authType) }) {
            let key = BindingKey(code: item.event, handler: item.handler)
            work.differences.append("- event \(key.code) → \(key.handler)")
            work.commands.append(unbindEvent(key, authType: item.authType, offline: item.offline))
        }
    }

    /// Whether the stored placement is what the planned binding would store.
    private func matches(_ planned: PlannedPlacement, _ stored: PortalSnapshot.StoredPlacement, language: String?) -> Bool {
        let expectedTitle = Self.storedTitle(planned.binding, language: language) ?? ""
        guard (stored.title ?? "") == expectedTitle else { return false }
        return planned.keptOptions == stored.options
    }

    /// The title the portal stores: LANG_ALL's in the portal's language, else the first LANG_ALL
    /// entry's (in the order sent: sorted), else TITLE.
    static func storedTitle(_ binding: PlacementBinding, language: String?) -> String? {
        if let langAll = binding.langAll, !langAll.isEmpty {
            if let language, let title = langAll[language]?.title { return title }
            if let first = langAll.keys.sorted().first, let title = langAll[first]?.title { return title }
        }
        return binding.title
    }

    /// The options the portal keeps for this placement, as text.
    static func keptOptions(_ binding: PlacementBinding) -> [String: String] {
        let kept = Bitrix24Catalogue.placement(binding.placement)?.keptOptions ?? []
        var options: [String: String] = [:]
        for (key, value) in binding.options ?? [:] where kept.contains(key) { options[key] = value.text ?? value.description }
        return options
    }

    static func bindPlacement(_ binding: PlacementBinding) -> BatchCommand {
        var parameters: [String: PlanValue] = ["PLACEMENT": .string(binding.placement.uppercased()), "HANDLER": .string(binding.handler)]
        if let title = binding.title { parameters["TITLE"] = .string(title) }
        if let description = binding.description { parameters["DESCRIPTION"] = .string(description) }
        if let group = binding.groupName { parameters["GROUP_NAME"] = .string(group) }
        if let langAll = binding.langAll, !langAll.isEmpty {
            parameters["LANG_ALL"] = .object(
                langAll.mapValues { text in
                    var entry: [String: PlanValue] = [:]
                    if let title = text.title { entry["TITLE"] = .string(title) }
                    if let description = text.description { entry["DESCRIPTION"] = .string(description) }
                    if let group = text.groupName { entry["GROUP_NAME"] = .string(group) }
                    return .object(entry)
                })
        }
        if let options = binding.options, !options.isEmpty { parameters["OPTIONS"] = .object(options) }
        return BatchCommand(key: "", method: "placement.bind", parameters: parameters)
    }

    private func unbindPlacement(_ key: BindingKey) -> BatchCommand {
        BatchCommand(key: "", method: "placement.unbind", parameters: ["PLACEMENT": .string(key.code), "HANDLER": .string(key.handler)])
    }

    static func bindEvent(_ binding: EventBinding) -> BatchCommand {
        BatchCommand(
            key: "", method: "event.bind",
            parameters: [
                "event": .string(binding.event.uppercased()), "handler": .string(binding.handler),
                "auth_type": .number(String(binding.authType ?? 0)), "event_type": .string(binding.eventType.rawValue),
            ])
    }

    private func unbindEvent(_ key: BindingKey, authType: String, offline: Bool) -> BatchCommand {
        BatchCommand(
            key: "", method: "event.unbind",
            parameters: [
                "event": .string(key.code), "handler": .string(key.handler), "auth_type": .string(authType),
                "event_type": .string(offline ? "offline" : "online"),
            ])
    }

    /// The notice this portal should hold: version, changelog in its language, missing scopes.
    func noticeValue(snapshot: PortalSnapshot, missing: [String]) -> PlanValue {
        let changelog =
            snapshot.language.flatMap { plan.changelog[$0] } ?? plan.changelog["en"]
            ?? plan.changelog.keys.sorted().first.flatMap { plan.changelog[$0] } ?? ""
        return .object([
            "version": .string(plan.version), "changelog": .string(changelog),
            "missingScopes": .array(missing.map(PlanValue.string)), "reinstallRequired": .bool(!missing.isEmpty),
        ])
    }
}
