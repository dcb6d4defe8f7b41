/// The plan files beside a plan: every `*.json` of its folder that is a plan (an object with a string
/// `app` and `version`) or is named like one (`1.2.0.json`, so that a broken plan is still found).
/// Each file is read once; the previous-plan locator, the folder rules (B24P108, B24P109) and the
/// `lint --fix` guard share the scan.
public struct PlanFolder: Sendable, Equatable {
    /// One plan file of the folder.
    public struct Entry: Sendable, Equatable {
        public var path: String
        /// The file name (`1.2.0.json`).
        public var name: String
        /// The declared `app`; nil when the file does not parse or has no string `app` (then it was
        /// found by its name alone).
        public var app: String?
        /// The declared `version`, or the file name's stem when the file was found by its name alone.
        public var version: String

        public init(path: String, app: String?, version: String) {
            self.path = path
            self.name = FilePath.fileName(of: path)
            self.app = app
            self.version = version
        }

        /// The entry of a decoded plan.
        public init(_ document: PlanDocument) {
            self.init(path: document.source.path, app: document.plan.app, version: document.plan.version)
        }

        /// The file name without `.json`.
        public var stem: String { PlanFolder.stem(of: name) }

        /// Whether the file is named after the version it declares (`1.2.0.json` declaring 1.2.0).
        public var isNamedForItsVersion: Bool { app != nil && stem == version }
    }

    /// The folder (as the plan's path gives it; "" for the working directory).
    public var directory: String
    /// Every plan file of the folder except the one it was scanned for, sorted by file name.
    public var entries: [Entry]
    /// The bytes of each file the scan read, by path: the previous plan is one of them, and is not
    /// read twice. Not part of equality.
    var bytesRead: [String: [UInt8]] = [:]

    public init(directory: String, entries: [Entry]) {
        self.directory = directory
        self.entries = entries.sorted { $0.name < $1.name }
    }

    public static func == (a: PlanFolder, b: PlanFolder) -> Bool {
        a.directory == b.directory && a.entries == b.entries
    }

    /// Scans the folder of `planPath`, leaving that file out. A folder that cannot be listed is empty.
    public static func scan(beside planPath: String, scheme: Versioning, fileSystem: any FileSystem) -> PlanFolder {
        scan(beside: planPath, scheme: scheme, fileSystem: fileSystem, parsed: [:])
    }

    /// `scan`, given files already read and parsed, by path (their bytes, and the root of a parse
    /// without a diagnostic, else nil): they are not read again, and a parsed one not skimmed.
    static func scan(
        beside planPath: String, scheme: Versioning, fileSystem: any FileSystem, parsed: [String: (bytes: [UInt8], root: JSONNode?)]
    ) -> PlanFolder {
        let directory = FilePath.directory(of: planPath)
        let ownName = FilePath.fileName(of: planPath)
        var bytesRead: [String: [UInt8]] = [:]
        let entries = plans(in: directory, scheme: scheme, fileSystem: fileSystem, excluding: ownName, parsed: parsed) {
            bytesRead[$0] = $1
        }
        var folder = PlanFolder(directory: directory, entries: entries)
        folder.bytesRead = bytesRead
        return folder
    }

    /// Every plan file of `directory` (not its subfolders), sorted by name: a `*.json` whose
    /// top-level object has a string `app` and `version`, or one named like a version under
    /// `scheme` (`1.2.0.json`, found even when it does not parse). Never `b24plan.config.json`.
    /// A folder that cannot be listed has none. The file named `excluding` is neither read nor listed.
    public static func plans(
        in directory: String, scheme: Versioning, fileSystem: any FileSystem, excluding: String? = nil
    ) -> [Entry] {
        plans(in: directory, scheme: scheme, fileSystem: fileSystem, excluding: excluding, parsed: [:]) { _, _ in }
    }

    /// `plans(in:…)` given files already parsed (see `scan`), handing the bytes of every file to `read`.
    static func plans(
        in directory: String, scheme: Versioning, fileSystem: any FileSystem, excluding: String?,
        parsed: [String: (bytes: [UInt8], root: JSONNode?)], read: (_ path: String, _ bytes: [UInt8]) -> Void
    ) -> [Entry] {
        guard let names = try? fileSystem.list(directory) else { return [] }
        var entries: [Entry] = []
        for name in names.sorted() where name.hasSuffix(".json") && name != "b24plan.config.json" && name != excluding {
            let path = directory.isEmpty ? name : FilePath.join(directory, name)
            let bytes = parsed[path]?.bytes ?? (try? fileSystem.read(path))
            if let bytes { read(path, bytes) }
            // A clean parse's root answers as the skimmer would (see `JSONSkimmer`).
            let found = parsed[path]?.root.map(header(of:)) ?? bytes.flatMap { header(of: $0, path: path) }
            if let (app, version) = found {
                entries.append(Entry(path: path, app: app, version: version))
                continue
            }
            if versionNamed(stem(of: name), scheme: scheme) != nil {
                entries.append(Entry(path: path, app: nil, version: stem(of: name)))
            }
        }
        return entries
    }

