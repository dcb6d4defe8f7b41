import PlanStore
import ReleasePlan

/// What the executor tells its caller while it works (the CLI prints it; tests collect it).
public protocol ApplyReporter: Sendable {
    func stepStarted(_ step: PlanStep)
    func stepFinished(_ step: PlanStep, state: Journal.StepState, detail: String)
    /// A line of the deploy hook's output.
    func output(_ step: PlanStep, line: String)
    /// Progress of long work ("120/200 portals, 3,400 rows").
    func progress(_ step: PlanStep, _ text: String)
}

/// Reports nothing.
public struct SilentReporter: ApplyReporter {
    public init() {}
    public func stepStarted(_ step: PlanStep) {}
    public func stepFinished(_ step: PlanStep, state: Journal.StepState, detail: String) {}
    public func output(_ step: PlanStep, line: String) {}
    public func progress(_ step: PlanStep, _ text: String) {}
}

/// Runs the portal steps (`portals.reconcile`, `portals.scope-audit`) of a run.
public protocol PortalStepRunner: Sendable {
    /// Runs the step; returns its final state (`done`, or `waiting` when some portals are not done).
    func run(_ step: PlanStep, compiled: CompiledPlan, runID: Int, reporter: any ApplyReporter) throws -> (Journal.StepState, String)
}
