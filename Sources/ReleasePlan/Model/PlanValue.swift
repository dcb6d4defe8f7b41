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
        switch self {
        case .object(let object):
            let body = object.keys.sorted().map { "\(PlanValue.string($0)): \(object[$0]!)" }
            return "{" + body.joined(separator: ", ") + "}"
        case .array(let array): return "[" + array.map(\.description).joined(separator: ", ") + "]"
        case .string(let text): return JSONText.quoted(text)
        case .number(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "null"
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
