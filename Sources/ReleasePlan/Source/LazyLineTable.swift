import Foundation

/// The line table of one source file, built the first time it is asked for and kept: a value
/// type's lazy property, shareable between threads (one lock for every file, since tables are built
/// rarely: only where a diagnostic or a printed line needs one).
final class LazyLineTable: @unchecked Sendable {
    private static let lock = NSLock()
    private var table: LineTable?

    /// The table of `bytes` (always the same bytes: the owning `SourceFile`'s).
    func table(of bytes: [UInt8]) -> LineTable {
        Self.lock.withLock {
            if let table { return table }
            let built = LineTable(bytes)
            table = built
            return built
        }
    }
}
