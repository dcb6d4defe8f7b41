import Foundation
import Testing

@testable import PlanStore

@Suite("WorkerLimit: how many perPortal workers run at once")
struct WorkerLimitTests {
    /// Feeds one period (a little over the 0.2 s default, four commits per worker the limit lets
    /// run) of about `rate` work per second at `time`; returns the time after it.
    static func period(_ limit: WorkerLimit, rate: Double, at time: Double) -> Double {
        let commits = 4 * limit.limit
        let each = Int(rate * 0.2001) / commits
        for commit in 1...commits {
            limit.record(rows: each - 1, portals: 1, seconds: 0.02, now: time + 0.2001 * Double(commit) / Double(commits))
        }
        return time + 0.2001
    }

    @Test("doubles while each step brings 25 % more work per second, then goes back to the last step that did")
    func climbs() {
        let limit = WorkerLimit(maximum: 16, start: 2, now: 0)
        var time = Self.period(limit, rate: 300, at: 0)
        #expect(limit.limit == 2, "the first period warms up")
        time = Self.period(limit, rate: 1000, at: time)
        #expect(limit.limit == 4)
        time = Self.period(limit, rate: 1900, at: time)
        #expect(limit.limit == 8)
        time = Self.period(limit, rate: 2300, at: time)
        #expect(limit.limit == 4, "8 workers did a fifth more than 4: back to 4")
        // Steady at 4: every third period tries one fewer, then one more.
        time = Self.period(limit, rate: 1900, at: time)
        time = Self.period(limit, rate: 1900, at: time)
        #expect(limit.limit == 4)
        time = Self.period(limit, rate: 1900, at: time)
        #expect(limit.limit == 3, "a probe with one worker fewer")
        time = Self.period(limit, rate: 1750, at: time)
        #expect(limit.limit == 3, "no more than 10 % less with one fewer: kept")
        for _ in 0..<3 { time = Self.period(limit, rate: 1750, at: time) }
        #expect(limit.limit == 4, "a probe with one more")
        _ = Self.period(limit, rate: 2000, at: time)
        #expect(limit.limit == 3, "one more did not bring 20 %: back")
    }

    @Test("goes back down when the first doubling does not pay, and never past its bounds")
    func bounds() {
        let limit = WorkerLimit(maximum: 3, start: 2, now: 0)
        var time = Self.period(limit, rate: 1000, at: 0)
        time = Self.period(limit, rate: 1000, at: time)
        #expect(limit.limit == 3, "doubling is capped at the maximum")
        time = Self.period(limit, rate: 500, at: time)
        #expect(limit.limit == 2)
        #expect(WorkerLimit(maximum: 1, start: 2, now: 0).limit == 1)
        #expect(WorkerLimit(maximum: 8, start: 0, now: 0).limit == 1)
        let one = WorkerLimit(maximum: 1, start: 1, now: 0)
        _ = Self.period(one, rate: 1000, at: Self.period(one, rate: 1000, at: 0))
        #expect(one.limit == 1)
    }

    @Test("a period ends after four commits per worker the limit lets run, or after the stall time")
    func periodLength() {
        let limit = WorkerLimit(maximum: 16, start: 2, period: 0.1, stall: 1, now: 0)
        let warmedUp = Self.period(limit, rate: 1000, at: 0)
        for commit in 1...7 { limit.record(rows: 100, portals: 1, seconds: 0.02, now: warmedUp + 0.05 * Double(commit)) }
        #expect(limit.limit == 2, "seven commits of two workers: the period goes on")
        limit.record(rows: 100, portals: 1, seconds: 0.02, now: warmedUp + 0.4)
        #expect(limit.limit == 4, "the eighth ends it")
        limit.record(rows: 100, portals: 1, seconds: 0.02, now: warmedUp + 1.5)
        #expect(limit.limit == 2, "one commit in more than the stall time ends it too (and 4 did less)")
    }

    @Test("a period with a transaction over the slow bound lets no worker more in, and takes one away down to the start")
    func slowTransactions() {
        let limit = WorkerLimit(maximum: 16, start: 2, now: 0)
        var time = Self.period(limit, rate: 1000, at: Self.period(limit, rate: 1000, at: 0))
        time = Self.period(limit, rate: 2000, at: time)
        #expect(limit.limit == 8)
        // A period of twice the work, one of its transactions 150 ms long.
        for commit in 1...32 {
            limit.record(rows: 24, portals: 1, seconds: commit == 5 ? 0.15 : 0.02, now: time + 0.2001 * Double(commit) / 32)
        }
        time += 0.2001
        #expect(limit.limit == 7, "not 16: one fewer")
        for commit in 1...28 { limit.record(rows: 24, portals: 1, seconds: 0.15, now: time + 0.2001 * Double(commit) / 28) }
        time += 0.2001
        #expect(limit.limit == 6)
        let atStart = WorkerLimit(maximum: 16, start: 2, now: 0)
        let warm = Self.period(atStart, rate: 1000, at: 0)
        for commit in 1...8 { atStart.record(rows: 100, portals: 1, seconds: 0.3, now: warm + 0.2001 * Double(commit) / 8) }
        #expect(atStart.limit == 2, "never below the start for slow transactions")
    }

    @Test("nothing committed for the stall time lets one more worker in; a waiting worker is let in, or told the run ended")
    func stuckWorkers() throws {
        let limit = WorkerLimit(maximum: 4, start: 1, period: 0.01, stall: 0.05, now: DataMigrationRunner.now())
        let admitted = Counter()
        let thread = Thread {
            // Worker 1 waits: worker 0 commits nothing, so after the stall time worker 1 is let in.
            if limit.waitForTurn(1) { admitted.increment() }
        }
        thread.start()
        let deadline = Date().addingTimeInterval(10)
        while admitted.value == 0 && Date() < deadline { usleep(5_000) }
        #expect(admitted.value == 1)
        #expect(limit.limit >= 2)
        limit.end()
        #expect(limit.waitForTurn(3) == false, "after the end nobody waits")
    }
}
