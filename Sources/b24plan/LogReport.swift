import PlanStore
import ReleasePlan

/// What `log` shows: every run in the store, newest first, with its release state (DESIGN §9).
struct LogReport: Encodable {
    struct Gate: Encodable {
        var step: String
        var state: String
        var by: String
        var at: String
        var reason: String?

        enum CodingKeys: String, CodingKey { case step, state, by, at, reason }

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(step, forKey: .step)
            try container.encode(state, forKey: .state)
            try container.encode(by, forKey: .by)
            try container.encode(at, forKey: .at)
            try container.encode(reason, forKey: .reason)
        }

        /// `passed by ann at …: reason`, with the person's and the reason's control characters
        /// escaped (they are typed by people, and a terminal would run an escape sequence).
        var line: String {
            "\(state) by \(by.escapingControlCharacters) at \(at)" + (reason.map { ": \($0.escapingControlCharacters)" } ?? "")
        }
    }

    struct Step: Encodable {
        var id: String
        var state: String
        var finishedAt: String?
    }

    struct Entry: Encodable {
        var app: String
        var version: String
        /// published, rolled-back, rejected, abandoned, pre-release, unpublished; rollback or migrate for those runs.
        var state: String
        var kind: String
        var run: Int
        var runState: String
        var updateType: String?
        var publishedAt: String?
        var recordedBy: String?
        var rolledBackTo: String?
        var planSHA256: String?
        var gates: [Gate]
        var steps: [Step]
        var portals: [String: Int]

        enum CodingKeys: String, CodingKey {
            case app, version, state, kind, run, runState, updateType, publishedAt, recordedBy, rolledBackTo, planSHA256, gates, steps,
                portals
        }

        /// Every key always, `null` when there is no value (the keys are stable, DESIGN §9).
        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(app, forKey: .app)
            try container.encode(version, forKey: .version)
            try container.encode(state, forKey: .state)
            try container.encode(kind, forKey: .kind)
            try container.encode(run, forKey: .run)
            try container.encode(runState, forKey: .runState)
            try container.encode(updateType, forKey: .updateType)
            try container.encode(publishedAt, forKey: .publishedAt)
            try container.encode(recordedBy, forKey: .recordedBy)
            try container.encode(rolledBackTo, forKey: .rolledBackTo)
            try container.encode(planSHA256, forKey: .planSHA256)
            try container.encode(gates, forKey: .gates)
            try container.encode(steps, forKey: .steps)
            try container.encode(portals, forKey: .portals)
        }
    }

    var releases: [Entry]

    static func build(journal: Journal, app: String?) throws -> LogReport {
        var entries: [Entry] = []
        for run in try journal.runs(app: app).reversed() {
            let release = run.kind == .release ? try journal.release(app: run.app, version: run.version) : nil
            let state: String
            if let release {
                state = release.state.rawValue
            } else if run.kind != .release {
                state = run.kind.rawValue
            } else if run.state == .rejected || run.state == .abandoned {
                state = run.state.rawValue
            } else {
                state = Journal.isPreRelease(run.version) ? "pre-release" : "unpublished"
            }
            let gates = try journal.gates(app: run.app, version: run.version).map {
                Gate(step: $0.stepID, state: $0.state.rawValue, by: $0.passedBy, at: $0.passedAt, reason: $0.reason)
            }
            let records = try journal.steps(run: run.id)
            let steps = records.keys.sorted(by: StepOrder.precedes).map { id in
                Step(id: id, state: records[id]?.state.rawValue ?? "pending", finishedAt: records[id]?.finishedAt)
            }
            let counts = try journal.reconcileCounts(run: run.id)
            var portals: [String: Int] = [:]
            if !counts.isEmpty {
                for state in Journal.PortalState.allCases where state != .running {
                    portals[state.rawValue] = (counts[state] ?? 0) + (state == .pending ? counts[.running] ?? 0 : 0)
                }
            }
            let recordedType = try journal.updateType(run: run.id)
            entries.append(
                Entry(
                    app: run.app, version: run.version, state: state, kind: run.kind.rawValue, run: run.id, runState: run.state.rawValue,
                    updateType: release?.updateType ?? recordedType, publishedAt: release?.publishedAt,
                    recordedBy: release?.recordedBy, rolledBackTo: release?.rolledBackTo, planSHA256: release?.planSHA256 ?? run.planSHA256,
                    gates: gates, steps: steps, portals: portals))
        }
        return LogReport(releases: entries)
    }

    func text(style: TextStyle) -> String {
        guard !releases.isEmpty else { return "no release recorded in this state store\n" }
        var out = ""
        for entry in releases {
            var head = style.bold("\(entry.app) \(entry.version)") + "  " + entry.state
            if let type = entry.updateType { head += " (\(type))" }
            if let at = entry.publishedAt { head += " at \(at)" + (entry.recordedBy == "baseline" ? " by baseline" : "") }
            if let to = entry.rolledBackTo { head += ", rolled back to \(to)" }
            out += head + "\n"
            out += "  run \(entry.run): \(entry.runState)\n"
            for step in entry.steps {
                if let gate = entry.gates.first(where: { $0.step == step.id }) {
                    out += "  " + step.id.padded(22) + gate.line + "\n"
                } else {
                    out += "  " + step.id.padded(22) + step.state + (step.finishedAt.map { " at \($0)" } ?? "") + "\n"
                }
            }
            for gate in entry.gates where !entry.steps.contains(where: { $0.id == gate.step }) {
                out += "  " + gate.step.padded(22) + gate.line + "\n"
            }
            if !entry.portals.isEmpty {
                out +=
                    "  portals: "
                    + ["done", "needs-reinstall", "inactive", "failed", "pending"]
                    .map { "\(entry.portals[$0] ?? 0) \($0)" }.joined(separator: ", ") + "\n"
            }
            out += "\n"
        }
        return out
    }
}
