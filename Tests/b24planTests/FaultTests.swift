import Foundation
import Testing

/// The faults a real vendor meets (issue 8), each asserted on the farm's and the database's
/// state: a wrong secret or token URL marks nothing, a dead network or store stops the run
/// promptly and resumably, a signal records every state, drift stays read-only.
@Suite("fault safety against the fake farm", .serialized)
struct FaultTests {
    typealias Setup = FleetTests.Setup
    static let plan = "plans/acme.dealsync/2.0.0.json"

    /// Rows of the installations table with `active = 0`, and rows whose refresh token changed.
    static func marked(_ setup: Setup) throws -> Int {
        try CLIRunner.sqliteRows(setup.database, "SELECT COUNT(*) AS n FROM portals WHERE active = 0").first?["n"] as? Int ?? -1
    }

    static func tokens(_ setup: Setup) throws -> [String: String] {
        let rows = try CLIRunner.sqliteRows(setup.database, "SELECT member_id, refresh_token FROM portals")
        return Dictionary(uniqueKeysWithValues: rows.map { ($0["member_id"] as? String ?? "", $0["refresh_token"] as? String ?? "") })
    }

    /// Portal states of the reconcile step other than done/pending (what a fault must not leave).
    static func markedStates(_ setup: Setup) throws -> [String: String] {
        try setup.states().filter { $0.value != "done" && $0.value != "pending" }
    }

    @Test("a wrong B24_CLIENT_SECRET: exit 1 naming the secret, no portal marked, no token touched; the right one then completes")
    func wrongSecret() throws {
        let setup = try Setup(portals: 300, faults: "expired_token=100")
        defer { setup.close() }
        let before = try Self.tokens(setup)
        var environment = setup.environment
        environment["B24_CLIENT_SECRET"] = "not-the-secret"
        let apply = try CLIRunner.run(["apply", "--yes", Self.plan], in: setup.folder, environment: environment)
        #expect(apply.code == 1, "\(apply.stdout)\(apply.stderr)")
        #expect((apply.stdout + apply.stderr).contains("B24_CLIENT_SECRET"))
        #expect(!(apply.stdout + apply.stderr).contains("not-the-secret"))
        #expect(try Self.marked(setup) == 0)
        let marked = try Self.markedStates(setup)
        #expect(marked.isEmpty, "\(marked)")
        #expect(try Self.tokens(setup) == before)

        let fixed = try setup.run(["apply", "--yes", Self.plan])
        #expect(fixed.code == 0, "\(fixed.stdout)\(fixed.stderr)")
        #expect(try setup.states().count == 300)
        #expect(try setup.states().values.allSatisfy { $0 == "done" })
    }

    @Test("a token URL that answers 404: exit 1 naming oauth.tokenUrl, no portal marked")
    func tokenURLNotFound() throws {
        let setup = try Setup(portals: 120, faults: "expired_token=40")
        defer { setup.close() }
        let config = "{ \"oauth\": { \"tokenUrl\": \"\(setup.farm.baseURL)/oauth/tokne/\" } }\n"
        try config.write(to: setup.folder.appendingPathComponent("b24plan.config.json"), atomically: true, encoding: .utf8)
        let apply = try setup.run(["apply", "--yes", Self.plan])
        #expect(apply.code == 1, "\(apply.stdout)\(apply.stderr)")
        #expect((apply.stdout + apply.stderr).contains("oauth.tokenUrl"))
        #expect(try Self.marked(setup) == 0)
        #expect(try Self.markedStates(setup).isEmpty)
    }

    @Test("drift with the farm down: exit 1, nothing marked, never '0 portals differ'")
    func driftWithEveryPortalUnreachable() throws {
        let setup = try Setup(portals: 60, faults: "deleted=3")
        defer { setup.close() }
        setup.farm.stop()
        let drift = try setup.run(["drift", Self.plan])
        #expect(drift.code == 1, "\(drift.stdout)\(drift.stderr)")
        #expect(!drift.stdout.contains("0 of 60"))
        #expect(try Self.marked(setup) == 0)
    }

    @Test("drift is read-only: deleted portals are reported, never marked inactive; renamed portals' addresses are not stored")
    func driftMarksNothing() throws {
        let setup = try Setup(portals: 40, faults: "deleted=3,renamed=3,uninstalled=2")
        defer { setup.close() }
        let endpoints = try CLIRunner.sqliteRows(setup.database, "SELECT member_id, client_endpoint FROM portals ORDER BY member_id")
        let drift = try setup.run(["drift", "--format", "json", Self.plan])
        #expect(drift.code == 2, "\(drift.stdout)\(drift.stderr)")
        #expect(try Self.marked(setup) == 0)
        let after = try CLIRunner.sqliteRows(setup.database, "SELECT member_id, client_endpoint FROM portals ORDER BY member_id")
        #expect(after.map { $0["client_endpoint"] as? String } == endpoints.map { $0["client_endpoint"] as? String })
        #expect(!FileManager.default.fileExists(atPath: setup.folder.appendingPathComponent(".b24plan").path))
    }

