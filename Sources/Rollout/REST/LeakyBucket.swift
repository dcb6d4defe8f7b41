/// The client side of Bitrix24's per-portal limit: a leaky bucket that every request fills by one
/// and that drains at a fixed rate, so that the portal never has to answer QUERY_LIMIT_EXCEEDED.
public struct LeakyBucket: Sendable, Equatable {
    /// Requests the portal accepts in a burst (50; 250 for Enterprise licences).
    public var capacity: Double
    /// Requests per second the bucket drains (2; 5 for Enterprise).
    public var drainPerSecond: Double
    /// Kept free below the portal's limit: our clock and the portal's are not in phase.
    public var margin: Double
    public private(set) var level: Double = 0
    private var updatedAt: Double?

    public static let standard = LeakyBucket(capacity: 50, drainPerSecond: 2, margin: 2)
    public static let enterprise = LeakyBucket(capacity: 250, drainPerSecond: 5, margin: 5)

    public init(capacity: Double, drainPerSecond: Double, margin: Double) {
        self.capacity = capacity
        self.drainPerSecond = drainPerSecond
        self.margin = margin
    }

    private mutating func drain(to now: Double) {
        if let updatedAt { level = max(0, level - (now - updatedAt) * drainPerSecond) }
        updatedAt = now
    }

    /// Takes a slot for one request at `now`; returns how many seconds to wait before sending it.
    public mutating func reserve(at now: Double) -> Double {
        drain(to: now)
        let limit = capacity - margin
        let wait = level + 1 > limit ? (level + 1 - limit) / drainPerSecond : 0
        level += 1
        return wait
    }

    /// The portal said the bucket is full (503): assume it is.
    public mutating func markFull(at now: Double) {
        drain(to: now)
        level = max(level, capacity)
    }

    /// Switches pacing (e.g. to Enterprise after `app.info`), keeping the current level.
    public mutating func adopt(_ other: LeakyBucket) {
        capacity = other.capacity
        drainPerSecond = other.drainPerSecond
        margin = other.margin
    }
}
