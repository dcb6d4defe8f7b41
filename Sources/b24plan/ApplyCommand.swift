import Foundation
import PlanStore
import ReleasePlan
import Rollout

/// `b24plan apply`: executes the plan's steps in order, resumably, recording each in the journal.
struct ApplyCommand: Command {
    let name = "apply"
    var exitCodes: [ExitCodeHelp.Line] { ExitCodeHelp.apply }
    let planPositional: (index: Int, count: Int)? = (0, 1)
    let summary = "Execute the plan: migrations, deploy, gates, portals (resumable)"
    let usage = "b24plan apply FILE|SAVED [--database URL] [--yes] [--parallel N] [--format text|json]"
    let handlesInterruption = true
    let discussion = """
        Compiles FILE (or a plan saved by 'diff --out': compiled again from its inputs, and refused
        when any input changed or the result differs from what was saved), shows
        it and asks for confirmation on a terminal (--yes skips the question; it is required when stdin
        is not a terminal), then runs the steps in graph order. Applying again resumes the same run:
        done steps are not repeated. Stops at an unpassed gate with exit code 3 and prints the command
        that passes it; a failed step exits 1 and leaves the database and the journal consistent.
        Exit 0 when every step is done and no portal failed or is pending: portals that need a
        reinstall or are inactive are counted in the summary, not failures.
        Ctrl-C (SIGINT) or SIGTERM starts no further step: a running deploy command gets the signal
        and is waited for (then killed after 10 s), and apply exits 130 or 143; a second one exits at
        once. A deploy that an earlier apply left running is not started again while it runs.
        Before any portal is touched, portals.preflight POSTs an empty form to each new or changed
        handler URL: no answer (DNS, TLS, refused, timeout), 404 or 5xx fails it and nothing is
        bound; any other answer (a 401 or 403 from a handler that wants a signed request) passes.
        """
    var options: [OptionSpec] {
        [
            .flag("yes", "Do not ask for confirmation."),
            .value("parallel", "N", "Portals in flight (per-portal migrations on PostgreSQL, reconcile); default 32."),
            .value("format", "FORMAT", allowed: ["text", "json"], "Output format (default text)."),
            .value("against", "FILE", "The published plan to compare with (plan files only)."),
            .value("reconcile", "WHEN", allowed: ["auto", "always"], "'always' adds the portal reconcile to repair drift."),
            .value("retry", "WHICH", allowed: ["failed", "needs-reinstall"], "Re-run the portal steps for only these portals."),
            .flag("worker", "Join the run of FILE on PostgreSQL or MySQL/MariaDB and work on its portals only (scale-out)."),
            .value("lease", "SECONDS", "How long a claimed portal stays claimed unless renewed (shared runs; default 120)."),
            .value(
                "max-connections", "N",
                "Most database connections apply opens for per-portal migrations on PostgreSQL, whatever --parallel says (default 16)."),
            .value("deploy-ended", "PID", "The deploy journaled as running as PID on another host has ended: run it again."),
            .flag(
                "rollback",
                "FILE is an older published release: restore its placements, events and notice on every portal (no migrations)."),
            .flag(
                "skip-preflight",
                "Do not check the new or changed handler URLs before the reconcile (journaled; B24PLAN_SKIP_PREFLIGHT=1 does the same)."),
            .value("preflight-timeout", "SECONDS", "Longest a handler URL may take to answer the preflight (default 10)."),
            .value("waves", "LIST", "Roll out in waves: cumulative shares in percent, e.g. 1,10,100 (overrides rollout.waves)."),
        ] + PortalOptions.options + StoreOptions.options
    }

