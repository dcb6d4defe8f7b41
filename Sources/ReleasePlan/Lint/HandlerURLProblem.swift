/// One reason a handler URL is refused (B24P207); the message comes from the catalogue.
enum HandlerURLProblem: Equatable {
    /// No scheme, or a scheme without `//` and a host.
    case notAbsolute
    /// Not https (and not http on a loopback host).
    case notHTTPS
    /// A backslash anywhere; `host` is the host a browser reads (it takes `\` for `/`).
    case backslash(host: String?)
    /// `user@` or `user:password@` before the host.
    case userinfo
    /// A C0 control, DEL or C1 control character (the first one).
    case controlCharacter(Unicode.Scalar)
    /// A space or other white space (the first one).
    case whitespace(Unicode.Scalar)
    /// Not exactly two slashes after `https:` (a browser tolerates any number); `host` as it reads it.
    case slashes(host: String?)
    /// A browser reads another host than the one written (percent-encoding, IPv4 number forms).
    case hostReadDifferently(written: String, read: String)
    /// A character no host name has, though browsers pass it on.
    case hostCharacter(written: String, character: Character)
    /// Not ASCII: a browser sends its punycode (`xn--`) form.
    case nonASCIIHost(written: String, decoded: String)
    /// A browser refuses the host.
    case invalidHost(written: String, reason: WHATWGHost.Invalid)
    case noHost
    /// Not a number from 0 to 65535.
    case badPort(String)

    func message(_ handler: String) -> String {
        switch self {
        case .notAbsolute: return PlanMessages.handlerNotURL(handler)
        case .notHTTPS: return PlanMessages.handlerNotHTTPS(handler)
        case .backslash(let host): return PlanMessages.handlerBackslash(handler, host: host)
        case .userinfo: return PlanMessages.handlerUserinfo(handler)
        case .controlCharacter(let scalar): return PlanMessages.handlerControlCharacter(handler, scalar: scalar)
        case .whitespace(let scalar): return PlanMessages.handlerWhitespace(handler, scalar: scalar)
        case .slashes(let host): return PlanMessages.handlerSlashes(handler, host: host)
        case .hostReadDifferently(let written, let read): return PlanMessages.handlerHostReadDifferently(written, read: read)
        case .hostCharacter(let written, let character): return PlanMessages.handlerHostCharacter(written, character: character)
        case .nonASCIIHost(let written, _): return PlanMessages.handlerHostNotASCII(written)
        case .invalidHost(let written, let reason): return PlanMessages.handlerHostInvalid(written, reason: reason)
        case .noHost: return PlanMessages.handlerNoHost(handler)
        case .badPort(let port): return PlanMessages.handlerBadPort(handler, port: port)
        }
    }
}
