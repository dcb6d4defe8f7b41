import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Portals that give no answer against the real farm (DESIGN §7: only DNS/network failure on most
/// portals stops the step; README: exit 3 for failed portals): a few dead ones among healthy ones
/// end failed with their reason, run after run; a network that is down (the farm and its token URL
/// gone, from the start or mid-run) stops the step with exit 1 and marks nothing.
@Suite("dead portals and a dead network against the farm", .serialized)
struct DeadPortalTests {
    typealias Setup = FleetTests.Setup
    static let plan = "plans/acme.dealsync/2.0.0.json"

    /// A TCP port on 127.0.0.1: listening without ever answering (`silent`), or closed (refused).
    final class LocalPort {
        let fd: Int32
        let port: Int

        init(silent: Bool) throws {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                    bind(fd, socketAddress, length) == 0 && getsockname(fd, socketAddress, &length) == 0
                }
            }
            guard fd >= 0, bound, !silent || listen(fd, 64) == 0 else { throw PortalFarm.FarmError(message: "no local port") }
            port = Int(UInt16(bigEndian: address.sin_port))
            if !silent { _ = Glibc.close(fd) }
            self.fd = fd
        }

        func close() { _ = Glibc.close(fd) }
    }

    /// Adds installations that never answer, after the farm's own (member ids sort last).
    static func addDead(_ setup: Setup, _ endpoints: [String: String]) throws {
        let values = endpoints.sorted { $0.key < $1.key }.map { member, endpoint in
            "('\(member)', 'dead.test', '\(endpoint)', 'access-\(member)', 'refresh-\(member)', 4102444800, 1)"
        }
        let insert = try CLIRunner.runTool(
            "/usr/bin/env",
            [
                "sqlite3", setup.database.path,
                "INSERT INTO portals (member_id, domain, client_endpoint, access_token, refresh_token, expires_at, active) VALUES "
                    + values.joined(separator: ", "),
            ])
        guard insert.code == 0 else { throw PortalFarm.FarmError(message: "sqlite3: \(insert.stderr)") }
    }

    static func failures(_ setup: Setup) throws -> [String: String] {
        let rows = try CLIRunner.sqliteRows(
            setup.database,
            "SELECT member_id, last_error FROM b24plan_portal_tasks WHERE step_id = 'portals.reconcile' AND state = 'failed'")
        return Dictionary(uniqueKeysWithValues: rows.map { ($0["member_id"] as? String ?? "", $0["last_error"] as? String ?? "") })
    }

    @Test("six dead portals (refused, silent, unresolvable) after 40: the rest done, the dead failed with reasons, exit 3 twice")
    func deadPortalsAmongHealthy() throws {
        let setup = try Setup(portals: 40, faults: "")
        defer { setup.close() }
        let silent = try LocalPort(silent: true)
        defer { silent.close() }
        let refused = try LocalPort(silent: false)
        try Self.addDead(
            setup,
            [
                "zz-refused-1": "http://127.0.0.1:\(refused.port)/rest/", "zz-refused-2": "http://127.0.0.1:\(refused.port)/rest/",
                "zz-silent-1": "http://127.0.0.1:\(silent.port)/rest/", "zz-silent-2": "http://127.0.0.1:\(silent.port)/rest/",
                "zz-unresolvable-1": "https://portal-1.gone.invalid/rest/", "zz-unresolvable-2": "https://portal-2.gone.invalid/rest/",
            ])
        for attempt in 1...2 {
            let apply = try setup.run(["apply", "--yes", "--request-timeout", "1", Self.plan])
            let output = apply.stdout + apply.stderr
            #expect(apply.code == 3, "apply #\(attempt): \(output.suffix(3000))")
            #expect(!output.contains("check the network"), "apply #\(attempt): \(output.suffix(3000))")
            #expect(output.contains("6 portals failed"), "apply #\(attempt): \(output.suffix(3000))")
            let states = try setup.states()
            #expect(states.filter { $0.value == "done" }.count == 40, "apply #\(attempt): \(states)")
            let failed = try Self.failures(setup)
            #expect(failed.keys.sorted() == states.keys.filter { $0.hasPrefix("zz-") }.sorted(), "apply #\(attempt): \(states)")
            #expect(failed.count == 6)
            for (member, reason) in failed {
                let expected =
                    member.contains("silent")
                    ? "no answer within 1 s" : member.contains("unresolvable") ? "resolve" : "connect"
                #expect(reason.contains(expected), "\(member): \(reason)")
            }
        }
        #expect(try FaultTests.marked(setup) == 0)
    }

    @Test("the farm and its token URL unreachable: exit 1 naming the network, nothing marked")
    func networkDown() throws {
        let setup = try Setup(portals: 30, faults: "")
        defer { setup.close() }
        setup.farm.stop()
        let apply = try setup.run(["apply", "--yes", Self.plan])
        let output = apply.stdout + apply.stderr
        #expect(apply.code == 1, "\(output.suffix(3000))")
        #expect(output.contains("check the network and DNS of this machine; nothing was marked"), "\(output.suffix(3000))")
        #expect(output.contains("neither did http://127.0.0.1:\(setup.farm.port)/oauth/token/"), "\(output.suffix(3000))")
        #expect(try setup.states().isEmpty)
        #expect(try FaultTests.marked(setup) == 0)
    }

    @Test("the network goes away mid-run (the farm killed): exit 1, the portals done before stay done, none marked failed")
    func networkDiesMidRun() throws {
        let portals = 200
        let setup = try Setup(portals: portals, faults: "slow=\(portals)")
        defer { setup.close() }
        let (process, log) = try FaultTests.start(setup, ["apply", "--yes", "--parallel", "4", Self.plan])
        let recorded = FaultTests.waitForRecorded(setup, process, atLeast: 8)
        #expect(process.isRunning, "apply finished before the farm went away")
        setup.farm.stop()
        #expect(FaultTests.wait(process, seconds: 60), "apply did not stop within 60 s of the network going away")
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 1, "\(output.suffix(3000))")
        #expect(output.contains("check the network and DNS"), "\(output.suffix(3000))")
        let states = try setup.states()
        #expect(states.count >= recorded && states.count < portals)
        #expect(states.values.allSatisfy { $0 == "done" }, "\(states)")
        #expect(try FaultTests.marked(setup) == 0)
    }

    @Test("reconcile --member-id of one portal that does not answer: exit 3, failed with the reason; with the network down, exit 1")
    func reconcileOneDeadPortal() throws {
        let setup = try Setup(portals: 5, faults: "")
        defer { setup.close() }
        let published = try setup.run(["apply", "--yes", Self.plan])
        #expect(published.code == 0, "\(published.stdout)\(published.stderr)")
        let refused = try LocalPort(silent: false)
        try Self.addDead(setup, ["zz-refused": "http://127.0.0.1:\(refused.port)/rest/"])
        let reconcile = try setup.run(["reconcile", "--member-id", "zz-refused", Self.plan])
        #expect(reconcile.code == 3, "\(reconcile.stdout)\(reconcile.stderr)")
        #expect(reconcile.stdout.contains("zz-refused: failed"), "\(reconcile.stdout)")

        setup.farm.stop()
        let down = try setup.run(["reconcile", "--member-id", "zz-refused", Self.plan])
        #expect(down.code == 1, "\(down.stdout)\(down.stderr)")
        #expect((down.stdout + down.stderr).contains("check the network and DNS"), "\(down.stdout)\(down.stderr)")
    }

    /// b24plan under `ulimit -n` (soft and hard, or `-Sn`: soft only).
    static func limited(_ limit: String) -> [String] { ["/bin/bash", "-c", "ulimit \(limit) && exec \"$0\" \"$@\""] }

    @Test("open files: past the hard limit exit 64 before any step; a low soft limit is raised; a run within the limit goes on")
    func openFileLimit() throws {
        let setup = try Setup(portals: 20, faults: "")
        defer { setup.close() }
        let refused = try CLIRunner.run(
            ["apply", "--yes", "--parallel", "128", Self.plan], in: setup.folder, environment: setup.environment,
            under: Self.limited("-n 64"))
        #expect(refused.code == 64, "\(refused.stdout)\(refused.stderr)")
        #expect(
            refused.stderr.contains("--parallel 128 needs about 544 open files but this process may open at most 64 (ulimit -n)"),
            "\(refused.stderr)")
        #expect(refused.stderr.contains("ulimit -n 544") && refused.stderr.contains("lower --parallel to 8"), "\(refused.stderr)")
        #expect(!refused.stdout.contains("portals.reconcile"), "no step ran: \(refused.stdout)")
        #expect(try setup.states().isEmpty)
        let drift = try CLIRunner.run(["drift", Self.plan], in: setup.folder, environment: setup.environment, under: Self.limited("-n 64"))
        #expect(drift.code == 64, "\(drift.stdout)\(drift.stderr)")

        let within = try CLIRunner.run(
            ["apply", "--yes", "--parallel", "16", Self.plan], in: setup.folder, environment: setup.environment,
            under: Self.limited("-n 128"))
        #expect(within.code == 0, "\(within.stdout)\(within.stderr)")
        #expect(try setup.states().values.filter { $0 == "done" }.count == 20)

        let raised = try CLIRunner.run(
            ["drift", "--parallel", "128", Self.plan], in: setup.folder, environment: setup.environment, under: Self.limited("-Sn 64"))
        #expect(raised.code == 0, "a soft limit of 64 is raised for --parallel 128: \(raised.stdout)\(raised.stderr)")
    }
}
