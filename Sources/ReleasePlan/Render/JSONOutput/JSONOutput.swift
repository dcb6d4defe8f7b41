import Foundation

/// The one JSON encoder of the tool's outputs: pretty, sorted keys, `/` unescaped, and no control
/// character left raw (the encoder escapes U+0000–U+001F; DEL and C1 controls are escaped here too,
/// so `cat`ting the output on a terminal is safe).
public enum JSONOutput {
    /// Why a value could not be written as JSON (a number beyond a `Double`, say). Commands let it
    /// end them with exit 1 and this message: a stand-in document such as `{}` would read as success.
    public struct EncodingFailure: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { "cannot write the output as JSON: \(reason)" }
    }

    /// The JSON text of `value` with a final newline; throws `EncodingFailure` when it has none.
    /// `JSONOutputEncoder` writes it, unless the value holds something only `JSONEncoder` writes
    /// right; the text is the same either way.
    public static func encode<Value: Encodable>(_ value: Value) throws(EncodingFailure) -> String {
        if let bytes = try? JSONOutputEncoder.encode(value) {
            return String(decoding: bytes, as: UTF8.self) + "\n"
        }
        return try encodeWithFoundation(value)
    }

    /// `encode` through Foundation's `JSONEncoder` (what `JSONOutputEncoder` is checked against).
    static func encodeWithFoundation<Value: Encodable>(_ value: Value) throws(EncodingFailure) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do {
            data = try encoder.encode(value)
        } catch let EncodingError.invalidValue(value, context) {
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            throw EncodingFailure(reason: "\(value) at \(path.isEmpty ? "(root)" : path): \(context.debugDescription)")
        } catch {
            throw EncodingFailure(reason: "\(error)")
        }
        return escapingDELAndC1(String(decoding: data, as: UTF8.self)) + "\n"
    }

    /// DEL and C1 controls as `\u007f`…`\u009f`: they can only be inside strings, where JSON allows the escape.
    static func escapingDELAndC1(_ json: String) -> String {
        guard json.unicodeScalars.contains(where: { (0x7F...0x9F).contains($0.value) }) else { return json }
        var output = String.UnicodeScalarView()
        for scalar in json.unicodeScalars {
            if (0x7F...0x9F).contains(scalar.value) {
                output.append(contentsOf: "\\u00\(String(scalar.value, radix: 16))".unicodeScalars)
            } else {
                output.append(scalar)
            }
        }
        return String(output)
    }
}
