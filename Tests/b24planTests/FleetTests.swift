import Foundation
import Testing

/// `apply` against the fake portal farm: every fault mode, pacing, token rotation, resume, drift.
@Suite("the portal fleet against the fake farm", .serialized)
struct FleetTests {
    /// One fault per portal group; counts chosen so every mode is present in 300 portals.
    static let faults =
        "expired_token=15,dead_refresh=10,deleted=10,flaky_5xx=15,slow=5,rate_limited=10,renamed=10,"
        + "not_installed=10,missing_scope=15,uninstalled=10,operation_limit=5"

    /// A working folder with the sample plans, a config pointing at the farm, and a state store
    /// whose installations table the farm fills; the published release 1.1.0 is baselined and the
    /// gates of 2.0.0 are passed, so apply goes straight to the portals.
    struct Setup {
        let folder: URL
        let database: URL
        let farm: PortalFarm
        let environment: [String: String]

        /// `postgres`: a database URL to use as the state store instead of the farm's SQLite file
        /// (the farm's installations are copied into it).
        init(
            portals: Int = 300, faults: String = FleetTests.faults, seed: Int = 7, postgres: String? = nil, generate: [String] = [],
            serve: [String] = [], mysql: (url: String, client: [String])? = nil
        ) throws {
            folder = try CLIRunner.temporaryFolder()
            database = folder.appendingPathComponent("state.db")
            let plans = CLIRunner.packageRoot.appendingPathComponent("plans")
            _ = try CLIRunner.runTool("/bin/cp", ["-R", plans.path, folder.path])
            farm = try PortalFarm(
                portals: portals, faults: faults, seed: seed,
                bindFrom: folder.appendingPathComponent("plans/acme.dealsync/1.1.0.json").path, sqlite: database, folder: folder,
                extra: generate, serve: serve)
            let config =
                try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("farm-config.json")))
                as? [String: Any]
            environment = [
                "B24_CLIENT_ID": config?["client_id"] as? String ?? "", "B24_CLIENT_SECRET": config?["client_secret"] as? String ?? "",
                "B24PLAN_DATABASE_URL": postgres ?? mysql?.url ?? ("sqlite:" + database.path),
            ]
            let appConfig = "{ \"oauth\": { \"tokenUrl\": \"\(farm.baseURL)/oauth/token/\" } }\n"
            try appConfig.write(to: folder.appendingPathComponent("b24plan.config.json"), atomically: true, encoding: .utf8)
            if let mysql {
                _ = try CLIRunner.run(["init", "--installations-table"], in: folder, environment: environment)
                let rows = try CLIRunner.sqliteRows(
                    database, "SELECT member_id, client_endpoint, access_token, refresh_token, expires_at FROM portals")
                let values = rows.map { row in
                    "('\(row["member_id"] ?? "")', '\(row["client_endpoint"] ?? "")', '\(row["access_token"] ?? "")', "
                        + "'\(row["refresh_token"] ?? "")', \(row["expires_at"] ?? 0))"
                }.joined(separator: ", ")
                let insert = try CLIRunner.runTool(
                    "/usr/bin/env",
                    mysql.client + [
                        "-e", "INSERT INTO portals (member_id, client_endpoint, access_token, refresh_token, expires_at) VALUES \(values)",
                    ])
                guard insert.code == 0 else { throw PortalFarm.FarmError(message: "mariadb: \(insert.stderr)") }
            }
            if let postgres {
                _ = try CLIRunner.run(["init", "--installations-table"], in: folder, environment: environment)
                let rows = try CLIRunner.sqliteRows(
                    database, "SELECT member_id, client_endpoint, access_token, refresh_token, expires_at FROM portals")
                let values = rows.map { row in
                    "('\(row["member_id"] ?? "")', '\(row["client_endpoint"] ?? "")', '\(row["access_token"] ?? "")', "
                        + "'\(row["refresh_token"] ?? "")', \(row["expires_at"] ?? 0))"
                }.joined(separator: ", ")
                let insert = try CLIRunner.runTool(
                    "/usr/bin/env",
                    [
                        "psql", postgres, "-q", "-v", "ON_ERROR_STOP=1", "-c",
                        "INSERT INTO portals (member_id, client_endpoint, access_token, refresh_token, expires_at) VALUES \(values)",
                    ])
                guard insert.code == 0 else { throw PortalFarm.FarmError(message: "psql: \(insert.stderr)") }
            }
            // Published 1.1.0, then 2.0.0 as a vendor gets there: apply runs the deploy and stops at the
            // partner-account gate; both gates are passed in order.
            for (command, expected) in [
                (["baseline", "plans/acme.dealsync/1.1.0.json"], Int32(0)), (["apply", "--yes", "plans/acme.dealsync/2.0.0.json"], 3),
                (["gate", "pass", "gate.partner", "plans/acme.dealsync/2.0.0.json"], 0),
                (["gate", "pass", "gate.moderation", "plans/acme.dealsync/2.0.0.json"], 0),
            ] {
                let output = try run(command)
                guard output.code == expected else {
                    throw PortalFarm.FarmError(message: "\(command): \(output.code) \(output.stdout)\(output.stderr)")
                }
            }
        }

        func run(_ arguments: [String]) throws -> CLIRunner.Output {
            try CLIRunner.run(arguments, in: folder, environment: environment)
        }

        /// `workers` processes of `apply --worker` started first, then the coordinating apply; all
        /// waited for. Returns the exit statuses.
        func shareRun(_ plan: String, workers count: Int) throws -> (coordinator: Int32, workers: [Int32]) {
            func start(_ arguments: [String]) throws -> Process {
                let process = Process()
                process.executableURL = CLIRunner.binary
                process.arguments = arguments
                process.currentDirectoryURL = folder
                process.environment = CLIRunner.childEnvironment(environment)
                process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
                process.standardError = FileHandle(forWritingAtPath: "/dev/null")
                try process.run()
                return process
            }
            let workers = try (0..<count).map { _ in try start(["apply", "--worker", "--parallel", "4", plan]) }
            let coordinator = try start(["apply", "--yes", "--parallel", "4", plan])
            for process in [coordinator] + workers { process.waitUntilExit() }
            return (coordinator.terminationStatus, workers.map(\.terminationStatus))
        }

        func states() throws -> [String: String] {
            let rows = try CLIRunner.sqliteRows(
                database, "SELECT member_id, state FROM b24plan_portal_tasks WHERE step_id = 'portals.reconcile'")
            return Dictionary(uniqueKeysWithValues: rows.map { ($0["member_id"] as? String ?? "", $0["state"] as? String ?? "") })
        }

        func faults() throws -> [String: [String]] {
            let config =
                try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("farm-config.json")))
                as? [String: Any]
            var faults: [String: [String]] = [:]
            for portal in config?["portals"] as? [[String: Any]] ?? [] {
                faults[portal["member_id"] as? String ?? ""] = portal["faults"] as? [String] ?? []
            }
            return faults
        }

        func close() {
            farm.stop()
            try? FileManager.default.removeItem(at: folder)
        }
    }

    /// The state a portal's faults imply (the strongest fault wins).
    static func expectedState(_ faults: [String]) -> Set<String> {
        let set = Set(faults)
        if !set.isDisjoint(with: ["deleted", "uninstalled"]) { return ["inactive"] }
        if set.contains("expired_token") && set.contains("dead_refresh") { return ["needs-reinstall"] }
        if !set.isDisjoint(with: ["not_installed", "missing_scope"]) { return ["needs-reinstall"] }
        if set.contains("flaky_5xx") { return ["done", "failed"] }
        return ["done"]
    }

    @Test("300 portals with every fault mode: each ends in the state its fault implies, paced, tokens rotated and stored")
    func applyWithEveryFault() throws {
        let setup = try Setup()
        defer { setup.close() }
        let apply = try setup.run(["apply", "--yes", "--format", "json", "plans/acme.dealsync/2.0.0.json"])
        let states = try setup.states()
        // needs-reinstall and inactive portals are reported, not failures: 3 only while some failed.
        #expect(
            apply.code == (states.values.contains("failed") ? 3 : 0), "\(apply.stdout)\n\(apply.stderr.suffix(2000))")
        let faults = try setup.faults()
        #expect(states.count == 300)
        for (member, portalFaults) in faults.sorted(by: { $0.key < $1.key }) {
            #expect(
                Self.expectedState(portalFaults).contains(states[member] ?? "none"),
                "\(member) \(portalFaults) → \(states[member] ?? "none")")
        }

        let stats = try setup.farm.stats()
        let maxBucket = (stats["max_bucket"] as? [String: Any] ?? [:]).compactMapValues { ($0 as? NSNumber)?.doubleValue }
        #expect(!maxBucket.isEmpty)
        for (member, level) in maxBucket {
            let allowed = (try setup.farm.portal(member)["license"] as? String ?? "").contains("ent") ? 250 : 50
            #expect(level <= Double(allowed), "\(member) reached bucket \(level)")
        }
        let limited = stats["query_limit_exceeded_by_portal"] as? [String: Int] ?? [:]
        for (member, count) in limited where count > 0 {
            #expect(faults[member]?.contains("rate_limited") == true, "\(member) got QUERY_LIMIT_EXCEEDED \(count) times without the fault")
        }

        // Rotated tokens are the stored ones; renamed portals' new endpoints are stored.
        for (member, portalFaults) in faults where portalFaults == ["expired_token"] || portalFaults == ["renamed"] {
            let farmPortal = try setup.farm.portal(member)
            let row = try #require(
                try CLIRunner.sqliteRows(
                    setup.database, "SELECT refresh_token, client_endpoint FROM portals WHERE member_id = '\(member)'"
                ).first)
            if portalFaults == ["expired_token"] {
                #expect(row["refresh_token"] as? String == farmPortal["refresh_token"] as? String, "\(member) stored a stale refresh token")
            } else {
                #expect(
                    (row["client_endpoint"] as? String)?.contains("renamed") == true, "\(member) endpoint \(row["client_endpoint"] ?? "")")
            }
        }

        // No token or secret in the output or the journal (the installations table holds tokens by design).
        let journalDump = try CLIRunner.runTool(
            "/usr/bin/env",
            ["sqlite3", setup.database.path, ".dump b24plan_runs b24plan_steps b24plan_portal_tasks b24plan_gates b24plan_locks"]
        ).stdout
        let config =
            try JSONSerialization.jsonObject(with: Data(contentsOf: setup.folder.appendingPathComponent("farm-config.json")))
            as? [String: Any]
        var secrets = [setup.environment["B24_CLIENT_SECRET"] ?? "unset"]
        for portal in config?["portals"] as? [[String: Any]] ?? [] {
            secrets += [portal["access_token"] as? String, portal["refresh_token"] as? String].compactMap { $0 }
        }
        let rotated = try CLIRunner.sqliteRows(setup.database, "SELECT access_token, refresh_token FROM portals")
        secrets += rotated.flatMap { [$0["access_token"] as? String, $0["refresh_token"] as? String].compactMap { $0 } }
        #expect(journalDump.contains("INSERT INTO b24plan_portal_tasks"))
        for secret in Set(secrets) where secret.count >= 8 {
            #expect(!journalDump.contains(secret), "a token or the client secret is in the journal")
            #expect(!apply.stdout.contains(secret) && !apply.stderr.contains(secret), "a token or the client secret was printed")
        }

        // Retrying failed portals (flaky ones that ran out of attempts) finishes them.
        if states.values.contains("failed") {
            _ = try setup.run(["apply", "--yes", "--retry", "failed", "plans/acme.dealsync/2.0.0.json"])
            #expect(!(try setup.states()).values.contains("failed"))
        }

        // A second apply touches no portal that is done: zero writes.
        _ = try setup.farm.control("/_farm/reset-stats", post: [:])
        let again = try setup.run(["apply", "--yes", "plans/acme.dealsync/2.0.0.json"])
        #expect(again.code == 0, "no portal failed or pending: \(again.stdout)")
        #expect(try setup.farm.stats()["writes_total"] as? Int == 0)

        // status --missing-scopes lists the portals lacking `task`.
        let status = try CLIRunner.json(
            try setup.run(["status", "--missing-scopes", "--format", "json", "plans/acme.dealsync/2.0.0.json"]))
        let missing = (status["missingScopes"] as? [String: [String]])?["task"] ?? []
        let lacking = faults.filter {
            $0.value.contains("missing_scope") && Self.expectedState($0.value) == ["needs-reinstall"] && !$0.value.contains("not_installed")
                && !$0.value.contains("expired_token")
        }.keys
        #expect(Set(lacking).isSubset(of: Set(missing)), "missing: \(missing.sorted())")
        #expect((status["portals"] as? [String: Int])?["needs-reinstall"] ?? 0 > 0)
    }

    @Test("drift finds a manual unbind, and only there; reconcile --member-id repairs it")
    func drift() throws {
        let setup = try Setup(portals: 20, faults: "")
        defer { setup.close() }
        let apply = try setup.run(["apply", "--yes", "plans/acme.dealsync/2.0.0.json"])
        #expect(apply.code == 0, "\(apply.stdout)\(apply.stderr)")
        #expect(try setup.run(["drift", "plans/acme.dealsync/2.0.0.json"]).code == 0)
        _ = try setup.farm.control(
            "/_farm/portal/m00007/unbind", post: ["placement": "TASK_VIEW_TAB", "handler": "https://app.acme.example/placements/task-tab"])
        let drift = try setup.run(["drift", "--format", "json", "plans/acme.dealsync/2.0.0.json"])
        #expect(drift.code == 2)
        let document = try CLIRunner.json(drift)
        let drifted = document["drifted"] as? [[String: Any]] ?? []
        #expect(drifted.map { $0["memberId"] as? String } == ["m00007"])
        let repair = try setup.run(["reconcile", "--member-id", "m00007", "plans/acme.dealsync/2.0.0.json"])
        #expect(repair.code == 0, "\(repair.stdout)\(repair.stderr)")
        #expect(try setup.run(["drift", "plans/acme.dealsync/2.0.0.json"]).code == 0)
    }

    @Test("a second reconcile of a current portal makes zero writes, the release notice included")
    func noticeWrittenOnce() throws {
        let setup = try Setup(portals: 20, faults: "")
        defer { setup.close() }
        let apply = try setup.run(["apply", "--yes", "plans/acme.dealsync/2.0.0.json"])
        #expect(apply.code == 0, "\(apply.stdout)\(apply.stderr)")
        let first = (try setup.farm.stats()["writes_by_method"] as? [String: Int]) ?? [:]
        #expect(first["app.option.set"] == 20, "\(first)")
        _ = try setup.farm.control("/_farm/reset-stats", post: [:])
        for member in ["m00004", "m00011"] {
            let repair = try setup.run(["reconcile", "--member-id", member, "plans/acme.dealsync/2.0.0.json"])
            #expect(repair.code == 0, "\(repair.stdout)\(repair.stderr)")
        }
        let stats = try setup.farm.stats()
        #expect((stats["writes_by_method"] as? [String: Int]) == [:], "\(stats["writes_by_method"] ?? "")")
        #expect((stats["methods"] as? [String: Int])?["app.option.get"] == 2, "the notice was read on both portals")
    }

    @Test(
        "bulk repair: drift names the command, reconcile --member-id A,B and --all repair hand-made drift in a repair run; again, zero writes"
    )
    func bulkRepair() throws {
        let setup = try Setup(portals: 20, faults: "")
        defer { setup.close() }
        let plan = "plans/acme.dealsync/2.0.0.json"
        #expect(try setup.run(["apply", "--yes", plan]).code == 0)
        let tab = ["placement": "TASK_VIEW_TAB", "handler": "https://app.acme.example/placements/task-tab"]
        for member in ["m00003", "m00009"] { _ = try setup.farm.control("/_farm/portal/\(member)/unbind", post: tab) }
        let drift = try setup.run(["drift", "--format", "json", plan])
        #expect(drift.code == 2)
        let command = try CLIRunner.json(drift)["repair"] as? String
        #expect(command == "b24plan reconcile \(plan) --member-id m00003,m00009")
        let text = try setup.run(["drift", plan])
        #expect(text.stdout.contains("repair with: b24plan reconcile \(plan) --member-id m00003,m00009"), "\(text.stdout)")

        let repair = try setup.run(["reconcile", plan, "--member-id", "m00003,m00009", "--format", "json"])
        #expect(repair.code == 0, "\(repair.stdout)\(repair.stderr)")
        let document = try CLIRunner.json(repair)
        #expect(document["run"] as? String == "2.0.0+repair.1")
        #expect(document["states"] as? [String: Int] == ["done": 2])
        #expect(try setup.run(["drift", plan]).code == 0)

        // Drift on every portal, then --all: each repaired, in the next repair run.
        for index in 1...20 { _ = try setup.farm.control("/_farm/portal/\(String(format: "m%05d", index))/unbind", post: tab) }
        _ = try setup.farm.control("/_farm/reset-stats", post: [:])
        let all = try setup.run(["reconcile", plan, "--all"])
        #expect(all.code == 0, "\(all.stdout)\(all.stderr)")
        #expect(all.stdout.contains("repair 2.0.0+repair.2"), "\(all.stdout)")
        #expect((try setup.farm.stats()["writes_by_method"] as? [String: Int]) == ["placement.bind": 20])
        _ = try setup.farm.control("/_farm/reset-stats", post: [:])
        #expect(try setup.run(["reconcile", plan, "--where", "member_id <> 'm00001'"]).code == 0)
        #expect((try setup.farm.stats()["writes_by_method"] as? [String: Int]) == [:], "a repair of current portals writes nothing")
        let runs = try CLIRunner.sqliteRows(
            setup.database, "SELECT version, kind, state FROM b24plan_runs WHERE kind = 'repair' ORDER BY id")
        #expect(
            runs.map { "\($0["version"] ?? "") \($0["state"] ?? "")" } == [
                "2.0.0+repair.1 done", "2.0.0+repair.2 done", "2.0.0+repair.3 done",
            ])
        #expect(try setup.run(["reconcile", plan]).code == 64, "a selection is required")
        #expect(try setup.run(["reconcile", plan, "--all", "--member-id", "m00001"]).code == 64, "only one selection")
    }

    /// Placements and events of every portal, as the farm holds them (comparable across farms).
    static func bindings(_ setup: Setup, portals: Int) throws -> [String] {
        try (1...portals).map { index in
            let member = String(format: "m%05d", index)
            let portal = try setup.farm.portal(member)
            let placements = try JSONSerialization.data(withJSONObject: portal["placements"] ?? [], options: [.sortedKeys])
            let events = try JSONSerialization.data(withJSONObject: portal["events"] ?? [], options: [.sortedKeys])
            return member + " " + String(decoding: placements, as: UTF8.self) + " " + String(decoding: events, as: UTF8.self)
        }
    }

    @Test("SIGKILL in the middle of the rollout, then apply again: the farm ends as after an uninterrupted run, with no write sent twice")
    func killAndResume() throws {
        let portals = 60
        let uninterrupted = try Setup(portals: portals, faults: "slow=\(portals)")
        defer { uninterrupted.close() }
        #expect(try uninterrupted.run(["apply", "--yes", "--parallel", "4", "plans/acme.dealsync/2.0.0.json"]).code == 0)

        let killed = try Setup(portals: portals, faults: "slow=\(portals)")
        defer { killed.close() }
        let process = Process()
        process.executableURL = CLIRunner.binary
        process.arguments = ["apply", "--yes", "--parallel", "4", "plans/acme.dealsync/2.0.0.json"]
        process.currentDirectoryURL = killed.folder
        process.environment = CLIRunner.childEnvironment(killed.environment)
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        var recorded = 0
        while Date() < deadline && process.isRunning {
            recorded =
                (try? CLIRunner.sqliteRows(
                    killed.database, "SELECT COUNT(*) AS n FROM b24plan_portal_tasks WHERE step_id = 'portals.reconcile'"))?.first?["n"]
                as? Int ?? 0
            if recorded >= 10 { break }
            usleep(50_000)
        }
        #expect(process.isRunning, "apply finished before it could be killed")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(recorded >= 10 && recorded < portals, "killed after \(recorded) portals")

        let resumed = try killed.run(["apply", "--yes", "--parallel", "4", "plans/acme.dealsync/2.0.0.json"])
        #expect(resumed.code == 0, "\(resumed.stdout)\(resumed.stderr)")
        #expect(try killed.states().values.allSatisfy { $0 == "done" })
        #expect(try Self.bindings(killed, portals: portals) == Self.bindings(uninterrupted, portals: portals))
        // No write batch was sent twice: outcomes reported done were committed, and a portal whose
        // outcome was still in its group when killed is reconciled again, which writes nothing.
        let writes = { (setup: Setup) in (try setup.farm.stats()["writes_by_method"] as? [String: Int]) ?? [:] }
        #expect(try writes(killed) == writes(uninterrupted))
    }

    /// A fresh PostgreSQL database for one test (the cluster of scripts/test), or nil when none runs.
    static func postgresDatabase(_ name: String) throws -> String? {
        guard let base = ProcessInfo.processInfo.environment["B24PLAN_TEST_POSTGRES_URL"], !base.isEmpty else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { Issue.record("B24PLAN_TEST_POSTGRES_URL is not set") }
            return nil
        }
        let database = "\(name)_\(getpid())_\(Int.random(in: 0..<1_000_000))"
        let create = try CLIRunner.runTool("/usr/bin/env", ["psql", base, "-q", "-c", "CREATE DATABASE \(database)"])
        guard create.code == 0 else { throw PortalFarm.FarmError(message: "psql: \(create.stderr)") }
        guard let slash = base.lastIndex(of: "/") else { return nil }
        return String(base[..<slash]) + "/" + database
    }

    @Test("apply --worker on PostgreSQL: a coordinator and two workers share one run; every portal is done once")
    func workersShareARun() throws {
        guard let postgres = try Self.postgresDatabase("fleet_workers") else { return }
        let portals = 60
        let setup = try Setup(portals: portals, faults: "slow=\(portals)", postgres: postgres)
        defer { setup.close() }
        let (coordinator, workers) = try setup.shareRun("plans/acme.dealsync/2.0.0.json", workers: 2)
        #expect(coordinator == 0)
        #expect(workers.allSatisfy { $0 == 0 })
        let owners = try CLIRunner.runTool(
            "/usr/bin/env",
            [
                "psql", postgres, "-At", "-c",
                "SELECT COUNT(DISTINCT lease_owner) || ' ' || COUNT(*) || ' ' || SUM(CASE WHEN state = 'done' THEN 1 ELSE 0 END) || ' ' || MAX(attempts) FROM b24plan_portal_tasks WHERE step_id = 'portals.reconcile'",
            ])
        let figures = owners.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ").compactMap { Int($0) }
        #expect(figures.count == 4)
        #expect(figures.first ?? 0 >= 2, "the work was not shared: \(owners.stdout)")
        #expect(Array(figures.dropFirst()) == [portals, portals, 1], "tasks, done, most attempts: \(owners.stdout)")
        let writes = try setup.farm.stats()["writes_total"] as? Int
        #expect(writes == 2 * portals, "each portal written once: the bind and the release notice")
    }
}