    /// Starts `b24plan arguments…` in the setup's folder and returns the running process.
    static func start(_ setup: Setup, _ arguments: [String], environment extra: [String: String] = [:]) throws -> (Process, URL) {
        let process = Process()
        process.executableURL = CLIRunner.binary
        process.arguments = arguments
        process.currentDirectoryURL = setup.folder
        process.environment = CLIRunner.childEnvironment(setup.environment)
            .merging(extra) { _, new in new }
        let log = setup.folder.appendingPathComponent("apply-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, log)
    }

    /// Waits until at least `count` portals are recorded for the reconcile step (or the process ends).
    static func waitForRecorded(_ setup: Setup, _ process: Process, atLeast count: Int) -> Int {
        let deadline = Date().addingTimeInterval(60)
        var recorded = 0
        while Date() < deadline && process.isRunning {
            recorded =
                (try? CLIRunner.sqliteRows(
                    setup.database, "SELECT COUNT(*) AS n FROM b24plan_portal_tasks WHERE step_id = 'portals.reconcile'"))?.first?["n"]
                as? Int ?? 0
            if recorded >= count { break }
            usleep(20_000)
        }
        return recorded
    }

    /// Waits for `process` to end, at most `seconds`; SIGKILL after that (and says so).
    static func wait(_ process: Process, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        guard !process.isRunning else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return false
        }
        process.waitUntilExit()
        return true
    }

    @Test("SIGINT during the reconcile: exit 130 within seconds, states recorded, the next apply completes with nothing bound twice")
    func sigintDuringReconcile() throws {
        let portals = 60
        let setup = try Setup(portals: portals, faults: "slow=\(portals)")
        defer { setup.close() }
        let (process, log) = try Self.start(setup, ["apply", "--yes", "--parallel", "4", Self.plan])
        let recorded = Self.waitForRecorded(setup, process, atLeast: 8)
        #expect(process.isRunning, "apply finished before the signal")
        kill(process.processIdentifier, SIGINT)
        #expect(Self.wait(process, seconds: 15), "apply did not stop within 15 s of SIGINT")
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 130, "\(output)")
        #expect(output.contains("interrupted"), "\(output)")
        let states = try setup.states()
        #expect(states.count >= recorded && states.count < portals)
        #expect(states.values.allSatisfy { $0 == "done" }, "\(states)")

        let resumed = try setup.run(["apply", "--yes", "--parallel", "4", Self.plan])
        #expect(resumed.code == 0, "\(resumed.stdout)\(resumed.stderr)")
        #expect(try setup.states().values.allSatisfy { $0 == "done" })
        #expect(try setup.states().count == portals)
        let writes = try setup.farm.stats()["writes_total"] as? Int
        #expect(writes == 2 * portals, "each portal written once: the bind and the release notice")
    }

    @Test("the SQLite store's disk fills up during the reconcile: exit 1 within seconds; freed, the next apply completes")
    func diskFull() throws {
        let portals = 200
        let setup = try Setup(portals: portals, faults: "slow=\(portals)")
        defer { setup.close() }
        // The state store moves onto a small tmpfs, and a filler leaves it almost no room.
        let mount = setup.folder.appendingPathComponent("disk")
        try FileManager.default.createDirectory(at: mount, withIntermediateDirectories: true)
        let mounted = try CLIRunner.runTool("/bin/mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", mount.path])
        guard mounted.code == 0 else {
            Issue.record("cannot mount a tmpfs here (\(mounted.stderr)); the disk-full case needs root")
            return
        }
        defer { _ = try? CLIRunner.runTool("/bin/umount", ["-l", mount.path]) }
        let store = mount.appendingPathComponent("state.db")
        _ = try CLIRunner.runTool("/usr/bin/env", ["sqlite3", setup.database.path, "PRAGMA wal_checkpoint(TRUNCATE);"])
        _ = try CLIRunner.runTool("/bin/cp", [setup.database.path, store.path])
        let filler = mount.appendingPathComponent("filler")
        let used = (try FileManager.default.attributesOfItem(atPath: store.path)[.size] as? Int) ?? 0
        let room = 4 * 1024 * 1024 - used - 96 * 1024
        _ = try CLIRunner.runTool("/usr/bin/env", ["dd", "if=/dev/zero", "of=\(filler.path)", "bs=1024", "count=\(room / 1024)"])
        let environment = ["B24PLAN_DATABASE_URL": "sqlite:" + store.path]
        let (process, log) = try Self.start(setup, ["apply", "--yes", "--parallel", "8", Self.plan], environment: environment)
        #expect(Self.wait(process, seconds: 60), "apply hung on a full disk")
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 1, "\(output.suffix(3000))")
        #expect(output.contains("state store") || output.contains("full"), "\(output.suffix(3000))")

        try FileManager.default.removeItem(at: filler)
        let resumed = try CLIRunner.run(
            ["apply", "--yes", "--parallel", "8", Self.plan], in: setup.folder,
            environment: setup.environment.merging(environment) { _, new in new })
        #expect(resumed.code == 0, "\(resumed.stdout)\(resumed.stderr.suffix(3000))")
        let states = try CLIRunner.sqliteRows(
            store, "SELECT COUNT(*) AS n FROM b24plan_portal_tasks WHERE step_id = 'portals.reconcile' AND state = 'done'")
        #expect(states.first?["n"] as? Int == portals)
        let writes = try setup.farm.stats()["writes_total"] as? Int ?? 0
        #expect(writes <= 2 * portals + 16, "at most the portals in flight at the failure were written twice: \(writes)")
    }
}
