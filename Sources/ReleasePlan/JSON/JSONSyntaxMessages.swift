/// Every B24P001 message in one place, so the wording stays consistent and greppable.
enum JSONSyntaxMessages {
    static let emptyDocument = "the file is empty: expected a JSON object"
    static let contentAfterDocument = "unexpected content after the end of the JSON document"
    static let unexpectedEndExpectingValue = "unexpected end of file: expected a value"
    static let singleQuotes = "strings must use double quotes, not single quotes"
    static let singleQuotedKey = "keys must use double quotes, not single quotes"
    static let unterminatedObject = "this object is never closed: expected '}'"
    static let unterminatedArray = "this array is never closed: expected ']'"
    static let unterminatedString = "unterminated string: a string must end with a quote on the same line"
    static let unterminatedComment = "unterminated comment (and JSON does not allow comments)"
    static let trailingCommaInObject = "trailing comma in object: remove the ',' before '}'"
    static let trailingCommaInArray = "trailing comma in array: remove the ',' before ']'"
    static let extraComma = "extra comma: expected a value before ','"
    static let missingCommaBetweenMembers = "missing comma between object members: add ',' before this key"
    static let missingCommaBetweenElements = "missing comma between array elements: add ',' before this value"
    static let equalsInsteadOfColon = "use ':' between a key and its value, not '='"
    static let comment = "comments are not allowed in JSON"
    static let controlCharacterInString = "control character in a string: write it as an escape such as \\t or \\n"
    static let badUnicodeEscape = "invalid \\u escape: expected four hexadecimal digits"
    static let byteOrderMarkInside = "byte order mark in the middle of the file"
    static let nonBreakingSpace = "non-breaking space (U+00A0) outside a string: use a plain space"

    static func expectedValue(found: String) -> String { "expected a value, found \(found)" }
    static func unexpectedCharacter(_ found: String) -> String { "unexpected character \(found)" }
    static func mismatchedClose(expected: String, found: String) -> String {
        "expected '\(expected)' to close, found '\(found)'"
    }
    static func expectedCommaOrCloseBrace(found: String) -> String { "expected ',' or '}' after a member, found \(found)" }
    static func expectedCommaOrCloseBracket(found: String) -> String { "expected ',' or ']' after an element, found \(found)" }
    static func unquotedKey(_ key: String) -> String { "unquoted key: write \"\(key)\" in double quotes" }
    static func expectedKey(found: String) -> String { "expected a key in double quotes, found \(found)" }
    static func missingColon(key: String) -> String { "expected ':' after the key \"\(key)\"" }
    static func tooDeep(_ limit: Int) -> String { "nesting deeper than \(limit) levels" }
    static func bareWord(_ word: String) -> String {
        switch word.lowercased() {
        case "true", "false", "null": return "'\(word)' is not JSON: write \(word.lowercased()) in lower case"
        case "none", "nil", "undefined": return "'\(word)' is not JSON: use null"
        case "nan", "infinity": return "'\(word)' is not a JSON number"
        default: return "unquoted string: write \"\(word)\" in double quotes"
        }
    }
    static func invalidNumber(_ text: String) -> String { "invalid number '\(text)'" }
    static func badEscape(_ escape: String) -> String { "invalid escape \(escape) in a string" }
}
