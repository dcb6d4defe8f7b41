/// How many times to try again, and how long to wait, for each kind of failure (DESIGN §7).
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts for 5xx answers and requests without an answer.
    public var serverErrorAttempts = 5
    /// Attempts when requests time out (a silent portal costs one timeout per attempt).
    public var timeoutAttempts = 2
    /// Attempts while the portal answers QUERY_LIMIT_EXCEEDED.
    public var rateLimitAttempts = 10
    /// First back-off in seconds; each next one is ×1.5, with up to ±20 % jitter.
    public var baseDelay = 0.5
    public var multiplier = 1.5
    public var maximumDelay = 30.0
    /// Longest wait for OPERATION_TIME_LIMIT when the answer gives no reset time.
    public var operationLimitFallback = 10.0
    /// Longest wait for OPERATION_TIME_LIMIT at all.
    public var operationLimitMaximum = 600.0

    public init() {}

    /// The back-off before attempt `attempt` (1 = the first retry), with jitter in 0...1.
    public func delay(attempt: Int, jitter: Double) -> Double {
        let base = baseDelay * pow(multiplier, Double(max(0, attempt - 1)))
        return min(maximumDelay, base * (0.8 + 0.4 * jitter))
    }

    private func pow(_ base: Double, _ exponent: Double) -> Double {
        var result = 1.0
        for _ in 0..<Int(exponent) { result *= base }
        return result
    }
}
