import Foundation

/// A path into a JSON document in the form diagnostics and `suppress.at` use: `placements[2].handler`
/// (array indices 0-based; the root is the empty path).
public struct JSONPath: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    public var components: [Component]

    public init(_ components: [Component] = []) {
        self.components = components
    }

    public static let root = JSONPath()

    public func appending(_ key: String) -> JSONPath {
        appending(.key(key))
    }

    public func appending(_ index: Int) -> JSONPath {
        appending(.index(index))
    }

    /// One allocation (the grown copy), not two: decoding builds a path for every array element.
    private func appending(_ component: Component) -> JSONPath {
        var grown: [Component] = []
        grown.reserveCapacity(components.count + 1)
        grown.append(contentsOf: components)
        grown.append(component)
        return JSONPath(grown)
    }

    public static func / (path: JSONPath, key: String) -> JSONPath { path.appending(key) }
    public static func / (path: JSONPath, index: Int) -> JSONPath { path.appending(index) }

    /// The path one step up (the root's parent is the root).
    public var parent: JSONPath { JSONPath(Array(components.dropLast())) }

    /// Whether `self` is `other` or lies under it.
    public func isWithin(_ other: JSONPath) -> Bool {
        components.count >= other.components.count
            && Array(components.prefix(other.components.count)) == other.components
    }

    /// The first component's key, which names the top-level field a path belongs to.
    public var topLevelKey: String? {
        if case .key(let key)? = components.first { return key }
        return nil
    }

    public var description: String {
        var text = ""
        for component in components {
            switch component {
            case .key(let key):
                if Self.isPlainKey(key) {
                    text += text.isEmpty ? key : "." + key
                } else {
                    text += "[\"" + key.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"]"
                }
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text
    }

    private static func isPlainKey(_ key: String) -> Bool {
        !key.isEmpty
            && key.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "$")
            }
    }

    /// Parses the text form; nil when it is malformed (e.g. `a[`, `a..b`).
    public init?(parsing text: String) {
        var components: [Component] = []
        let bytes = Array(text.utf8)
        var index = 0
        var expectKey = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "[") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
                    index += 1
                    var key: [UInt8] = []
                    while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                        if bytes[index] == UInt8(ascii: "\\"), index + 1 < bytes.count { index += 1 }
                        key.append(bytes[index])
                        index += 1
                    }
                    guard index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "]") else { return nil }
                    components.append(.key(String(decoding: key, as: UTF8.self)))
                    index += 2
                } else {
                    var digits = 0
                    var value = 0
                    while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39, digits < 9 {
                        value = value * 10 + Int(bytes[index] - 0x30)
                        digits += 1
                        index += 1
                    }
                    guard digits > 0, index < bytes.count, bytes[index] == UInt8(ascii: "]") else { return nil }
                    components.append(.index(value))
                    index += 1
                }
                expectKey = false
            } else if byte == UInt8(ascii: ".") {
                guard !components.isEmpty, !expectKey else { return nil }
                index += 1
                expectKey = true
            } else {
                guard expectKey || components.isEmpty else { return nil }
                var key: [UInt8] = []
                while index < bytes.count, bytes[index] != UInt8(ascii: "."), bytes[index] != UInt8(ascii: "[") {
                    key.append(bytes[index])
                    index += 1
                }
                components.append(.key(String(decoding: key, as: UTF8.self)))
                expectKey = false
            }
        }
        if expectKey && !components.isEmpty { return nil }
        self.components = components
    }

    public static func < (lhs: JSONPath, rhs: JSONPath) -> Bool {
        for (left, right) in zip(lhs.components, rhs.components) where left != right {
            switch (left, right) {
            case (.index(let a), .index(let b)): return a < b
            case (.key(let a), .key(let b)): return a < b
            case (.index, .key): return true
            case (.key, .index): return false
            }
        }
        return lhs.components.count < rhs.components.count
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self = JSONPath(parsing: text) ?? JSONPath([.key(text)])
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
