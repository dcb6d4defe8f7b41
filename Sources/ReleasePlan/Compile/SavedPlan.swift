import Foundation

/// A compiled plan saved by `diff --out`, with the SHA-256 of every input, so that `apply SAVED`
/// can refuse it when anything changed since it was reviewed.
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
        /// As given on the command line, or resolved against the plan's folder (migrations); a
        /// store label (`store:APP@VERSION`) for `published`.
        public var path: String
        public var sha256: String
    }

    /// The saved-plan format; bumped when it changes incompatibly.
    public var format: Int
    public var b24planVersion: String
    public var inputs: [Input]
    public var compiled: CompiledPlan

    public static let currentFormat = 1

    /// The saved form of a compiled plan and the inputs of `context`.
    public init(compiled: CompiledPlan, context: LintContext) {
        var inputs = [Input(role: .plan, path: context.document.source.path, sha256: SHA256.hex(context.document.source.bytes))]
        if let previous = context.previous {
            let role: Input.Role = context.previousSource == .store ? .published : .previous
            inputs.append(Input(role: role, path: previous.source.path, sha256: SHA256.hex(previous.source.bytes)))
        }
        for index in context.migrationFiles.keys.sorted() {
            guard let file = context.migrationFiles[index] else { continue }
            inputs.append(Input(role: .migration, path: file.path, sha256: SHA256.hex(file.bytes)))
        }
        self.format = Self.currentFormat
        self.b24planVersion = B24PlanVersion.current
        self.inputs = inputs
        self.compiled = compiled
    }

    /// Stable, pretty JSON (sorted keys).
    public func encoded() -> String { JSONOutput.encode(self) }

    /// Why a saved plan cannot be used.
    public struct LoadError: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public init(message: String) { self.message = message }
        public var description: String { message }
    }

    /// Reads a saved plan; refuses another format and a stale one (any input changed or missing).
    public static func load(_ path: String, fileSystem: any FileSystem) throws -> SavedPlan {
        let bytes: [UInt8]
        do {
            bytes = try fileSystem.read(path)
        } catch {
            throw LoadError(message: "cannot read the saved plan \(path): \((error as? FileSystemError)?.reason ?? "\(error)")")
        }
        let saved: SavedPlan
        do {
            saved = try JSONDecoder().decode(SavedPlan.self, from: Data(bytes))
        } catch {
            throw LoadError(message: "\(path) is not a saved plan of b24plan (written by `b24plan diff --out`)")
        }
        guard saved.format == currentFormat else {
            throw LoadError(
                message:
                    "\(path) is a saved plan of format \(saved.format); this b24plan reads format \(currentFormat): run diff --out again")
        }
        if let stale = saved.staleInputs(fileSystem: fileSystem).first {
            throw LoadError(message: "saved plan is stale: \(stale) since it was saved; run b24plan diff --out again and review it")
        }
        return saved
    }

    /// The inputs that differ from the files now, as phrases ("plans/x/1.3.0.json changed"). The
    /// store's published plan is no file: the store compares it (`publishedInput`).
    public func staleInputs(fileSystem: any FileSystem) -> [String] {
        inputs.compactMap { input in
            guard input.role != .published else { return nil }
            guard let bytes = try? fileSystem.read(input.path) else { return "\(input.path) is missing" }
            return SHA256.hex(bytes) == input.sha256 ? nil : "\(input.path) changed"
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