/// The shared run on MySQL/MariaDB (`B24PLAN_TEST_MYSQL_URL`, started by scripts/test).
extension FleetTests {
    /// A fresh MySQL database for one test and a `mariadb` command line for it, or nil when no
    /// server runs (under CI=true that is a failure).
    static func mysqlDatabase(_ name: String) throws -> (url: String, client: [String])? {
        guard let base = ProcessInfo.processInfo.environment["B24PLAN_TEST_MYSQL_URL"], !base.isEmpty,
            let schemeEnd = base.range(of: "://"), let at = base.lastIndex(of: "@")
        else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { Issue.record("B24PLAN_TEST_MYSQL_URL is not set") }
            return nil
        }
        // mysql://USER:PASSWORD@HOST:PORT/DATABASE, the user info ending at the last `@`.
        let userInfo = base[schemeEnd.upperBound..<at]
        let user = String(userInfo.prefix { $0 != ":" })
        let password = String(userInfo.dropFirst(user.count + 1)).removingPercentEncoding ?? ""
        let rest = base[base.index(after: at)...]
        let hostPort = rest.prefix { $0 != "/" }
        let host = String(hostPort.prefix { $0 != ":" })
        let port = String(hostPort.dropFirst(host.count + 1))
        let client = ["mariadb", "-h", host, "-P", port.isEmpty ? "3306" : port, "-u", user, "-p\(password)", "-N", "-B"]
        let database = "\(name)_\(getpid())_\(Int.random(in: 0..<1_000_000))"
        let create = try CLIRunner.runTool("/usr/bin/env", client + ["-e", "CREATE DATABASE \(database) CHARACTER SET utf8mb4"])
        guard create.code == 0 else { throw PortalFarm.FarmError(message: "mariadb: \(create.stderr)") }
        return (String(base[..<base.index(after: at)]) + hostPort + "/" + database, client + [database])
    }

    @Test("apply --worker on MySQL/MariaDB: a coordinator and two workers share one run; every portal is done once")
    func workersShareARunOnMySQL() throws {
        guard let (url, client) = try Self.mysqlDatabase("fleet_workers") else { return }
        let portals = 60
        let setup = try Setup(portals: portals, faults: "slow=\(portals)", mysql: (url, client))
        defer { setup.close() }
        let (coordinator, workers) = try setup.shareRun("plans/acme.dealsync/2.0.0.json", workers: 2)
        #expect(coordinator == 0)
        #expect(workers.allSatisfy { $0 == 0 })
        let figures = try CLIRunner.runTool(
            "/usr/bin/env",
            client + [
                "-e",
                "SELECT COUNT(DISTINCT lease_owner), COUNT(*), SUM(state = 'done'), MAX(attempts) FROM b24plan_portal_tasks WHERE step_id = 'portals.reconcile'",
            ]
        ).stdout.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        #expect(figures.count == 4)
        #expect(figures.first ?? 0 >= 2, "the work was not shared: \(figures)")
        #expect(Array(figures.dropFirst()) == [portals, portals, 1], "tasks, done, most attempts: \(figures)")
        let writes = try setup.farm.stats()["writes_total"] as? Int
        #expect(writes == 2 * portals, "each portal written once: the bind and the release notice")
    }
}

