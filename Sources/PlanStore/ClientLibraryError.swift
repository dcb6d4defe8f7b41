import ReleasePlan

/// A client library that could not be loaded (`ClientLibrary.load()`): which, why, and what to
/// install. Nothing was done before it was asked for.
public struct ClientLibraryError: Error, Sendable, Equatable, CustomStringConvertible {
    public var library: ClientLibrary
    /// What the dynamic loader said, for each file it tried.
    public var reason: String

    public init(library: ClientLibrary, reason: String) {
        self.library = library
        self.reason = reason
    }

    public var description: String {
        // The reason quotes the file named by a variable, which may hold anything: escaped for the terminal.
        "cannot load \(library.name) (\(reason.escapingControlCharacters)); install it, e.g. \(library.installHint)"
    }
}
