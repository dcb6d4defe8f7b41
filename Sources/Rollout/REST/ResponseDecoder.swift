import ReleasePlan

/// Bitrix24 answers read straight from their bytes into `PlanValue`: strict JSON, no source
/// positions, no diagnostics, no intermediate tree. It accepts exactly the documents the plan
/// parser (`JSONParser`) reads without a diagnostic, and gives the same value for each (the last
/// of duplicate keys wins, a lone surrogate escape reads as U+FFFD, nesting deeper than
/// `JSONParser.maximumDepth` is refused), at a fraction of the cost: every answer of the fleet
/// goes through here.
struct ResponseDecoder {
    /// The value of a JSON document, or nil when the bytes are not one.
    static func decode(_ body: [UInt8]) -> PlanValue? {
        body.withUnsafeBufferPointer { buffer in
            var decoder = ResponseDecoder(bytes: buffer)
            if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { decoder.position = 3 }
            guard let value = decoder.value() else { return nil }
            decoder.skipWhitespace()
            return decoder.position == buffer.count ? value : nil
        }
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0
    private var depth = 0

    private init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    private var current: UInt8 { position < bytes.count ? bytes[position] : 0 }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private mutating func value() -> PlanValue? {
        skipWhitespace()
        guard position < bytes.count else { return nil }
        switch bytes[position] {
        case UInt8(ascii: "{"): return object()
        case UInt8(ascii: "["): return array()
        case UInt8(ascii: "\""): return string().map(PlanValue.string)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return number()
        case UInt8(ascii: "t"): return literal("true", .bool(true))
        case UInt8(ascii: "f"): return literal("false", .bool(false))
        case UInt8(ascii: "n"): return literal("null", .null)
        default: return nil
        }
    }

    private mutating func object() -> PlanValue? {
        guard enter() else { return nil }
        defer { depth -= 1 }
        position += 1
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            position += 1
            return .object([:])
        }
        // Members are gathered first, so the dictionary is built at its size (no rehashing as it grows).
        var members: [(String, PlanValue)] = []
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\""), let key = string() else { return nil }
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { return nil }
            position += 1
            guard let member = value() else { return nil }
            members.append((key, member))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"):
                position += 1
                return .object(Dictionary(members, uniquingKeysWith: { _, last in last }))
            default: return nil
            }
        }
    }

    private mutating func array() -> PlanValue? {
        guard enter() else { return nil }
        defer { depth -= 1 }
        position += 1
        var elements: [PlanValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            guard let element = value() else { return nil }
            elements.append(element)
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"):
                position += 1
                return .array(elements)
            default: return nil
            }
        }
    }

    private mutating func enter() -> Bool {
        depth += 1
        return depth <= JSONParser.maximumDepth
    }

    private mutating func literal(_ word: StaticString, _ value: PlanValue) -> PlanValue? {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { return nil }
        for offset in 0..<count where bytes[position + offset] != word.utf8Start[offset] { return nil }
        position += count
        // `trueish` is one bare word to the plan parser, not `true` and garbage.
        if position < bytes.count, Self.continuesWord(bytes[position]) { return nil }
        return value
    }

    private static func continuesWord(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "_"), UInt8(ascii: "$"), 0x80...0xFF: return true
        default: return false
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, kept as written.
    private mutating func number() -> PlanValue? {
        let start = position
        if current == UInt8(ascii: "-") { position += 1 }
        if current == UInt8(ascii: "0") {
            position += 1
        } else if digits() == 0 {
            return nil
        }
        if current == UInt8(ascii: ".") {
            position += 1
            guard digits() > 0 else { return nil }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard digits() > 0 else { return nil }
        }
        // The plan parser reads `1x`, `0x1F` or `1.2.3` as one malformed number.
        if position < bytes.count, Self.continuesNumber(bytes[position]) { return nil }
        return .number(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self))
    }

    private static func continuesNumber(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "."), UInt8(ascii: "+"), UInt8(ascii: "-"): return true
        default: return false
        }
    }

    private mutating func digits() -> Int {
        let start = position
        while position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") { position += 1 }
        return position - start
    }

    /// A string literal at `"`; most have no escape, and their text is their bytes.
    private mutating func string() -> String? {
        position += 1
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                position += 1
                return text
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            position += 1
        }
        var output = Array(bytes[start..<position])
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return String(decoding: output, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard escape(into: &output) else { return nil }
            case 0..<0x20:
                return nil
            default:
                output.append(byte)
                position += 1
            }
        }
        return nil
    }

    private mutating func escape(into output: inout [UInt8]) -> Bool {
        position += 1
        guard position < bytes.count else { return false }
        let escaped = bytes[position]
        position += 1
        switch escaped {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(escaped)
        case UInt8(ascii: "b"): output.append(0x08)
        case UInt8(ascii: "f"): output.append(0x0C)
        case UInt8(ascii: "n"): output.append(0x0A)
        case UInt8(ascii: "r"): output.append(0x0D)
        case UInt8(ascii: "t"): output.append(0x09)
        case UInt8(ascii: "u"):
            guard var scalar = hex4() else { return false }
            if (0xD800..<0xDC00).contains(scalar), current == UInt8(ascii: "\\"), position + 1 < bytes.count,
                bytes[position + 1] == UInt8(ascii: "u")
            {
                let save = position
                position += 2
                if let low = hex4(), (0xDC00..<0xE000).contains(low) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    position = save
                }
            }
            output.append(contentsOf: String(Unicode.Scalar(scalar) ?? "\u{FFFD}").utf8)
        default: return false
        }
        return true
    }

    /// The four hex digits at `position` (`JSONText.hex4`), read past.
    private mutating func hex4() -> UInt32? {
        guard let value = JSONText.hex4(bytes, at: position) else { return nil }
        position += 4
        return value
    }
}
