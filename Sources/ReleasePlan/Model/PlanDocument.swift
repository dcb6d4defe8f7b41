/// A plan file as read: its source, its located JSON tree and the decoded model.
public struct PlanDocument: Sendable {
    public var source: SourceFile
    public var root: JSONNode
    public var plan: Plan
    /// Top-level keys whose value could not be fully decoded; rules reading them stay quiet.
    public var damagedKeys: Set<String>
    /// For a top-level array some of whose elements did not decode (and are not in `plan`), the
    /// index in the file of each element that did, in order.
    public var elementIndices: [String: [Int]]

    public init(
        source: SourceFile, root: JSONNode, plan: Plan, damagedKeys: Set<String> = [], elementIndices: [String: [Int]] = [:]
    ) {
        self.source = source
        self.root = root
        self.plan = plan
        self.damagedKeys = damagedKeys
        self.elementIndices = elementIndices
    }

    /// Whether every one of these top-level keys decoded cleanly.
    public func isIntact(_ keys: String...) -> Bool {
        keys.allSatisfy { !damagedKeys.contains($0) }
    }

    /// The path in the file of a path into the model: `placements[1]` of `plan` is the file's
    /// `placements[2]` when the file's `placements[1]` did not decode. Rules index the model's
    /// arrays; every diagnostic and node lookup goes through this.
    public func sourcePath(_ path: JSONPath) -> JSONPath {
        guard case .key(let key)? = path.components.first, path.components.count > 1,
            case .index(let index) = path.components[1], let indices = elementIndices[key], indices.indices.contains(index)
        else { return path }
        var components = path.components
        components[1] = .index(indices[index])
        return JSONPath(components)
    }

    /// The node at a path into the model (see `sourcePath`).
    public func node(at path: JSONPath) -> JSONNode? { root.node(at: sourcePath(path)) }

    /// The byte range a diagnostic about `path` should underline: the node's value, or the nearest
    /// existing ancestor when the node is absent (a missing key points at its object).
    public func range(of modelPath: JSONPath, pointingAtKey: Bool = false) -> SourceRange {
        var path = sourcePath(modelPath)
        if pointingAtKey, let member = root.memberNode(at: path) { return member.keyRange }
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
            rule, message, in: source, range: range(of: path, pointingAtKey: pointingAtKey), path: sourcePath(path),
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
