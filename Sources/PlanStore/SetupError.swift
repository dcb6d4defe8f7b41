/// Something the command needs before it can start is missing or wrong: credentials, the config,
/// the state store, a table or a column. One sentence naming what and where it is read from; the
/// command line exits 64 (DESIGN §7) without printing its usage.
public struct SetupError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
