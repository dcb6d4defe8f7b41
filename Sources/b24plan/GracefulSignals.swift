import Foundation
import PlanStore

/// SIGINT / SIGTERM for commands that do long work (apply, drift, reconcile): the first signal
/// asks the work to stop at its next safe point and record every state; the second exits at once.
/// Other commands keep the default (the signal ends them at once: they write nothing).
enum GracefulSignals {
    static func install() {
        Interruption.shared.install(
            onFirst: { signal in
                let name = signal == SIGTERM ? "SIGTERM" : "SIGINT"
                let message =
                    "\n\(name): stopping — no new portals; requests in flight finish, every state is recorded "
                    + "(press Ctrl-C again to exit at once)\n"
                _ = message.withCString { write(STDERR_FILENO, $0, strlen($0)) }
            }
        ) { signal in
            let message = "\nsecond \(signal == SIGTERM ? "SIGTERM" : "SIGINT"): exiting at once\n"
            _ = message.withCString { write(STDERR_FILENO, $0, strlen($0)) }
            _exit(128 + signal)
        }
    }
}
