import PlanStore

/// The installations table as the token protocol's store: re-reads and compare-and-swap writes
/// on the fleet's database thread. Read-only commands (`drift`) keep new addresses in memory.
public struct InstallationCredentialStore: CredentialStore, @unchecked Sendable {
    public let installations: InstallationStore
    public let thread: DatabaseThread
    public let storesEndpoints: Bool

    public init(installations: InstallationStore, thread: DatabaseThread, storesEndpoints: Bool) {
        self.installations = installations
        self.thread = thread
        self.storesEndpoints = storesEndpoints
    }

    public func load(memberID: String) async throws -> StoredCredentials? {
        let installations = self.installations
        return try await thread.perform {
            try installations.storedCredentials(memberID: memberID).map {
                StoredCredentials(accessToken: $0.accessToken, refreshToken: $0.refreshToken, endpoint: $0.endpoint)
            }
        }
    }

    public func replaceTokens(memberID: String, replacing: String, with tokens: OAuthTokens) async throws -> Bool {
        let installations = self.installations
        return try await thread.perform(urgent: true) {
            try installations.replaceTokens(
                memberID: memberID, replacing: replacing, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken,
                expiresAt: tokens.expiresAt, endpoint: tokens.endpoint)
        }
    }

    public func saveEndpoint(memberID: String, endpoint: String) async throws {
        guard storesEndpoints else { return }
        let installations = self.installations
        try await thread.perform { try installations.saveEndpoint(memberID: memberID, endpoint: endpoint) }
    }
}
