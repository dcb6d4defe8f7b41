import PlanStore
import ReleasePlan

/// The deploy step (DESIGN §7, signals): the hook's pid and host are journaled before it is waited
/// on, and a deploy journaled as running is never started a second time while it may still run.
extension ApplyExecutor {
    /// Runs the deploy command; its output tail is journaled whether it succeeds or not.
    func runDeploy(_ step: PlanStep, command: [String], runID: Int) throws -> (Journal.StepState, String) {
        let journal = environment.journal
        let host = environment.hostName
        let deploy = DeployStep(hook: environment.deployHook, reporter: environment.reporter, redactor: environment.redactor)
        do {
            let result = try deploy.run(step, command: command, directory: environment.planDirectory) { pid in
                try journal.startStepProcess(run: runID, step: step.id, process: ProcessIdentity.local(pid: pid).on(host))
            }
            try journal.setStep(run: runID, step: step.id, state: .running, outputTail: result.tail)
            return (.done, result.detail)
        } catch let failure as DeployFailure {
            try? journal.setStep(run: runID, step: step.id, state: .running, outputTail: failure.tail)
            throw failure
        }
    }

    /// Refuses to start while the journal says this release's deploy runs and it may still run:
    /// its pid is alive on this host, or it runs on another host that this one cannot check (unless
    /// `endedDeploy` names that pid). A deploy whose process is gone is simply run again.
    func checkNoDeployRunning(_ compiled: CompiledPlan) throws {
        guard let step = compiled.step("deploy"), step.command?.isEmpty == false,
            let run = try environment.journal.run(app: compiled.app, version: compiled.to),
            let record = try environment.journal.stepProcess(run: run.id, step: step.id), record.state == .running,
            let process = record.process
        else { return }
        let release = "\(compiled.app) \(compiled.to)"
        switch process.status(onHost: environment.hostName) {
        case .ended:
            return
        case .running:
            throw PreconditionError(
                message: "the deploy of \(release) is still running as pid \(process.pid) on \(process.host) "
                    + "(started by an earlier apply that did not wait for it); wait until it ends, then run apply again")
        case .unknown:
            if environment.endedDeploy == process.pid { return }
            throw PreconditionError(
                message: "the journal says the deploy of \(release) is running as pid \(process.pid) on host \(process.host), "
                    + "which cannot be checked from \(environment.hostName); once it has ended there, "
                    + "run apply again with --deploy-ended \(process.pid)")
        }
    }
}

extension ProcessIdentity {
    /// The same process named with `host` (the executor's idea of this host).
    fileprivate func on(_ host: String) -> ProcessIdentity {
        ProcessIdentity(pid: pid, host: host, start: start)
    }
}
