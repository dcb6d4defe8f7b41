/// Collects what decoding finds, and which top-level keys it could not decode.
final class DecodeContext {
    let source: SourceFile
    var diagnostics: [Diagnostic] = []
    var damagedKeys: Set<String> = []
    /// For a top-level array some of whose elements did not decode: the JSON index of each element
    /// that did (see `PlanDocument.sourcePath`).
    var elementIndices: [String: [Int]] = [:]

    init(source: SourceFile) { self.source = source }

    func report(_ rule: RuleCode, _ message: String, range: SourceRange, path: JSONPath, damages: Bool = true) {
        diagnostics.append(Diagnostic(rule, message, in: source, range: range, path: path))
        if damages, let key = path.topLevelKey { damagedKeys.insert(key) }
    }

    /// Reports a value of the wrong JSON type or form (B24P003).
    func wrongType(_ node: JSONNode, at path: JSONPath, expected: String) {
        report("B24P003", PlanMessages.wrongType(path: path, expected: expected, found: node.typeName), range: node.range, path: path)
    }

    /// B24P005 for every key repeated in `node` or in any object below it (free-form values).
    func reportDuplicateKeys(in node: JSONNode, at path: JSONPath, what: String) {
        switch node.value {
        case .object(let members):
            var first: [String: SourceRange] = [:]
            for member in members {
                if let earlier = first[member.key] {
                    report(
                        "B24P005",
                        PlanMessages.duplicateKey(member.key, what: what, firstLine: source.location(of: earlier.start).line),
                        range: member.keyRange, path: path / member.key, damages: false)
                } else {
                    first[member.key] = member.keyRange
                }
                reportDuplicateKeys(in: member.value, at: path / member.key, what: what)
            }
        case .array(let elements):
            for (index, element) in elements.enumerated() { reportDuplicateKeys(in: element, at: path / index, what: what) }
        default:
            break
        }
    }

    /// B24P003 for every number beyond a `Double` in `node` or below it (`1e400`).
    func reportNumbersOutOfRange(in node: JSONNode, at path: JSONPath) {
        // Paths are built only when there is something to report (they cost an allocation each).
        guard Self.hasNumberOutOfRange(node) else { return }
        reportNumbersOutOfRange(below: node, at: path)
    }

    private static func hasNumberOutOfRange(_ node: JSONNode) -> Bool {
        switch node.value {
        case .object(let members): return members.contains { hasNumberOutOfRange($0.value) }
        case .array(let elements): return elements.contains { hasNumberOutOfRange($0) }
        case .number: return node.isNumberOutOfRange
        default: return false
        }
    }

    private func reportNumbersOutOfRange(below node: JSONNode, at path: JSONPath) {
        switch node.value {
        case .object(let members):
            for member in members { reportNumbersOutOfRange(below: member.value, at: path / member.key) }
        case .array(let elements):
            for (index, element) in elements.enumerated() { reportNumbersOutOfRange(below: element, at: path / index) }
        case .number(let text) where node.isNumberOutOfRange:
            badValue(node, at: path, PlanMessages.numberOutOfRange(text))
        default:
            break
        }
    }

    func badValue(_ node: JSONNode, at path: JSONPath, _ message: String) {
        report("B24P003", message, range: node.range, path: path)
    }
}

/// Reads one JSON object of the plan: reports unknown keys (B24P002), a wrong type (B24P003),
/// missing required keys (B24P004) and duplicate keys (B24P005), and hands out typed values.
struct ObjectReader {
    let node: JSONNode
    let path: JSONPath
    let context: DecodeContext
    private let members: [JSONMember]
    /// The value of each key (the last when duplicated), for objects too large to search.
    private let index: [String: JSONNode]?
    /// Objects with more members than this get `index`; smaller ones are searched, which costs
    /// less than hashing every key of every migration and placement.
    private static let searchLimit = 16

    /// Nil (after reporting B24P003) when `node` is not an object.
    init?(_ node: JSONNode, at path: JSONPath, context: DecodeContext, known: [String], required: [String], what: String) {
        guard let members = node.members else {
            context.wrongType(node, at: path, expected: "an object")
            return nil
        }
        self.node = node
        self.path = path
        self.context = context
        self.members = members
        if members.count > Self.searchLimit {
            var values: [String: JSONNode] = [:]
            for member in members { values[member.key] = member.value }
            self.index = values
        } else {
            self.index = nil
        }
        // A misspelt required key is one mistake: B24P002 says so, and no B24P004 echoes it.
        var misspelt: Set<String> = []
        var firstKeyRange: [String: SourceRange] = [:]
        // By index, comparing keys in place: no copy of each member (and its value) per comparison.
        for position in members.indices {
            let key = members[position].key
            var first: SourceRange?
            if members.count > Self.searchLimit {
                first = firstKeyRange[key]
                if first == nil { firstKeyRange[key] = members[position].keyRange }
            } else {
                for earlier in 0..<position where members[earlier].key == key {
                    first = members[earlier].keyRange
                    break
                }
            }
            if let first {
                let line = context.source.location(of: first.start).line
                context.report(
                    "B24P005", PlanMessages.duplicateKey(key, what: what, firstLine: line),
                    range: members[position].keyRange, path: path / key, damages: false)
            }
            if !known.contains(key) {
                var message = PlanMessages.unknownKey(key, what: what) + Suggestion.phrase(for: key, in: known)
                if let meant = Suggestion.closest(to: key, in: known), required.contains(meant), lookup(meant) == nil {
                    message += PlanMessages.requiredKeyMissing(meant)
                    misspelt.insert(meant)
                }
                context.report("B24P002", message, range: members[position].keyRange, path: path / key, damages: false)
            }
        }
        for key in misspelt {
            // The object still lacks the key: rules reading it stay quiet, as after B24P004.
            if let topLevel = (path / key).topLevelKey { context.damagedKeys.insert(topLevel) }
        }
        for key in required where lookup(key) == nil && !misspelt.contains(key) {
            context.report(
                "B24P004", PlanMessages.missingKey(key, what: what),
                range: SourceRange(start: node.range.start, end: node.range.start + 1), path: path / key)
        }
    }

