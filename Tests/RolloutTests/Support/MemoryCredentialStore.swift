import Foundation
import Rollout

/// An installations table in memory: rows by member id, re-read and written with the token
/// protocol's compare-and-swap; keeps every write in order, and can be told to fail writes.
final class MemoryCredentialStore: CredentialStore, @unchecked Sendable {
    enum Saved: Equatable {
        case tokens(memberID: String, OAuthTokens)
        case endpoint(memberID: String, String)
    }

    struct WriteFailure: Error, CustomStringConvertible {
        var description: String { "database is locked" }
    }

    private let lock = NSLock()
    private var items: [Saved] = []
    private var rows: [String: StoredCredentials] = [:]
    private var failingWrites = 0
    private var loads = 0
    /// Called with the number of each re-read (1-based) before it reads: another refresher's write.
    var onLoad: (@Sendable (Int) -> Void)?
    private let log: EventLog?
    let storesEndpoints: Bool

    init(log: EventLog? = nil, storesEndpoints: Bool = true) {
        self.log = log
        self.storesEndpoints = storesEndpoints
    }

    /// Puts a row in place (what the app stored at install time, or another refresher's write).
    func put(_ memberID: String, access: String, refresh: String, endpoint: String = "") {
        lock.withLock { rows[memberID] = StoredCredentials(accessToken: access, refreshToken: refresh, endpoint: endpoint) }
    }

    /// The next `count` token writes throw.
    func failWrites(_ count: Int) { lock.withLock { failingWrites = count } }

    func row(_ memberID: String) -> StoredCredentials? { lock.withLock { rows[memberID] } }

    func load(memberID: String) async throws -> StoredCredentials? {
        let count = lock.withLock {
            loads += 1
            return loads
        }
        onLoad?(count)
        return lock.withLock { rows[memberID] }
    }

    func replaceTokens(memberID: String, replacing: String, with tokens: OAuthTokens) async throws -> Bool {
        let result: Bool? = lock.withLock {
            if failingWrites > 0 {
                failingWrites -= 1
                return nil
            }
            guard let row = rows[memberID], row.refreshToken == replacing else { return false }
            rows[memberID] = StoredCredentials(
                accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, endpoint: tokens.endpoint ?? row.endpoint)
            items.append(.tokens(memberID: memberID, tokens))
            return true
        }
        guard let result else {
            log?.append("save tokens \(memberID) failed")
            throw WriteFailure()
        }
        log?.append(result ? "save tokens \(memberID) \(tokens.accessToken)" : "save tokens \(memberID) lost the race")
        return result
    }

    func saveEndpoint(memberID: String, endpoint: String) async throws {
        lock.withLock { items.append(.endpoint(memberID: memberID, endpoint)) }
        log?.append("save endpoint \(memberID) \(endpoint)")
    }

    var saved: [Saved] { lock.withLock { items } }

    var savedTokens: [OAuthTokens] {
        saved.compactMap { if case .tokens(_, let tokens) = $0 { return tokens } else { return nil } }
    }

    var savedEndpoints: [String] {
        saved.compactMap { if case .endpoint(_, let endpoint) = $0 { return endpoint } else { return nil } }
    }
}