    /// The string `app` and `version` of a plan file's top-level object, or nil: skimmed when the
    /// file is well-formed JSON, else as the recovering parser reads them.
    static func header(of bytes: [UInt8], path: String) -> (app: String, version: String)? {
        if let strings = JSONSkimmer.topLevelStrings(in: bytes, keys: ["app", "version"]) {
            guard let app = strings["app"], let version = strings["version"] else { return nil }
            return (app, version)
        }
        return JSONParser.parse(SourceFile(path: path, bytes: bytes)).root.flatMap(header(of:))
    }

    /// The string `app` and `version` of a parsed plan's top-level object, or nil.
    static func header(of root: JSONNode) -> (app: String, version: String)? {
        guard let app = root.member("app")?.value.string, let version = root.member("version")?.value.string else { return nil }
        return (app, version)
    }

    /// The version a file stem names: it starts with a digit and parses under `scheme` (so that
    /// `draft.json` or `settings.json` never names a version, even under free versioning).
    public static func versionNamed(_ stem: String, scheme: Versioning) -> Version? {
        guard let first = stem.unicodeScalars.first, ("0"..."9").contains(first) else { return nil }
        return Version(stem, scheme: scheme)
    }

    static func stem(of name: String) -> String {
        name.hasSuffix(".json") ? String(name.dropLast(".json".count)) : name
    }

    /// Of several plans declaring one app and version, the original comes first: the one named after
    /// its version, then by file name (byte order). B24P108 reports every other one.
    public static func precedes(_ a: Entry, _ b: Entry) -> Bool {
        (a.isNamedForItsVersion ? 0 : 1, a.name) < (b.isNamedForItsVersion ? 0 : 1, b.name)
    }

    /// The plans beside `document` that declare its app and an equivalent version, original first.
    public func sameRelease(as document: PlanDocument) -> [Entry] {
        let scheme = document.plan.versioning
        guard let version = Version(document.plan.version, scheme: scheme), !document.plan.app.isEmpty else { return [] }
        return entries.filter { entry in
            guard entry.app == document.plan.app, let other = Version(entry.version, scheme: scheme) else { return false }
            return other.isEquivalent(to: version)
        }.sorted(by: Self.precedes)
    }

    /// The plans of the same release that come before `document` (it is a copy of the first of them).
    public func originals(of document: PlanDocument) -> [Entry] {
        let own = Entry(document)
        return sameRelease(as: document).filter { Self.precedes($0, own) }
    }

    /// The plans beside `document` with a higher, non-pre-release version of the same app (or of an
    /// unknown app: a broken plan found by its name), lowest first. When there is one, `document`
    /// is released: a release followed it.
    public func laterReleases(than document: PlanDocument) -> [(entry: Entry, version: Version)] {
        let scheme = document.plan.versioning
        guard let version = Version(document.plan.version, scheme: scheme) else { return [] }
        return entries.compactMap { entry -> (entry: Entry, version: Version)? in
            guard entry.app == nil || entry.app == document.plan.app, let other = Version(entry.version, scheme: scheme),
                !other.isPreRelease, other.isGreater(than: version)
            else { return nil }
            return (entry, other)
        }.sorted { a, b in
            if a.version.isEquivalent(to: b.version) { return a.entry.name < b.entry.name }
            return b.version.isGreater(than: a.version)
        }
    }

    /// The plan with the highest version lower than `version` that is not a pre-release (DESIGN §3),
    /// of any app (B24P106 reports another app's); on a tie the first by file name.
    public func highestLowerRelease(than version: Version, scheme: Versioning) -> Entry? {
        var best: (version: Version, entry: Entry)?
        for entry in entries {
            guard let candidate = Version(entry.version, scheme: scheme), !candidate.isPreRelease,
                version.isGreater(than: candidate)
            else { continue }
            if best == nil || candidate.isGreater(than: best!.version) { best = (candidate, entry) }
        }
        return best?.entry
    }
}
