/// Reads, parses and decodes one plan file, gathering the diagnostics of each stage.
public struct PlanLoader: Sendable {
    public var fileSystem: any FileSystem

    public init(fileSystem: any FileSystem) {
        self.fileSystem = fileSystem
    }

    public struct Result: Sendable {
        public var source: SourceFile?
        public var document: PlanDocument?
        public var diagnostics: [Diagnostic]
    }

    /// Stops after a syntax error: decoding a recovered tree would report echoes of it.
    public func load(_ path: String) -> Result {
        let bytes: [UInt8]
        do {
            bytes = try fileSystem.read(path)
        } catch {
            let reason = (error as? FileSystemError)?.reason ?? "\(error)"
            let diagnostic = Diagnostic(
                rule: "B24P001", message: "cannot read the plan: \(reason)", file: path,
                start: SourceLocation(line: 1, column: 1))
            return Result(source: nil, document: nil, diagnostics: [diagnostic])
        }
        return load(path, bytes: bytes)
    }

    /// `load(_:)` of a file whose bytes were already read.
    public func load(_ path: String, bytes: [UInt8]) -> Result {
        let source = SourceFile(path: path, bytes: bytes)
        let parsed = JSONParser.parse(source)
        guard parsed.diagnostics.isEmpty, let root = parsed.root else {
            return Result(source: source, document: nil, diagnostics: parsed.diagnostics)
        }
        let decoded = PlanDecoder.decode(root, source: source, numbersInRange: !parsed.hasNumberOutOfRange)
        return Result(source: source, document: decoded.document, diagnostics: decoded.diagnostics)
    }
}
