extension String {
    /// The text with its control characters made visible, for output read on a terminal: a plan's
    /// value must not clear the screen, move the cursor, set the window title or start a new line.
    ///
    /// Line feed, carriage return and tab become `\n`, `\r` and `\t`; every other C0 control
    /// (U+0000–U+001F), DEL (U+007F) and every C1 control (U+0080–U+009F) becomes `\u{…}` with the
    /// code point in uppercase hex without leading zeros, as in Swift source (`\u{1B}`, `\u{7F}`,
    /// `\u{9B}`). Everything else, a backslash included, is kept: the result is for reading, not
    /// for parsing back. Escaping is idempotent, so a layer may escape text another layer escaped.
    public var escapingControlCharacters: String { escapingControlCharacters(except: []) }

    /// As `escapingControlCharacters`, keeping the controls in `kept`: tabs in a quoted source line
    /// (its indentation, which the underline follows), line breaks where a format encodes them itself.
    public func escapingControlCharacters(except kept: Set<Unicode.Scalar>) -> String {
        guard unicodeScalars.contains(where: { $0.isControlCharacter && !kept.contains($0) }) else { return self }
        var output = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            guard scalar.isControlCharacter && !kept.contains(scalar) else {
                output.append(scalar)
                continue
            }
            switch scalar {
            case "\n": output.append(contentsOf: "\\n".unicodeScalars)
            case "\r": output.append(contentsOf: "\\r".unicodeScalars)
            case "\t": output.append(contentsOf: "\\t".unicodeScalars)
            default: output.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            }
        }
        return String(output)
    }
}

extension Unicode.Scalar {
    /// C0 controls (U+0000–U+001F), DEL (U+007F) and C1 controls (U+0080–U+009F).
    var isControlCharacter: Bool { value <= 0x1F || (0x7F...0x9F).contains(value) }
}
