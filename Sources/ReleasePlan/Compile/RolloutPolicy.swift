/// How `portals.reconcile` is split into a canary and waves (`rollout` in `b24plan.config.json`,
/// `apply --waves`): each wave reconciles a deterministic share of the installations, then waits
/// for a manual gate or a timed soak; a wave whose failed share passes `halt` stops the rollout.
public struct RolloutPolicy: Sendable, Equatable, Codable {
    /// The portals that go first, before any wave.
    public enum Canary: Sendable, Equatable, Codable {
        case memberIDs([String])
        /// An extra SQL condition on the installations table.
        case whereClause(String)
    }

    /// What lets the next wave start.
    public enum Between: Sendable, Equatable, Codable {
        /// `b24plan gate pass gate.wave.N FILE`.
        case gate
        /// A timed soak: the next wave starts this many seconds after the previous one finished.
        case soak(seconds: Int)
    }

    public var canary: Canary?
    /// Cumulative shares of the installations in percent, ascending, the last 100: `[1, 10, 100]`
    /// is 1 %, then up to 10 %, then the rest.
    public var waves: [Double]
    /// A wave halts when more than this share of its portals failed.
    public var haltFailedPercent: Double
    /// A running wave is judged once this many of its portals are done (a smaller wave at its end).
    public var haltMinPortals: Int
    public var between: Between

    public init(
        canary: Canary? = nil, waves: [Double], haltFailedPercent: Double = 2, haltMinPortals: Int = 20, between: Between = .gate
    ) {
        self.canary = canary
        self.waves = waves
        self.haltFailedPercent = haltFailedPercent
        self.haltMinPortals = haltMinPortals
        self.between = between
    }

    /// Why `waves` is not a valid wave list, or nil: numbers in (0, 100], strictly ascending, the last 100.
    public static func wavesProblem(_ waves: [Double]) -> String? {
        guard !waves.isEmpty else { return "give at least one wave, e.g. [1, 10, 100]" }
        if let bad = waves.first(where: { !($0 > 0 && $0 <= 100) }) { return "\(Self.percent(bad)) is not a share in (0, 100]" }
        for (earlier, later) in zip(waves, waves.dropFirst()) where later <= earlier {
            return "waves are cumulative shares and must grow: \(Self.percent(later)) after \(Self.percent(earlier))"
        }
        guard waves.last == 100 else { return "the last wave must be 100, or the remaining portals never get the release" }
        return nil
    }

    /// `--waves 1,10,100`.
    public static func parseWaves(_ text: String) -> [Double]? {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let values = parts.compactMap(Double.init)
        return values.count == parts.count ? values : nil
    }

    /// `"30s"`, `"15m"`, `"2h"`, `"1d"` in seconds; nil for anything else.
    public static func parseDuration(_ text: String) -> Int? {
        guard let unit = text.last, let amount = Int(text.dropLast()), amount > 0 else { return nil }
        switch unit {
        case "s": return amount
        case "m": return amount * 60
        case "h": return amount * 3600
        case "d": return amount * 86400
        default: return nil
        }
    }

    /// `1`, `2.5`: a share without a needless `.0`.
    public static func percent(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// The step ids, in order: `portals.canary` (with a canary), then `portals.wave.1` … `portals.wave.N`.
    public var portalStepIDs: [String] {
        (canary == nil ? [] : [Self.canaryStep]) + waves.indices.map { Self.waveStep($0 + 1) }
    }

    public static let canaryStep = "portals.canary"
    public static func waveStep(_ number: Int) -> String { "portals.wave.\(number)" }

    /// The step between a wave and the next: `gate.wave.N` / `gate.canary`, or `soak.wave.N` / `soak.canary`.
    public func betweenStep(after portalStep: String) -> String {
        let name = portalStep.dropFirst("portals.".count)
        switch between {
        case .gate: return "gate.\(name)"
        case .soak: return "soak.\(name)"
        }
    }
}

/// Which wave an installation belongs to: a stable bucket of its member_id, so a resumed run (or
/// another machine) puts every portal in the same wave.
public enum WaveBucket {
    /// The member's position in [0, 100): the first 32 bits of SHA-256(member_id), scaled.
    public static func percentile(_ memberID: String) -> Double {
        let value = UInt32(SHA256.hex(Array(memberID.utf8)).prefix(8), radix: 16) ?? 0
        return Double(value) / 4_294_967_296 * 100
    }
}