    func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
        guard arguments.positionals.count == 1, let path = arguments.positionals.first else {
            throw UsageError(message: "apply needs exactly one plan FILE or saved plan")
        }
        let json = format(arguments) == "json"
        let parallel = try arguments.positiveInteger("parallel") ?? RolloutEstimate.defaultParallelism
        let leaseSeconds = try arguments.positiveInteger("lease").map(Double.init) ?? 120
        _ = try PortalOptions.timeouts(arguments)
        _ = try arguments.positiveInteger("max-connections")
        let endedDeploy = try arguments.value("deploy-ended").map { text in
            guard let pid = Int32(text), pid > 0 else {
                throw UsageError(message: "option '--deploy-ended' needs a process id, not '\(text)'")
            }
            return pid
        }
        let config = try StoreOptions.config(arguments)
        let url = try StoreOptions.url(arguments, config: config, environment: console.environment)
        let rollback = arguments.has("rollback")
        if rollback && (arguments.has("worker") || arguments.value("retry") != nil) {
            throw UsageError(message: "--rollback runs on its own: without --worker or --retry")
        }
        if !arguments.has("worker") && !arguments.has("yes") && isatty(STDIN_FILENO) != 1 {
            throw UsageError(message: "apply asks for confirmation on a terminal; pass --yes to apply without asking")
        }
        try requireInputs(arguments)
        // The store's newest published plan is the previous plan, whatever the folder holds.
        guard
            case let (store, plan)? = try OpenStore.openWithPlan(
                path, arguments: arguments, console: console, mode: arguments.has("worker") ? .mustExist : .create)
        else { return .failure }
        defer { store.close() }
        let (database, journal) = (store.database, store.journal)
        var loaded = plan
        if arguments.has("worker") {
            return try WorkerMode(arguments: arguments, console: console, url: url, config: config, parallel: parallel).run(loaded)
        }
        var runVersion: String?
        do {
            let history = ReleaseHistoryCheck(journal: journal)
            if rollback {
                (loaded, runVersion) = try history.rollback(loaded)
            } else {
                try history.apply(loaded)
            }
        } catch let refusal as ReleaseGuard.Refusal {
            loaded.report(refusal, console: console)
            return .failure
        }
        let compiled = loaded.compiled
        // Checked before any step runs (DESIGN §7): a run that would reach the portals needs them.
        if compiled.steps.contains(where: { $0.reconcilesPortals || $0.kind == .portalsScopeAudit }) {
            try PortalOptions.requireCredentials(console.environment)
            try PortalOptions.reserveOpenFiles(parallel: parallel, store: url, arguments: arguments)
        }
        if compiled.steps.contains(where: { $0.reconcilesPortals || $0.kind == .portalsScopeAudit || $0.kind == .migrateData }) {
            try InstallationStore(database: database, mapping: config.installations).checkShape(
                store: url.redacted, marksInactive: compiled.steps.contains { $0.reconcilesPortals || $0.kind == .portalsScopeAudit })
        }
        try MigrationHistory(database: database, table: config.migrationsTable).checkShape()
        if !json {
            console.write(DiffTextRenderer(style: TextStyle(enabled: console.colorOut)).render(compiled) + "\n")
        }
        if !arguments.has("yes") {
            console.writeError("Apply this plan to \(url.redacted)? Only 'yes' is accepted: ")
            guard Self.readAnswer(interruption: .shared)?.trimmingCharacters(in: .whitespaces) == "yes" else {
                console.writeError("\napply cancelled\n")
                return .failure
            }
        }
        if Interruption.shared.isRequested {
            console.writeError("apply cancelled before any step ran\n")
            return .failure
        }
        let redactor = KnownSecrets.redactor(environment: console.environment, arguments: arguments).adding(url.secrets)
        let lock = try RunLock.acquire(database: database, app: compiled.app)
        _ = lock.keepAlive()
        defer { lock.release() }
        let selection = arguments.value("retry").flatMap(PortalFleet.Selection.init(rawValue:)) ?? .unfinished
        let portalSteps = LazyPortalSteps(
            selection: selection, whereClause: try PortalOptions.whereClause(arguments), memberIDs: PortalOptions.memberIDs(arguments),
            leaseSeconds: leaseSeconds
        ) {
            try PortalOptions.fleet(
                database: database, journal: journal, config: config, parallel: parallel, arguments: arguments,
                environment: console.environment, access: .writing, store: url)
        }
        var environment = ApplyExecutor.Environment(
            database: database, journal: journal, config: config, planDirectory: loaded.directory,
            openConnection: { try DatabaseConnector.open(url) }, parallel: parallel,
            deployHook: ChildProcessDeployHook(redactor: redactor, interruption: .shared),
            portalSteps: portalSteps, reporter: ConsoleReporter(console: console, jsonMode: json))
        // Hints name the file the user gave: a saved plan is passed and resumed as itself.
        environment.planReference = path
        environment.maxConnections = try arguments.positiveInteger("max-connections") ?? 16
        environment.guardsStatements = StatementGuard.isEnabled(environment: console.environment)
        environment.redactor = redactor
        environment.interruption = .shared
        environment.endedDeploy = endedDeploy
        environment.skipPreflight = Self.skipsPreflight(arguments, environment: console.environment)
        let preflightTimeout = try arguments.positiveInteger("preflight-timeout") ?? 10
        // A graph with a step that sends requests needs libcurl: loaded (or refused) here, before any
        // step runs. Redirects are followed: a handler that redirects to a 404 fails, as it would in the portal.
        if compiled.steps.contains(where: \.sendsRequests) {
            environment.preflight = HandlerPreflight(
                transport: try HTTPClient.transport(
                    connectionsPerHost: 64, timeout: TimeInterval(preflightTimeout), followsRedirects: true,
                    timeoutOption: "--preflight-timeout"))
        }
        if let runVersion {
            environment.runVersion = runVersion
            environment.runKind = .rollback
        }
        if selection != .unfinished {
            environment.rerun = Set(compiled.steps.filter { $0.reconcilesPortals || $0.kind == .portalsScopeAudit }.map(\.id))
        }
        let outcome = try ApplyExecutor(environment).apply(compiled, planSHA256: loaded.planSHA256)
        if runVersion != nil, outcome.isComplete, let newest = try journal.newestPublished(app: compiled.app) {
            try journal.markRolledBack(app: compiled.app, version: newest.version, to: compiled.to)
        }
        // needs-reinstall and inactive are outcomes to report, not failures (DESIGN §7): the scope
        // audit and the notice exist for them.
        let portals = try PortalTotals.count(
            run: outcome.runID, journal: journal, installations: InstallationStore(database: database, mapping: config.installations),
            records: try journal.steps(run: outcome.runID), compiled: compiled)
        let code = Self.exitCode(outcome, portals: portals)
        if json {
            console.write(try JSONOutput.encode(ApplyDocument(compiled, outcome: outcome, portals: portals)))
        } else {
            console.write("\n" + summary(outcome, compiled: compiled, planPath: path, portals: portals))
            let installations = InstallationStore(database: database, mapping: config.installations)
            for step in compiled.steps where step.reconcilesPortals || step.kind == .portalsScopeAudit {
                var counts = try journal.portalCounts(run: outcome.runID, step: step.id)
                guard !counts.isEmpty else { continue }
                counts[.pending, default: 0] += counts.removeValue(forKey: .running) ?? 0
                // A step that stopped part-way (a signal, a narrowed apply) has not reached the rest.
                if outcome.states[step.id] != .done, step.kind == .portalsReconcile || step.kind == .portalsScopeAudit {
                    counts[.pending, default: 0] += (try? installations.unreachedCount(run: outcome.runID, step: step.id)) ?? 0
                }
                console.write("  \(step.id): " + PortalSteps.countsText(counts) + "\n")
            }
        }
        return code
    }

    /// 1 for a failed or halted step; 3 while a gate is pending or portals are failed or pending;
    /// else 0 (whatever number of portals need a reinstall or are inactive).
    static func exitCode(_ outcome: ApplyOutcome, portals: [String: Int]) -> ExitCode {
        if outcome.failure != nil { return .failure }
        let unfinished = (portals["failed"] ?? 0) + (portals["pending"] ?? 0)
        return outcome.isComplete && unfinished == 0 ? .success : .incomplete
    }

    private func summary(
        _ outcome: ApplyOutcome, compiled: CompiledPlan, planPath: String, portals: [String: Int]
    ) -> String {
        if let signal = Interruption.shared.signal {
            let name = signal == SIGTERM ? "SIGTERM" : "SIGINT"
            let at = outcome.failure.map { " during \($0.step)" } ?? ""
            return "apply interrupted by \(name)\(at); every step's state is recorded: run apply again to resume.\n"
        }
        if let failure = outcome.failure {
            return "apply failed at \(failure.step); fix the cause and run apply again to resume.\n"
        }
        let failedPortals = portals["failed"] ?? 0
        let reported = Self.reportedPortals(portals)
        if Self.exitCode(outcome, portals: portals) == .success {
            return "apply complete: \(compiled.app) \(compiled.to), \(compiled.steps.count) steps done.\n" + reported
        }
        var text = "apply incomplete: \(compiled.app) \(compiled.to)\n"
        for gate in outcome.pendingGates {
            text += "  \(gate) is not passed: when it is done, run\n    b24plan gate pass \(gate) \(planPath)\n"
        }
        if !outcome.blocked.isEmpty { text += "  not started yet: \(outcome.blocked.joined(separator: ", "))\n" }
        if failedPortals > 0 {
            text +=
                "  \(failedPortals) portal\(failedPortals == 1 ? "" : "s") failed: apply --retry failed retries them "
                + "(b24plan status --portals --state failed says why)\n"
        }
        return text + reported + "then run apply again.\n"
    }

    /// The portals that ended needs-reinstall or inactive: counted, with the command that lists them.
    static func reportedPortals(_ portals: [String: Int]) -> String {
        var text = ""
        if let count = portals["needs-reinstall"], count > 0 {
            text +=
                "  \(count) portal\(count == 1 ? " needs" : "s need") a reinstall to grant new scopes "
                + "(b24plan status --portals --state needs-reinstall lists them)\n"
        }
        if let count = portals["inactive"], count > 0 {
            text +=
                "  \(count) portal\(count == 1 ? " is" : "s are") inactive: the app is no longer installed there "
                + "(b24plan status --portals --state inactive lists them)\n"
        }
        return text
    }
}

