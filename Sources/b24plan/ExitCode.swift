/// The exit codes of every command (DESIGN §7), decided in one place.
enum ExitCode: Int32 {
    /// Success, no findings.
    case success = 0
    /// Errors in the input, or a failed step.
    case failure = 1
    /// Changes present (`diff --detailed-exitcode`) or drift found.
    case changes = 2
    /// Apply incomplete: a gate is pending or some portals are not done.
    case incomplete = 3
    /// The command line itself is wrong (sysexits' EX_USAGE).
    case usage = 64
}
