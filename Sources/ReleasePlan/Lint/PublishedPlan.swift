/// A published plan as the store kept it: its bytes, and the label diagnostics name it by.
public struct PublishedPlan: Sendable, Equatable {
    /// How diagnostics and saved plans name it (`store:acme.dealsync@1.1.0`); never a file path.
    public var label: String
    /// The plan file's bytes as they were published.
    public var bytes: [UInt8]

    public init(label: String, bytes: [UInt8]) {
        self.label = label
        self.bytes = bytes
    }

    /// The plan the store published as `version` of `app`, labelled `store:APP@VERSION`.
    public init(app: String, version: String, bytes: [UInt8]) {
        self.init(label: Self.label(app: app, version: version), bytes: bytes)
    }

    public static let labelPrefix = "store:"

    public static func label(app: String, version: String) -> String { "\(labelPrefix)\(app)@\(version)" }

    /// Whether a path is a store label rather than a file.
    public static func isLabel(_ path: String) -> Bool { path.hasPrefix(labelPrefix) }
}
