/// Prints diagnostics as `file:line:col: error[B24P204]: message`, then the source line with the
/// span underlined and any notes (the shape of Terraform's and swift-format's output). Control
/// characters of the file name, the message, the notes and the source line are escaped
/// (`String.escapingControlCharacters`).
public struct TextDiagnosticRenderer: Sendable {
    public var sources: [String: SourceFile]
    public var style: TextStyle

    public init(sources: [String: SourceFile], style: TextStyle = .plain) {
        self.sources = sources
        self.style = style
    }

    public func render(_ diagnostics: [Diagnostic]) -> String {
        var output = ""
        for diagnostic in diagnostics {
            output += render(diagnostic)
        }
        return output
    }

    public func render(_ diagnostic: Diagnostic) -> String {
        let file = diagnostic.file.escapingControlCharacters
        var output = style.bold("\(file):\(diagnostic.line):\(diagnostic.column):") + " "
        output +=
            style.severity(diagnostic.severity) + style.bold("[\(diagnostic.rule)]: \(diagnostic.message.escapingControlCharacters)") + "\n"
        if let source = sources[diagnostic.file], diagnostic.line <= source.lines.lineCount {
            output += snippet(diagnostic, in: source)
        }
        for note in diagnostic.notes {
            output += "   = note: \(note.escapingControlCharacters)\n"
        }
        return output
    }

    /// Summary line: "2 errors, 1 warning" (or "no problems").
    public static func summary(_ diagnostics: [Diagnostic]) -> String {
        let errors = diagnostics.errorCount
        let warnings = diagnostics.warningCount
        if errors == 0 && warnings == 0 { return "no problems" }
        return "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")"
    }

    /// The most characters (Unicode scalars) of a source line the excerpt prints, and how many of
    /// them stand before the diagnostic's column when the line is cut ("…" marks a cut).
    static let excerptWidth = 200
    static let excerptLead = 60

    private func snippet(_ diagnostic: Diagnostic, in source: SourceFile) -> String {
        let line = source.lines.byteRange(ofLine: diagnostic.line)
        let bytes = source.bytes[line]
        let number = String(diagnostic.line)
        let gutter = String(repeating: " ", count: number.count)
        let length = bytes.count
        let startByte = min(max(0, diagnostic.column - 1), length)
        let endByte: Int
        if diagnostic.endLine == diagnostic.line {
            endByte = min(max(startByte + 1, diagnostic.endColumn - 1), max(length, startByte + 1))
        } else {
            endByte = max(length, startByte + 1)
        }
        // A long line is cut to a window around the column (a one-line 10 MB plan prints 200 characters).
        var (windowStart, windowEnd) = (0, length)
        if Self.scalarBoundary(in: bytes, from: 0, forward: Self.excerptWidth) < length {
            windowStart = Self.scalarBoundary(in: bytes, from: startByte, back: Self.excerptLead)
            windowEnd = Self.scalarBoundary(in: bytes, from: windowStart, forward: Self.excerptWidth)
            if windowEnd == length { windowStart = Self.scalarBoundary(in: bytes, from: length, back: Self.excerptWidth) }
        }
        func text(_ from: Int, _ to: Int) -> String {
            let lower = line.lowerBound + min(from, length)
            let upper = line.lowerBound + min(max(from, to), length)
            return String(decoding: source.bytes[lower..<upper], as: UTF8.self).escapingControlCharacters(except: ["\t"])
        }
        let lead = windowStart > 0 ? "…" : ""
        let shown = lead + text(windowStart, windowEnd) + (windowEnd < length ? "…" : "")
        // Escaped before measuring, so the underline stays under the span as printed.
        let prefix = lead + text(windowStart, startByte)
        let spanText = text(startByte, min(endByte, windowEnd))
        let padding = prefix.map { $0 == "\t" ? "\t" : " " }.joined()
        let marks = "^" + String(repeating: "~", count: max(0, max(1, spanText.count) - 1))
        let colored = diagnostic.severity == .error ? style.red(marks) : style.yellow(marks)
        return " \(number) | \(shown)\n \(gutter) | \(padding)\(colored)\n"
    }

    /// The byte offset `count` Unicode scalars before (`back`) or after (`forward`) `offset` in
    /// UTF-8 `bytes` (offsets relative to the slice's start), stopping at either end.
    static func scalarBoundary(in bytes: ArraySlice<UInt8>, from offset: Int, back count: Int = 0, forward: Int = 0) -> Int {
        func isContinuation(_ position: Int) -> Bool { bytes[bytes.startIndex + position] & 0xC0 == 0x80 }
        var position = offset
        var remaining = count
        while remaining > 0, position > 0 {
            position -= 1
            while position > 0, isContinuation(position) { position -= 1 }
            remaining -= 1
        }
        remaining = forward
        while remaining > 0, position < bytes.count {
            position += 1
            while position < bytes.count, isContinuation(position) { position += 1 }
            remaining -= 1
        }
        return position
    }
}
