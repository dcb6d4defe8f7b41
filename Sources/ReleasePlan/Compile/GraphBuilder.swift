import Foundation

/// Builds the execution graph in small ordered passes (DESIGN §6); each pass adds its steps and
/// the edges that follow from what they need. The output order is the topological order.
struct GraphBuilder {
    var plan: Plan
    /// Migrations new in this release, in id order.
    var newMigrations: [Migration]
    var moderation: Bitrix24TimelineRow?
    var reconcile: ReconcileWork?
    var addedScopes: [String]
    var scopeUpgrade: ScopeUpgrade?
    /// New or changed handler URLs (`portals.preflight` before the reconcile when there are any).
    var preflightURLs: [String] = []
    /// A rollout in waves: the reconcile becomes a canary and waves with gates or soaks between.
    var rolloutPolicy: RolloutPolicy?
    /// Installations, for the waves' sizes and times (nil: shares only).
    var installations: Int?
    /// Portals in parallel, for the waves' times.
    var parallelism = RolloutEstimate.defaultParallelism

    func build() -> [PlanStep] {
        var steps: [PlanStep] = []
        let schema = schemaMigrations(after: [])
        steps += schema
        let lastSchema = schema.last.map { [$0.id] } ?? []
        steps += dataMigrations(after: lastSchema)
        steps.append(deploy(after: lastSchema))
        steps.append(partnerGate())
        steps.append(moderationGate())
        var tail = "gate.moderation"
        if let reconcile {
            if let preflight = Self.preflightStep(preflightURLs, after: [tail]) {
                steps.append(preflight)
                tail = preflight.id
            }
            if let rolloutPolicy {
                let waves = waveSteps(reconcile, policy: rolloutPolicy, after: tail)
                steps += waves
                tail = waves.last?.id ?? tail
            } else {
                steps.append(reconcileStep(reconcile, after: tail))
                tail = "portals.reconcile"
            }
        }
        if !addedScopes.isEmpty {
            steps.append(scopeAudit(after: tail))
        }
        return steps
    }

    /// Pass 1: schema migrations, chained in id order.
    private func schemaMigrations(after start: [String]) -> [PlanStep] {
        var previous = start
        return newMigrations.filter { !$0.perPortal }.map { migration in
            let step = PlanStep(
                id: "migrate.schema.\(migration.id)", kind: .migrateSchema, after: previous,
                actions: [
                    "run \(migration.file) (\(migration.name))"
                        + (migration.transaction ? " in one transaction with its schema_migrations row" : " outside a transaction")
                ],
                migration: migration)
            previous = [step.id]
            return step
        }
    }

    /// Pass 2: per-portal data migrations, after the schema, chained in id order.
    private func dataMigrations(after start: [String]) -> [PlanStep] {
        var previous = start
        return newMigrations.filter(\.perPortal).map { migration in
            let batch = migration.batchSize.map(String.init) ?? "the default"
            let step = PlanStep(
                id: "migrate.data.\(migration.id)", kind: .migrateData, after: previous,
                actions: [
                    "run \(migration.file) (\(migration.name)) for every active installation, :batch_size \(batch), "
                        + "until a batch changes no row; each batch commits with its progress"
                ],
                migration: migration)
            previous = [step.id]
            return step
        }
    }

    /// Pass 3: the deploy hook (a manual gate when the plan has no command).
    private func deploy(after: [String]) -> PlanStep {
        if let command = plan.deploy?.command, !command.isEmpty {
            return PlanStep(
                id: "deploy", kind: .deploy, after: after,
                actions: ["run " + command.map(ShellQuoting.quote).joined(separator: " ")], command: command)
        }
        return PlanStep(
            id: "deploy", kind: .deploy, after: after, manual: true,
            actions: ["deploy version \(plan.version) of the app's code, then pass this gate"])
    }

    /// Pass 4: the partner account and moderation gates.
    private func partnerGate() -> PlanStep {
        PlanStep(
            id: "gate.partner", kind: .gatePartner, after: ["deploy"], manual: true,
            actions: ["enter version \(plan.version), its changelog, the minimum Bitrix24 version and the scopes in the partner account"])
    }

    private func moderationGate() -> PlanStep {
        let estimate =
            moderation.map { " (estimate: \($0.minDays)–\($0.maxDays) days; \($0.minWeeks)–\($0.maxWeeks) weeks to users)" } ?? ""
        return PlanStep(
            id: "gate.moderation", kind: .gateModeration, after: ["gate.partner"], manual: true,
            actions: ["wait for Marketplace moderation to approve version \(plan.version)\(estimate)"])
    }