extension FleetTests {
    @Test("MySQL/MariaDB: a wrong secret marks nothing; the right one refreshes every expired token and stores exactly the farm's")
    func tokensOnMySQL() throws {
        guard let (url, client) = try Self.mysqlDatabase("fleet_tokens") else { return }
        let portals = 40
        let setup = try Setup(portals: portals, faults: "expired_token=\(portals)", mysql: (url, client))
        defer { setup.close() }
        func tokens() throws -> [String: String] {
            let output = try CLIRunner.runTool("/usr/bin/env", client + ["-e", "SELECT member_id, refresh_token FROM portals"])
            var rows: [String: String] = [:]
            for line in output.stdout.split(separator: "\n") {
                let fields = line.split(separator: "\t").map(String.init)
                if fields.count == 2 { rows[fields[0]] = fields[1] }
            }
            return rows
        }
        let before = try tokens()
        var wrong = setup.environment
        wrong["B24_CLIENT_SECRET"] = "not-the-secret"
        let refused = try CLIRunner.run(["apply", "--yes", "plans/acme.dealsync/2.0.0.json"], in: setup.folder, environment: wrong)
        #expect(refused.code == 1, "\(refused.stdout)\(refused.stderr)")
        #expect(try tokens() == before)
        let marked = try CLIRunner.runTool("/usr/bin/env", client + ["-e", "SELECT COUNT(*) FROM portals WHERE active = 0"])
        #expect(marked.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0")

        let apply = try setup.run(["apply", "--yes", "plans/acme.dealsync/2.0.0.json"])
        #expect(apply.code == 0, "\(apply.stdout.suffix(1500))\(apply.stderr.suffix(1500))")
        let farm = try setup.farm.control("/_farm/tokens")
        let stored = try tokens()
        #expect(stored.count == portals)
        for (member, token) in stored {
            #expect((farm[member] as? [String: Any])?["refresh_token"] as? String == token, "\(member) holds the farm's current token")
        }
    }
}

