import Foundation
import PlanStore
import ReleasePlan
import Rollout

/// Prints what apply does: a line per step, the deploy hook's output, and progress — one updating
/// line on a terminal, a plain line every few seconds otherwise. In JSON mode everything goes to stderr.
final class ConsoleReporter: ApplyReporter, @unchecked Sendable {
    let console: Console
    let jsonMode: Bool
    private let lock = NSLock()
    private var lastProgress = Date.distantPast
    private var progressShown = false

    init(console: Console, jsonMode: Bool) {
        self.console = console
        self.jsonMode = jsonMode
    }

    private var style: TextStyle { TextStyle(enabled: jsonMode ? console.colorError : console.colorOut) }

    private func write(_ text: String) {
        lock.withLock {
            if progressShown && console.colorError {
                console.writeError("\r\u{1B}[K")
                progressShown = false
            }
            if jsonMode { console.writeError(text) } else { console.write(text) }
        }
    }

    func stepStarted(_ step: PlanStep) {
        write(style.bold("→ \(step.id)") + "\n")
    }

    func stepFinished(_ step: PlanStep, state: Journal.StepState, detail: String) {
        let mark: String
        switch state {
        case .done: mark = style.green("✓")
        case .failed: mark = style.red("✗")
        default: mark = style.yellow("…")
        }
        let firstLine = detail.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        write("\(mark) \(step.id): \(state.rawValue)" + (firstLine.isEmpty ? "" : " — \(firstLine)") + "\n")
        if state == .failed, detail.contains("\n") {
            write(detail.split(separator: "\n").dropFirst().map { "    " + $0 }.joined(separator: "\n") + "\n")
        }
    }

    func output(_ step: PlanStep, line: String) {
        write(style.dim("  │ ") + line + "\n")
    }

    func progress(_ step: PlanStep, _ text: String) {
        lock.withLock {
            let now = Date()
            if console.colorError {
                guard now.timeIntervalSince(lastProgress) >= 0.1 else { return }
                console.writeError("\r\u{1B}[K  \(step.id): \(text)")
                progressShown = true
            } else {
                guard now.timeIntervalSince(lastProgress) >= 5 else { return }
                console.writeError("  \(step.id): \(text)\n")
            }
            lastProgress = now
        }
    }
}
