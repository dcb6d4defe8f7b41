/// How a change reads in text and Markdown: the item, and for `~` the fields that differ. The plan's
/// values come with their control characters escaped (`String.escapingControlCharacters`).
enum ChangeDescription {
    /// What diff says of a pre-release (unescaped).
    static func preRelease(_ version: String) -> String {
        "\(version) is never published; the next release is compared with the last published one"
    }

    /// "TASK_VIEW_TAB → https://…", "task", "2 backfill (migrations/0002.sql)", "free → subscription".
    static func item(_ change: PlanChange) -> String {
        unescapedItem(change).escapingControlCharacters
    }

    private static func unescapedItem(_ change: PlanChange) -> String {
        let value = change.after ?? change.before
        switch change.kind {
        case .placement, .event:
            let handler = value?.field("handler")?.stringValue ?? ""
            return "\(change.id) → \(handler)"
        case .migration:
            let name = value?.field("name")?.stringValue ?? ""
            let file = value?.field("file")?.stringValue ?? ""
            let perPortal = value?.field("perPortal") == .bool(true) ? ", per portal" : ""
            return "\(change.id) \(name) (\(file)\(perPortal))"
        case .monetization:
            if change.action == .changed { return "\(change.id): \(show(change.before)) → \(show(change.after))" }
            return "\(change.id): \(show(value))"
        case .minimumBitrix24Version:
            if change.action == .changed { return "\(show(change.before)) → \(show(change.after))" }
            return show(value)
        case .changelog:
            return "\(change.id): \(truncate(show(value), 60))"
        case .scope, .requiredMethod, .handlerHosts:
            return change.id
        }
    }

    /// For `~` of objects: `title: "a" → "b"` per field that differs, sorted by field.
    static func fieldChanges(_ change: PlanChange) -> [String] {
        guard change.action == .changed, case .object(let old)? = change.before, case .object(let new)? = change.after
        else { return [] }
        return Set(old.keys).union(new.keys).sortedByUTF8().compactMap { key in
            let before = old[key]
            let after = new[key]
            guard before != after else { return nil }
            return "\(key): \(before.map(show) ?? "(none)") → \(after.map(show) ?? "(none)")".escapingControlCharacters
        }
    }

    static func show(_ value: PlanValue?) -> String {
        guard let value else { return "(none)" }
        if case .string(let text) = value { return text }
        return value.description
    }

    static func truncate(_ text: String, _ limit: Int) -> String {
        let line = text.split(separator: "\n").first.map(String.init) ?? ""
        return line.count > limit ? String(line.prefix(limit - 1)) + "…" : line
    }

    static func kindLabel(_ kind: PlanChange.Kind) -> String {
        switch kind {
        case .minimumBitrix24Version: return "minimum version"
        case .requiredMethod: return "required method"
        case .handlerHosts: return "handler host"
        default: return kind.rawValue
        }
    }
}
