/// ANSI styling that is switched off as a whole when output is not a terminal or NO_COLOR is set.
public struct TextStyle: Sendable {
    public var enabled: Bool

    public init(enabled: Bool) { self.enabled = enabled }

    public static let plain = TextStyle(enabled: false)

    private func wrap(_ text: String, _ code: String) -> String {
        enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    public func bold(_ text: String) -> String { wrap(text, "1") }
    public func red(_ text: String) -> String { wrap(text, "1;31") }
    public func yellow(_ text: String) -> String { wrap(text, "1;33") }
    public func green(_ text: String) -> String { wrap(text, "32") }
    public func cyan(_ text: String) -> String { wrap(text, "1;36") }
    public func dim(_ text: String) -> String { wrap(text, "2") }

    public func severity(_ severity: Severity) -> String {
        switch severity {
        case .error: return red("error")
        case .warning: return yellow("warning")
        case .note: return cyan("note")
        }
    }
}