    /// The value of a key, the last one when the key is duplicated.
    private func lookup(_ key: String) -> JSONNode? {
        if let index { return index[key] }
        for position in members.indices.reversed() where members[position].key == key { return members[position].value }
        return nil
    }

    func has(_ key: String) -> Bool { lookup(key) != nil }

    /// The value of a key (the last one when the key is duplicated, as JSON readers do).
    func value(_ key: String) -> JSONNode? { lookup(key) }

    func string(_ key: String, nonEmpty: Bool = false) -> String? {
        guard let node = lookup(key) else { return nil }
        guard let text = node.string else {
            context.wrongType(node, at: path / key, expected: "a string")
            return nil
        }
        if nonEmpty && Self.isBlank(text) {
            context.badValue(node, at: path / key, PlanMessages.emptyString(path / key))
            return nil
        }
        return text
    }

    /// Whether the text is empty or white space only. A first byte that is printable ASCII other
    /// than a space answers at once (no Unicode property lookups for every name and file).
    static func isBlank(_ text: String) -> Bool {
        if let first = text.utf8.first, first > 0x20, first < 0x7F { return false }
        return text.unicodeScalars.allSatisfy(\.properties.isWhitespace)
    }

    func integer(_ key: String, minimum: Int) -> Int? {
        guard let node = lookup(key), !node.isNumberOutOfRange else { return nil }
        guard case .number = node.value, let number = node.integer else {
            context.wrongType(node, at: path / key, expected: "an integer")
            return nil
        }
        guard number >= minimum else {
            context.badValue(node, at: path / key, PlanMessages.tooSmall(path / key, minimum: minimum))
            return nil
        }
        return number
    }

    func bool(_ key: String) -> Bool? {
        guard let node = lookup(key) else { return nil }
        guard let flag = node.bool else {
            context.wrongType(node, at: path / key, expected: "true or false")
            return nil
        }
        return flag
    }

    func oneOf<Value: RawRepresentable & CaseIterable>(_ key: String, _: Value.Type) -> Value?
    where Value.RawValue == String {
        guard let text = string(key) else { return nil }
        if let value = Value(rawValue: text) { return value }
        let allowed = Value.allCases.map(\.rawValue)
        context.badValue(
            lookup(key)!, at: path / key,
            PlanMessages.notOneOf(text, path: path / key, allowed: allowed) + Suggestion.phrase(for: text, in: allowed))
        return nil
    }

    /// An array of strings; wrong elements are reported and left out.
    func stringArray(_ key: String, nonEmptyArray: Bool = false) -> [String]? {
        guard let node = lookup(key) else { return nil }
        guard let elements = node.elements else {
            context.wrongType(node, at: path / key, expected: "an array of strings")
            return nil
        }
        if nonEmptyArray && elements.isEmpty {
            context.badValue(node, at: path / key, PlanMessages.emptyArray(path / key))
            return nil
        }
        var strings: [String] = []
        var indices: [Int] = []
        for (index, element) in elements.enumerated() {
            guard let text = element.string else {
                context.wrongType(element, at: path / key / index, expected: "a string")
                continue
            }
            strings.append(text)
            indices.append(index)
        }
        recordIndices(indices, of: key, count: elements.count)
        return strings
    }

    /// An array whose elements are decoded by `decode` (nil elements are left out); `plain` is
    /// tried first and answers for an element that `decode` would take without a diagnostic.
    func array<Element>(_ key: String, plain: (JSONNode) -> Element? = { _ in nil }, _ decode: (JSONNode, JSONPath) -> Element?)
        -> [Element]?
    {
        guard let node = lookup(key) else { return nil }
        guard let elements = node.elements else {
            context.wrongType(node, at: path / key, expected: "an array")
            return nil
        }
        var decoded: [Element] = []
        var indices: [Int] = []
        decoded.reserveCapacity(elements.count)
        indices.reserveCapacity(elements.count)
        let arrayPath = path / key
        for (index, element) in elements.enumerated() {
            guard let value = plain(element) ?? decode(element, arrayPath / index) else { continue }
            decoded.append(value)
            indices.append(index)
        }
        recordIndices(indices, of: key, count: elements.count)
        return decoded
    }

    /// Remembers where the decoded elements of a top-level array stand in the file, when some
    /// were left out (so `placements[1]` of the model is not reported as the file's `placements[1]`).
    private func recordIndices(_ indices: [Int], of key: String, count: Int) {
        guard path.components.isEmpty, indices.count < count else { return }
        context.elementIndices[key] = indices
    }
}

extension String {
    /// The text without leading and trailing whitespace and newlines.
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