    /// Pass 5: one request to each new or changed handler URL before any portal is touched.
    static func preflightStep(_ urls: [String], after: [String]) -> PlanStep? {
        guard !urls.isEmpty else { return nil }
        let actions =
            [
                "POST an empty form to each new or changed handler URL, as a portal calls it: a DNS or TLS failure, a refused "
                    + "connection, a timeout, 404 or 5xx stops the release before any portal is touched (--skip-preflight skips it)"
            ] + urls.map { "check \($0)" }
        return PlanStep(id: PlanStep.Kind.portalsPreflight.rawValue, kind: .portalsPreflight, after: after, actions: actions)
    }

    /// Pass 6: the per-portal reconcile and the scope audit.
    private func reconcileStep(_ work: ReconcileWork, after: String) -> PlanStep {
        var actions = [
            "on every active portal: one read batch (app.info, scope, placement.get, event.get), then write batches of ≤ 50 commands"
        ]
        actions += work.actions
        return PlanStep(id: "portals.reconcile", kind: .portalsReconcile, after: [after], actions: actions)
    }

    /// The canary and the waves, each but the last followed by its gate or soak.
    private func waveSteps(_ work: ReconcileWork, policy: RolloutPolicy, after start: String) -> [PlanStep] {
        var steps: [PlanStep] = []
        var tail = start
        let portalSteps = policy.portalStepIDs
        for (index, id) in portalSteps.enumerated() {
            var actions: [String]
            let kind: PlanStep.Kind
            if id == RolloutPolicy.canaryStep {
                kind = .portalsCanary
                switch policy.canary {
                case .memberIDs(let ids)?:
                    actions = ["the canary: \(ids.count) portal\(ids.count == 1 ? "" : "s") (\(ids.joined(separator: ", ")))"]
                case .whereClause(let clause)?: actions = ["the canary: the installations where \(clause)"]
                case nil: actions = []
                }
            } else {
                kind = .portalsWave
                let number = index + (policy.canary == nil ? 1 : 0)
                let upper = policy.waves[number - 1]
                let lower = number > 1 ? policy.waves[number - 2] : 0
                var share =
                    "wave \(number): the installations in the share \(RolloutPolicy.percent(lower))–\(RolloutPolicy.percent(upper)) %"
                if let installations {
                    let size = Int((Double(installations) * (upper - lower) / 100).rounded())
                    let time = RolloutEstimate(
                        installations: size, source: "", writeCommands: work.writeCommandsPerPortal, parallelism: parallelism)
                    share += " (about \(size) of \(installations), ≈ \(time.durationText))"
                }
                actions = [share + (policy.canary == nil ? "" : ", the canary left out")]
            }
            actions.append(
                "halts when more than \(RolloutPolicy.percent(policy.haltFailedPercent)) % of its portals fail (judged from "
                    + "\(policy.haltMinPortals) portals on); apply --retry failed continues it")
            actions += work.actions
            steps.append(PlanStep(id: id, kind: kind, after: [tail], actions: actions))
            tail = id
            guard index < portalSteps.count - 1 else { break }
            let between = policy.betweenStep(after: id)
            switch policy.between {
            case .gate:
                steps.append(
                    PlanStep(
                        id: between, kind: .gateWave, after: [tail], manual: true,
                        actions: ["check the portals of \(id), then pass this gate to start \(portalSteps[index + 1])"]))
            case .soak(let seconds):
                steps.append(
                    PlanStep(
                        id: between, kind: .soak, after: [tail],
                        actions: ["wait \(Self.duration(seconds)) after \(id) before \(portalSteps[index + 1]) starts"],
                        soakSeconds: seconds))
            }
            tail = between
        }
        return steps
    }

    /// `90 s`, `15 min`, `2 h`, `1 d`.
    static func duration(_ seconds: Int) -> String {
        if seconds % 86400 == 0 { return "\(seconds / 86400) d" }
        if seconds % 3600 == 0 { return "\(seconds / 3600) h" }
        if seconds % 60 == 0 { return "\(seconds / 60) min" }
        return "\(seconds) s"
    }

    private func scopeAudit(after: String) -> PlanStep {
        let list = addedScopes.map { "`\($0)`" }.joined(separator: ", ")
        let how: String
        switch scopeUpgrade {
        case .incremental?: how = "they get it through the app's extra OAuth flow"
        default: how = "their admins must reinstall the app"
        }
        return PlanStep(
            id: "portals.scope-audit", kind: .portalsScopeAudit, after: [after],
            actions: ["list the installations whose token lacks \(list) (\(how)); see b24plan status --missing-scopes"])
    }
}

/// Quoting an argv for display only (the deploy hook itself never goes through a shell).
public enum ShellQuoting {
    public static func quote(_ argument: String) -> String {
        let safe = argument.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:@%+,".contains($0) }
        if safe && !argument.isEmpty { return argument }
        return "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
