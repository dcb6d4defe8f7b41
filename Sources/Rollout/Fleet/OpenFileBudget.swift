import Foundation
import PlanStore

#if canImport(Glibc)
    import Glibc
#endif

/// The open files (RLIMIT_NOFILE) a command that talks to many portals needs, checked before any
/// step runs. The soft limit is raised towards the hard one, as far as the run needs with room to
/// spare (as Go and nginx raise theirs; not further, so that the deploy hook inherits no more than
/// that); when even the hard limit is too low, the command refuses with exit 64 and one sentence
/// naming the numbers and both remedies, rather than failing every portal with "Couldn't connect"
/// (libcurl's word for a socket it could not open) and crashing in libdispatch, which cannot open
/// its own files either.
public struct OpenFileBudget: Sendable {
    /// Descriptors the process holds whatever `--parallel` says: measured 20 while apply reconciled
    /// with `--parallel 1` on SQLite (the standard streams and two log files, the store with its WAL
    /// and shared memory, two HTTP loops with their epoll, eventfd and libcurl's wake-up pair,
    /// libdispatch's epoll, eventfd, timerfd and signalfd), plus the deploy hook's two pipes and
    /// a margin.
    public static let fixed = 32
    /// Descriptors per portal in flight: measured 3.05 with libcurl's multi handle as the fleet
    /// sets it (a cache of two connections per portal in flight) on 2,000 distinct hosts at
    /// `--parallel 128` (IP addresses; 1.0 on the one-host farm); a host name adds its resolver's
    /// socket pair and lookup socket while it resolves, so 4.
    public static let perPortal = 4
    /// The soft limit is raised to this many times what the run needs, when the hard limit allows.
    public static let headroom = 2

    public var parallel: Int
    /// Database connections beside the store's own: PostgreSQL or MySQL connections of per-portal
    /// migrations (`--max-connections`).
    public var extraConnections: Int

    public init(parallel: Int, extraConnections: Int = 0) {
        self.parallel = max(1, parallel)
        self.extraConnections = max(0, extraConnections)
    }

    /// Descriptors the run needs.
    public var needed: Int { Self.fixed + extraConnections + Self.perPortal * parallel }

    /// The most portals in flight that `limit` descriptors allow.
    public func largestParallel(within limit: UInt64) -> Int {
        let room = Int(clamping: limit) - Self.fixed - extraConnections
        return max(0, room / Self.perPortal)
    }

    /// What to do about the limit: the soft limit to set (nil: leave it), or why the run cannot fit.
    public enum Decision: Equatable, Sendable {
        case fits(raiseTo: UInt64?)
        case tooLow(hard: UInt64)
    }

    public func decide(soft: UInt64, hard: UInt64) -> Decision {
        let needed = UInt64(needed)
        guard hard >= needed else { return .tooLow(hard: hard) }
        let wanted = min(hard, needed * UInt64(Self.headroom))
        return .fits(raiseTo: soft >= wanted ? nil : wanted)
    }

    /// Raises the soft limit when the run needs it, or throws `SetupError` (exit 64) when the hard
    /// limit is too low. `option`: how the user sets the number of portals in flight (nil: it cannot
    /// be lowered).
    public func reserve(option: String? = "--parallel") throws {
        guard let (soft, hard) = OpenFiles.limit() else { return }
        switch decide(soft: soft, hard: hard) {
        case .fits(let raise):
            guard let raise else { return }
            var limit = rlimit(rlim_cur: rlim_t(raise), rlim_max: rlim_t(hard))
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) != 0, soft < UInt64(needed) {
                throw SetupError(message(limit: soft, option: option))
            }
        case .tooLow(let hard):
            throw SetupError(message(limit: hard, option: option))
        }
    }

    public func message(limit: UInt64, option: String?) -> String {
        let what = option.map { "\($0) \(parallel)" } ?? "this run"
        var text = "\(what) needs about \(needed) open files but this process may open at most \(limit) (ulimit -n): "
        text += "raise the limit (ulimit -n \(needed))"
        let largest = largestParallel(within: limit)
        if let option, largest >= 1, largest < parallel { text += " or lower \(option) to \(largest)" }
        return text
    }
}