extension FleetTests {
    @Test("the MySQL sample plans migrate on MariaDB; a plan that names mysql is refused on SQLite (64), creating nothing")
    func mysqlSamplePlans() throws {
        guard let (url, client) = try Self.mysqlDatabase("sample_mysql") else { return }
        let folder = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try CLIRunner.runTool("/bin/cp", ["-R", CLIRunner.packageRoot.appendingPathComponent("plans").path, folder.path])
        let migrate = try CLIRunner.run(["migrate", "plans/acme.dealsync-mysql/2.0.1.json", "--database", url], in: folder)
        #expect(migrate.code == 0, "\(migrate.stdout)\(migrate.stderr)")
        let applied = try CLIRunner.runTool(
            "/usr/bin/env", client + ["-e", "SELECT version, dirty FROM schema_migrations ORDER BY version"])
        #expect(applied.stdout.split(separator: "\n").map { $0.split(separator: "\t").joined(separator: " ") } == ["1 0", "2 0", "3 0"])
        let columns = try CLIRunner.runTool("/usr/bin/env", client + ["-e", "SHOW COLUMNS FROM deal_links LIKE 'status'"])
        #expect(columns.stdout.contains("status"))

        let wrong = try CLIRunner.run(
            ["migrate", "plans/acme.dealsync-mysql/2.0.1.json", "--database", "sqlite:" + folder.appendingPathComponent("x.db").path],
            in: folder)
        #expect(wrong.code == 64, "\(wrong.stderr)")
        #expect(wrong.stderr.contains("\"database\": \"mysql\""), "\(wrong.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("x.db").path))
    }
}

