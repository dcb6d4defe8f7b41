import Foundation

/// The token protocol b24plan shares with the app's own refresh code (DESIGN §7; README "Token
/// refresh"): refresh tokens are single-use and the live app refreshes the same rows all day, so
///
/// 1. re-read the row first: if it holds other tokens than the ones that failed, someone else
///    refreshed — use those;
/// 2. refresh, then write with a compare-and-swap on the refresh token that was used; when the
///    row changed meanwhile, the row wins;
/// 3. on `invalid_grant`, re-read the row for a few seconds (the other refresher's write may not
///    have landed yet) and use newer tokens as soon as they appear, before giving up;
/// 4. a token write is retried (bounded back-off, minutes) until stored; if it never is, the
///    fleet stops and names the portal. Nothing but the installations table ever holds a token.
///
/// Concurrent callers for one portal in this process share one recovery.
public actor TokenKeeper {
    /// How long to keep trying.
    public struct Patience: Sendable, Equatable {
        /// Seconds to retry a failing token write before giving up (minutes, not seconds).
        public var tokenWrite: Double = 180
        /// Seconds to re-read the row after `invalid_grant`.
        public var invalidGrant: Double = 5
        /// Seconds between re-reads after `invalid_grant`.
        public var rereadInterval: Double = 0.25

        public init() {}
    }

    /// What a caller continues with.
    public struct Recovery: Sendable, Equatable {
        public var accessToken: String
        public var refreshToken: String
        /// The portal's address as the OAuth server reported it (a refresh) or the row holds.
        public var endpoint: String?
        /// Scopes the OAuth server reported (a refresh by this process only).
        public var scopes: [String]?
        /// True when this process refreshed; false when it adopted tokens another refresher stored.
        public var refreshed: Bool
    }

    public let refresher: TokenRefresher
    public let store: any CredentialStore
    let clock: any RolloutClock
    let health: FleetHealth?
    let patience: Patience
    private var inFlight: [String: Task<Recovery, Error>] = [:]

    public init(
        refresher: TokenRefresher, store: any CredentialStore, clock: any RolloutClock, health: FleetHealth? = nil,
        patience: Patience = Patience()
    ) {
        self.refresher = refresher
        self.store = store
        self.clock = clock
        self.health = health
        self.patience = patience
    }

    /// New usable tokens for `memberID`, whose `accessToken` was just refused.
    public func recover(memberID: String, accessToken: String, refreshToken: String) async throws -> Recovery {
        if let task = inFlight[memberID] { return try await task.value }
        let task = Task { try await self.perform(memberID: memberID, accessToken: accessToken, refreshToken: refreshToken) }
        inFlight[memberID] = task
        defer { inFlight[memberID] = nil }
        return try await task.value
    }

    private func perform(memberID: String, accessToken: String, refreshToken: String) async throws -> Recovery {
        if let stored = try await load(memberID), stored.refreshToken != refreshToken || stored.accessToken != accessToken {
            return adopt(stored)
        }
        try health?.checkpoint()
        let tokens: OAuthTokens
        do {
            tokens = try await refresher.refresh(refreshToken: refreshToken)
            health?.refreshSucceeded()
        } catch BitrixError.oauth(let code, let status) where code == "invalid_grant" {
            if let newer = try await waitForNewerTokens(memberID, than: refreshToken) { return adopt(newer) }
            throw BitrixError.oauth(code: code, status: status)
        } catch let error as BitrixError {
            health?.refreshFailed(memberID: memberID, Self.suspect(error))
            throw error
        }
        var toStore = tokens
        if !store.storesEndpoints { toStore.endpoint = nil }
        if try await write(memberID, replacing: refreshToken, with: toStore) {
            return Recovery(
                accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, endpoint: tokens.endpoint, scopes: tokens.scopes,
                refreshed: true)
        }
        // The row changed between the re-read and the write: another refresher stored newer tokens.
        guard let stored = try await load(memberID) else { throw BitrixError.malformed("the installation \(memberID) is gone") }
        return adopt(stored)
    }

    private func adopt(_ stored: StoredCredentials) -> Recovery {
        Recovery(
            accessToken: stored.accessToken, refreshToken: stored.refreshToken, endpoint: stored.endpoint.isEmpty ? nil : stored.endpoint,
            scopes: nil, refreshed: false)
    }

    private func load(_ memberID: String) async throws -> StoredCredentials? {
        do {
            return try await store.load(memberID: memberID)
        } catch {
            health?.stop(.store("\(error)"))
            throw error
        }
    }

    private func waitForNewerTokens(_ memberID: String, than refreshToken: String) async throws -> StoredCredentials? {
        let deadline = clock.now() + patience.invalidGrant
        while true {
            if let stored = try await load(memberID), stored.refreshToken != refreshToken { return stored }
            guard clock.now() < deadline else { return nil }
            try await clock.sleep(seconds: patience.rereadInterval)
        }
    }

    /// The compare-and-swap write, retried with back-off until stored or `patience.tokenWrite` has passed.
    private func write(_ memberID: String, replacing: String, with tokens: OAuthTokens) async throws -> Bool {
        let deadline = clock.now() + patience.tokenWrite
        var delay = 0.25
        var failed = false
        while true {
            do {
                return try await store.replaceTokens(memberID: memberID, replacing: replacing, with: tokens)
            } catch {
                if !failed {
                    // The store refuses writes: no portal starts and no other refresh begins (each
                    // would rotate a token it may not be able to keep), while this write is retried.
                    failed = true
                    health?.stop(.store("\(error)"))
                    health?.notice(
                        "the state store refused the rotated tokens of \(memberID) (\(error)): no new portal starts; "
                            + "retrying the write for up to \(Int(patience.tokenWrite)) s before giving up")
                }
                guard clock.now() + delay <= deadline else {
                    health?.tokensUnsaved(memberID: memberID, "\(error)")
                    throw TokensNotStored(memberID: memberID, message: "\(error)")
                }
                try? await clock.sleep(seconds: delay)
                delay = min(delay * 2, 15)
            }
        }
    }

    /// What a refresh failure may say about the whole fleet.
    static func suspect(_ error: BitrixError) -> FleetHealth.Suspect {
        switch error {
        case .oauth(let code, _) where code == "invalid_client": return .oauthClient
        case .oauth(_, let status) where status == 0: return .tokenServerUnreachable
        case .oauth(let code, let status): return .tokenURL(code.hasPrefix("HTTP") ? code : "\(code) (HTTP \(status))")
        case .transport: return .tokenServerUnreachable
        default: return .tokenURL(error.description)
        }
    }
}
