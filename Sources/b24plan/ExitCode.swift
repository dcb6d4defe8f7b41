import Foundation

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
    /// Stopped by SIGINT (128 + 2).
    case interruptedBySIGINT = 130
    /// Stopped by SIGTERM (128 + 15).
    case interruptedBySIGTERM = 143

    /// The code for a signal that stopped the work, when there was one.
    static func interrupted(by signal: Int32?) -> ExitCode? {
        switch signal {
        case SIGINT: return .interruptedBySIGINT
        case SIGTERM: return .interruptedBySIGTERM
        default: return nil
        }
    }
}
