import Foundation
import Testing

/// Fault cases that need the farm's extra fixtures: a concurrent refresher, foreign redirects,
/// PostgreSQL backends killed mid-run, short leases, and random SIGKILLs.
extension FaultTests {
    static let farmFolder = CLIRunner.packageRoot.appendingPathComponent("Tests/Fixtures/portal-farm")

    /// `farm_check.py`: which stored refresh tokens are dead, and which rows were marked inactive.
    static func check(_ setup: Setup, psql: String? = nil) throws -> (lost: [String], inactive: [String]) {
        let store = psql.map { ["--psql", $0] } ?? ["--sqlite", setup.database.path]
        let output = try CLIRunner.runTool(
            "/usr/bin/env", ["python3", farmFolder.appendingPathComponent("farm_check.py").path, "--farm", setup.farm.baseURL] + store)
        let report = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any] ?? [:]
        return (report["lost"] as? [String] ?? ["farm_check failed: \(output.stderr)"], report["inactive_marked"] as? [String] ?? [])
    }

    /// The live app's own refresher (`refresher.py`, following the README protocol), running until
    /// its stdin closes.
    final class Refresher {
        let process = Process()
        let input = Pipe()
        let output = Pipe()

        init(_ setup: Setup) throws {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [
                "python3", FaultTests.farmFolder.appendingPathComponent("refresher.py").path, "--farm", setup.farm.baseURL, "--config",
                setup.folder.appendingPathComponent("farm-config.json").path, "--sqlite", setup.database.path, "--until-stdin-eof",
                "--interval", "0.005",
            ]
            process.standardInput = input
            process.standardOutput = output
            process.standardError = FileHandle(forWritingAtPath: "/dev/null")
            try process.run()
        }

        /// Stops it and returns its report.
        func stop() throws -> [String: Any] {
            try input.fileHandleForWriting.close()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        }
    }

    @Test("the live app refreshes the same tokens all the time while apply and drift run: no token is lost, no portal marked")
    func concurrentRefresher() throws {
        let portals = 120
        // Access tokens of 2 s (real ones live an hour) and a refresher rotating each portal's tokens
        // about every second: apply and drift meet rotated rows and expired tokens all the time.
        let setup = try Setup(portals: portals, faults: "slow=20", generate: ["--access-ttl", "2"])
        defer { setup.close() }
        let refresher = try Refresher(setup)
        let apply = try setup.run(["apply", "--yes", "--parallel", "16", Self.plan])
        let drift = try setup.run(["drift", "--parallel", "16", Self.plan])
        let report = try refresher.stop()
        #expect(apply.code == 0, "\(apply.stdout.suffix(2000))\(apply.stderr.suffix(2000))")
        #expect(drift.code == 0, "\(drift.stdout.suffix(2000))\(drift.stderr.suffix(2000))")
        #expect((report["refreshes"] as? Int ?? 0) > 50, "the refresher did refresh: \(report)")
        #expect((report["lost"] as? [String] ?? ["?"]).isEmpty, "the app lost tokens: \(report)")
        let check = try Self.check(setup)
        #expect(check.lost.isEmpty, "lost refresh tokens: \(check.lost)")
        #expect(check.inactive.isEmpty)
        let notDone = try CLIRunner.sqliteRows(
            setup.database,
            "SELECT member_id, state, last_error FROM b24plan_portal_tasks WHERE step_id = 'portals.reconcile' AND state <> 'done'")
        #expect(notDone.isEmpty, "\(notDone)")
        let refreshes = try setup.farm.stats()["refreshes_total"] as? Int ?? 0
        #expect(refreshes > portals / 2, "apply met expired tokens and refreshed: \(refreshes)")
    }

    @Test("a portal redirecting to a foreign host or to plain http: no token is sent there, the portal fails with the reason")
    func foreignRedirect() throws {
        let setup = try Setup(portals: 30, faults: "redirect_foreign=4,redirect_insecure=3")
        defer { setup.close() }
        let endpoints = try CLIRunner.sqliteRows(setup.database, "SELECT client_endpoint FROM portals ORDER BY member_id")
        let apply = try setup.run(["apply", "--yes", Self.plan])
        #expect(apply.code == 3, "\(apply.stdout)\(apply.stderr)")
        let stats = try setup.farm.stats()
        #expect(stats["foreign_tokens_received"] as? Int == 0)
        #expect(stats["foreign_requests_total"] as? Int == 0)
        #expect(stats["foreign_secrets_received"] as? Int ?? 0 == 0)
        let failed = try CLIRunner.sqliteRows(
            setup.database, "SELECT last_error FROM b24plan_portal_tasks WHERE step_id = 'portals.reconcile' AND state = 'failed'")
        #expect(failed.count == 7)
        #expect(failed.allSatisfy { ($0["last_error"] as? String ?? "").contains("not followed") })
        let after = try CLIRunner.sqliteRows(setup.database, "SELECT client_endpoint FROM portals ORDER BY member_id")
        #expect(after.map { $0["client_endpoint"] as? String } == endpoints.map { $0["client_endpoint"] as? String })
        #expect(try Self.marked(setup) == 0)
    }

    /// One number from PostgreSQL.
    static func pgCount(_ url: String, _ sql: String) -> Int {
        let output = try? CLIRunner.runTool("/usr/bin/env", ["psql", url, "-At", "-c", sql])
        return Int(output?.stdout.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? -1
    }

    @Test("PostgreSQL backends terminated mid-rollout: apply exits 1 within 10 s; the next apply completes, nothing bound twice")
    func postgresBackendKilled() throws {
        guard let postgres = try FleetTests.postgresDatabase("fault_backend") else { return }
        let portals = 80
        let setup = try Setup(portals: portals, faults: "slow=\(portals)", postgres: postgres)
        defer { setup.close() }
        let (process, log) = try Self.start(setup, ["apply", "--yes", "--parallel", "4", Self.plan])
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && Date() < deadline
            && Self.pgCount(postgres, "SELECT COUNT(*) FROM b24plan_portal_tasks WHERE state = 'done'") < 10
        {
            usleep(50_000)
        }
        #expect(process.isRunning, "apply finished before the backend could be killed")
        let database = String(postgres[postgres.index(after: postgres.lastIndex(of: "/")!)...])
        _ = try CLIRunner.runTool(
            "/usr/bin/env",
            [
                "psql", postgres, "-At", "-c",
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(database)' AND pid <> pg_backend_pid()",
            ])
        let killedAt = Date()
        #expect(Self.wait(process, seconds: 30), "apply hung after its backend was terminated")
        #expect(Date().timeIntervalSince(killedAt) < 10, "apply took \(Date().timeIntervalSince(killedAt)) s to stop")
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 1, "\(output.suffix(3000))")

        let resumed = try setup.run(["apply", "--yes", "--parallel", "4", Self.plan])
        #expect(resumed.code == 0, "\(resumed.stdout.suffix(2000))\(resumed.stderr.suffix(2000))")
        #expect(
            Self.pgCount(postgres, "SELECT COUNT(*) FROM b24plan_portal_tasks WHERE step_id = 'portals.reconcile' AND state = 'done'")
                == portals)
        let writes = try setup.farm.stats()["writes_total"] as? Int ?? 0
        #expect(writes <= 2 * portals + 16, "only portals in flight at the failure may be written twice: \(writes)")
        #expect(Self.pgCount(postgres, "SELECT COUNT(*) FROM portals WHERE active = 0") == 0)
    }

    @Test("a lease shorter than a portal's work (--lease 1 at 600 ms per request): live workers never take over each other's portals")
    func shortLeasesAreRenewed() throws {
        guard let postgres = try FleetTests.postgresDatabase("fault_lease") else { return }
        let portals = 24
        let setup = try Setup(portals: portals, faults: "", postgres: postgres, serve: ["--latency-ms", "600"])
        defer { setup.close() }
        let worker = try Self.start(setup, ["apply", "--worker", "--parallel", "4", "--lease", "1", Self.plan])
        let coordinator = try Self.start(setup, ["apply", "--yes", "--parallel", "4", "--lease", "1", Self.plan])
        #expect(Self.wait(coordinator.0, seconds: 120))
        #expect(Self.wait(worker.0, seconds: 60))
        #expect(coordinator.0.terminationStatus == 0, "\((try? String(contentsOf: coordinator.1, encoding: .utf8)) ?? "")")
        #expect(Self.pgCount(postgres, "SELECT MAX(attempts) FROM b24plan_portal_tasks WHERE step_id = 'portals.reconcile'") == 1)
        let writes = try setup.farm.stats()["writes_total"] as? Int
        #expect(writes == 2 * portals, "each portal written once: the bind and the release notice")
    }

    @Test("20 SIGKILLs at random moments while every portal's token needs a refresh, then one more apply: converges; lost tokens counted")
    func randomKills() throws {
        let portals = 80
        let setup = try Setup(portals: portals, faults: "slow=\(portals),expired_token=\(portals)")
        defer { setup.close() }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            let (process, _) = try Self.start(setup, ["apply", "--yes", "--parallel", "8", Self.plan])
            usleep(UInt32.random(in: 150_000...900_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        let final = try setup.run(["apply", "--yes", "--parallel", "8", Self.plan])
        let states = try setup.states()
        #expect(states.count == portals)
        let check = try Self.check(setup)
        // A kill between a refresh's request and its stored answer loses that portal's token (the
        // one round trip the OAuth server does not let us close); such a portal needs a reinstall.
        // The window is that round trip plus the token write, so the count depends on how slow the
        // farm answers: 0 of 80 on a quiet machine, up to 8 with the whole suite and other builds
        // beside it (BENCHMARKS.md). The bound catches a regression where kills lose tokens
        // outside that window (every kill losing several).
        let lost = Set(check.lost)
        #expect(lost.count <= 12, "rotated tokens lost in the in-flight window: \(lost.sorted())")
        print("randomKills: \(lost.count) of \(portals) rotated tokens lost to 20 SIGKILLs")
        for (member, state) in states {
            // A lost token is found out (invalid_grant, after waiting for another refresher): the
            // portal needs a reinstall and says so; every other portal is done.
            #expect(state == (lost.contains(member) ? "needs-reinstall" : "done"), "\(member) ended \(state)")
        }
        // needs-reinstall is reported, not a failure: exit 0 either way (README, exit codes).
        #expect(final.code == 0, "\(final.stdout.suffix(1500))\(final.stderr.suffix(1500))")
        #expect(check.inactive.isEmpty)
        let refreshes = try setup.farm.stats()["refreshes_total"] as? Int ?? 0
        #expect(refreshes >= portals, "every portal's token was refreshed: \(refreshes)")
    }
}

/// The same harms on PostgreSQL: the installations table lives there, the farm fills it.
extension FaultTests {
    /// A farm whose installations are in a fresh PostgreSQL database (nil when no cluster runs).
    static func postgresSetup(_ name: String, portals: Int, faults: String, generate: [String] = []) throws -> (Setup, String)? {
        guard let postgres = try FleetTests.postgresDatabase(name) else { return nil }
        let setup = try Setup(portals: portals, faults: faults, postgres: postgres, generate: generate)
        return (setup, postgres)
    }

    @Test("PostgreSQL: a wrong B24_CLIENT_SECRET marks nothing and touches no token")
    func wrongSecretOnPostgres() throws {
        guard let (setup, postgres) = try Self.postgresSetup("fault_secret", portals: 120, faults: "expired_token=40") else { return }
        defer { setup.close() }
        let tokens = "SELECT string_agg(member_id || '=' || refresh_token, ',' ORDER BY member_id) FROM portals"
        let before = try CLIRunner.runTool("/usr/bin/env", ["psql", postgres, "-At", "-c", tokens]).stdout
        var environment = setup.environment
        environment["B24_CLIENT_SECRET"] = "not-the-secret"
        let apply = try CLIRunner.run(["apply", "--yes", Self.plan], in: setup.folder, environment: environment)
        #expect(apply.code == 1, "\(apply.stdout)\(apply.stderr)")
        #expect((apply.stdout + apply.stderr).contains("B24_CLIENT_SECRET"))
        #expect(Self.pgCount(postgres, "SELECT COUNT(*) FROM portals WHERE active = 0") == 0)
        #expect(
            Self.pgCount(
                postgres, "SELECT COUNT(*) FROM b24plan_portal_tasks WHERE state IN ('failed', 'inactive', 'needs-reinstall')") == 0)
        #expect(try CLIRunner.runTool("/usr/bin/env", ["psql", postgres, "-At", "-c", tokens]).stdout == before)
    }

    @Test("PostgreSQL: the live app refreshing all the time while apply and a worker run loses no token")
    func concurrentRefresherOnPostgres() throws {
        let portals = 100
        guard
            let (setup, postgres) = try Self.postgresSetup(
                "fault_refresher", portals: portals, faults: "slow=\(portals)", generate: ["--access-ttl", "1"])
        else { return }
        defer { setup.close() }
        let refresher = Process()
        let input = Pipe()
        let output = Pipe()
        refresher.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        refresher.arguments = [
            "python3", Self.farmFolder.appendingPathComponent("refresher.py").path, "--farm", setup.farm.baseURL, "--config",
            setup.folder.appendingPathComponent("farm-config.json").path, "--psql", postgres, "--until-stdin-eof", "--interval", "0.01",
        ]
        refresher.standardInput = input
        refresher.standardOutput = output
        refresher.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try refresher.run()
        let worker = try Self.start(setup, ["apply", "--worker", "--parallel", "8", Self.plan])
        let apply = try setup.run(["apply", "--yes", "--parallel", "8", Self.plan])
        #expect(Self.wait(worker.0, seconds: 120))
        try input.fileHandleForWriting.close()
        let report =
            (try? JSONSerialization.jsonObject(with: output.fileHandleForReading.readDataToEndOfFile()) as? [String: Any]) ?? [:]
        refresher.waitUntilExit()
        #expect(apply.code == 0, "\(apply.stdout.suffix(2000))\(apply.stderr.suffix(2000))")
        #expect((report["refreshes"] as? Int ?? 0) >= 10, "the refresher did refresh: \(report)")
        #expect((report["lost"] as? [String] ?? ["?"]).isEmpty, "the app lost tokens: \(report)")
        let check = try Self.check(setup, psql: postgres)
        #expect(check.lost.isEmpty, "lost refresh tokens: \(check.lost)")
        #expect(check.inactive.isEmpty)
        #expect(
            Self.pgCount(postgres, "SELECT COUNT(*) FROM b24plan_portal_tasks WHERE step_id = 'portals.reconcile' AND state = 'done'")
                == portals)
    }
}
