/// One row of the Bitrix24 Marketplace update timeline (DESIGN §5): how long moderation takes and how
/// long it takes until the update reaches users.
///
/// Encodes as `{"row", "minDays", "maxDays", "minWeeks", "maxWeeks"}`, the `moderation` object of
/// `diff --format json`.
public struct Bitrix24TimelineRow: Sendable, Equatable, Codable {
    /// `monetization`, `major`, `feature` or `bugfix`.
    public let row: String
    /// Shortest moderation, in days.
    public let minDays: Int
    /// Longest moderation, in days.
    public let maxDays: Int
    /// Shortest total time to users, in weeks.
    public let minWeeks: Int
    /// Longest total time to users, in weeks.
    public let maxWeeks: Int

    /// Creates a timeline row.
    /// - Parameters:
    ///   - row: the row name.
    ///   - minDays: shortest moderation in days.
    ///   - maxDays: longest moderation in days.
    ///   - minWeeks: shortest total time in weeks.
    ///   - maxWeeks: longest total time in weeks.
    public init(row: String, minDays: Int, maxDays: Int, minWeeks: Int, maxWeeks: Int) {
        self.row = row
        self.minDays = minDays
        self.maxDays = maxDays
        self.minWeeks = minWeeks
        self.maxWeeks = maxWeeks
    }
}
