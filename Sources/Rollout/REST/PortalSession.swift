import Foundation
import PlanStore
import ReleasePlan

/// The REST client of one portal: paces requests with its leaky bucket, retries what can be
/// retried, recovers the token on a 401 through the shared token protocol (`TokenKeeper`), follows
/// a rename (302) only where the token may go, and throws what cannot be fixed here. It asks the
/// fleet before every request and wait (`FleetHealth.checkpoint`) and keeps to its deadline.
/// One task uses a session at a time.
public final class PortalSession: @unchecked Sendable {
    public let memberID: String
    public private(set) var endpoint: String
    private var accessToken: String
    private var refreshToken: String
    public private(set) var bucket = LeakyBucket.standard
    /// Granted scopes as the last token refresh reported them.
    public private(set) var refreshedScopes: [String]?
    /// Requests sent (HTTP exchanges, a batch counting one).
    public private(set) var requests = 0

    let transport: any HTTPTransport
    let clock: any RolloutClock
    let keeper: TokenKeeper
    let policy: RetryPolicy
    public let health: FleetHealth?
    /// Monotonic time after which the portal gives up (`--portal-timeout`); nil: none.
    let deadline: Double?
    /// Where every request is counted per second (the fleet's, for the journal); nil: not counted.
    let meter: RequestMeter?
    /// Token recoveries left: adopting what another refresher stored, or one refresh by this
    /// session (after a refresh of its own, a second 401 is the portal's answer, not a stale token).
    private var recoveries = 2
    private var refreshedHere = false
    private var operatingResetAt: [String: Double] = [:]
    /// `time.operating_reset_at` of each method's last successful answer: error answers carry no
    /// `time` block, so an OPERATION_TIME_LIMIT waits until this.
    private var lastKnownResetAt: [String: Double] = [:]
    private var random = SystemRandomNumberGenerator()
    /// Every token this session has held: a portal's answer may echo one back (in an error text, in
    /// a handler URL), and none may reach the journal or the output.
    private var heldTokens = SecretRedactor(replacement: "[token]")
    /// An address a redirect moved the portal to, stored once it has answered (DESIGN §7, redirects).
    private var unsavedEndpoint: String?

    public init(
        memberID: String, endpoint: String, accessToken: String, refreshToken: String, transport: any HTTPTransport,
        clock: any RolloutClock, keeper: TokenKeeper, policy: RetryPolicy = RetryPolicy(), health: FleetHealth? = nil,
        deadline: Double? = nil, meter: RequestMeter? = nil
    ) {
        self.meter = meter
        self.memberID = memberID
        self.endpoint = endpoint.hasSuffix("/") ? endpoint : endpoint + "/"
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        heldTokens.add([accessToken, refreshToken])
        self.transport = transport
        self.clock = clock
        self.keeper = keeper
        self.policy = policy
        self.health = health
        self.deadline = deadline
    }

    /// `text` with every token this session has held replaced by `[token]`.
    public func redacted(_ text: String) -> String { heldTokens.redact(text) }

    /// The outcome with every token this session has held taken out of its texts.
    public func redacted(_ outcome: PortalOutcome) -> PortalOutcome {
        var outcome = outcome
        outcome.lastError = outcome.lastError.map(redacted)
        outcome.differences = outcome.differences.map(redacted)
        outcome.missingScopes = outcome.missingScopes.map(redacted)
        return outcome
    }

    /// Switches to Enterprise pacing (`app.info` LICENSE_FAMILY "ent").
    public func useEnterprisePacing() { bucket.adopt(.enterprise) }

    /// Calls one method and returns its `result`.
    public func call(_ method: String, _ parameters: [String: PlanValue] = [:]) async throws -> PlanValue {
        let json = try await send(method, parameters)
        return json.field("result") ?? .null
    }

    /// One `batch` request of ≤ 50 commands with `halt=0`: each command's result or error by key.
    public func batch(_ commands: [BatchCommand]) async throws -> BatchResult {
        precondition(commands.count <= 50, "a batch holds at most 50 commands")
        var cmd: [String: PlanValue] = [:]
        for command in commands { cmd[command.key] = .string(command.encoded) }
        let json = try await send("batch", ["halt": .number("0"), "cmd": .object(cmd)])
        let outer = json.field("result") ?? .null
        var result = BatchResult()
        for (key, value) in (outer.field("result") ?? .null).entries { result.results[key] = value }
        for (key, value) in (outer.field("result_time") ?? .null).entries {
            if let reset = BitrixResponse.operatingResetAt(.object(["time": value])) { result.operatingResetAt[key] = reset }
        }
        for (key, value) in (outer.field("result_error") ?? .null).entries {
            let code = value.field("error")?.text ?? "ERROR"
            result.errors[key] = .api(code: code, message: value.field("error_description")?.text ?? "", status: 200)
        }
        return result
    }

