/// Why a Bitrix24 call failed, as the retry policy and the portal states need to know it.
public enum BitrixError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A REST error answer: `{"error": CODE, "error_description": …}` with its HTTP status.
    case api(code: String, message: String, status: Int)
    /// An HTTP error without a Bitrix24 error body (a proxy's 502, an HTML page).
    case http(status: Int)
    /// No HTTP answer at all (refused, reset, timed out).
    case transport(String)
    /// The OAuth server refused the refresh (`invalid_grant`, `invalid_client`, HTTP 404, …).
    case oauth(code: String, status: Int)
    /// A success answer that does not have the shape the method documents.
    case malformed(String)
    /// A redirect that was not followed (where the token may not go).
    case redirect(to: String, why: String)
    /// The portal ran past its deadline (`--portal-timeout`).
    case deadline

    public var description: String {
        switch self {
        case .api(let code, let message, let status):
            return message.isEmpty ? "\(code) (HTTP \(status))" : "\(code): \(message) (HTTP \(status))"
        case .http(let status): return "HTTP \(status) without a Bitrix24 error"
        case .transport(let message): return "no answer: \(message)"
        case .oauth(let code, let status):
            return status == 0 ? "the OAuth server gave no answer" : "OAuth refresh refused: \(code) (HTTP \(status))"
        case .malformed(let message): return "unexpected answer: \(message)"
        case .redirect(let target, let why): return "redirected to \(target), not followed: \(why)"
        case .deadline: return "the portal took longer than its deadline (--portal-timeout); it is left for a retry"
        }
    }

    /// The error code, when there is one.
    public var code: String? {
        switch self {
        case .api(let code, _, _), .oauth(let code, _): return code
        default: return nil
        }
    }

    /// "Handler already binded" (ERROR_CORE): the binding exists, which is what a bind wants.
    public var isAlreadyBound: Bool {
        if case .api(_, let message, _) = self { return message.localizedCaseInsensitiveContains("already binded") }
        return false
    }

    /// Whether this answer to `method` says the portal is already as wanted: "Handler already
    /// binded" for `placement.bind`/`event.bind`, `PLACEMENT_EXIST` for `landing.repo.bind` (the
    /// Sites placements cannot be read back, so they are bound on every reconcile) and
    /// `PLACEMENT_NO_EXIST` for `landing.repo.unbind`.
    public func meansAlreadyDone(by method: String) -> Bool {
        switch method {
        case "landing.repo.bind": code == "PLACEMENT_EXIST"
        case "landing.repo.unbind": code == "PLACEMENT_NO_EXIST"
        default: isAlreadyBound
        }
    }
}
