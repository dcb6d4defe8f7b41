/// Values a one-shot command keeps until the process exits instead of freeing them: freeing the
/// trees of two 1 MB plans and 2,000 migration files costs milliseconds that a process about to
/// exit need not spend (compilers skip freeing at exit for the same reason). Only for what one
/// command run holds once, never for what grows with its input (a folder of plans).
enum ProcessLifetime {
    private final class Kept<Value>: @unchecked Sendable {
        let value: Value
        init(_ value: Value) { self.value = value }
    }

    /// Keeps `value` alive until the process exits: its memory is returned by the exit, not by frees.
    static func keep<Value>(_ value: Value) {
        _ = Unmanaged.passRetained(Kept(value))
    }
}
