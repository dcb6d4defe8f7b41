/// Writing JSON text by hand where the output must be byte-for-byte stable.
public enum JSONText {
    /// A JSON string literal with the escapes JSON requires, DEL and C1 controls escaped too (and `/`
    /// left alone).
    public static func quoted(_ text: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count + 2)
        appendQuoted(text, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// `quoted(text)`'s UTF-8 bytes, appended: a byte at a time (a `String`'s UTF-8 is valid, so a
    /// C1 control is always the pair C2 80…9F).
    public static func appendQuoted(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var pendingC2 = false
        for byte in text.utf8 {
            if pendingC2 {
                pendingC2 = false
                if byte <= 0x9F {
                    appendUnicodeEscape(byte, to: &output)  // U+0080…U+009F is C2 80…C2 9F
                    continue
                }
                output.append(0xC2)
            }
            if byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") && byte < 0x7F {
                output.append(byte)
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0xC2: pendingC2 = true
            case 0..<0x20, 0x7F: appendUnicodeEscape(byte, to: &output)
            default: output.append(byte)
            }
        }
        if pendingC2 { output.append(0xC2) }
        output.append(UInt8(ascii: "\""))
    }

    /// `\u00xx`, lower-case hex.
    private static func appendUnicodeEscape(_ value: UInt8, to output: inout [UInt8]) {
        output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
        output.append(lowerHexDigits[Int(value >> 4)])
        output.append(lowerHexDigits[Int(value & 0x0F)])
    }

    private static let lowerHexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// The value of the four hex digits of a `\uXXXX` escape at `position` of `bytes`, or nil when
    /// there are fewer than four or one is no hex digit.
    public static func hex4(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int) -> UInt32? {
        guard position + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for offset in 0..<4 {
            guard let digit = hexDigitValue(bytes[position + offset]) else { return nil }
            value = value * 16 + digit
        }
        return value
    }

    /// The value of a hex digit byte (`0-9a-fA-F`) of a `\uXXXX` escape, or nil.
    @inline(__always)
    public static func hexDigitValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }
}
