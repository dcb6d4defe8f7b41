import Foundation
import PlanStore
import ReleasePlan
import Rollout

/// `apply --worker`: joins the run of a plan on PostgreSQL and works on its portal steps only,
/// claiming portals from the journal alongside the coordinating `apply` and any other workers.
struct WorkerMode {
    var arguments: ParsedArguments
    var console: Console
    var url: DatabaseURL
    var config: AppConfig
    var parallel: Int

    /// How long a worker waits for the coordinator to create the run or seed a step (seconds).
    static let patience: TimeInterval = 600

    func run(_ loaded: LoadedPlan) throws -> ExitCode {
        if case .sqlite = url {
            throw UsageError(
                message:
                    "apply --worker shares a run through a database server (PostgreSQL, MySQL/MariaDB); the state store is \(url.redacted)")
        }
        let compiled = loaded.compiled
        try PortalOptions.reserveOpenFiles(parallel: parallel, store: url, arguments: arguments)
        let (database, journal) = try StoreOptions.open(url, mode: .create)
        defer { database.close() }
        let fleet = try PortalOptions.fleet(
            database: database, journal: journal, config: config, parallel: parallel, arguments: arguments,
            environment: console.environment, access: .writing, store: url)
        let reporter = ConsoleReporter(console: console, jsonMode: format(arguments) == "json")
        let deadline = Date().addingTimeInterval(Self.patience)
        var run = try journal.run(app: compiled.app, version: compiled.to)
        while run == nil && Date() < deadline && !Interruption.shared.isRequested {
            Thread.sleep(forTimeInterval: 1)
            run = try journal.run(app: compiled.app, version: compiled.to)
        }
        guard let run else {
            console.writeError("error: no run of \(compiled.app) \(compiled.to) to join: start b24plan apply first\n")
            return .failure
        }
        var worked: [String] = []
        for step in compiled.steps where step.reconcilesPortals || step.kind == .portalsScopeAudit {
            if Interruption.shared.isRequested { break }
            while try journal.portalCounts(run: run.id, step: step.id).isEmpty, Date() < deadline, !Interruption.shared.isRequested,
                try journal.run(app: compiled.app, version: compiled.to)?.state.isOpen == true
            {
                Thread.sleep(forTimeInterval: 1)
            }
            guard !(try journal.portalCounts(run: run.id, step: step.id)).isEmpty else { continue }
            var steps = PortalSteps(fleet: fleet, journal: journal)
            steps.isWorker = true
            steps.leaseSeconds = try arguments.positiveInteger("lease").map(Double.init) ?? 120
            reporter.stepStarted(step)
            let (state, detail) = try steps.run(step, compiled: compiled, runID: run.id, reporter: reporter)
            reporter.stepFinished(step, state: state, detail: detail)
            worked.append(step.id)
        }
        let unfinished = try worked.map { try journal.portalCounts(run: run.id, step: $0) }
            .flatMap { $0.filter { $0.key != .done && $0.key != .inactive }.values }.reduce(0, +)
        console.write("worker finished: \(worked.isEmpty ? "no portal step to work on" : worked.joined(separator: ", "))\n")
        return unfinished == 0 ? .success : .incomplete
    }

    private func format(_ arguments: ParsedArguments) -> String { arguments.value("format") ?? "text" }
}
