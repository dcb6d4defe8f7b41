/// What the per-portal reconcile will do, from the placement and event changes: the lines `diff`
/// prints and the number of write commands per portal (for the rollout estimate).
struct ReconcileWork {
    var actions: [String] = []
    var writeCommandsPerPortal = 0
    var hasBindingChanges = false

    init(plan: Plan, changes: [PlanChange], isInitial: Bool) {
        for change in changes where change.kind == .placement || change.kind == .event {
            hasBindingChanges = true
            let binding =
                change.kind == .placement ? Bitrix24Catalogue.placement(change.id)?.binding ?? .placement : nil
            let (bind, unbind) = binding.map { ($0.bindMethod, $0.unbindMethod) } ?? ("event.bind", "event.unbind")
            let handler = (change.after ?? change.before)?.field("handler")?.stringValue ?? ""
            switch change.action {
            case .added:
                actions.append("\(bind) \(change.id) → \(handler)\(Self.scopeNote(change, plan: plan))")
                writeCommandsPerPortal += 1
            case .removed:
                actions.append("\(unbind) \(change.id) → \(handler)")
                writeCommandsPerPortal += 1
            case .changed:
                let old = change.before?.field("handler")?.stringValue ?? ""
                let what = old == handler ? "" : " (was \(old))"
                actions.append("\(unbind) + \(bind) \(change.id) → \(handler)\(what)\(Self.scopeNote(change, plan: plan))")
                writeCommandsPerPortal += 2
            }
        }
        // The Sites placements cannot be read back: every reconcile binds them again.
        let changed = Set(changes.filter { $0.kind == .placement && $0.action != .removed }.map { $0.id.uppercased() })
        for binding in plan.placements
        where Bitrix24Catalogue.placement(binding.placement)?.binding == .landingRepository
            && !changed.contains(binding.placement.uppercased())
        {
            actions.append(
                "landing.repo.bind \(binding.placement) → \(binding.handler) (again: no method reads it back; PLACEMENT_EXIST counts as bound)"
            )
            writeCommandsPerPortal += 1
        }
        if let notice = plan.notice, hasBindingChanges || !isInitial {
            actions.append(
                "app.option.set \(notice.option): this version's notice, missing scopes and whether to reinstall (where the portal's copy differs)"
            )
            writeCommandsPerPortal += 1
        }
    }

    /// "; portals without scope `task` are reported as needs-reinstall" for items that need a scope.
    private static func scopeNote(_ change: PlanChange, plan: Plan) -> String {
        let scope: String?
        if change.kind == .placement {
            scope = Bitrix24Catalogue.placement(change.id)?.scope
        } else {
            scope = Bitrix24Catalogue.event(change.id)?.scope
        }
        guard let scope else { return "" }
        return "; portals without scope `\(scope)` are reported as needs-reinstall"
    }
}

extension PlanValue {
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}
