import Foundation
import ReleasePlan

/// A value as PHP holds it after a form-encoded request: every leaf a string (booleans `1`/`0`,
/// `null` and empty containers `""`), keyed by its bracket path. Comparing two values this way says
/// whether sending one would change what a portal stores as the other (`app.option.set`).
public enum PHPFormValue {
    /// `["[version]": "1.3.0", "[missingScopes][0]": "task", …]`; a JSON text that holds an object
    /// or array (a portal that stores the value serialized) is read as that object or array.
    public static func flatten(_ value: PlanValue) -> [String: String] {
        var leaves: [String: String] = [:]
        add(value, path: "", to: &leaves)
        return leaves
    }

    private static func add(_ value: PlanValue, path: String, to leaves: inout [String: String]) {
        switch value {
        case .object(let object) where !object.isEmpty:
            for (key, element) in object { add(element, path: path + "[" + key + "]", to: &leaves) }
        case .array(let array) where !array.isEmpty:
            for (index, element) in array.enumerated() { add(element, path: path + "[\(index)]", to: &leaves) }
        case .object, .array, .null: leaves[path] = ""
        case .string(let text):
            if let parsed = serialized(text) {
                add(parsed, path: path, to: &leaves)
            } else {
                leaves[path] = text
            }
        case .number(let text): leaves[path] = text
        case .bool(let flag): leaves[path] = flag ? "1" : "0"
        }
    }

    /// The object or array a text holds as JSON, if it does.
    private static func serialized(_ text: String) -> PlanValue? {
        guard let first = text.first, first == "{" || first == "[" else { return nil }
        let parsed = JSONParser.parse(SourceFile(path: "option", text: text))
        guard parsed.diagnostics.isEmpty, let root = parsed.root else { return nil }
        let value = PlanValue(root)
        switch value {
        case .object, .array: return value
        default: return nil
        }
    }
}
