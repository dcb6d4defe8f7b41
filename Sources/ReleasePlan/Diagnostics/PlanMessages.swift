/// The messages of the plan decoder and the lint rules, in one catalogue (STYLE 6).
public enum PlanMessages {
    // MARK: Decoding (B24P002–B24P005)

    static func wrongType(path: JSONPath, expected: String, found: String) -> String {
        "`\(path.displayName)` must be \(expected), found \(found)"
    }
    static func unknownKey(_ key: String, what: String) -> String { "unknown key \"\(key)\" in \(what)" }
    static func missingKey(_ key: String, what: String) -> String { "\(what) is missing the required key \"\(key)\"" }
    static func duplicateKey(_ key: String, what: String, firstLine: Int?) -> String {
        let first = firstLine.map { " (first on line \($0))" } ?? ""
        return "duplicate key \"\(key)\" in \(what)\(first)"
    }
    static func emptyString(_ path: JSONPath) -> String { "`\(path.displayName)` must not be empty" }
    static func emptyArray(_ path: JSONPath) -> String { "`\(path.displayName)` must not be an empty array" }
    static func tooSmall(_ path: JSONPath, minimum: Int) -> String { "`\(path.displayName)` must be at least \(minimum)" }
    static func notOneOf(_ value: String, path: JSONPath, allowed: [String]) -> String {
        "`\(path.displayName)` must be one of \(allowed.map { "\"\($0)\"" }.joined(separator: ", ")), found \"\(value)\""
    }
    static func unknownRule(_ rule: String) -> String { "unknown rule code \"\(rule)\"" }
    static func badSuppressionPath(_ path: String) -> String {
        "\"\(path)\" is not a path of the form placements[2].handler"
    }
    static let planNotObject = "a release plan must be a JSON object"
}

extension JSONPath {
    /// The path as messages show it (`(root)` for the whole document).
    var displayName: String { components.isEmpty ? "(root)" : description }
}
