/// Replaces every secret b24plan knows — the OAuth client secret, the database password — with
/// `***` in text that leaves the process (output, journal rows, error messages), and keeps them
/// out of a child's environment (DESIGN §7, secrets).
///
/// Secrets are matched as UTF-8 bytes, longest first, so a secret containing another is hidden
/// whole. Values shorter than ``minimumLength`` are not looked for: hiding every "ab" of a
/// transcript would garble it and, by elimination, show the secret anyway.
public struct SecretRedactor: Sendable, Equatable {
    /// What a secret is replaced with.
    public static let mask = "***"
    /// Secrets shorter than this many UTF-8 bytes are ignored.
    public static let minimumLength = 4
    /// Variables that hold secrets by name, removed from a child's environment whatever their value.
    public static let secretVariables: Set<String> = ["B24_CLIENT_SECRET", "B24PLAN_DATABASE_URL", "PGPASSWORD"]

    /// The secrets looked for, longest first.
    public private(set) var secrets: [String] = []
    /// What this redactor writes in a secret's place (``mask`` unless told otherwise).
    public let replacement: String

    public init(replacement: String = Self.mask) { self.replacement = replacement }

    public init(_ secrets: some Sequence<String>, replacement: String = Self.mask) {
        self.replacement = replacement
        add(secrets)
    }

    /// Adds secrets, each also as it appears inside a JSON string (`"` and `\\` escaped); empty and
    /// too short ones are ignored, duplicates kept once.
    public mutating func add(_ more: some Sequence<String>) {
        let known = Set(secrets)
        let candidates = more.flatMap { [$0, Self.jsonEscaped($0)] }
        let fresh = Set(candidates.filter { $0.utf8.count >= Self.minimumLength && !known.contains($0) })
        secrets = (secrets + fresh).sorted { ($0.utf8.count, $0) > ($1.utf8.count, $1) }
    }

    /// `text` as JSONEncoder writes it between quotes (slashes unescaped, as `JSONOutput` does).
    static func jsonEscaped(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                escaped += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// A copy with more secrets.
    public func adding(_ more: some Sequence<String>) -> SecretRedactor {
        var copy = self
        copy.add(more)
        return copy
    }

    public var isEmpty: Bool { secrets.isEmpty }

    /// `text` with every occurrence of every secret replaced by ``replacement``.
    public func redact(_ text: String) -> String {
        guard !secrets.isEmpty else { return text }
        var bytes = Array(text.utf8)
        var changed = false
        for secret in secrets {
            let needle = Array(secret.utf8)
            guard bytes.count >= needle.count, let replaced = Self.replacing(needle, in: bytes, with: Array(replacement.utf8))
            else { continue }
            bytes = replaced
            changed = true
        }
        return changed ? String(decoding: bytes, as: UTF8.self) : text
    }

    /// Whether `text` holds any secret.
    public func containsSecret(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return secrets.contains { Self.firstIndex(of: Array($0.utf8), in: bytes, from: 0) != nil }
    }

    /// `environment` without the ``secretVariables`` and without any variable whose value holds a
    /// secret (a `DATABASE_URL` with the password in it, a copy of the client secret).
    public func scrubbed(_ environment: [String: String]) -> [String: String] {
        environment.filter { name, value in !Self.secretVariables.contains(name) && !containsSecret(value) }
    }

    // MARK: Bytes

    /// `haystack` with each occurrence of `needle` replaced by `mask`, or nil when there is none.
    private static func replacing(_ needle: [UInt8], in haystack: [UInt8], with mask: [UInt8]) -> [UInt8]? {
        guard var match = firstIndex(of: needle, in: haystack, from: 0) else { return nil }
        var result: [UInt8] = []
        result.reserveCapacity(haystack.count)
        var start = 0
        while true {
            result += haystack[start..<match]
            result += mask
            start = match + needle.count
            guard let next = firstIndex(of: needle, in: haystack, from: start) else { break }
            match = next
        }
        result += haystack[start...]
        return result
    }

    private static func firstIndex(of needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, haystack.count - start >= needle.count else { return nil }
        var index = start
        while index <= haystack.count - needle.count {
            if haystack[index] == first && haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
