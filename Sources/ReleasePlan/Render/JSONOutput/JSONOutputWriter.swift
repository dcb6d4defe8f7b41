/// Writes a `JSONOutputNode` as Foundation's `JSONEncoder` does with `.prettyPrinted`,
/// `.sortedKeys` and `.withoutEscapingSlashes` on Linux: two spaces a level, `"key" : value`, an
/// empty container as `[`, two newlines, `]`, keys ordered by their UTF-8 bytes. Strings escape
/// `"`, `\`, the C0 controls (`\b \f \n \r \t`, else `\u00xx`), and, which `JSONEncoder` leaves
/// raw, DEL and the C1 controls (`\u007f`…`\u009f`).
struct JSONOutputWriter {
    var bytes: [UInt8] = []
    private var indent = 0

    init() { bytes.reserveCapacity(1 << 16) }

    mutating func write(_ node: JSONOutputNode) {
        switch node {
        case .string(let text): writeString(text)
        case .number(let text): bytes.append(contentsOf: text.utf8)
        case .bool(let flag): bytes.append(contentsOf: flag ? Self.trueText : Self.falseText)
        case .null: bytes.append(contentsOf: Self.nullText)
        case .array(let array):
            bytes.append(UInt8(ascii: "["))
            bytes.append(UInt8(ascii: "\n"))
            indent += 1
            for (index, element) in array.elements.enumerated() {
                if index > 0 { bytes.append(contentsOf: Self.separator) }
                writeIndent()
                write(element)
            }
            closeContainer(UInt8(ascii: "]"))
        case .object(let object):
            bytes.append(UInt8(ascii: "{"))
            bytes.append(UInt8(ascii: "\n"))
            indent += 1
            for (index, member) in Self.sortedMembers(object).enumerated() {
                if index > 0 { bytes.append(contentsOf: Self.separator) }
                writeIndent()
                writeString(member.key)
                bytes.append(contentsOf: Self.colon)
                write(member.value)
            }
            closeContainer(UInt8(ascii: "}"))
        }
    }

    private static let trueText = Array("true".utf8)
    private static let falseText = Array("false".utf8)
    private static let nullText = Array("null".utf8)
    private static let separator = Array(",\n".utf8)
    private static let colon = Array(" : ".utf8)
    private static let hexDigits = Array("0123456789abcdef".utf8)

    private mutating func closeContainer(_ bracket: UInt8) {
        bytes.append(UInt8(ascii: "\n"))
        indent -= 1
        writeIndent()
        bytes.append(bracket)
    }

    private mutating func writeIndent() {
        for _ in 0..<indent {
            bytes.append(UInt8(ascii: " "))
            bytes.append(UInt8(ascii: " "))
        }
    }

    /// Members by key, UTF-8 byte order; of a key encoded more than once, the last value.
    static func sortedMembers(_ object: JSONOutputObject) -> [(key: String, value: JSONOutputNode)] {
        let members = object.members
        if members.count < 2 { return members }
        let order = members.indices.sorted { left, right in
            switch String.compareUTF8(members[left].key, members[right].key) {
            case 0: return left < right
            case let order: return order < 0
            }
        }
        var sorted: [(key: String, value: JSONOutputNode)] = []
        sorted.reserveCapacity(members.count)
        for index in order {
            if let last = sorted.last, last.key == members[index].key {
                sorted[sorted.count - 1] = members[index]
            } else {
                sorted.append(members[index])
            }
        }
        return sorted
    }

    private mutating func writeString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var mark = 0
            var index = 0
            while index < utf8.count {
                let byte = utf8[index]
                let escape: [UInt8]?
                var width = 1
                switch byte {
                case UInt8(ascii: "\""): escape = [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
                case UInt8(ascii: "\\"): escape = [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
                case 0x08: escape = [UInt8(ascii: "\\"), UInt8(ascii: "b")]
                case 0x0C: escape = [UInt8(ascii: "\\"), UInt8(ascii: "f")]
                case 0x0A: escape = [UInt8(ascii: "\\"), UInt8(ascii: "n")]
                case 0x0D: escape = [UInt8(ascii: "\\"), UInt8(ascii: "r")]
                case 0x09: escape = [UInt8(ascii: "\\"), UInt8(ascii: "t")]
                case 0x00...0x1F, 0x7F: escape = Self.unicodeEscape(UInt32(byte))
                case 0xC2 where index + 1 < utf8.count && (0x80...0x9F).contains(utf8[index + 1]):
                    // U+0080…U+009F, the C1 controls, are C2 80…C2 9F in UTF-8.
                    escape = Self.unicodeEscape(UInt32(utf8[index + 1]))
                    width = 2
                default: escape = nil
                }
                if let escape {
                    if index > mark { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[mark..<index])) }
                    bytes.append(contentsOf: escape)
                    index += width
                    mark = index
                } else {
                    index += 1
                }
            }
            if index > mark { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[mark..<index])) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// `\u00xx`, lowercase hex.
    private static func unicodeEscape(_ value: UInt32) -> [UInt8] {
        [
            UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hexDigits[Int(value >> 4)],
            hexDigits[Int(value & 0xF)],
        ]
    }
}
