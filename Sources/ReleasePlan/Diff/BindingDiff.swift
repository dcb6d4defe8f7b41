/// The diff of placement and event bindings: matched by (code, handler); a code with exactly one
/// binding on each side whose handler differs is one change (`~`), not a removal and an addition.
enum BindingDiff {
    static func placements(_ before: [PlacementBinding], _ after: [PlacementBinding]) -> [PlanChange] {
        let previousCodes = Set(before.map(\.placement.uppercasedCode))
        return diff(
            before: before.map { ($0.key, $0) }, after: after.map { ($0.key, $0) }, value: PlanValue.placement,
            kind: .placement, path: "placements",
            requiresAdded: { key in previousCodes.contains(key.code) ? .minor : .major },
            requiresChanged: { old, new in
                // A title is what the portal shows: TITLE, or a LANG_ALL entry's title.
                let significant = ["handler", "title", "options"]
                let titles = { (value: PlanValue) in (value.field("langAll") ?? .null).entries.compactMapValues { $0.field("title") } }
                return significant.contains { old.field($0) != new.field($0) } || titles(old) != titles(new) ? .minor : .patch
            },
            addedReason: { key in
                previousCodes.contains(key.code)
                    ? "adding a second handler to placement `\(key.code)`" : "adding placement `\(key.code)`"
            },
            noun: "placement")
    }

    static func events(_ before: [EventBinding], _ after: [EventBinding]) -> [PlanChange] {
        diff(
            before: before.map { ($0.key, $0) }, after: after.map { ($0.key, $0) }, value: PlanValue.event,
            kind: .event, path: "events", requiresAdded: { _ in .minor },
            requiresChanged: { old, new in old.field("handler") != new.field("handler") ? .minor : .patch },
            addedReason: { key in "adding event `\(key.code)`" }, noun: "event")
    }

    /// The value with its code upper-cased: codes are case-insensitive, so `onCrmDealUpdate` and
    /// `ONCRMDEALUPDATE` are the same binding.
    private static func normalized(_ value: PlanValue) -> PlanValue {
        guard case .object(var object) = value else { return value }
        for key in ["placement", "event"] {
            if let code = object[key]?.stringValue { object[key] = .string(code.uppercasedCode) }
        }
        return .object(object)
    }

    /// The code as the plan spells it (matching is case-insensitive; the change shows the plan's text).
    private static func name(_ value: PlanValue?, _ key: BindingKey) -> String {
        value?.field("placement")?.stringValue ?? value?.field("event")?.stringValue ?? key.code
    }

    /// `value` turns a binding into what a change shows; it is called only for bindings that
    /// changed (an unchanged binding of a large plan costs no dictionary of its fields).
    private static func diff<Binding: Equatable>(
        before: [(BindingKey, Binding)], after: [(BindingKey, Binding)], value: (Binding) -> PlanValue, kind: PlanChange.Kind,
        path: String, requiresAdded: (BindingKey) -> Bump, requiresChanged: (PlanValue, PlanValue) -> Bump,
        addedReason: (BindingKey) -> String, noun: String
    ) -> [PlanChange] {
        let oldBindings = Dictionary(before, uniquingKeysWith: { first, _ in first })
        let newBindings = Dictionary(after, uniquingKeysWith: { first, _ in first })
        func old(_ key: BindingKey) -> PlanValue? { oldBindings[key].map(value) }
        func new(_ key: BindingKey) -> PlanValue? { newBindings[key].map(value) }
        let newIndex = Dictionary(after.enumerated().map { ($1.0, $0) }, uniquingKeysWith: { first, _ in first })
        var removed = oldBindings.keys.filter { newBindings[$0] == nil }
        var added = newBindings.keys.filter { oldBindings[$0] == nil }
        var changes: [PlanChange] = []
        // A code with exactly one binding on each side and a different handler: one `~`.
        let oldCount = Dictionary(grouping: oldBindings.keys, by: \.code).mapValues(\.count)
        let newCount = Dictionary(grouping: newBindings.keys, by: \.code).mapValues(\.count)
        for addedKey in added.sorted() where oldCount[addedKey.code] == 1 && newCount[addedKey.code] == 1 {
            guard let removedKey = removed.first(where: { $0.code == addedKey.code }) else { continue }
            removed.removeAll { $0 == removedKey }
            added.removeAll { $0 == addedKey }
            changes.append(
                PlanChange(
                    kind: kind, action: .changed, id: name(new(addedKey), addedKey), before: old(removedKey), after: new(addedKey),
                    requires: .minor, reason: "changing the handler of \(noun) `\(addedKey.code)`",
                    path: [.key(path), .index(newIndex[addedKey] ?? 0)]))
        }
        for key in added {
            changes.append(
                PlanChange(
                    kind: kind, action: .added, id: name(new(key), key), before: nil, after: new(key), requires: requiresAdded(key),
                    reason: addedReason(key), path: [.key(path), .index(newIndex[key] ?? 0)]))
        }
        for key in removed {
            changes.append(
                PlanChange(
                    kind: kind, action: .removed, id: name(old(key), key), before: old(key), after: nil, requires: .minor,
                    reason: "removing \(noun) `\(key.code)`", path: [.key(path)]))
        }
        for (key, binding) in newBindings {
            // Equal bindings give equal values: only differing ones are compared as values.
            guard let previousBinding = oldBindings[key], previousBinding != binding else { continue }
            let previous = value(previousBinding), current = value(binding)
            guard normalized(previous) != normalized(current) else { continue }
            let requires = requiresChanged(previous, current)
            changes.append(
                PlanChange(
                    kind: kind, action: .changed, id: name(current, key), before: previous, after: current, requires: requires,
                    reason: "changing \(noun) `\(key.code)`", path: [.key(path), .index(newIndex[key] ?? 0)]))
        }
        let keyed = changes.map { change in
            (change, change.id, change.action.rawValue, (change.after ?? change.before)?.field("handler")?.stringValue ?? "")
        }
        return keyed.sorted { ($0.1, $0.2, $0.3) < ($1.1, $1.2, $1.3) }.map(\.0)
    }
}

extension PlanValue {
    public func field(_ key: String) -> PlanValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    static func placement(_ binding: PlacementBinding) -> PlanValue {
        var object: [String: PlanValue] = ["placement": .string(binding.placement), "handler": .string(binding.handler)]
        if let title = binding.title { object["title"] = .string(title) }
        if let description = binding.description { object["description"] = .string(description) }
        if let groupName = binding.groupName { object["groupName"] = .string(groupName) }
        if let langAll = binding.langAll {
            object["langAll"] = .object(
                langAll.mapValues { text in
                    var entry: [String: PlanValue] = [:]
                    if let title = text.title { entry["title"] = .string(title) }
                    if let description = text.description { entry["description"] = .string(description) }
                    if let groupName = text.groupName { entry["groupName"] = .string(groupName) }
                    return .object(entry)
                })
        }
        if let options = binding.options { object["options"] = .object(options) }
        return .object(object)
    }

    static func event(_ binding: EventBinding) -> PlanValue {
        var object: [String: PlanValue] = [
            "event": .string(binding.event), "handler": .string(binding.handler),
            "eventType": .string(binding.eventType.rawValue),
        ]
        if let authType = binding.authType { object["authType"] = .number(String(authType)) }
        return .object(object)
    }
}
