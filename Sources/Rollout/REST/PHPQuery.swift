import Foundation
import ReleasePlan

/// PHP-style query strings, as Bitrix24 reads them: `OPTIONS[errorHandlerUrl]=…&LANG_ALL[ru][TITLE]=…`.
/// Used for the commands of a `batch` (`"method?params"`) and for the OAuth token request.
public enum PHPQuery {
    /// Booleans become 1/0 (PHP reads the string "false" as true); null becomes an empty value.
    public static func encode(_ parameters: [String: PlanValue]) -> String {
        var pairs: [String] = []
        for key in parameters.keys.sorted() {
            append(parameters[key]!, name: escape(key), to: &pairs)
        }
        return pairs.joined(separator: "&")
    }

    private static func append(_ value: PlanValue, name: String, to pairs: inout [String]) {
        switch value {
        case .object(let object):
            if object.isEmpty { pairs.append(name + "=") }
            for key in object.keys.sorted() { append(object[key]!, name: name + "[" + escape(key) + "]", to: &pairs) }
        case .array(let array):
            if array.isEmpty { pairs.append(name + "=") }
            for (index, element) in array.enumerated() { append(element, name: name + "[\(index)]", to: &pairs) }
        case .string(let text): pairs.append(name + "=" + escape(text))
        case .number(let text): pairs.append(name + "=" + escape(text))
        case .bool(let flag): pairs.append(name + "=" + (flag ? "1" : "0"))
        case .null: pairs.append(name + "=")
        }
    }

    /// Percent-encoding of everything but unreserved characters (RFC 3986).
    public static func escape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.unicodeScalars.map { scalar in
            allowed.contains(scalar) && scalar.isASCII
                ? String(scalar) : String(scalar).utf8.map { String(format: "%%%02X", $0) }.joined()
        }.joined()
    }
}
