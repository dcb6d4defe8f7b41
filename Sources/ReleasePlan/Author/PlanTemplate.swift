/// The first plan of an app, as `b24plan new` writes it: it lints without errors, and lint flags
/// the placeholders the author must edit (B24P105 for the changelog, B24P211 for the scope).
public enum PlanTemplate {
    /// The version of a first plan.
    public static let firstVersion = "1.0.0"
    /// The changelog text to replace: shorter than `VersionRules.shortChangelogLength`, so B24P105 asks for more.
    public static let changelogPlaceholder = "TODO: what changed"
    /// Where the schema lies, from a project's root.
    public static let schemaPath = "schemas/release-plan.schema.json"

    /// The text of the first plan of `app`, with `$schema` when a reference is given (2-space indent,
    /// the key order of DESIGN §3).
    public static func firstPlan(app: String, schema: String?) -> String {
        var lines: [String] = []
        if let schema { lines.append("  \"$schema\": \(JSONText.quoted(schema))") }
        lines += [
            "  \"app\": \(JSONText.quoted(app))",
            "  \"version\": \(JSONText.quoted(firstVersion))",
            "  \"changelog\": {\n    \"en\": \(JSONText.quoted(changelogPlaceholder))\n  }",
            "  \"scopes\": [\"crm\"]",
        ]
        return "{\n" + lines.joined(separator: ",\n") + "\n}\n"
    }

    /// Whether `text` can be an app code and a folder name: ASCII letters, digits, `.`, `_` and
    /// `-`, starting with a letter or digit (`acme.dealsync`).
    public static func isAppCode(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first.isASCIIAlphanumeric else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCIIAlphanumeric || $0 == "." || $0 == "_" || $0 == "-" }
    }

    /// The schema file `new` writes beside the app folders when the project has none:
    /// `plans/release-plan.schema.json` for a plan in `plans/APP/` (committed with the plans, so
    /// every teammate's editor finds it).
    public static let sharedSchemaName = "release-plan.schema.json"

    /// Where the `$schema` of a new plan points, and whether that file must be written first.
    public struct SchemaPlacement: Sendable, Equatable {
        /// The `$schema` value: a path relative to the plan's folder.
        public var reference: String
        /// The absolute path of the schema file to write (`b24plan schema plan`'s text); nil when it exists.
        public var fileToWrite: String?
    }

    /// The schema of a new plan in `directory` (absolute): the nearest `schemas/release-plan.schema.json`
    /// at or above it (a project that keeps b24plan's `schemas/` folder); else
    /// `release-plan.schema.json` in the folder above `directory` (`plans/` for `plans/APP`), written
    /// when absent; in `directory` itself when the folder above it is the root of the file system.
    public static func schemaPlacement(forPlanIn directory: String, fileSystem: any FileSystem) -> SchemaPlacement {
        if let reference = schemaReference(forPlanIn: directory, fileSystem: fileSystem) {
            return SchemaPlacement(reference: reference, fileToWrite: nil)
        }
        let folder = FilePath.normalize(directory)
        let parent = FilePath.directory(of: folder)
        let (location, reference) =
            parent.isEmpty || parent == "/" || folder == "/"
            ? (FilePath.join(folder, sharedSchemaName), sharedSchemaName)
            : (FilePath.join(parent, sharedSchemaName), "../" + sharedSchemaName)
        return SchemaPlacement(reference: reference, fileToWrite: fileSystem.exists(location) ? nil : location)
    }

    /// `$schema` for a plan in `directory` (absolute, normalised): the path of the nearest
    /// `schemas/release-plan.schema.json` at or above it, relative to it; nil when there is none.
    public static func schemaReference(forPlanIn directory: String, fileSystem: any FileSystem) -> String? {
        var folder = FilePath.normalize(directory)
        var climbs = 0
        while true {
            if fileSystem.exists(FilePath.join(folder, schemaPath)) {
                return String(repeating: "../", count: climbs) + schemaPath
            }
            guard folder != "/", !folder.isEmpty, folder != "." else { return nil }
            folder = FilePath.directory(of: folder)
            if folder.isEmpty { folder = "." }
            climbs += 1
        }
    }
}

extension Unicode.Scalar {
    /// `A`–`Z`, `a`–`z` or `0`–`9`.
    var isASCIIAlphanumeric: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self) || ("0"..."9").contains(self)
    }
}
