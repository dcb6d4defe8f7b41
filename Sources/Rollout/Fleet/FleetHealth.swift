import Foundation
import PlanStore
import Synchronization

/// What the whole fleet has seen, to tell a configuration or network problem from a problem of
/// one portal (DESIGN §7, systemic failures), and the one place every portal asks "go on?".
///
/// - Refresh failures that are not about one portal (`invalid_client`, an HTTP error or no answer
///   from the token URL) on `refreshThreshold` different portals with no successful refresh in
///   between stop the step: the client secret or the token URL is wrong.
/// - Requests with no HTTP answer at all on `networkThreshold` different portals, with no answer
///   from any portal in between, make it ask whether this machine's network works (a
///   `NetworkCheck`: one request to the token URL's host, one at a time, a good verdict kept for
///   `networkCheckReuse` seconds). No answer there either stops the step: the network or DNS is
///   down. An answer means those portals are dead on their own: they end `failed` and the run goes
///   on (`FleetHealth+Network.swift`).
/// - A process out of file descriptors stops it, naming the limit (not the network).
/// - A store error, rotated tokens that could not be stored, and SIGINT/SIGTERM stop it as well.
///
/// Once stopping, portals end at their next request (``checkpoint()``) and are not recorded.
public final class FleetHealth: Sendable {
    /// Why the fleet stopped.
    public enum StopReason: Sendable, Equatable, CustomStringConvertible {
        case systemic(String)
        case store(String)
        case interrupted(Int32)
        /// A wave's failed share passed `rollout.halt`.
        case halted(String)

        public var description: String {
            switch self {
            case .halted(let message): return message
            case .systemic(let message): return message
            case .store(let message): return "the state store failed: \(message)"
            case .interrupted(let signal): return "interrupted by \(signal == SIGTERM ? "SIGTERM" : "SIGINT")"
            }
        }
    }

    /// What a failure of one portal may say about all of them.
    public enum Suspect: Sendable, Equatable {
        /// The OAuth server refused the client (`invalid_client`).
        case oauthClient
        /// The token URL answered with an HTTP error or something that is not a token answer.
        case tokenURL(String)
        /// The token URL gave no answer.
        case tokenServerUnreachable
        /// A portal gave no HTTP answer.
        case network(String)

        var isRefresh: Bool {
            if case .network = self { return false }
            return true
        }
    }

    struct State {
        var refreshStreak: Set<String> = []
        var lastRefreshFailure: Suspect?
        var refreshSucceeded = false
        var networkStreak: Set<String> = []
        var lastNetworkError = ""
        var answered = false
        var stop: StopReason?
        var unsavedTokens: Set<String> = []
        var onNotice: (@Sendable (String) -> Void)?
        var network = NetworkEvidence()
    }

    let state = Mutex(State())
    /// Set once `stop` has recorded a reason (read without the lock).
    private let stopping = Atomic<Bool>(false)
    public let refreshThreshold: Int
    public let networkThreshold: Int
    /// Seconds a network check that got an answer stands for the next streaks of silent portals
    /// (they start no check of their own meanwhile); an outcome is cleared only by evidence that
    /// came after it, whatever this says.
    public let networkCheckReuse: Double
    /// The token URL, for messages.
    public let tokenURL: String
    let interruption: Interruption
    let clock: any RolloutClock

    public init(
        tokenURL: String = "", refreshThreshold: Int = 3, networkThreshold: Int = 5, networkCheck: (any NetworkCheck)? = nil,
        networkCheckReuse: Double = 10, clock: any RolloutClock = SystemClock(), interruption: Interruption = .shared
    ) {
        self.tokenURL = TokenRefresher.redacted(tokenURL)
        self.refreshThreshold = max(1, refreshThreshold)
        self.networkThreshold = max(1, networkThreshold)
        self.networkCheckReuse = max(0, networkCheckReuse)
        self.clock = clock
        self.interruption = interruption
        state.withLock { $0.network.check = networkCheck }
    }

    /// Sets the network check (built after the fleet's health when the check's transport reports
    /// to it).
    public func useNetworkCheck(_ check: (any NetworkCheck)?) {
        state.withLock { $0.network.check = check }
    }

    /// Why the fleet is stopping, or nil while it goes on.
    public var stopReason: StopReason? {
        // Asked before every request: no lock while nothing has stopped the fleet.
        if stopping.load(ordering: .acquiring), let reason = state.withLock({ $0.stop }) { return reason }
        if let signal = interruption.signal { return .interrupted(signal) }
        return nil
    }

    /// Throws `FleetStopped` when the fleet is stopping: called before every request and wait.
    public func checkpoint() throws {
        if let reason = stopReason { throw FleetStopped(reason: reason) }
    }

    /// Where the fleet says what an operator should know while it works (a store refusing writes).
    public func setNoticeHandler(_ handler: @escaping @Sendable (String) -> Void) {
        state.withLock { $0.onNotice = handler }
    }

    /// Says `text` through the notice handler, when one is set.
    public func notice(_ text: String) {
        state.withLock { $0.onNotice }?(text)
    }

    /// Stops the fleet (the first reason is kept).
    public func stop(_ reason: StopReason) {
        state.withLock { if $0.stop == nil { $0.stop = reason } }
        stopping.store(true, ordering: .releasing)
    }

