import Foundation
import Rollout

/// A credential store that keeps what is saved, in order.
final class MemoryCredentialStore: CredentialStore, @unchecked Sendable {
    enum Saved: Equatable {
        case tokens(memberID: String, OAuthTokens)
        case endpoint(memberID: String, String)
    }

    private let lock = NSLock()
    private var items: [Saved] = []
    private let log: EventLog?

    init(log: EventLog? = nil) { self.log = log }

    func saveTokens(memberID: String, tokens: OAuthTokens) throws {
        lock.withLock { items.append(.tokens(memberID: memberID, tokens)) }
        log?.append("save tokens \(memberID) \(tokens.accessToken)")
    }

    func saveEndpoint(memberID: String, endpoint: String) throws {
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