extension ApplyCommand {
    /// One line from standard input, or nil at its end or once a SIGINT/SIGTERM is recorded (the
    /// handlers are installed, so a plain read would not return on Ctrl-C).
    /// `--skip-preflight`, or `B24PLAN_SKIP_PREFLIGHT` set to anything but empty, `0` or `false`.
    static func skipsPreflight(_ arguments: ParsedArguments, environment: [String: String]) -> Bool {
        if arguments.has("skip-preflight") { return true }
        guard let value = environment["B24PLAN_SKIP_PREFLIGHT"]?.lowercased() else { return false }
        return !["", "0", "false", "no"].contains(value)
    }

    static func readAnswer(interruption: Interruption) -> String? {
        var bytes: [UInt8] = []
        while !interruption.isRequested {
            var entry = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, 100) > 0 else { continue }  // timeout or EINTR: check again
            var byte: UInt8 = 0
            let count = read(STDIN_FILENO, &byte, 1)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
        return nil
    }
}

/// `apply --format json`.
struct ApplyDocument: Encodable {
    struct Step: Encodable {
        var id: String
        var state: String
    }
    struct Failure: Encodable {
        var step: String
        var message: String
    }

    var run: Int
    var app: String
    var version: String
    var complete: Bool
    var steps: [Step]
    var pendingGates: [String]
    var failure: Failure?
    /// Portals by state over the run's reconciling steps (done, needs-reinstall, inactive, failed, pending).
    var portals: [String: Int]