    private func send(_ method: String, _ parameters: [String: PlanValue]) async throws -> PlanValue {
        var serverErrors = 0
        var timeouts = 0
        var rateLimited = 0
        var redirects = 0
        while true {
            try checkpoint()
            if let resetAt = operatingResetAt[method] {
                let wait = resetAt - clock.unixTime()
                if wait > 0 { try await pause(min(wait, policy.operationLimitMaximum)) }
                operatingResetAt[method] = nil
            }
            let wait = bucket.reserve(at: clock.now())
            if wait > 0 { try await pause(wait) }
            try checkpoint()
            var parametersWithToken = parameters
            parametersWithToken["auth"] = .string(accessToken)
            var body: [UInt8] = []
            body.reserveCapacity(512)
            PlanValue.object(parametersWithToken).appendJSON(to: &body)
            let request = HTTPRequest(
                method: "POST", url: endpoint + method, headers: ["Content-Type": "application/json", "Accept": "application/json"],
                body: body, timeout: deadline.map { max(0.001, $0 - clock.now()) })
            requests += 1
            let sentAt = Int(clock.unixTime().rounded(.down))
            let response: HTTPResponse
            do {
                response = try await transport.send(request)
            } catch let cancelled as CancellationError {
                throw cancelled  // the task was cancelled: no word about the portal
            } catch let tooLarge as AnswerTooLarge {
                // The portal answered, without end: about this portal, and it would do it again.
                meter?.record(second: sentAt, error: true)
                health?.portalAnswered()
                throw BitrixError.malformed("\(method): \(tooLarge)")
            } catch {
                meter?.record(second: sentAt, error: true)
                // Cut short by the portal's deadline: about this portal, not the network.
                if let deadline, clock.now() >= deadline { throw BitrixError.deadline }
                health?.portalUnreachable(memberID: memberID, "\(error)")
                serverErrors += 1
                timeouts += (error as? TransportError)?.timedOut == true ? 1 : 0
                guard serverErrors < policy.serverErrorAttempts, timeouts < policy.timeoutAttempts else {
                    throw BitrixError.transport("\(error)")
                }
                try await backOff(serverErrors)
                continue
            }
            health?.portalAnswered()
            if (301...308).contains(response.status), let location = response.headers["location"] {
                meter?.record(second: sentAt, error: false)
                redirects += 1
                guard redirects <= 3 else { throw BitrixError.http(status: response.status) }
                try await follow(location: location, method: method)
                continue
            }
            let json = BitrixResponse.json(response.body)
            let answerError = BitrixResponse.error(json, status: response.status)
            meter?.record(second: sentAt, error: answerError != nil || json == nil)
            guard let error = answerError else {
                if let json {
                    if let reset = BitrixResponse.operatingResetAt(json) { lastKnownResetAt[method] = reset }
                    if let moved = unsavedEndpoint, moved == endpoint {
                        // The new address answered: now it is where the portal lives.
                        unsavedEndpoint = nil
                        try await keeper.store.saveEndpoint(memberID: memberID, endpoint: moved)
                    }
                    return json
                }
                throw BitrixError.malformed("\(method) answered HTTP \(response.status) without JSON")
            }
            switch error {
            case .api(let code, _, _) where code == "QUERY_LIMIT_EXCEEDED":
                bucket.markFull(at: clock.now())
                rateLimited += 1
                guard rateLimited < policy.rateLimitAttempts else { throw error }
                try await backOff(rateLimited)
            case .api(let code, _, _) where code == "OPERATION_TIME_LIMIT":
                rateLimited += 1
                guard rateLimited < policy.rateLimitAttempts else { throw error }
                let now = clock.unixTime()
                let known = lastKnownResetAt[method].flatMap { $0 > now ? $0 : nil }
                let reset = BitrixResponse.operatingResetAt(json) ?? known ?? (now + policy.operationLimitFallback)
                operatingResetAt[method] = min(reset, clock.unixTime() + policy.operationLimitMaximum)
            case .api(let code, _, _)
            where ["expired_token", "invalid_token", "NO_AUTH_FOUND"].contains(code) && recoveries > 0 && !refreshedHere:
                recoveries -= 1
                try checkpoint()
                let recovery = try await keeper.recover(memberID: memberID, accessToken: accessToken, refreshToken: refreshToken)
                accessToken = recovery.accessToken
                refreshToken = recovery.refreshToken
                heldTokens.add([accessToken, refreshToken])
                if recovery.refreshed {
                    refreshedHere = true
                    refreshedScopes = recovery.scopes
                }
                // The OAuth server's (or the row's) address for this portal is where it lives now:
                // the token may go there.
                if let newEndpoint = recovery.endpoint, !newEndpoint.isEmpty { endpoint = Self.normalized(newEndpoint) }
            case .http(let status) where status >= 500:
                serverErrors += 1
                guard serverErrors < policy.serverErrorAttempts else { throw error }
                try await backOff(serverErrors)
            case .api(let code, _, let status) where status >= 500 && code != "PORTAL_DELETED" && code != "OVERLOAD_LIMIT":
                serverErrors += 1
                guard serverErrors < policy.serverErrorAttempts else { throw error }
                try await backOff(serverErrors)
            default:
                throw error
            }
        }
    }

