/// Compares a new plan with the published one, item by item, and says what bump each change needs.
public enum PlanDiff {
    /// The changes from `previous` to `plan`, in a deterministic order (kind, then id, then action).
    public static func changes(from previous: Plan, to plan: Plan) -> [PlanChange] {
        var changes: [PlanChange] = []
        changes += scopeChanges(previous, plan)
        // Placements, events and migrations: compared at once, on every core, when long enough to be worth it.
        let lists: [@Sendable () -> [PlanChange]] = [
            { BindingDiff.placements(previous.placements, plan.placements) },
            { BindingDiff.events(previous.events, plan.events) },
            { migrationChanges(previous, plan) },
        ]
        let size = [previous, plan].reduce(0) { $0 + $1.placements.count + $1.events.count + $1.migrations.count }
        if size > 500 {
            changes += ConcurrentWork.map(lists.count) { lists[$0]() }.joined()
        } else {
            for list in lists { changes += list() }
        }
        changes += monetizationChanges(previous, plan)
        changes += minimumVersionChanges(previous, plan)
        changes += setChanges(
            .requiredMethod, before: previous.requiredMethods, after: plan.requiredMethods, path: "requiredMethods",
            addRequires: .minor, removeRequires: .patch, noun: "required method")
        changes += changelogChanges(previous, plan)
        changes += setChanges(
            .handlerHosts, before: previous.handlerHosts ?? [], after: plan.handlerHosts ?? [], path: "handlerHosts",
            addRequires: .patch, removeRequires: .patch, noun: "handler host")
        return changes
    }

    /// The largest bump any change requires (patch when nothing changed).
    public static func requiredBump(_ changes: [PlanChange]) -> Bump {
        changes.map(\.requires).max() ?? .patch
    }

    /// The first change that requires `bump`: the one messages name.
    public static func firstChange(requiring bump: Bump, in changes: [PlanChange]) -> PlanChange? {
        changes.first { $0.requires == bump }
    }

    private static func scopeChanges(_ previous: Plan, _ plan: Plan) -> [PlanChange] {
        let before = Set(previous.scopeCodes)
        var changes: [PlanChange] = []
        for (index, code) in plan.scopeCodes.enumerated() where !before.contains(code) {
            changes.append(
                PlanChange(
                    kind: .scope, action: .added, id: code, before: nil, after: .string(code), requires: .major,
                    reason: "adding scope `\(code)`", path: ["scopes", .index(index)]))
        }
        let after = Set(plan.scopeCodes)
        for code in previous.scopeCodes where !after.contains(code) {
            changes.append(
                PlanChange(
                    kind: .scope, action: .removed, id: code, before: .string(code), after: nil, requires: .minor,
                    reason: "removing scope `\(code)`", path: ["scopes"]))
        }
        return deduplicated(changes).sorted { ($0.id, $0.action.rawValue) < ($1.id, $1.action.rawValue) }
    }

