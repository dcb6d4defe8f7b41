/// `JSONOutputEncoder`'s single-value container: the value being encoded is this one value.
struct JSONOutputSingleValueContainer: SingleValueEncodingContainer {
    let encoder: JSONOutputEncoder
    var codingPath: [any CodingKey]

    private func set(_ node: JSONOutputNode) {
        if encoder.value != nil { encoder.unsupported = true }
        encoder.value = node
    }

    mutating func encodeNil() throws { set(.null) }
    mutating func encode(_ value: Bool) throws { set(.bool(value)) }
    mutating func encode(_ value: String) throws { set(.string(value)) }
    mutating func encode(_ value: Double) throws { set(try JSONOutputEncoder.number(value)) }
    mutating func encode(_ value: Float) throws { throw JSONOutputEncoder.Unsupported() }
    mutating func encode(_ value: Int) throws { set(.number(String(value))) }
    mutating func encode(_ value: Int8) throws { set(.number(String(value))) }
    mutating func encode(_ value: Int16) throws { set(.number(String(value))) }
    mutating func encode(_ value: Int32) throws { set(.number(String(value))) }
    mutating func encode(_ value: Int64) throws { set(.number(String(value))) }
    mutating func encode(_ value: UInt) throws { set(.number(String(value))) }
    mutating func encode(_ value: UInt8) throws { set(.number(String(value))) }
    mutating func encode(_ value: UInt16) throws { set(.number(String(value))) }
    mutating func encode(_ value: UInt32) throws { set(.number(String(value))) }
    mutating func encode(_ value: UInt64) throws { set(.number(String(value))) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let node = try encoder.node(of: value, key: nil)
        set(node)
    }
}