    /// A renamed portal's 302 (DESIGN §7, redirects): followed only to https (or loopback to
    /// loopback, for test farms), and to another host only when it is a Bitrix24 cloud host; a host
    /// the OAuth server reports for the portal is adopted at the refresh. Writing commands store
    /// the new address once it has answered (a successful answer from it); read-only ones keep it
    /// in memory.
    private func follow(location: String, method: String) async throws {
        let target = Self.endpoint(fromLocation: location, method: method)
        switch RedirectPolicy.decide(from: endpoint, to: target) {
        case .refuse(let why):
            throw BitrixError.redirect(to: RedirectPolicy.display(target), why: why)
        case .follow:
            endpoint = target
            if keeper.store.storesEndpoints { unsavedEndpoint = target }
        }
    }

    /// Waits until a method's time budget is back (OPERATION_TIME_LIMIT inside a batch), bounded by
    /// the policy; `resetAt` nil uses the last known reset time or the fallback.
    public func waitForOperatingReset(method: String, resetAt: Double?) async throws {
        let now = clock.unixTime()
        let known = lastKnownResetAt[method].flatMap { $0 > now ? $0 : nil }
        let target = resetAt ?? known ?? (now + policy.operationLimitFallback)
        try await pause(min(max(0, target - now), policy.operationLimitMaximum))
    }

    private func backOff(_ attempt: Int) async throws {
        let jitter = Double.random(in: 0...1, using: &random)
        try await pause(policy.delay(attempt: attempt, jitter: jitter))
    }

    /// The fleet's go-ahead and the portal's deadline, checked before every request and wait.
    private func checkpoint() throws {
        try health?.checkpoint()
        if let deadline, clock.now() >= deadline { throw BitrixError.deadline }
    }

    /// Sleeps `seconds`, in slices when a fleet may ask to stop; never past the deadline.
    private func pause(_ seconds: Double) async throws {
        guard seconds > 0 else { return }
        if let deadline, clock.now() + seconds > deadline { throw BitrixError.deadline }
        guard let health else { return try await clock.sleep(seconds: seconds) }
        var left = seconds
        while left > 0 {
            try health.checkpoint()
            let slice = min(left, 0.25)
            try await clock.sleep(seconds: slice)
            left -= slice
        }
    }

    static func normalized(_ endpoint: String) -> String { endpoint.hasSuffix("/") ? endpoint : endpoint + "/" }

    /// The new REST address from a 302's Location: `<new endpoint><method>[?query]` minus the method.
    static func endpoint(fromLocation location: String, method: String) -> String {
        var base = location
        if let query = base.firstIndex(of: "?") { base = String(base[..<query]) }
        for suffix in [method + ".json", method] where base.hasSuffix(suffix) {
            base = String(base.dropLast(suffix.count))
            break
        }
        return base.hasSuffix("/") ? base : base + "/"
    }
}

/// One command of a `batch`: a key, a method and its parameters.
public struct BatchCommand: Sendable, Equatable {
    public var key: String
    public var method: String { didSet { encoded = Self.encode(method, parameters) } }
    public var parameters: [String: PlanValue] { didSet { encoded = Self.encode(method, parameters) } }
    /// `method?url-encoded-params` as `batch` wants it: worked out once, when the command is made
    /// (a plan's bind commands are made once per run and sent to every portal).
    public private(set) var encoded: String

    public init(key: String, method: String, parameters: [String: PlanValue] = [:]) {
        self.key = key
        self.method = method
        self.parameters = parameters
        encoded = Self.encode(method, parameters)
    }

    private static func encode(_ method: String, _ parameters: [String: PlanValue]) -> String {
        parameters.isEmpty ? method : method + "?" + PHPQuery.encode(parameters)
    }

    /// The placement or event a command is about, for messages (`PLACEMENT`, `event`, `code`, or
    /// `fields[PLACEMENT]` of `landing.repo.bind`).
    public var subject: String {
        parameters["PLACEMENT"]?.text ?? parameters["event"]?.text ?? parameters["code"]?.text
            ?? parameters["fields"]?.field("PLACEMENT")?.text ?? ""
    }
}

/// The per-command outcome of a batch.
public struct BatchResult: Sendable, Equatable {
    public var results: [String: PlanValue] = [:]
    public var errors: [String: BitrixError] = [:]
    /// `result_time[key].operating_reset_at`, when the portal gives it.
    public var operatingResetAt: [String: Double] = [:]
}