extension FleetTests {
    @Test("MySQL/MariaDB: 300 portals with every fault mode end in the states their faults imply")
    func everyFaultOnMySQL() throws {
        guard let (url, client) = try Self.mysqlDatabase("fleet_faults") else { return }
        let setup = try Setup(mysql: (url, client))
        defer { setup.close() }
        let apply = try setup.run(["apply", "--yes", "--format", "json", "plans/acme.dealsync/2.0.0.json"])
        let output = try CLIRunner.runTool(
            "/usr/bin/env", client + ["-e", "SELECT member_id, state FROM b24plan_portal_tasks WHERE step_id = 'portals.reconcile'"])
        var states: [String: String] = [:]
        for line in output.stdout.split(separator: "\n") {
            let fields = line.split(separator: "\t").map(String.init)
            if fields.count == 2 { states[fields[0]] = fields[1] }
        }
        #expect(states.count == 300)
        // needs-reinstall and inactive portals are reported, not failures: 3 only while some failed.
        #expect(
            apply.code == (states.values.contains("failed") ? 3 : 0), "\(apply.stdout.suffix(1000))\n\(apply.stderr.suffix(2000))")
        for (member, faults) in try setup.faults().sorted(by: { $0.key < $1.key }) {
            #expect(Self.expectedState(faults).contains(states[member] ?? "none"), "\(member) \(faults) → \(states[member] ?? "none")")
        }
    }
}
