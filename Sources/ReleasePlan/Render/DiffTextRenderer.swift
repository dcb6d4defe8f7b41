/// The text of `b24plan diff`: a header, the changes in Terraform style, the numbered steps, and
/// the values to enter in the partner account. Every value from the plan is printed with its control
/// characters escaped (`String.escapingControlCharacters`); only the styling is raw escape codes.
public struct DiffTextRenderer: Sendable {
    public var style: TextStyle

    public init(style: TextStyle = .plain) { self.style = style }

    public func render(_ plan: CompiledPlan) -> String {
        var out = header(plan) + "\n"
        out += style.bold("Changes") + "\n"
        if plan.changes.isEmpty {
            out += "  No changes against \(shown(plan.from ?? "nothing")).\n"
        }
        for change in plan.changes {
            out +=
                "  " + symbol(change.action) + " " + ChangeDescription.kindLabel(change.kind).padded(16)
                + shown(ChangeDescription.item(change))
            if plan.from != nil { out += style.dim("  (\(change.requires.rawValue))") }
            out += "\n"
            for field in ChangeDescription.fieldChanges(change) {
                out += "      " + shown(field) + "\n"
            }
        }
        out += "\n" + style.bold("Steps") + "\n"
        for (index, step) in plan.steps.enumerated() {
            let manual = step.manual ? style.yellow(" (manual)") : ""
            let after = step.after.isEmpty ? "" : style.dim("  after \(shown(step.after.joined(separator: ", ")))")
            out += "  \(index + 1). " + style.bold(shown(step.id)) + manual + after + "\n"
            for action in step.actions { out += "       " + shown(action) + "\n" }
        }
        // Only a release entered in the partner account has values to enter (a rollback has none).
        if plan.step(PlanStep.Kind.gatePartner.rawValue) != nil { out += "\n" + partnerAccount(plan.partnerAccount) }
        out += "\n" + summary(plan) + "\n"
        return out
    }

    private func header(_ plan: CompiledPlan) -> String {
        var out = style.bold(shown("\(plan.app) \(plan.from ?? "(initial release)") → \(plan.to)")) + "\n"
        out += "  update type:    \(plan.updateType.rawValue)\n"
        if plan.isPreRelease {
            out += "  pre-release:    \(shown(ChangeDescription.preRelease(plan.to)))\n"
        }
        if plan.from != nil {
            let declared = plan.declaredBump?.rawValue ?? "none (versioning: free)"
            out += "  version bump:   requires \(plan.requiredBump?.rawValue ?? "patch"), declares \(declared)\n"
        }
        if let row = plan.moderation {
            out += "  moderation:     \(row.minDays)–\(row.maxDays) days (\(row.row) update)\n"
            out += "  time to users:  \(row.minWeeks)–\(row.maxWeeks) weeks\n"
        } else {
            out += "  moderation:     first publication (the update timeline covers updates only)\n"
        }
        if let rollout = plan.rollout {
            out += "  rollout:        \(shown(rollout.summary))\n"
        }
        return out
    }

    private func partnerAccount(_ values: PartnerAccountValues) -> String {
        var out = style.bold("Partner account") + " (enter these for version \(shown(values.version)))\n"
        out += "  " + "version:".padded(24) + shown(values.version) + "\n"
        for (language, text) in values.changelog.sorted(by: { $0.key < $1.key }) {
            out += "  " + shown("changelog (\(language)):").padded(24) + shown(text) + "\n"
        }
        out += "  " + "minimum Bitrix24:".padded(24) + shown(values.minimumBitrix24Version ?? "(not set)") + "\n"
        out += "  " + "scopes:".padded(24) + shown(values.scopes.joined(separator: ", ")) + "\n"
        return out
    }

    private func summary(_ plan: CompiledPlan) -> String {
        let added = plan.changes.filter { $0.action == .added }.count
        let changed = plan.changes.filter { $0.action == .changed }.count
        let removed = plan.changes.filter { $0.action == .removed }.count
        let manual = plan.steps.filter(\.manual).count
        return style.bold("Plan:") + " \(added) to add, \(changed) to change, \(removed) to remove; "
            + "\(plan.steps.count) steps, \(manual) manual."
    }

    /// A value from the plan, safe to print (its control characters escaped).
    private func shown(_ text: String) -> String { text.escapingControlCharacters }

    private func symbol(_ action: PlanChange.Action) -> String {
        switch action {
        case .added: return style.green("+")
        case .removed: return style.red("-")
        case .changed: return style.yellow("~")
        }
    }
}

extension String {
    /// The text followed by spaces up to `width` characters (and at least one space).
    public func padded(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
