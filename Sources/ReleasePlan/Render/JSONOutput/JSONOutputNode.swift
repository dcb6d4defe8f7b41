/// A value as `JSONOutputEncoder` collects it before writing: containers are shared boxes, so a
/// nested container handed out earlier can still be filled.
enum JSONOutputNode {
    case string(String)
    /// The number's text as Foundation's `JSONEncoder` writes it.
    case number(String)
    case bool(Bool)
    case null
    case array(JSONOutputArray)
    case object(JSONOutputObject)
}

/// An array being filled.
final class JSONOutputArray {
    var elements: [JSONOutputNode] = []
}

/// An object being filled, members in the order encoded; a key encoded again replaces its value
/// (the writer keeps the last), as in Foundation's `JSONEncoder`.
final class JSONOutputObject {
    var members: [(key: String, value: JSONOutputNode)] = []
}
