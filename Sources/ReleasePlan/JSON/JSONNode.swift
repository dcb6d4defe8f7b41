/// One JSON value with the byte range it came from.
public struct JSONNode: Sendable, Equatable {
    /// The kinds of JSON value; objects keep their members in source order, duplicates included.
    /// Not `indirect`: the arrays already hold the nesting, and a box per string or number node
    /// was an allocation per node.
    public enum Value: Sendable, Equatable {
        case object([JSONMember])
        case array([JSONNode])
        case string(String)
        /// A number as written (e.g. `"1.50"`), so nothing is lost to floating point.
        case number(String)
        case bool(Bool)
        case null
    }

    public var value: Value
    /// The value's bytes: from `{` to `}` for an object, quotes included for a string.
    public var range: SourceRange

    public init(_ value: Value, range: SourceRange) {
        self.value = value
        self.range = range
    }

    /// The name of the value's JSON type, as messages print it ("object", "string", …).
    public var typeName: String {
        switch value {
        case .object: return "object"
        case .array: return "array"
        case .string: return "string"
        case .number: return "number"
        case .bool: return "boolean"
        case .null: return "null"
        }
    }

    public var members: [JSONMember]? {
        if case .object(let members) = value { return members }
        return nil
    }

    public var elements: [JSONNode]? {
        if case .array(let elements) = value { return elements }
        return nil
    }

    /// The value of a number node, when it is one and fits a Double.
    public var number: Double? {
        if case .number(let text) = value { return Double(text) }
        return nil
    }

    public var string: String? {
        if case .string(let text) = value { return text }
        return nil
    }

    public var bool: Bool? {
        if case .bool(let flag) = value { return flag }
        return nil
    }

    /// Whether the value is a number beyond a `Double` (`1e400`): JSON allows it, but no reader of
    /// the plan or of b24plan's JSON output could hold it.
    public var isNumberOutOfRange: Bool {
        if case .number(let text) = value { return Self.isOutOfRange(text) }
        return false
    }

    /// Whether a number literal is beyond a `Double` (or no number at all). An integer of at most
    /// 300 digits is within range whatever its digits: ids, batch sizes and the other plain numbers
    /// of a large plan are not converted to find out.
    static func isOutOfRange(_ text: String) -> Bool {
        var digits = text.utf8[...]
        if digits.first == UInt8(ascii: "-") { digits = digits.dropFirst() }
        if !digits.isEmpty, digits.count <= 300, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            return false
        }
        return !(Double(text)?.isFinite ?? false)
    }

    /// The value as an integer when it is a number literal without fraction or exponent.
    public var integer: Int? {
        if case .number(let text) = value { return Int(text) }
        return nil
    }

    /// The first member with this key (objects only).
    public func member(_ key: String) -> JSONMember? {
        members?.first { $0.key == key }
    }

    /// The node at a path below this one, if every step exists.
    public func node(at path: JSONPath) -> JSONNode? {
        var node = self
        for component in path.components {
            switch component {
            case .key(let key):
                guard let next = node.member(key)?.value else { return nil }
                node = next
            case .index(let index):
                guard let elements = node.elements, elements.indices.contains(index) else { return nil }
                node = elements[index]
            }
        }
        return node
    }

    /// The member whose value is at `path` (for pointing at a key rather than its value).
    public func memberNode(at path: JSONPath) -> JSONMember? {
        guard case .key(let key)? = path.components.last,
            let parent = node(at: path.parent)
        else { return nil }
        return parent.member(key)
    }
}

/// One `"key": value` pair, with the key's range kept apart from the value's.
public struct JSONMember: Sendable, Equatable {
    public var key: String
    /// The key's bytes, quotes included.
    public var keyRange: SourceRange
    public var value: JSONNode

    public init(key: String, keyRange: SourceRange, value: JSONNode) {
        self.key = key
        self.keyRange = keyRange
        self.value = value
    }
}
