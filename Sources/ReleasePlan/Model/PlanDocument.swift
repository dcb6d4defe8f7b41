/// A plan file as read: its source, its located JSON tree and the decoded model.
public struct PlanDocument: Sendable {
    public var source: SourceFile
    public var root: JSONNode
    public var plan: Plan
    /// Top-level keys whose value could not be fully decoded; rules reading them stay quiet.
    public var damagedKeys: Set<String>

    /// Whether every one of these top-level keys decoded cleanly.
    public func isIntact(_ keys: String...) -> Bool {
        keys.allSatisfy { !damagedKeys.contains($0) }
    }

    /// The byte range a diagnostic about `path` should underline: the node's value, or the nearest
    /// existing ancestor when the node is absent (a missing key points at its object).
    public func range(of path: JSONPath, pointingAtKey: Bool = false) -> SourceRange {
        if pointingAtKey, let member = root.memberNode(at: path) { return member.keyRange }
        var path = path
        while true {
            if let node = root.node(at: path) {
                return node.value.isContainer ? SourceRange(start: node.range.start, end: node.range.start + 1) : node.range
            }
            if path.components.isEmpty { return SourceRange(start: 0, end: 0) }
            path = path.parent
        }
    }

    /// A diagnostic in this plan file at `path`.
    public func diagnostic(
        _ rule: RuleCode, _ message: String, at path: JSONPath, pointingAtKey: Bool = false,
        severity: Severity? = nil, notes: [String] = []
    ) -> Diagnostic {
        Diagnostic(
            rule, message, in: source, range: range(of: path, pointingAtKey: pointingAtKey), path: path,
            severity: severity, notes: notes)
    }
}

extension JSONNode.Value {
    /// Objects and arrays: diagnostics underline only their opening bracket.
    var isContainer: Bool {
        switch self {
        case .object, .array: return true
        default: return false
        }
    }
}
