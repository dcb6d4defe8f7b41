/// What the per-portal reconcile will do, from the placement and event changes: the lines `diff`
/// prints and the number of write commands per portal (for the rollout estimate).
struct ReconcileWork {
    var actions: [String] = []
    var writeCommandsPerPortal = 0
    var hasBindingChanges = false

    init(plan: Plan, changes: [PlanChange], isInitial: Bool) {
        for change in changes where change.kind == .placement || change.kind == .event {
            hasBindingChanges = true
            let method = change.kind == .placement ? "placement" : "event"
            let handler = (change.after ?? change.before)?.field("handler")?.stringValue ?? ""
            switch change.action {
            case .added:
                actions.append("\(method).bind \(change.id) → \(handler)\(Self.scopeNote(change, plan: plan))")
                writeCommandsPerPortal += 1
            case .removed:
                actions.append("\(method).unbind \(change.id) → \(handler)")
                writeCommandsPerPortal += 1
            case .changed:
                let old = change.before?.field("handler")?.stringValue ?? ""
                let what = old == handler ? "" : " (was \(old))"
                actions.append("\(method).unbind + \(method).bind \(change.id) → \(handler)\(what)\(Self.scopeNote(change, plan: plan))")
                writeCommandsPerPortal += 2
            }
        }
        if let notice = plan.notice, hasBindingChanges || !isInitial {
            actions.append("app.option.set \(notice.option): this version's notice, missing scopes and whether to reinstall")
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
