/// GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=B24P204::message`, which
/// GitHub shows as annotations on the pull request's diff. Control characters other than line breaks
/// (which GitHub's escaping encodes as `%0D`/`%0A`) are escaped (`String.escapingControlCharacters`),
/// so a plan's value cannot colour or rewrite the log.
///
/// `col` and `endColumn` count characters as GitHub does, not the UTF-8 bytes of text and JSON
/// output: GitHub's docs do not name the unit, and its runner (.NET) and web view (JavaScript) count
/// UTF-16 code units, so that is what is printed (`SourceFile.utf16Column`, shared with SARIF).
public enum GitHubDiagnosticRenderer {
    /// `sources` turn byte columns into UTF-16 columns; a diagnostic in a file not given keeps its
    /// byte column.
    public static func render(_ diagnostics: [Diagnostic], sources: [String: SourceFile] = [:]) -> String {
        diagnostics.map { render($0, source: sources[$0.file]) }.joined()
    }

    static func render(_ diagnostic: Diagnostic, source: SourceFile? = nil) -> String {
        func column(_ byteColumn: Int) -> Int { source?.utf16Column(line: diagnostic.line, byteColumn: byteColumn) ?? byteColumn }
        let command: String
        switch diagnostic.severity {
        case .error: command = "error"
        case .warning: command = "warning"
        case .note: command = "notice"
        }
        var properties = [
            "file=\(escapeProperty(diagnostic.file.escapingControlCharacters(except: lineBreaks)))", "line=\(diagnostic.line)",
            "col=\(column(diagnostic.column))",
        ]
        if diagnostic.endLine == diagnostic.line, diagnostic.endColumn > diagnostic.column {
            properties.append("endColumn=\(column(diagnostic.endColumn))")
        }
        properties.append("title=\(escapeProperty(diagnostic.rule.rawValue))")
        var message = diagnostic.message.escapingControlCharacters(except: lineBreaks)
        for note in diagnostic.notes { message += "\nnote: " + note.escapingControlCharacters(except: lineBreaks) }
        return "::\(command) \(properties.joined(separator: ","))::\(escapeData(message))\n"
    }

    /// Kept for `escapeData`, which encodes them.
    static let lineBreaks: Set<Unicode.Scalar> = ["\n", "\r"]

    /// Escaping of a command's message (GitHub's `escapeData`).
    static func escapeData(_ text: String) -> String {
        var output = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": output += "%25"
            case "\r": output += "%0D"
            case "\n": output += "%0A"
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// Escaping of a property value (GitHub's `escapeProperty`).
    static func escapeProperty(_ text: String) -> String {
        var output = ""
        for scalar in escapeData(text).unicodeScalars {
            switch scalar {
            case ":": output += "%3A"
            case ",": output += "%2C"
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }
}
