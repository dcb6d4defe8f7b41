import PlanStore
import ReleasePlan

/// What `status` shows (and its JSON, DESIGN §9).
struct StatusReport: Encodable {
    struct Step: Encodable {
        var id: String
        var state: String
        var startedAt: String?
        var finishedAt: String?
        var detail: String?
        /// A rollout's canary or wave: its portals by state (a key only for those steps).
        var portals: [String: Int]?

        enum CodingKeys: String, CodingKey { case id, state, startedAt, finishedAt, detail, portals }

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(state, forKey: .state)
            try container.encode(startedAt, forKey: .startedAt)
            try container.encode(finishedAt, forKey: .finishedAt)
            try container.encode(detail, forKey: .detail)
            try container.encodeIfPresent(portals, forKey: .portals)
        }
    }

    var run: Int
    var app: String
    var version: String
    var state: String
    var steps: [Step]
    var portals: [String: Int]
    var missingScopes: [String: [String]]?
    /// `--portals`: a page of portals with their state and reason.
    var portalList: PortalList?

    enum CodingKeys: String, CodingKey { case run, app, version, state, steps, portals, missingScopes, portalList, nextAfter }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(run, forKey: .run)
        try container.encode(app, forKey: .app)
        try container.encode(version, forKey: .version)
        try container.encode(state, forKey: .state)
        try container.encode(steps, forKey: .steps)
        try container.encode(portals, forKey: .portals)
        try container.encodeIfPresent(missingScopes, forKey: .missingScopes)
        if let portalList {
            try container.encode(portalList.entries, forKey: .portalList)
            try container.encode(portalList.nextAfter, forKey: .nextAfter)
        }
    }

    /// `installations`: the app's table, to count the portals a started but unfinished reconcile has
    /// not reached yet as pending (they have no row until then).
    static func build(
        run: Journal.Run, journal: Journal, compiled: CompiledPlan?, missingScopes: Bool, installations: InstallationStore? = nil
    ) throws -> StatusReport {
        let records = try journal.steps(run: run.id)
        let order = compiled?.steps.map(\.id) ?? records.keys.sorted(by: StepOrder.precedes)
        let steps = try order.map { id in
            let record = records[id]
            var waveCounts: [String: Int]?
            if id == RolloutPolicy.canaryStep || id.hasPrefix("portals.wave.") {
                let counts = try journal.portalCounts(run: run.id, step: id)
                waveCounts = Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) })
            }
            return Step(
                id: id, state: record?.state.rawValue ?? "pending", startedAt: record?.startedAt, finishedAt: record?.finishedAt,
                detail: record?.detail, portals: waveCounts)
        }
        let portals = try PortalTotals.count(
            run: run.id, journal: journal, installations: installations, records: records, compiled: compiled)
        var scopes: [String: [String]]?
        if missingScopes {
            scopes = [:]
            for task in try journal.portalTasks(run: run.id, step: "portals.scope-audit") {
                for scope in (task.missingScopes ?? "").split(separator: ",").map(String.init) where !scope.isEmpty {
                    scopes?[scope, default: []].append(task.memberID)
                }
            }
        }
        return StatusReport(
            run: run.id, app: run.app, version: run.version, state: run.state.rawValue, steps: steps, portals: portals,
            missingScopes: scopes, portalList: nil)
    }

    func text(style: TextStyle) -> String {
        var out = style.bold("\(app) \(version)") + " — run \(run), \(state)\n\n"
        for step in steps {
            let times = [step.startedAt.map { "started \($0)" }, step.finishedAt.map { "finished \($0)" }].compactMap { $0 }
            out += "  " + step.id.padded(22) + step.state.padded(9) + times.joined(separator: ", ") + "\n"
            if let portals = step.portals, !portals.isEmpty {
                let order = ["done", "needs-reinstall", "inactive", "failed", "pending", "running"]
                out +=
                    "      portals: " + order.compactMap { state in portals[state].map { "\($0) \(state)" } }.joined(separator: ", ") + "\n"
            }
            // A done step's detail is noise, except the preflight's answers (or that it was skipped).
            if let detail = step.detail, step.state != "done" || step.id == PlanStep.Kind.portalsPreflight.rawValue {
                let lines = detail.split(separator: "\n", omittingEmptySubsequences: false)
                let shown = step.state == "failed" ? lines : Array(lines.prefix(1))
                out += shown.map { "      " + $0 }.joined(separator: "\n") + "\n"
            }
        }
        let total = portals.values.reduce(0, +)
        if total > 0 {
            out +=
                "\nportals: "
                + ["done", "needs-reinstall", "inactive", "failed", "pending"]
                .map { "\(portals[$0] ?? 0) \($0)" }.joined(separator: ", ") + "\n"
        }
        if let missingScopes {
            out += "\nmissing scopes:\n"
            if missingScopes.isEmpty { out += "  none recorded\n" }
            for scope in missingScopes.keys.sorted() {
                let members = missingScopes[scope] ?? []
                out += "  \(scope): \(members.count) installation\(members.count == 1 ? "" : "s")\n"
                for member in members { out += "    \(member)\n" }
            }
        }
        if let portalList { out += portalList.text(style: style) }
        return out
    }
}

/// Graph order of step ids when no plan is at hand: migrations by id, then the fixed steps.
enum StepOrder {
    static func precedes(_ a: String, _ b: String) -> Bool { key(a) < key(b) }

    static func key(_ id: String) -> (Int, Int, String) {
        let fixed = [
            "deploy", "gate.partner", "gate.moderation", "portals.preflight", "portals.reconcile", "portals.canary", "gate.canary",
            "soak.canary",
        ]
        if id.hasPrefix("migrate.schema.") { return (0, Int(id.dropFirst("migrate.schema.".count)) ?? 0, id) }
        if id.hasPrefix("migrate.data.") { return (1, Int(id.dropFirst("migrate.data.".count)) ?? 0, id) }
        if id == "portals.scope-audit" { return (4, 0, id) }
        // The waves in order, each before its gate or soak.
        for (rank, prefix) in ["portals.wave.", "gate.wave.", "soak.wave."].enumerated() where id.hasPrefix(prefix) {
            return (3, (Int(id.dropFirst(prefix.count)) ?? 0) * 3 + rank, id)
        }
        return (2, fixed.firstIndex(of: id) ?? fixed.count, id)
    }
}
