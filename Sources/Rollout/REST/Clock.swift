import Foundation

/// Time for the rate limiter and the retry policy, injected so tests need no sleeping.
public protocol RolloutClock: Sendable {
    /// Monotonic seconds.
    func now() -> Double
    func sleep(seconds: Double) async throws
    /// Wall-clock unix time (for token expiry and `operating_reset_at`).
    func unixTime() -> Double
}

/// The real clock.
public struct SystemClock: RolloutClock {
    public init() {}

    public func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    public func sleep(seconds: Double) async throws {
        guard seconds > 0 else { return }
        try await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
    }

    public func unixTime() -> Double { Date().timeIntervalSince1970 }
}
