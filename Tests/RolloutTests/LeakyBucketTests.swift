import Rollout
import Testing

@Suite("LeakyBucket")
struct LeakyBucketTests {
    /// Reserves `count` slots at the same instant; returns the waits.
    private func burst(_ bucket: inout LeakyBucket, _ count: Int, at now: Double) -> [Double] {
        (0..<count).map { _ in bucket.reserve(at: now) }
    }

    struct Pacing: Sendable, CustomTestStringConvertible {
        var name: String
        var bucket: LeakyBucket
        var free: Int
        var testDescription: String { name }
    }

    @Test(
        "a burst up to capacity minus margin needs no wait; the next waits (level+1-limit)/drain",
        arguments: [
            Pacing(name: "standard 50/2", bucket: .standard, free: 48),
            Pacing(name: "enterprise 250/5", bucket: .enterprise, free: 245),
        ])
    func burstThenWait(_ pacing: Pacing) {
        var bucket = pacing.bucket
        let waits = burst(&bucket, pacing.free, at: 10)
        #expect(waits.allSatisfy { $0 == 0 })
        #expect(bucket.level == Double(pacing.free))
        let limit = pacing.bucket.capacity - pacing.bucket.margin
        for extra in 1...3 {
            let level = bucket.level
            let wait = bucket.reserve(at: 10)
            #expect(wait == (level + 1 - limit) / pacing.bucket.drainPerSecond, "request \(pacing.free + extra)")
        }
    }

    @Test func standardNumbers() {
        var bucket = LeakyBucket.standard
        #expect(bucket.capacity == 50 && bucket.drainPerSecond == 2 && bucket.margin == 2)
        _ = burst(&bucket, 48, at: 0)
        #expect(bucket.reserve(at: 0) == 0.5)
        #expect(bucket.reserve(at: 0) == 1.0)
        let enterprise = LeakyBucket.enterprise
        #expect(enterprise.capacity == 250 && enterprise.drainPerSecond == 5 && enterprise.margin == 5)
    }

    @Test func drainsOverTime() {
        var bucket = LeakyBucket.standard
        _ = burst(&bucket, 48, at: 100)
        // 5 s later 10 have drained: 10 requests go through at once, the 11th waits.
        let waits = burst(&bucket, 11, at: 105)
        #expect(waits.prefix(10).allSatisfy { $0 == 0 })
        #expect(waits[10] == 0.5)
        // After a long pause the bucket is empty again, never negative.
        _ = bucket.reserve(at: 10_000)
        #expect(bucket.level == 1)
    }

    @Test func markFullForcesAWait() {
        var bucket = LeakyBucket.standard
        _ = bucket.reserve(at: 0)
        bucket.markFull(at: 0)
        #expect(bucket.level == 50)
        // 50 - 2·1 = 48 at t=1, so the next request waits (48 + 1 - 48) / 2.
        #expect(bucket.reserve(at: 1) == 0.5)
        // markFull never lowers a level already above capacity.
        var over = LeakyBucket(capacity: 10, drainPerSecond: 1, margin: 0)
        _ = burst(&over, 15, at: 0)
        over.markFull(at: 0)
        #expect(over.level == 15)
    }

    @Test func adoptKeepsTheLevel() {
        var bucket = LeakyBucket.standard
        _ = burst(&bucket, 40, at: 0)
        bucket.adopt(.enterprise)
        #expect(bucket.level == 40)
        #expect(bucket.capacity == 250 && bucket.drainPerSecond == 5 && bucket.margin == 5)
        // 40 + 205 = 245 go through without a wait under Enterprise pacing, the next waits 1/5 s.
        let waits = burst(&bucket, 206, at: 0)
        #expect(waits.prefix(205).allSatisfy { $0 == 0 })
        #expect(abs(waits[205] - 0.2) < 1e-9)
    }

    /// The portal's own bucket, computed independently: +1 per request, drains 2/s, rejects above 50.
    struct ServerBucket {
        var level = 0.0
        var at = 0.0
        var peak = 0.0
        var rejected = 0

        mutating func receive(at time: Double) {
            precondition(time >= at - 1e-9, "requests arrive in time order")
            level = max(0, level - (time - at) * 2)
            at = max(at, time)
            if level + 1 > 50 + 1e-9 {
                rejected += 1
            } else {
                level += 1
            }
            peak = max(peak, level)
        }
    }

    @Test("1,000 paced requests never overflow the portal's bucket", arguments: [0, 1, 2])
    func simulation(seed: UInt64) async throws {
        let clock = FakeClock(start: 0)
        var random = SplitMix(seed: seed)
        var bucket = LeakyBucket.standard
        var server = ServerBucket()
        for index in 0..<1_000 {
            // Sometimes the caller idles (work between calls), mostly it sends back to back.
            if seed > 0, random.next() % 10 == 0 { clock.advance(Double(random.next() % 3_000) / 1_000) }
            let wait = bucket.reserve(at: clock.now())
            #expect(wait >= 0)
            if wait > 0 { try await clock.sleep(seconds: wait) }
            server.receive(at: clock.now())
            if server.rejected > 0 { Issue.record("request \(index) overflowed the portal's bucket"); break }
        }
        #expect(server.rejected == 0)
        #expect(server.peak <= 50)
        if seed == 0 {
            // Not over-cautious either: back to back, 1,000 requests take about (1,000 - 48) / 2 s.
            #expect(clock.now() <= 476.5 + 1e-6)
        }
    }

    @Test func reservationsMadeUpFrontAlsoRespectTheLimit() {
        // Many callers reserve at the same instant and send when their wait is over.
        var bucket = LeakyBucket.standard
        let sendTimes = burst(&bucket, 1_000, at: 0).sorted()
        var server = ServerBucket()
        for time in sendTimes { server.receive(at: time) }
        #expect(server.rejected == 0)
        #expect(server.peak <= 50)
    }
}

/// A small deterministic generator for simulations.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
