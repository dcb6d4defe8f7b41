import Foundation
import PlanStore
import ReleasePlan

/// Which installations a portal step reconciles: all (`portals.reconcile`), the canary
/// (`portals.canary`), or one wave's share (`portals.wave.N`), the canary left out.
///
/// A wave's members are those whose stable bucket (``WaveBucket``) is below its cumulative share and
/// that no earlier step of the run (the canary, an earlier wave) recorded: the same portals for a
/// resumed run, another process or another machine, and no portal skipped when the shares or the
/// canary changed between two applies (a later wave takes what an earlier one did not).
struct WaveScope {
    var whereClause: String?
    var memberIDs: [String]?
    var memberFilter: (@Sendable (String) -> Bool)?

    init() {}

    init(step: PlanStep, policy: RolloutPolicy?, journal: Journal, runID: Int) throws {
        guard let policy else { return }
        switch step.kind {
        case .portalsCanary:
            switch policy.canary {
            case .memberIDs(let ids)?: memberIDs = ids
            case .whereClause(let clause)?: whereClause = clause
            case nil: memberIDs = []
            }
        case .portalsWave:
            guard let number = Int(step.id.split(separator: ".").last ?? ""), number >= 1, number <= policy.waves.count else {
                throw BitrixError.malformed("\(step.id) is not a wave of the rollout")
            }
            var earlier = Set(try journal.portalTasks(run: runID, step: RolloutPolicy.canaryStep).map(\.memberID))
            for previous in 1..<number {
                earlier.formUnion(try journal.portalTasks(run: runID, step: RolloutPolicy.waveStep(previous)).map(\.memberID))
            }
            let upper = policy.waves[number - 1]
            memberFilter = { [earlier] memberID in
                !earlier.contains(memberID) && (upper >= 100 || WaveBucket.percentile(memberID) < upper)
            }
        default:
            break
        }
    }

    /// Both conditions, when both are given.
    static func combine(_ first: String?, _ second: String?) -> String? {
        guard let first else { return second }
        guard let second else { return first }
        return "(\(first)) AND (\(second))"
    }

    /// Members in both lists, when both are given.
    static func combine(_ first: [String]?, _ second: [String]?) -> [String]? {
        guard let first else { return second }
        guard let second else { return first }
        let wanted = Set(second)
        return first.filter { wanted.contains($0) }
    }
}

/// When a wave halts (`rollout.halt`), and why, in words.
enum WaveHalt {
    /// Why the counts halt the wave, or nil: more than `haltFailedPercent` of the portals judged
    /// (done, needs-reinstall or failed) failed. A running wave is judged only once `haltMinPortals`
    /// were; a finished one always.
    static func reason(_ counts: [Journal.PortalState: Int], policy: RolloutPolicy, finished: Bool) -> String? {
        let failed = counts[.failed] ?? 0
        let judged = failed + (counts[.done] ?? 0) + (counts[.needsReinstall] ?? 0)
        guard failed > 0, judged > 0, finished || judged >= policy.haltMinPortals else { return nil }
        let share = Double(failed) / Double(judged) * 100
        guard share > policy.haltFailedPercent else { return nil }
        return "\(failed) of \(judged) portals failed (\(RolloutPolicy.percent((share * 10).rounded() / 10)) %, "
            + "more than the \(RolloutPolicy.percent(policy.haltFailedPercent)) % that halts a wave)"
    }

    /// The failed portals' errors, grouped: "Causes: 12× placement.bind …; 3× …." Addresses and
    /// host names are replaced by `<address>`, so one cause on many portals is one group.
    static func causes(_ tasks: [Journal.PortalTask]) -> String {
        var groups: [String: Int] = [:]
        for task in tasks where task.state == .failed {
            groups[cause(task.lastError ?? "no error recorded"), default: 0] += 1
        }
        let sorted = groups.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
        let shown = sorted.prefix(5).map { "\($0.value)× \($0.key)" }.joined(separator: "; ")
        let more = sorted.count > 5 ? "; and \(sorted.count - 5) other causes" : ""
        return "Causes: \(shown)\(more)."
    }

    /// An error without what names one portal (URLs; host names whose first label holds a digit or a
    /// hyphen, as `portal-00003.bitrix24.test`, never a method such as `placement.bind`), cut at a
    /// word under 200 characters.
    static func cause(_ error: String) -> String {
        var text = error
        for pattern in [#"[a-z][a-z0-9+.-]*://[^\s;,)"']+"#, #"\b[A-Za-z0-9-]*[0-9-][A-Za-z0-9-]*(\.[A-Za-z0-9-]+)+(:[0-9]+)?\b"#] {
            text = text.replacingOccurrences(of: pattern, with: "<address>", options: .regularExpression)
        }
        guard text.count > 200 else { return text }
        let cut = text.prefix(200)
        return String(cut[..<(cut.lastIndex(of: " ") ?? cut.endIndex)]) + " …"
    }
}

extension Journal {
    /// The step of `run` that reconciles `memberID`: `portals.reconcile` without waves; with them,
    /// the canary or wave that recorded it, else the canary when its ids name it, else the first
    /// wave whose share covers its bucket. A single `reconcile --member-id` records there, so the
    /// wave does not reconcile that portal again and every count holds it once.
    public func reconcileStep(for memberID: String, compiled: CompiledPlan, run runID: Int) throws -> String {
        guard let policy = compiled.rolloutPolicy, compiled.steps.contains(where: { $0.kind == .portalsWave }) else {
            return PlanStep.Kind.portalsReconcile.rawValue
        }
        for step in policy.portalStepIDs where try portalTask(run: runID, step: step, member: memberID) != nil {
            return step
        }
        if case .memberIDs(let ids)? = policy.canary, ids.contains(memberID) { return RolloutPolicy.canaryStep }
        let position = WaveBucket.percentile(memberID)
        let number = (policy.waves.firstIndex { position < $0 } ?? policy.waves.count - 1) + 1
        return RolloutPolicy.waveStep(number)
    }
}
