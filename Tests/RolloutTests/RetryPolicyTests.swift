import Rollout
import Testing

@Suite("RetryPolicy")
struct RetryPolicyTests {
    @Test func defaults() {
        let policy = RetryPolicy()
        #expect(policy.serverErrorAttempts == 5)
        #expect(policy.rateLimitAttempts == 10)
        #expect(policy.baseDelay == 0.5)
        #expect(policy.multiplier == 1.5)
        #expect(policy.maximumDelay == 30)
        #expect(policy.operationLimitFallback == 10)
        #expect(policy.operationLimitMaximum == 600)
    }

    @Test(
        "without jitter (0.5 → ×1.0) the delay grows ×1.5 per attempt",
        arguments: [
            (1, 0.5), (2, 0.75), (3, 1.125), (4, 1.6875), (5, 2.53125), (6, 3.796875),
        ])
    func growth(attempt: Int, expected: Double) {
        #expect(abs(RetryPolicy().delay(attempt: attempt, jitter: 0.5) - expected) < 1e-12)
    }

    @Test func attemptZeroOrNegativeIsTheBaseDelay() {
        #expect(RetryPolicy().delay(attempt: 0, jitter: 0.5) == 0.5)
        #expect(RetryPolicy().delay(attempt: -3, jitter: 0.5) == 0.5)
    }

    @Test("jitter spans 0.8…1.2 of the base", arguments: 1...8)
    func jitterBounds(attempt: Int) {
        let policy = RetryPolicy()
        let middle = policy.delay(attempt: attempt, jitter: 0.5)
        let low = policy.delay(attempt: attempt, jitter: 0)
        let high = policy.delay(attempt: attempt, jitter: 1)
        #expect(abs(low - middle * 0.8) < 1e-9)
        #expect(abs(high - middle * 1.2) < 1e-9)
        for step in 0...10 {
            let value = policy.delay(attempt: attempt, jitter: Double(step) / 10)
            #expect(value >= low - 1e-12 && value <= high + 1e-12)
        }
    }

    @Test func cappedAtMaximumDelay() {
        let policy = RetryPolicy()
        // 0.5 · 1.5^9 ≈ 19.2 (under the cap); 0.5 · 1.5^10 ≈ 28.8 · 1.2 > 30.
        #expect(policy.delay(attempt: 10, jitter: 0.5) < 30)
        #expect(policy.delay(attempt: 11, jitter: 1) == 30)
        for attempt in 12...40 {
            #expect(policy.delay(attempt: attempt, jitter: 0) == 30)
            #expect(policy.delay(attempt: attempt, jitter: 1) == 30)
        }
        var custom = RetryPolicy()
        custom.baseDelay = 2
        custom.multiplier = 2
        custom.maximumDelay = 5
        #expect(custom.delay(attempt: 1, jitter: 0.5) == 2)
        #expect(custom.delay(attempt: 2, jitter: 0.5) == 4)
        #expect(custom.delay(attempt: 3, jitter: 0.5) == 5)
    }

    @Test func delaysNeverShrinkWithTheAttempt() {
        let policy = RetryPolicy()
        var previous = 0.0
        for attempt in 1...30 {
            let value = policy.delay(attempt: attempt, jitter: 0.5)
            #expect(value >= previous)
            previous = value
        }
    }
}