    /// Whether some refresh in this run succeeded: then an OAuth 404 is evidence about that portal.
    public var anyRefreshSucceeded: Bool { state.withLock { $0.refreshSucceeded } }

    /// Whether some portal gave an HTTP answer in this run.
    public var anyPortalAnswered: Bool { state.withLock { $0.answered } }

    /// Portals whose rotated tokens could not be stored (they will need a reinstall).
    public var unsavedTokens: [String] { state.withLock { $0.unsavedTokens.sorted() } }

    public func refreshSucceeded() {
        state.withLock {
            $0.refreshSucceeded = true
            $0.refreshStreak = []
        }
    }

    public func refreshFailed(memberID: String, _ suspect: Suspect) {
        let reason = state.withLock { state -> StopReason? in
            state.refreshStreak.insert(memberID)
            state.lastRefreshFailure = suspect
            guard state.refreshStreak.count >= refreshThreshold else { return nil }
            return .systemic(refreshMessage(suspect, portals: state.refreshStreak.count))
        }
        if let reason { stop(reason) }
    }

    /// A portal gave an HTTP answer (any status): evidence that the network works now.
    public func portalAnswered() {
        state.withLock {
            $0.answered = true
            $0.networkStreak = []
            $0.network.answered()
        }
    }

    /// At the end of a step: portals failed in a way that may be the whole fleet's (below the
    /// thresholds), and nothing cleared it (no refresh succeeded in the run; or, for no answer,
    /// neither a portal nor the network check answered after it). That is no evidence about those
    /// portals: stop as a systemic failure, marking nothing.
    public func concludeUncleared(_ suspect: Suspect, portals: Int) {
        if case .network(let message) = suspect {
            let count = "\(portals) portal\(portals == 1 ? "" : "s")"
            let check = state.withLock { state in state.network.lastFailedCheck }
            let text =
                check.map { "\(count) gave no answer (\(message)) and neither did \($0.target) (\($0.why)): " }
                ?? "\(count) gave no answer (\(message)) and no portal answered in this run: "
            stop(.systemic(text + "check the network and DNS of this machine; nothing was marked"))
        } else {
            stop(.systemic(refreshMessage(suspect, portals: portals)))
        }
    }

    /// This process could not open one more file descriptor (`detail`: the limit): requests fail
    /// for that, not for the network, so the step stops naming it, marking nothing.
    public func outOfFileDescriptors(_ detail: String) {
        stop(
            .systemic(
                "this process ran out of file descriptors (\(detail)): raise the limit (ulimit -n) or lower --parallel; nothing was marked"
            ))
    }

    /// Records that `memberID` holds rotated tokens the store would not take, and stops the fleet.
    public func tokensUnsaved(memberID: String, _ message: String) {
        state.withLock { _ = $0.unsavedTokens.insert(memberID) }
        stop(.store("rotated tokens could not be stored (\(message))"))
    }

    private func refreshMessage(_ suspect: Suspect, portals: Int) -> String {
        let url = tokenURL.isEmpty ? "the token URL" : tokenURL
        switch suspect {
        case .oauthClient:
            return
                "the OAuth server refused the client (invalid_client) on \(portals) portal\(portals == 1 ? "" : "s") with no successful refresh: "
                + "check B24_CLIENT_ID and B24_CLIENT_SECRET; nothing was marked"
        case .tokenURL(let what):
            return "\(url) answered \(what) on \(portals) portal\(portals == 1 ? "" : "s") with no successful refresh: "
                + "check oauth.tokenUrl in b24plan.config.json; nothing was marked"
        case .tokenServerUnreachable:
            return
                "\(url) gave no answer on \(portals) portal\(portals == 1 ? "" : "s"): check oauth.tokenUrl and the network; nothing was marked"
        case .network(let message):
            return "no answer from \(portals) portals in a row (\(message)): check the network; nothing was marked"
        }
    }
}

/// A portal stopped before it finished because the fleet is stopping: it is not recorded, and a
/// later run takes it up again.
public struct FleetStopped: Error, Sendable, CustomStringConvertible {
    public var reason: FleetHealth.StopReason
    /// Portals holding rotated tokens the store would not take.
    public var unsavedTokens: [String] = []

    public init(reason: FleetHealth.StopReason, unsavedTokens: [String] = []) {
        self.reason = reason
        self.unsavedTokens = unsavedTokens
    }

    /// Stopped by SIGINT/SIGTERM (resumable), not by a failure.
    public var isInterruption: Bool {
        if case .interrupted = reason { return true }
        return false
    }

    public var description: String {
        var text = "stopped: \(reason)"
        if !unsavedTokens.isEmpty {
            text +=
                "; these portals hold rotated tokens that were NOT stored and will need a reinstall: "
                + unsavedTokens.joined(separator: ", ")
        }
        return text
    }
}

/// Rotated tokens that the store would not take, even after retrying for minutes.
public struct TokensNotStored: Error, Sendable, CustomStringConvertible {
    public var memberID: String
    public var message: String
    public var description: String {
        "the rotated tokens of \(memberID) could not be stored (\(message)); the portal will need its admin to reinstall the app"
    }
}
