/// How long the per-portal reconcile will take, with the inputs it was computed from:
/// installations × requests per portal ÷ (portals in parallel × requests per second per portal).
public struct RolloutEstimate: Sendable, Equatable, Codable {
    public var installations: Int
    /// Where the installation count came from ("--installations", "state store").
    public var installationsSource: String
    /// HTTP requests one portal needs: one read batch plus write batches of ≤ 50 commands.
    public var requestsPerPortal: Int
    public var parallelism: Int
    /// The sustained rate one portal allows (the leaky bucket's drain), requests per second.
    public var requestsPerSecondPerPortal: Double
    public var seconds: Double

    public static let defaultParallelism = 32
    public static let drainPerSecond = 2.0
    public static let batchLimit = 50

    public init(installations: Int, source: String, writeCommands: Int, parallelism: Int = defaultParallelism) {
        self.installations = installations
        self.installationsSource = source
        self.requestsPerPortal = 1 + (writeCommands + Self.batchLimit - 1) / Self.batchLimit
        self.parallelism = max(1, parallelism)
        self.requestsPerSecondPerPortal = Self.drainPerSecond
        let throughput = Double(self.parallelism) * requestsPerSecondPerPortal
        self.seconds = Double(installations * requestsPerPortal) / throughput
    }

    /// "1 h 5 min", "2 min 36 s", "12 s".
    public var durationText: String {
        let total = Int(seconds.rounded(.up))
        let hours = total / 3600
        let minutes = (total % 3600) / 60
        let rest = total % 60
        if hours > 0 { return "\(hours) h \(minutes) min" }
        if minutes > 0 { return "\(minutes) min \(rest) s" }
        return "\(rest) s"
    }

    /// The estimate with its inputs, never a bare number.
    public var summary: String {
        "\(installations) installations (\(installationsSource)) × \(requestsPerPortal) requests ÷ "
            + "(\(parallelism) portals in parallel × \(Int(requestsPerSecondPerPortal)) requests/s per portal) ≈ \(durationText)"
    }
}
