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

    private func snippet(_ diagnostic: Diagnostic, in source: SourceFile) -> String {
        let lineText = source.lineText(diagnostic.line)
        let number = String(diagnostic.line)
        let gutter = String(repeating: " ", count: number.count)
        let bytes = Array(lineText.utf8)
        let startByte = min(max(0, diagnostic.column - 1), bytes.count)
        let endByte: Int
        if diagnostic.endLine == diagnostic.line {
            endByte = min(max(startByte + 1, diagnostic.endColumn - 1), max(bytes.count, startByte + 1))
        } else {
            endByte = max(bytes.count, startByte + 1)
        }
        // Escaped before measuring, so the underline stays under the span as printed.
        let prefix = String(decoding: bytes[0..<startByte], as: UTF8.self).escapingControlCharacters(except: ["\t"])
        let spanText = String(decoding: bytes[startByte..<min(endByte, bytes.count)], as: UTF8.self)
            .escapingControlCharacters(except: ["\t"])
        let padding = prefix.map { $0 == "\t" ? "\t" : " " }.joined()
        let marks = "^" + String(repeating: "~", count: max(0, max(1, spanText.count) - 1))
        let colored = diagnostic.severity == .error ? style.red(marks) : style.yellow(marks)
        return " \(number) | \(lineText.escapingControlCharacters(except: ["\t"]))\n \(gutter) | \(padding)\(colored)\n"
    }
}
