import Foundation

/// What the fleet knows about this machine's network: whether a portal's "no answer" is about that
/// portal or about the network (DESIGN §7: only DNS/network failure on most portals stops the
/// step).
///
/// Evidence is ordered by a logical clock (`tick`): every portal answer, every portal's no-answer
/// and every network check moves it on. An outcome of "no answer" is recorded only once evidence
/// newer than it says the network works — a later portal answer, or a network check that began
/// after it — so a network that goes down mid-run marks nothing, while a few dead portals among
/// healthy ones end `failed` at once.
struct NetworkEvidence {
    var tick: UInt64 = 0
    /// The tick of the newest evidence that the network works (0: none yet).
    var vouchedAt: UInt64 = 0
    var check: (any NetworkCheck)?
    /// The check in flight and the tick it began at.
    var running: (task: Task<NetworkVerdict, Never>, tick: UInt64)?
    /// Monotonic seconds when a check last got an answer.
    var lastGoodCheck: Double?
    /// The last check without an answer, for messages.
    var lastFailedCheck: (target: String, why: String)?
    /// Portals whose no-answer a check showed to be their own: they no longer count in a streak
    /// (the same few dead portals retried must not look like the network going down).
    var ownFailures: Set<String> = []
    var checks = 0

    mutating func answered() {
        tick += 1
        vouchedAt = tick
    }
}

extension FleetHealth {
    /// A portal gave no HTTP answer. `networkThreshold` different portals in a row (ignoring those a
    /// check already showed to be dead on their own) start a network check, unless one runs or a
    /// good verdict is fresh; no answer to the check stops the step.
    public func portalUnreachable(memberID: String, _ message: String) {
        let reason = state.withLock { state -> StopReason? in
            state.network.tick += 1
            state.lastNetworkError = message
            guard !state.network.ownFailures.contains(memberID) else { return nil }
            state.networkStreak.insert(memberID)
            guard state.networkStreak.count >= networkThreshold else { return nil }
            guard state.network.check != nil else {
                return .systemic(
                    "\(state.networkStreak.count) portals in a row gave no answer (last: \(message)) and none answered in between: "
                        + "check the network and DNS of this machine; nothing was marked")
            }
            if state.network.running != nil { return nil }
            if let last = state.network.lastGoodCheck, clock.now() - last < networkCheckReuse { return nil }
            startCheck(&state, streak: state.networkStreak)
            return nil
        }
        if let reason { stop(reason) }
    }

    /// Where the fleet's logical clock stands: an outcome stamped with it is cleared by evidence
    /// that comes later (``networkCleared(after:)``).
    public var networkMark: UInt64 { state.withLock { $0.network.tick } }

    /// Whether the network was shown to work after `mark`. Without a network check, any portal
    /// answer in the run counts (the rule before checks existed).
    public func networkCleared(after mark: UInt64) -> Bool {
        state.withLock { $0.network.check == nil ? $0.answered : $0.network.vouchedAt > mark }
    }

    /// Whether the network works after `mark`: true at once when a portal answered since; else
    /// waits for the check in flight or runs one (at the end of a step, for the portals that gave no
    /// answer last). False when the check gets no answer either, or the fleet is stopping.
    public func verifyNetwork(after mark: UInt64) async -> Bool {
        while true {
            let next = state.withLock { state -> (done: Bool?, wait: Task<NetworkVerdict, Never>?, fresh: Bool) in
                if state.network.check == nil { return (state.answered, nil, false) }
                if state.network.vouchedAt > mark { return (true, nil, false) }
                if state.stop != nil { return (false, nil, false) }
                if let running = state.network.running { return (nil, running.task, running.tick > mark) }
                return (nil, startCheck(&state, streak: []), true)
            }
            if let done = next.done { return done }
            guard let task = next.wait else { return false }
            _ = await task.value
            if next.fresh { return state.withLock { $0.network.vouchedAt > mark && $0.stop == nil } }
        }
    }

    /// Waits for the network check in flight, if any: the fleet starts no portal meanwhile.
    public func waitForNetworkCheck() async {
        guard let task = state.withLock({ $0.network.running?.task }) else { return }
        _ = await task.value
    }

    /// Network checks run so far in this fleet.
    public var networkChecks: Int { state.withLock { $0.network.checks } }

    /// Starts the check (the caller holds the lock and knows none runs). `streak`: the portals
    /// that started it; no answer to it stops the step, an answer shows them dead on their own.
    @discardableResult
    private func startCheck(_ state: inout State, streak: Set<String>) -> Task<NetworkVerdict, Never> {
        state.network.tick += 1
        state.network.checks += 1
        let tick = state.network.tick
        let check = state.network.check
        let task = Task<NetworkVerdict, Never> { [self] in
            guard let check else { return .noAnswer("no network check") }
            let verdict = await check.run()
            checkEnded(verdict, tick: tick, streak: streak, target: check.target)
            return verdict
        }
        state.network.running = (task, tick)
        return task
    }

    private func checkEnded(_ verdict: NetworkVerdict, tick: UInt64, streak: Set<String>, target: String) {
        let reason = state.withLock { state -> StopReason? in
            state.network.running = nil
            switch verdict {
            case .answered:
                state.network.vouchedAt = max(state.network.vouchedAt, tick)
                state.network.lastGoodCheck = clock.now()
                state.network.lastFailedCheck = nil
                state.network.ownFailures.formUnion(streak)
                state.networkStreak.subtract(streak)
                return nil
            case .noAnswer(let why):
                state.network.lastFailedCheck = (target, why)
                // A portal that answered while the check ran vouches for the network itself.
                guard !streak.isEmpty, state.network.vouchedAt < tick else { return nil }
                return .systemic(
                    "\(streak.count) portals in a row gave no answer (last: \(state.lastNetworkError)) and neither did \(target) "
                        + "(\(why)): check the network and DNS of this machine; nothing was marked")
            }
        }
        if let reason { stop(reason) }
    }
}
