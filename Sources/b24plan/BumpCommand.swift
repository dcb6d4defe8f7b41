import Foundation
import ReleasePlan

/// `b24plan bump patch|minor|major FILE`: writes the next plan beside FILE.
struct BumpCommand: Command {
    let name = "bump"
    let planPositional: (index: Int, count: Int)? = (1, 2)
    let summary = "Write the next plan beside a plan (patch, minor or major)"
    let usage = "b24plan bump [--format text|json] patch|minor|major FILE"
    let discussion = """
        Writes the next plan beside FILE, named after its version (1.1.0.json + minor → 1.2.0.json),
        editing a copy of FILE in place so that its key order and formatting stay: the version is
        bumped; every changelog text is emptied, each language kept, so lint asks for it (B24P104);
        a deploy.command argument equal to the old version gets the new one; suppressions whose
        "at" is no path of the plan are dropped; migrations and the rest are kept. A pre-release
        bumps to its own release when that is of the kind asked (2.0.0-rc.1 → 2.0.0; 1.2.3-rc.1 +
        patch → 1.2.3, + minor → 1.3.0). Semver only. Never overwrites a file (exit 1).
        """
    let options: [OptionSpec] = [
        .value("format", "FORMAT", allowed: ["text", "json"], "Output format (default text).")
    ]

    func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
        guard arguments.positionals.count == 2 else {
            throw UsageError(message: "bump needs a kind (patch, minor or major) and one plan FILE")
        }
        let (kind, file) = (arguments.positionals[0], arguments.positionals[1])
        guard let bump = Bump(rawValue: kind) else {
            throw UsageError(message: "bump kind must be patch, minor or major, not '\(kind)'")
        }
        try requireInputs(arguments)
        let bytes: [UInt8]
        do {
            bytes = try LocalFileSystem().read(file)
        } catch {
            console.writeError("error: cannot read \(file): \((error as? FileSystemError)?.reason ?? "\(error)")\n")
            return .failure
        }
        let bumped: PlanBumper.Bumped
        do {
            bumped = try PlanBumper.bump(SourceFile(path: file, bytes: bytes), bump)
        } catch {
            console.writeError("error: \(error.message)\n")
            return .failure
        }
        let path = FilePath.join(FilePath.directory(of: file), "\(bumped.version).json")
        if let failure = PlanFileWriter.writeNew(bumped.text, to: path, console: console) { return failure }
        if format(arguments) == "json" {
            console.write(try JSONOutput.encode(WrittenPlan(app: bumped.app, from: bumped.from, version: bumped.version, path: path)))
        } else {
            var text = "wrote \(path) (\(bumped.from) → \(bumped.version))\n"
            for at in bumped.droppedSuppressions {
                text += "dropped the suppression at \(at): no such path in the plan\n"
            }
            text += "write its changelog, then run: b24plan lint \(path)\n"
            console.write(text)
        }
        return .success
    }
}
