/// `b24plan bump`: the next plan, made from a plan's text by editing it in place, so that its key
/// order, formatting and everything else stay as they were:
/// - `version` becomes the next version (`nextVersion`);
/// - every `changelog` text becomes `""` (each language kept), so lint asks for it (B24P104);
/// - a `deploy.command` argument equal to the old version becomes the new one;
/// - a `suppress` entry whose `at` is no path of the plan is dropped;
/// - migrations and everything else are kept.
public enum PlanBumper {
    /// The next plan.
    public struct Bumped: Sendable, Equatable {
        public var app: String
        public var from: String
        public var version: String
        public var text: String
        /// The `at` paths of the suppressions dropped.
        public var droppedSuppressions: [String]
    }

    /// Why a plan cannot be bumped.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// The version after `version` for `bump`. A release bumps as semver says (1.2.3 + minor →
    /// 1.3.0). A pre-release bumps to its own release when that release is already of the kind
    /// asked for (as npm's `semver inc` does): 1.2.3-rc.1 + patch → 1.2.3; 1.3.0-rc.1 + patch or
    /// minor → 1.3.0; 2.0.0-rc.1 + any → 2.0.0; else as its release would (1.2.3-rc.1 + minor → 1.3.0).
    public static func nextVersion(_ version: SemanticVersion, _ bump: Bump) -> SemanticVersion {
        let release = SemanticVersion(major: version.major, minor: version.minor, patch: version.patch)
        guard !version.prerelease.isEmpty else { return release.bumped(bump) }
        switch bump {
        case .patch: return release
        case .minor: return version.patch == 0 ? release : release.bumped(.minor)
        case .major: return version.minor == 0 && version.patch == 0 ? release : release.bumped(.major)
        }
    }

    /// The next plan after the plan in `source`.
    public static func bump(_ source: SourceFile, _ bump: Bump) throws(Failure) -> Bumped {
        let parsed = JSONParser.parse(source)
        if let first = parsed.diagnostics.first {
            throw Failure(message: "\(source.path):\(first.line):\(first.column): \(first.message)")
        }
        guard let root = parsed.root, root.members != nil else {
            throw Failure(message: "\(source.path) is not a release plan (not a JSON object)")
        }
        guard let versionNode = root.member("version")?.value, let text = versionNode.string else {
            throw Failure(message: "\(source.path) has no \"version\" to bump")
        }
        if root.member("versioning")?.value.string == Versioning.free.rawValue {
            throw Failure(message: "\(source.path) sets \"versioning\": \"free\"; bump works on semver versions only")
        }
        guard let version = SemanticVersion(text) else {
            throw Failure(message: "\(source.path): version \"\(text)\" is not semver MAJOR.MINOR.PATCH, so it cannot be bumped")
        }
        let next = nextVersion(version, bump).description
        var edits = [TextEdit(range: versionNode.range, replacement: JSONText.quoted(next))]
        for member in root.member("changelog")?.value.members ?? [] {
            edits.append(TextEdit(range: member.value.range, replacement: "\"\""))
        }
        let command = root.node(at: ["deploy", "command"])?.elements ?? []
        for argument in command where argument.string == text {
            edits.append(TextEdit(range: argument.range, replacement: JSONText.quoted(next)))
        }
        var dropped: [String] = []
        if let suppress = root.member("suppress")?.value, let entries = suppress.elements {
            let stale = entries.indices.filter { index in
                guard let at = entries[index].member("at")?.value.string else { return false }
                guard let path = JSONPath(parsing: at), root.node(at: path) != nil else { return true }
                return false
            }
            dropped = stale.compactMap { entries[$0].member("at")?.value.string }
            edits += removals(of: Set(stale), from: suppress)
        }
        let bytes = TextEdit.apply(edits, to: source.bytes)
        return Bumped(
            app: root.member("app")?.value.string ?? "", from: text, version: next, text: String(decoding: bytes, as: UTF8.self),
            droppedSuppressions: dropped)
    }

    /// Edits that remove the elements at `indices` of `array` with their separators; all of them
    /// leave `[]`.
    static func removals(of indices: Set<Int>, from array: JSONNode) -> [TextEdit] {
        guard let elements = array.elements, !indices.isEmpty else { return [] }
        if indices.count == elements.count { return [TextEdit(range: array.range, replacement: "[]")] }
        var edits: [TextEdit] = []
        // A leading run goes with what follows it up to the first kept element: `a, b, c` → `c`.
        let leading = elements.indices.prefix { indices.contains($0) }
        if let last = leading.last {
            edits.append(TextEdit(range: SourceRange(start: elements[0].range.start, end: elements[last + 1].range.start), replacement: ""))
        }
        // Any other goes with the separator before it: `a, b, c` → `a, c`.
        for index in elements.indices.dropFirst(leading.count) where indices.contains(index) {
            edits.append(
                TextEdit(range: SourceRange(start: elements[index - 1].range.end, end: elements[index].range.end), replacement: ""))
        }
        return edits
    }
}
