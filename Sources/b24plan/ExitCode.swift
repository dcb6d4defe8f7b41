import Foundation
import PlanStore

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
    /// Stopped by SIGINT (Ctrl-C) at a safe point: 128 + 2.
    case interrupted = 130
    /// Stopped by SIGTERM at a safe point: 128 + 15.
    case terminated = 143

    /// The code a command ends with: `code`, unless a SIGINT or SIGTERM was recorded while it ran
    /// (the command then stopped at a safe point, whatever it returned): 130 or 143.
    static func final(_ code: ExitCode, interruption: Interruption = .shared) -> ExitCode {
        switch interruption.signal {
        case SIGINT: return .interrupted
        case SIGTERM: return .terminated
        default: return code
        }
    }
}
