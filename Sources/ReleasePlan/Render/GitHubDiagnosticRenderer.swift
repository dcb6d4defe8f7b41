/// GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=B24P204::message`, which
/// GitHub shows as annotations on the pull request's diff. Control characters other than line breaks
/// (which GitHub's escaping encodes as `%0D`/`%0A`) are escaped (`String.escapingControlCharacters`),
/// so a plan's value cannot colour or rewrite the log.
public enum GitHubDiagnosticRenderer {
    public static func render(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map(render).joined()
    }

    static func render(_ diagnostic: Diagnostic) -> String {
        let command: String
        switch diagnostic.severity {
        case .error: command = "error"
        case .warning: command = "warning"
        case .note: command = "notice"
        }
        var properties = [
            "file=\(escapeProperty(diagnostic.file.escapingControlCharacters(except: lineBreaks)))", "line=\(diagnostic.line)",
            "col=\(diagnostic.column)",
        ]
        if diagnostic.endLine == diagnostic.line, diagnostic.endColumn > diagnostic.column {
            properties.append("endColumn=\(diagnostic.endColumn)")
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
