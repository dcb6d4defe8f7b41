import PlanStore

/// How an apply ended: every step's state, the gates it stopped at, and the failure if any.
public struct ApplyOutcome: Sendable, Equatable {
    public var runID: Int
    public var states: [String: Journal.StepState]
    /// Manual steps not yet passed, in graph order.
    public var pendingGates: [String]
    /// Steps that could not start because something before them is not done.
    public var blocked: [String]
    /// The step that failed and why.
    public var failure: (step: String, message: String)?
    /// A signal stopped the run (it resumes on the next apply).
    public var interrupted = false

    public static func == (lhs: ApplyOutcome, rhs: ApplyOutcome) -> Bool {
        lhs.runID == rhs.runID && lhs.states == rhs.states && lhs.pendingGates == rhs.pendingGates
            && lhs.blocked == rhs.blocked && lhs.interrupted == rhs.interrupted && lhs.failure?.step == rhs.failure?.step
            && lhs.failure?.message == rhs.failure?.message
    }

    public var isComplete: Bool { failure == nil && !interrupted && states.values.allSatisfy { $0 == .done } }
}
