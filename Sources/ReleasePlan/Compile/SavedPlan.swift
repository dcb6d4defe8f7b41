import Foundation

/// A compiled plan saved by `diff --out`, with the SHA-256 of every input and the compiler options,
/// so that `apply SAVED` can compile it again from its inputs and refuse it when anything changed
/// or the saved steps were edited (DESIGN §7, secrets; §8).
///
/// Input paths are relative to the folder holding the saved file (absolute only when no relative
/// path leads there), so `apply ../x/saved.json` reads the same files from any working directory.
public struct SavedPlan: Sendable, Equatable, Codable {
    /// One file the plan was compiled from.
    public struct Input: Sendable, Equatable, Codable {
        public enum Role: String, Sendable, Equatable, Codable {
            case plan, previous, migration
            /// The state store's published plan (the previous plan), by its label: no file, so
            /// `staleInputs` leaves it to the store to compare with its newest published plan.
            case published
        }

        public var role: Role
        /// Relative to the saved file's folder (or absolute); a store label (`store:APP@VERSION`)
        /// for `published`.
        public var path: String
        public var sha256: String
    }

    /// The `PlanCompiler` options the plan was compiled with.
    public struct CompilerOptions: Sendable, Equatable, Codable {
        public var reconcile: String
        public var installations: Int?
        public var installationsSource: String?
        public var parallelism: Int
        public var rolloutPolicy: RolloutPolicy?

        public init(_ compiler: PlanCompiler) {
            reconcile = compiler.reconcile.rawValue
            installations = compiler.installations?.count
            installationsSource = compiler.installations?.source
            parallelism = compiler.parallelism
            rolloutPolicy = compiler.rolloutPolicy
        }

        public var compiler: PlanCompiler {
            PlanCompiler(
                reconcile: PlanCompiler.ReconcileMode(rawValue: reconcile) ?? .auto,
                installations: installations.map { (count: $0, source: installationsSource ?? "") }, parallelism: parallelism,
                rolloutPolicy: rolloutPolicy)
        }
    }

    /// The saved-plan format; bumped when it changes incompatibly (2: paths relative to the saved
    /// file, compiler options, recompiled at apply).
    public var format: Int
    public var b24planVersion: String
    public var inputs: [Input]
    public var compiler: CompilerOptions
    public var compiled: CompiledPlan

    public static let currentFormat = 2

    /// The saved form of a compiled plan, its compiler and the inputs of `context`; `location`
    /// turns each path as the linter read it into the path to store (relative to the saved file).
    public init(
        compiled: CompiledPlan, context: LintContext, compiler: PlanCompiler = PlanCompiler(), location: (String) -> String = { $0 }
    ) {
        var inputs = [Input(role: .plan, path: location(context.document.source.path), sha256: SHA256.hex(context.document.source.bytes))]
        if let previous = context.previous {
            let role: Input.Role = context.previousSource == .store ? .published : .previous
            let path = role == .published ? previous.source.path : location(previous.source.path)
            inputs.append(Input(role: role, path: path, sha256: SHA256.hex(previous.source.bytes)))
        }
        for index in context.migrationFiles.keys.sorted() {
            guard let file = context.migrationFiles[index] else { continue }
            inputs.append(Input(role: .migration, path: location(file.path), sha256: SHA256.hex(file.bytes)))
        }
        self.format = Self.currentFormat
        self.b24planVersion = B24PlanVersion.current
        self.inputs = inputs
        self.compiler = CompilerOptions(compiler)
        self.compiled = compiled
    }

    /// Stable, pretty JSON (sorted keys).
    public func encoded() throws -> String { try JSONOutput.encode(self) }

    /// Why a saved plan cannot be used.
    public struct LoadError: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public init(message: String) { self.message = message }
        public var description: String { message }
    }

    /// Reads a saved plan; refuses another format and a stale one (any input changed or missing).
    /// Input paths resolve against `directory`, by default the saved file's folder.
    public static func load(_ path: String, fileSystem: any FileSystem, directory: String? = nil) throws -> SavedPlan {
        let bytes: [UInt8]
        do {
            bytes = try fileSystem.read(path)
        } catch {
            throw LoadError(message: "cannot read the saved plan \(path): \((error as? FileSystemError)?.reason ?? "\(error)")")
        }
        guard let root = JSONParser.parse(SourceFile(path: path, bytes: bytes)).root, let format = root.member("format")?.value.integer
        else {
            throw LoadError(message: "\(path) is not a saved plan of b24plan (written by `b24plan diff --out`)")
        }
        guard format == currentFormat else {
            throw LoadError(
                message: "\(path) is a saved plan of format \(format); this b24plan reads format \(currentFormat): run diff --out again")
        }
        let saved: SavedPlan
        do {
            saved = try JSONDecoder().decode(SavedPlan.self, from: Data(bytes))
        } catch {
            throw LoadError(message: "\(path) is not a saved plan of b24plan (written by `b24plan diff --out`)")
        }
        if let stale = saved.staleInputs(fileSystem: fileSystem, directory: directory ?? FilePath.directory(of: path)).first {
            throw LoadError(message: "saved plan is stale: \(stale) since it was saved; run b24plan diff --out again and review it")
        }
        return saved
    }

    /// Where an input is, its path resolved against `directory` (the saved file's folder).
    public func location(of input: Input, in directory: String) -> String {
        FilePath.join(directory, input.path)
    }

    /// The inputs that differ from the files now, as phrases ("plans/x/1.3.0.json changed"). The
    /// store's published plan is no file: the store compares it (`publishedInput`).
    public func staleInputs(fileSystem: any FileSystem, directory: String) -> [String] {
        inputs.compactMap { input in
            guard input.role != .published else { return nil }
            let path = location(of: input, in: directory)
            guard let bytes = try? fileSystem.read(path) else { return "\(path) is missing" }
            return SHA256.hex(bytes) == input.sha256 ? nil : "\(path) changed"
        }
    }

    /// The store's published plan the plan was compiled against, when it came from the store: the
    /// store compares its label and sha256 with its newest published plan before applying.
    public var publishedInput: Input? { inputs.first { $0.role == .published } }

    /// Whether a file looks like a saved plan rather than a release plan (it has `compiled` and `inputs`).
    public static func looksSaved(_ bytes: [UInt8]) -> Bool {
        let parsed = JSONParser.parse(SourceFile(path: "", bytes: bytes))
        return parsed.root?.member("compiled") != nil && parsed.root?.member("inputs") != nil
    }
}
