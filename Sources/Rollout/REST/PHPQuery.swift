import ReleasePlan

/// PHP-style query strings, as Bitrix24 reads them: `OPTIONS[errorHandlerUrl]=…&LANG_ALL[ru][TITLE]=…`.
/// Used for the commands of a `batch` (`"method?params"`) and for the OAuth token request.
/// Built byte by byte (UTF-8) into one buffer, percent-encoding through a table.
public enum PHPQuery {
    /// Booleans become 1/0 (PHP reads the string "false" as true); null becomes an empty value.
    public static func encode(_ parameters: [String: PlanValue]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(128)
        var name: [UInt8] = []
        for key in parameters.keys.sorted() {
            name.removeAll(keepingCapacity: true)
            escape(key, into: &name)
            append(parameters[key]!, name: &name, to: &output)
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// `name=value` pairs of one value; `name` is the bracket path so far (restored on return).
    private static func append(_ value: PlanValue, name: inout [UInt8], to output: inout [UInt8]) {
        switch value {
        case .object(let object):
            if object.isEmpty { pair(name, to: &output) }
            let length = name.count
            for key in object.keys.sorted() {
                name.append(UInt8(ascii: "["))
                escape(key, into: &name)
                name.append(UInt8(ascii: "]"))
                append(object[key]!, name: &name, to: &output)
                name.removeSubrange(length...)
            }
        case .array(let array):
            if array.isEmpty { pair(name, to: &output) }
            let length = name.count
            for (index, element) in array.enumerated() {
                name.append(UInt8(ascii: "["))
                name.append(contentsOf: String(index).utf8)
                name.append(UInt8(ascii: "]"))
                append(element, name: &name, to: &output)
                name.removeSubrange(length...)
            }
        case .string(let text), .number(let text):
            pair(name, to: &output)
            escape(text, into: &output)
        case .bool(let flag):
            pair(name, to: &output)
            output.append(flag ? UInt8(ascii: "1") : UInt8(ascii: "0"))
        case .null: pair(name, to: &output)
        }
    }

    /// `&name=` (no `&` before the first pair).
    private static func pair(_ name: [UInt8], to output: inout [UInt8]) {
        if !output.isEmpty { output.append(UInt8(ascii: "&")) }
        output.append(contentsOf: name)
        output.append(UInt8(ascii: "="))
    }

    /// Percent-encoding of everything but unreserved characters (RFC 3986).
    public static func escape(_ text: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        escape(text, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends `text`'s UTF-8 bytes, each one outside `A–Z a–z 0–9 - . _ ~` as `%XX` (upper-case hex).
    static func escape(_ text: String, into output: inout [UInt8]) {
        for byte in text.utf8 {
            if unreserved[Int(byte)] {
                output.append(byte)
            } else {
                output.append(UInt8(ascii: "%"))
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            }
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// Whether each byte value stays as it is.
    private static let unreserved: [Bool] = (0..<256).map { byte in
        switch UInt8(byte) {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"): true
        default: false
        }
    }
}
