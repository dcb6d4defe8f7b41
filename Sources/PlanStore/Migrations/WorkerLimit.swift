import Foundation

/// How many workers of a `perPortal` migration run at once, found by trying (a hill climb on
/// throughput, as thread pools choose their thread count).
///
/// More connections help while the database waits on round trips, and hurt once its CPU or locks
/// are the limit: every batch then takes longer, the batches shrink to stay short, and the portals'
/// repeated scans cost more (measured on a 2-core MariaDB: 20 portals × 5,000 rows took 1.1 s on
/// one connection and 2.9 s on eight). So the limit starts at `start`, doubles while each step
/// brings at least 25 % more work per second, and otherwise goes back; after that it tries one
/// worker more or less every few periods, keeping the change when it pays: 20 % more work for
/// one more worker, or no more than 10 % less for one fewer (shorter transactions and fewer
/// connections are worth that).
///
/// Work is counted in rows changed plus portals finished (a portal with nothing to change still
/// costs its batch), not in batches (a new worker's first batches are small and quick), per
/// period: at least `period` seconds and four commits for each worker the limit lets run (or
/// `stall` seconds, whichever comes first), so that a period says something about each of them.
/// The first period only warms up (its batches are still growing from the plan's `batchSize`):
/// it would make any later one look better. When nothing at all committed for
/// `stall` seconds, one more worker is let in (the others are stuck on something: a lock, a slow
/// statement).
///
/// Throughput is not all: a period in which a transaction took longer than `slow` seconds (the
/// runner's transaction ceiling) or was stopped by the statement guard lets no worker more in, and takes one away while there are more than
/// `start` (on a 2-core MariaDB, 4 workers instead of 2 brought more rows per second for a while,
/// and transactions of 150-250 ms).
final class WorkerLimit: @unchecked Sendable {
    let maximum: Int
    let start: Int
    let period: Double
    let stall: Double
    let slow: Double

    private let condition = NSCondition()
    private(set) var limit: Int
    private var ended = false
    private var growing = true
    /// Periods left to warm up in.
    private var warmUpPeriods = 1
    /// The period being measured: its start, work and limit.
    private var periodStart: Double
    private var work = 0
    private var commits = 0
    /// Transactions of the period longer than `slow`.
    private var slowCommits = 0
    /// The last period measured at the limit kept: its limit and work per second.
    private var reference: (limit: Int, rate: Double)?
    /// Periods since the last probe, while steady.
    private var steadyPeriods = 0
    private var probeUp = true

    init(maximum: Int, start: Int = 2, period: Double = 0.2, stall: Double = 1, slow: Double = 0.1, now: Double) {
        self.maximum = max(1, maximum)
        self.start = min(max(1, start), self.maximum)
        limit = self.start
        self.period = period
        self.stall = stall
        self.slow = slow
        periodStart = now
    }

    /// Waits while `worker` (0-based) is beyond the limit; false once the run has ended. A waiting
    /// worker also notices when nothing has committed for `stall` seconds.
    func waitForTurn(_ worker: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !ended && worker >= limit {
            condition.wait(until: Date().addingTimeInterval(period))
            closePeriod(now: DataMigrationRunner.now())
        }
        return !ended
    }

    /// Wakes every waiting worker for good (no more portals, or a failure).
    func end() {
        condition.lock()
        ended = true
        condition.broadcast()
        condition.unlock()
    }

    /// Counts a committed transaction of `seconds`: `rows` changed, `portals` finished, at `now`.
    func record(rows: Int, portals: Int, seconds: Double, now: Double) {
        condition.lock()
        defer { condition.unlock() }
        work += rows + portals
        commits += 1
        if seconds > slow { slowCommits += 1 }
        closePeriod(now: now)
    }

    /// Counts a transaction the statement guard rolled back at `now`: a slow one that did no work.
    func recordStopped(now: Double) {
        condition.lock()
        defer { condition.unlock() }
        commits += 1
        slowCommits += 1
        closePeriod(now: now)
    }

    /// Ends the period when it is long enough, and sets the limit for the next one (the lock held).
    private func closePeriod(now: Double) {
        let elapsed = now - periodStart
        guard (elapsed >= period && commits >= 4 * limit) || elapsed >= stall else { return }
        let before = limit
        if warmUpPeriods > 0 && commits > 0 {
            warmUpPeriods -= 1
        } else if commits == 0 {
            // The running workers are stuck (a lock, a slow statement): one more may get on with
            // other portals.
            if limit < maximum { limit += 1 }
        } else if slowCommits > 0 {
            // Transactions too long: no more workers, and fewer while there are more than at the start.
            growing = false
            if limit > start { limit -= 1 }
            reference = (limit, Double(work) / elapsed)
            steadyPeriods = 0
        } else {
            decide(Double(work) / elapsed)
        }
        periodStart = now
        work = 0
        commits = 0
        slowCommits = 0
        if limit > before { condition.broadcast() }
    }

    /// The next limit after a period at `limit` that did `rate` work per second.
    private func decide(_ rate: Double) {
        guard let kept = reference else {
            reference = (limit, rate)
            if limit < maximum { limit = min(maximum, limit * 2) } else { growing = false }
            return
        }
        if limit == kept.limit {
            // Steady: the reference follows the load; now and then, a probe.
            reference = (limit, (kept.rate + rate) / 2)
            steadyPeriods += 1
            guard !growing, steadyPeriods >= 3 else { return }
            steadyPeriods = 0
            probeUp.toggle()
            if probeUp && limit < maximum {
                limit += 1
            } else if !probeUp && limit > 1 {
                limit -= 1
            }
        } else if limit > kept.limit {
            // Twice the workers must bring a quarter more (a round-trip-bound run brings nearly
            // twice as much); one more, a fifth (less is within the noise of a loaded machine).
            if rate > kept.rate * (growing ? 1.25 : 1.2) {
                reference = (limit, rate)
                if growing && limit < maximum { limit = min(maximum, limit * 2) } else { growing = false }
            } else {
                limit = kept.limit
                growing = false
            }
        } else {
            if rate >= kept.rate * 0.9 { reference = (limit, rate) } else { limit = kept.limit }
        }
    }
}