    init(_ compiled: CompiledPlan, outcome: ApplyOutcome, portals: [String: Int]) {
        run = outcome.runID
        app = compiled.app
        version = compiled.to
        complete = outcome.isComplete
        steps = compiled.steps.map { Step(id: $0.id, state: outcome.states[$0.id]?.rawValue ?? "pending") }
        pendingGates = outcome.pendingGates
        failure = outcome.failure.map { Failure(step: $0.step, message: $0.message) }
        self.portals = portals
    }
}

/// Builds the portal client only when a portal step runs (so plans without one need no credentials).
struct LazyPortalSteps: PortalStepRunner, @unchecked Sendable {
    let selection: PortalFleet.Selection
    let whereClause: String?
    let memberIDs: [String]?
    let leaseSeconds: Double
    /// A repair run: its step is done once the selected portals are (`PortalSteps.selectionIsWholeRun`).
    var selectionIsWholeRun = false
    let makeFleet: () throws -> PortalFleet

    init(
        selection: PortalFleet.Selection, whereClause: String?, memberIDs: [String]?, leaseSeconds: Double,
        makeFleet: @escaping () throws -> PortalFleet
    ) {
        self.selection = selection
        self.whereClause = whereClause
        self.memberIDs = memberIDs
        self.leaseSeconds = leaseSeconds
        self.makeFleet = makeFleet
    }

    func run(_ step: PlanStep, compiled: CompiledPlan, runID: Int, reporter: any ApplyReporter) throws -> (Journal.StepState, String) {
        let fleet = try makeFleet()
        guard let journal = fleet.journal else { throw UsageError(message: "the portal steps need the journal") }
        var steps = PortalSteps(fleet: fleet, journal: journal, selection: selection, where: whereClause, memberIDs: memberIDs)
        steps.leaseSeconds = leaseSeconds
        steps.selectionIsWholeRun = selectionIsWholeRun
        return try steps.run(
            step, compiled: compiled, runID: runID, reporter: reporter)
    }
}
