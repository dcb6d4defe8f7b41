import Foundation
import ReleasePlan

/// `b24plan new APP`: writes the first plan of an app, to edit and lint.
struct NewCommand: Command {
    let name = "new"
    let summary = "Write the first plan of an app (plans/APP/1.0.0.json)"
    let usage = "b24plan new [--dir DIR] [--format text|json] APP"
    let discussion = """
        Writes DIR/1.0.0.json (DIR defaults to plans/APP) with the app code, version 1.0.0, a changelog
        placeholder and one scope, and "$schema" pointing at the JSON Schema for editors: at
        schemas/release-plan.schema.json when a folder above holds it, else at release-plan.schema.json
        in the folder above DIR (plans/ by default), which new writes when it is not there ('b24plan
        schema plan' prints the same text; commit it with the plans). It lints without errors; lint
        warns about the placeholders to edit (the changelog, B24P105, and the unused scope, B24P211).
        Never overwrites a file: an existing 1.0.0.json is an error (exit 1), an existing schema is
        kept. 'b24plan bump' writes the plans after it, keeping their "$schema".
        """
    let options: [OptionSpec] = [
        .value("dir", "DIR", "The folder of the app's plans (default plans/APP)."),
        .value("format", "FORMAT", allowed: ["text", "json"], "Output format (default text)."),
    ]

    func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
        guard arguments.positionals.count == 1, let app = arguments.positionals.first else {
            throw UsageError(message: "new needs exactly one APP code")
        }
        guard PlanTemplate.isAppCode(app) else {
            throw UsageError(message: "'\(app)' is not an app code (letters, digits, '.', '_' and '-', e.g. acme.dealsync)")
        }
        let directory = arguments.value("dir") ?? "plans/\(app)"
        guard !directory.isEmpty else { throw UsageError(message: "option '--dir' needs a folder") }
        let path = FilePath.join(directory, "\(PlanTemplate.firstVersion).json")
        let absolute = FilePath.join(FileManager.default.currentDirectoryPath, directory)
        let schema = PlanTemplate.schemaPlacement(forPlanIn: absolute, fileSystem: LocalFileSystem())
        let text = PlanTemplate.firstPlan(app: app, schema: schema.reference)
        if let failure = PlanFileWriter.writeNew(text, to: path, console: console) { return failure }
        var wroteSchema: String?
        if let schemaFile = schema.fileToWrite {
            let shown = FilePath.join(directory, schema.reference)
            do {
                try Data(ShippedSchema.plan.text.utf8).write(to: URL(fileURLWithPath: schemaFile), options: .withoutOverwriting)
                wroteSchema = shown
            } catch  where !FileManager.default.fileExists(atPath: schemaFile) {
                console.writeError(
                    "error: wrote \(path), but cannot write \(shown), which its \"$schema\" names: \(error.localizedDescription)\n"
                        + "write it with: b24plan schema plan > \(shown)\n")
                return .failure
            }
        }
        if format(arguments) == "json" {
            console.write(try JSONOutput.encode(WrittenPlan(app: app, from: nil, version: PlanTemplate.firstVersion, path: path)))
        } else {
            console.write("wrote \(path)\n")
            if let wroteSchema {
                console.write("wrote \(wroteSchema) (the JSON Schema its \"$schema\" names, for editors: commit it with the plans)\n")
            }
            console.write("edit its changelog and scopes, then run: b24plan lint \(path)\n")
        }
        return .success
    }
}

/// What `new` and `bump` print with `--format json`.
struct WrittenPlan: Encodable {
    var app: String
    /// The plan bumped from (`bump`); null for `new`.
    var from: String?
    var version: String
    var path: String

    enum CodingKeys: String, CodingKey { case app, from, version, path }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(app, forKey: .app)
        if let from { try container.encode(from, forKey: .from) } else { try container.encodeNil(forKey: .from) }
        try container.encode(version, forKey: .version)
        try container.encode(path, forKey: .path)
    }
}

/// Writes a new plan file, never over an existing one.
enum PlanFileWriter {
    /// Nil when written; else the exit code after printing why not.
    static func writeNew(_ text: String, to path: String, console: Console) -> ExitCode? {
        let url = URL(fileURLWithPath: path)
        if FileManager.default.fileExists(atPath: path) {
            console.writeError("error: \(path) already exists; b24plan never overwrites a plan\n")
            return .failure
        }
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url, options: .withoutOverwriting)
        } catch {
            if FileManager.default.fileExists(atPath: path) {
                console.writeError("error: \(path) already exists; b24plan never overwrites a plan\n")
            } else {
                console.writeError("error: cannot write \(path): \(error.localizedDescription)\n")
            }
            return .failure
        }
        return nil
    }
}
