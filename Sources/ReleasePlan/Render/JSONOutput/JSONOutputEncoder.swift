import Foundation

/// The tool's JSON outputs without Foundation's `JSONEncoder`, byte for byte what it writes with
/// `JSONOutput`'s options (pretty, keys sorted by their UTF-8 bytes, `/` unescaped) and DEL and C1
/// controls escaped. A 3 MB `diff --format json` spent most of its time in `JSONEncoder`.
///
/// What it does not write exactly as `JSONEncoder` does, it refuses (`unsupported`) and
/// `JSONOutput` hands the value to `JSONEncoder` instead: `Date`, `Data`, `URL` and `Decimal`
/// (which `JSONEncoder` writes its own way), `Float`, numbers that are not finite (`JSONEncoder`
/// throws, with its message), `superEncoder`, and a value that encodes nothing.
final class JSONOutputEncoder: Encoder {
    /// Why the fast path declined: the caller uses `JSONEncoder`.
    struct Unsupported: Error {}

    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    /// What the value being encoded has produced so far.
    var value: JSONOutputNode?
    /// Set when a container was asked for something this encoder does not write like `JSONEncoder`.
    var unsupported = false

    /// The pretty JSON bytes of `value` (no final newline).
    static func encode<Value: Encodable>(_ value: Value) throws -> [UInt8] {
        let encoder = JSONOutputEncoder()
        let node = try encoder.node(of: value, key: nil)
        guard !encoder.unsupported else { throw Unsupported() }
        var writer = JSONOutputWriter()
        writer.write(node)
        return writer.bytes
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(JSONOutputKeyedContainer<Key>(encoder: self, object: currentObject(), codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        JSONOutputUnkeyedContainer(encoder: self, array: currentArray(), codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONOutputSingleValueContainer(encoder: self, codingPath: codingPath)
    }

    /// For `superEncoder`: marks the whole encoding unsupported and returns an encoder whose
    /// output is dropped.
    func declined() -> any Encoder {
        unsupported = true
        return JSONOutputEncoder()
    }

    /// The object this value encodes into: the one it already asked for, or a new one.
    private func currentObject() -> JSONOutputObject {
        if case .object(let object)? = value { return object }
        if value != nil { unsupported = true }
        let object = JSONOutputObject()
        value = .object(object)
        return object
    }

    private func currentArray() -> JSONOutputArray {
        if case .array(let array)? = value { return array }
        if value != nil { unsupported = true }
        let array = JSONOutputArray()
        value = .array(array)
        return array
    }

    /// The node of a value met inside a container (or the top-level value).
    func node<Value: Encodable>(of value: Value, key: (any CodingKey)?) throws -> JSONOutputNode {
        if let primitive = try Self.primitive(value) { return primitive }
        let type = Value.self
        if type == PlanValue.self { return try Self.node(of: value as! PlanValue) }
        if type == Date.self || type == Data.self || type == URL.self || type == Decimal.self || type == Float.self {
            throw Unsupported()
        }
        let outer = self.value
        let outerPath = codingPath
        self.value = nil
        if let key { codingPath.append(key) }
        defer {
            self.value = outer
            codingPath = outerPath
        }
        try value.encode(to: self)
        guard let produced = self.value else { throw Unsupported() }
        return produced
    }

    /// Strings, booleans, integers and finite doubles, as `JSONEncoder` writes them; nil for others.
    /// The type is compared first (a pointer comparison), so a struct costs no failed casts.
    static func primitive<Value>(_ value: Value) throws -> JSONOutputNode? {
        let type = Value.self
        if type == String.self { return .string(value as! String) }
        if type == Int.self { return .number(String(value as! Int)) }
        if type == Bool.self { return .bool(value as! Bool) }
        if type == Double.self { return try number(value as! Double) }
        if type == Int64.self { return .number(String(value as! Int64)) }
        if type == Int32.self { return .number(String(value as! Int32)) }
        if type == Int16.self { return .number(String(value as! Int16)) }
        if type == Int8.self { return .number(String(value as! Int8)) }
        if type == UInt.self { return .number(String(value as! UInt)) }
        if type == UInt64.self { return .number(String(value as! UInt64)) }
        if type == UInt32.self { return .number(String(value as! UInt32)) }
        if type == UInt16.self { return .number(String(value as! UInt16)) }
        if type == UInt8.self { return .number(String(value as! UInt8)) }
        return nil
    }

    /// A plan value's node without going through its `Encodable` conformance, which it matches:
    /// a number is an `Int` when its text is one, else a `Double`.
    static func node(of value: PlanValue) throws -> JSONOutputNode {
        switch value {
        case .string(let text): return .string(text)
        case .bool(let flag): return .bool(flag)
        case .null: return .null
        case .number(let text):
            if let integer = Int(text) { return .number(String(integer)) }
            return try number(Double(text) ?? 0)
        case .array(let elements):
            let array = JSONOutputArray()
            array.elements.reserveCapacity(elements.count)
            for element in elements { array.elements.append(try node(of: element)) }
            return .array(array)
        case .object(let members):
            let object = JSONOutputObject()
            object.members.reserveCapacity(members.count)
            for (key, member) in members { object.members.append((key, try node(of: member))) }
            return .object(object)
        }
    }

    /// `JSONEncoder`'s text of a double: its description without a trailing `.0`.
    static func number(_ number: Double) throws -> JSONOutputNode {
        guard number.isFinite else { throw Unsupported() }
        var text = number.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return .number(text)
    }
}
