/// `diff --format json` (DESIGN §9): the compiled plan's public shape, with explicit nulls.
public struct DiffOutput: Encodable {
    public var compiled: CompiledPlan
    public var diagnostics: [Diagnostic]

    public init(_ compiled: CompiledPlan, diagnostics: [Diagnostic]) {
        self.compiled = compiled
        self.diagnostics = diagnostics
    }

    enum Keys: String, CodingKey {
        case app, from, to, preRelease, updateType, declaredBump, requiredBump, effectiveLevel, moderation, changes, steps,
            diagnostics, partnerAccount, rollout
    }

    enum ModerationKeys: String, CodingKey { case row, minDays, maxDays, minWeeks, maxWeeks }
    enum ChangeKeys: String, CodingKey { case kind, action, id, before, after, requires }
    enum StepKeys: String, CodingKey { case id, kind, after, manual, actions, command, soakSeconds }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        let plan = compiled
        try container.encode(plan.app, forKey: .app)
        try encodeOptional(plan.from, in: &container, forKey: .from)
        try container.encode(plan.to, forKey: .to)
        try container.encode(plan.isPreRelease, forKey: .preRelease)
        try container.encode(plan.updateType, forKey: .updateType)
        try encodeOptional(plan.declaredBump, in: &container, forKey: .declaredBump)
        try encodeOptional(plan.requiredBump, in: &container, forKey: .requiredBump)
        try encodeOptional(plan.effectiveLevel, in: &container, forKey: .effectiveLevel)
        if let row = plan.moderation {
            var moderation = container.nestedContainer(keyedBy: ModerationKeys.self, forKey: .moderation)
            try moderation.encode(row.row, forKey: .row)
            try moderation.encode(row.minDays, forKey: .minDays)
            try moderation.encode(row.maxDays, forKey: .maxDays)
            try moderation.encode(row.minWeeks, forKey: .minWeeks)
            try moderation.encode(row.maxWeeks, forKey: .maxWeeks)
        } else {
            try container.encodeNil(forKey: .moderation)
        }
        var changes = container.nestedUnkeyedContainer(forKey: .changes)
        for change in plan.changes {
            var item = changes.nestedContainer(keyedBy: ChangeKeys.self)
            try item.encode(change.kind, forKey: .kind)
            try item.encode(change.action, forKey: .action)
            try item.encode(change.id, forKey: .id)
            try item.encode(change.before ?? .null, forKey: .before)
            try item.encode(change.after ?? .null, forKey: .after)
            if plan.from == nil { try item.encodeNil(forKey: .requires) } else { try item.encode(change.requires, forKey: .requires) }
        }
        var steps = container.nestedUnkeyedContainer(forKey: .steps)
        for step in plan.steps {
            var item = steps.nestedContainer(keyedBy: StepKeys.self)
            try item.encode(step.id, forKey: .id)
            try item.encode(step.kind, forKey: .kind)
            try item.encode(step.after, forKey: .after)
            try item.encode(step.manual, forKey: .manual)
            try item.encode(step.actions, forKey: .actions)
            if let command = step.command { try item.encode(command, forKey: .command) }
            if let seconds = step.soakSeconds { try item.encode(seconds, forKey: .soakSeconds) }
        }
        try container.encode(diagnostics, forKey: .diagnostics)
        try container.encode(plan.partnerAccount, forKey: .partnerAccount)
        try encodeOptional(plan.rollout, in: &container, forKey: .rollout)
    }

    private func encodeOptional<Value: Encodable>(
        _ value: Value?, in container: inout KeyedEncodingContainer<Keys>, forKey key: Keys
    ) throws {
        if let value { try container.encode(value, forKey: key) } else { try container.encodeNil(forKey: key) }
    }
}
