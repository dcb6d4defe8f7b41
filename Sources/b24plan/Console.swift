import Foundation
import PlanStore

/// Where the tool writes, and whether it may use colour there (a terminal, and NO_COLOR unset).
struct Console {
    var write: (String) -> Void
    var writeError: (String) -> Void
    var colorOut: Bool
    var colorError: Bool
    var environment: [String: String]

    /// The same console with every secret of `redactor` replaced by `***` in what it writes.
    func redacting(_ redactor: SecretRedactor) -> Console {
        guard !redactor.isEmpty else { return self }
        var console = self
        let write = self.write, writeError = self.writeError
        console.write = { write(redactor.redact($0)) }
        console.writeError = { writeError(redactor.redact($0)) }
        return console
    }

    static func standard() -> Console {
        let environment = ProcessInfo.processInfo.environment
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty || environment["TERM"] == "dumb"
        return Console(
            write: { StandardOutput.shared.write($0) },
            writeError: { FileHandle.standardError.write(Data($0.utf8)) },
            colorOut: !noColor && isatty(STDOUT_FILENO) == 1,
            colorError: !noColor && isatty(STDERR_FILENO) == 1,
            environment: environment)
    }
}