    private static func migrationChanges(_ previous: Plan, _ plan: Plan) -> [PlanChange] {
        if let changes = alignedMigrationChanges(previous.migrations, plan.migrations) { return changes }
        let before = Dictionary(previous.migrations.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let after = Dictionary(plan.migrations.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var firstIndex: [Int: Int] = [:]
        for (index, migration) in plan.migrations.enumerated() where firstIndex[migration.id] == nil {
            firstIndex[migration.id] = index
        }
        var changes: [PlanChange] = []
        for id in Set(before.keys).union(after.keys).sorted() {
            if let change = migrationChange(id, before[id], after[id], index: firstIndex[id]) { changes.append(change) }
        }
        return changes
    }

    /// The common case of ids increasing strictly on both sides (1, 2, 3, … as B24P301 wants): both
    /// lists walked side by side, in id order, without dictionaries. Nil for any other lists.
    private static func alignedMigrationChanges(_ before: [Migration], _ after: [Migration]) -> [PlanChange]? {
        func increasing(_ migrations: [Migration]) -> Bool { zip(migrations, migrations.dropFirst()).allSatisfy { $0.id < $1.id } }
        guard increasing(before), increasing(after) else { return nil }
        var changes: [PlanChange] = []
        var old = 0
        var new = 0
        while old < before.count || new < after.count {
            let change: PlanChange?
            if new == after.count || (old < before.count && before[old].id < after[new].id) {
                change = migrationChange(before[old].id, before[old], nil, index: nil)
                old += 1
            } else if old == before.count || after[new].id < before[old].id {
                change = migrationChange(after[new].id, nil, after[new], index: new)
                new += 1
            } else {
                change = migrationChange(after[new].id, before[old], after[new], index: new)
                old += 1
                new += 1
            }
            if let change { changes.append(change) }
        }
        return changes
    }

    /// The change of migration `id` from `before` to `after` (nil: absent on that side); `index` is
    /// its first place in the new plan. Nil when nothing changed.
    private static func migrationChange(_ id: Int, _ before: Migration?, _ after: Migration?, index: Int?) -> PlanChange? {
        // Equal migrations have equal values: the common case builds none.
        if let before, let after, before == after { return nil }
        let old = before.map(PlanValue.migration)
        let new = after.map(PlanValue.migration)
        let path: JSONPath = index.map { ["migrations", .index($0)] } ?? ["migrations"]
        switch (old, new) {
        case (nil, let new?):
            return PlanChange(
                kind: .migration, action: .added, id: String(id), before: nil, after: new, requires: .patch,
                reason: "adding migration \(id)", path: path)
        case (let old?, nil):
            return PlanChange(
                kind: .migration, action: .removed, id: String(id), before: old, after: nil, requires: .patch,
                reason: "removing migration \(id)", path: path)
        case (let old?, let new?) where old != new:
            return PlanChange(
                kind: .migration, action: .changed, id: String(id), before: old, after: new, requires: .patch,
                reason: "changing migration \(id)", path: path)
        default:
            return nil
        }
    }

    /// The model only (DESIGN §5: the change's id is `model`); a new trial length alone is not a
    /// change of the monetization model.
    private static func monetizationChanges(_ previous: Plan, _ plan: Plan) -> [PlanChange] {
        // An absent `monetization` means a free app: declaring "free" is no change.
        let oldModel = previous.monetization?.model ?? .free
        let newModel = plan.monetization?.model ?? .free
        guard oldModel != newModel else { return [] }
        let action: PlanChange.Action =
            previous.monetization == nil ? .added : plan.monetization == nil ? .removed : .changed
        return [
            PlanChange(
                kind: .monetization, action: action, id: "model",
                before: previous.monetization.map { .string($0.model.rawValue) },
                after: plan.monetization.map { .string($0.model.rawValue) }, requires: .major,
                reason: "changing the monetization model from \(oldModel.rawValue) to \(newModel.rawValue)",
                path: ["monetization", "model"])
        ]
    }

    private static func minimumVersionChanges(_ previous: Plan, _ plan: Plan) -> [PlanChange] {
        let old = previous.minimumBitrix24Version
        let new = plan.minimumBitrix24Version
        guard old != new else { return [] }
        return [
            PlanChange(
                kind: .minimumBitrix24Version, action: old == nil ? .added : new == nil ? .removed : .changed,
                id: "minimumBitrix24Version", before: old.map(PlanValue.string), after: new.map(PlanValue.string),
                requires: .minor, reason: "changing minimumBitrix24Version", path: ["minimumBitrix24Version"])
        ]
    }

    private static func changelogChanges(_ previous: Plan, _ plan: Plan) -> [PlanChange] {
        var changes: [PlanChange] = []
        for language in Set(previous.changelog.keys).union(plan.changelog.keys).sortedByUTF8() {
            let old = previous.changelog[language]
            let new = plan.changelog[language]
            guard old != new else { continue }
            changes.append(
                PlanChange(
                    kind: .changelog, action: old == nil ? .added : new == nil ? .removed : .changed, id: language,
                    before: old.map(PlanValue.string), after: new.map(PlanValue.string), requires: .patch,
                    reason: "changing the changelog", path: new == nil ? ["changelog"] : ["changelog", .key(language)]))
        }
        return changes
    }

    private static func setChanges(
        _ kind: PlanChange.Kind, before: [String], after: [String], path: String, addRequires: Bump, removeRequires: Bump,
        noun: String
    ) -> [PlanChange] {
        let old = Set(before)
        let new = Set(after)
        var changes: [PlanChange] = []
        for (index, item) in after.enumerated() where !old.contains(item) {
            changes.append(
                PlanChange(
                    kind: kind, action: .added, id: item, before: nil, after: .string(item), requires: addRequires,
                    reason: "adding \(noun) `\(MessageValue.shown(item))`", path: [.key(path), .index(index)]))
        }
        for item in before where !new.contains(item) {
            changes.append(
                PlanChange(
                    kind: kind, action: .removed, id: item, before: .string(item), after: nil, requires: removeRequires,
                    reason: "removing \(noun) `\(MessageValue.shown(item))`", path: [.key(path)]))
        }
        return deduplicated(changes).sorted { ($0.id, $0.action.rawValue) < ($1.id, $1.action.rawValue) }
    }

    private static func deduplicated(_ changes: [PlanChange]) -> [PlanChange] {
        var seen = Set<String>()
        return changes.filter { seen.insert($0.action.rawValue + "\u{0}" + $0.id).inserted }
    }
}

extension PlanValue {
    /// A migration entry as the diff shows it.
    static func migration(_ migration: Migration) -> PlanValue {
        var object: [String: PlanValue] = [
            "id": .number(String(migration.id)), "name": .string(migration.name), "file": .string(migration.file),
        ]
        if let sha256 = migration.sha256 { object["sha256"] = .string(sha256) }
        if migration.perPortal { object["perPortal"] = .bool(true) }
        if let batchSize = migration.batchSize { object["batchSize"] = .number(String(batchSize)) }
        if !migration.transaction { object["transaction"] = .bool(false) }
        return .object(object)
    }
}
