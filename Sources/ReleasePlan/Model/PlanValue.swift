/// A JSON value without source positions: placement options and other free-form data.
public indirect enum PlanValue: Sendable, Equatable, Codable, CustomStringConvertible {
    case object([String: PlanValue])
    case array([PlanValue])
    case string(String)
    /// Kept as written so `1.50` stays `1.50`.
    case number(String)
    case bool(Bool)
    case null

    /// The value of a located node, ranges dropped (for duplicate keys the last one wins, as in most readers).
    public init(_ node: JSONNode) {
        switch node.value {
        case .object(let members):
            var object: [String: PlanValue] = [:]
            for member in members { object[member.key] = PlanValue(member.value) }
            self = .object(object)
        case .array(let elements): self = .array(elements.map(PlanValue.init))
        case .string(let text): self = .string(text)
        case .number(let text): self = .number(text)
        case .bool(let flag): self = .bool(flag)
        case .null: self = .null
        }
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number))
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let array = try? container.decode([PlanValue].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: PlanValue].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .object(let object): try container.encode(object)
        case .array(let array): try container.encode(array)
        case .string(let text): try container.encode(text)
        case .number(let text):
            if let integer = Int(text) { try container.encode(integer) } else { try container.encode(Double(text) ?? 0) }
        case .bool(let flag): try container.encode(flag)
        case .null: try container.encodeNil()
        }
    }

    /// Compact JSON text with sorted keys: for messages and diffs.
    public var description: String {
        var output: [UInt8] = []
        appendJSON(to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// `description`'s UTF-8 bytes, appended (request bodies are built this way, without a `String`).
    public func appendJSON(to output: inout [UInt8]) {
        switch self {
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            for (index, key) in object.keys.sortedByUTF8().enumerated() {
                if index > 0 { output.append(contentsOf: [UInt8(ascii: ","), UInt8(ascii: " ")]) }
                JSONText.appendQuoted(key, to: &output)
                output.append(contentsOf: [UInt8(ascii: ":"), UInt8(ascii: " ")])
                object[key]!.appendJSON(to: &output)
            }
            output.append(UInt8(ascii: "}"))
        case .array(let array):
            output.append(UInt8(ascii: "["))
            for (index, element) in array.enumerated() {
                if index > 0 { output.append(contentsOf: [UInt8(ascii: ","), UInt8(ascii: " ")]) }
                element.appendJSON(to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .string(let text): JSONText.appendQuoted(text, to: &output)
        case .number(let text): output.append(contentsOf: text.utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .null: output.append(contentsOf: "null".utf8)
        }
    }
}

extension PlanValue {
    /// An object's entries; PHP sends an empty object as `[]` and a 0..n-1 keyed one as an array.
    public var entries: [String: PlanValue] {
        switch self {
        case .object(let object): return object
        case .array(let array): return Dictionary(uniqueKeysWithValues: array.enumerated().map { (String($0), $1) })
        default: return [:]
        }
    }
}
