import Foundation
import Testing

/// Held-out tests of issue 14: the journal is group-committed, yet a kill -9 loses nothing that was
/// reported done, and a resumed run never repeats a write batch — on SQLite, PostgreSQL and
/// MariaDB (DESIGN §7, README "Timeouts": "progress, the summary and the exit code count committed
/// ones only, so a kill -9 loses none that was reported").
@Suite("held-out: group-committed journal under kill -9 (issue 14)", .serialized)
struct PerformanceHeldOutJournalTests {
    typealias Setup = FleetTests.Setup
    static let plan = "plans/acme.dealsync/2.0.0.json"

    enum Store: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case sqlite, postgres, mariadb
        var testDescription: String { rawValue }
    }

    /// A farm set up by FleetTests.Setup (1.1.0 published, 2.0.0's gates passed) on `store`, with
    /// a way to read the reconcile step's portal states from that store.
    struct Fleet {
        let setup: Setup
        let store: Store
        let postgres: String?
        let mysqlClient: [String]

        init?(_ store: Store, portals: Int, faults: String) throws {
            self.store = store
            switch store {
            case .sqlite:
                setup = try Setup(portals: portals, faults: faults)
                postgres = nil
                mysqlClient = []
            case .postgres:
                guard let url = try FleetTests.postgresDatabase("ho14_journal") else { return nil }
                setup = try Setup(portals: portals, faults: faults, postgres: url)
                postgres = url
                mysqlClient = []
            case .mariadb:
                guard let (url, client) = try FleetTests.mysqlDatabase("ho14_journal") else { return nil }
                setup = try Setup(portals: portals, faults: faults, mysql: (url, client))
                postgres = nil
                mysqlClient = client
            }
        }

        func states() throws -> [String: (state: String, attempts: Int)] {
            let sql = "SELECT member_id, state, attempts FROM b24plan_portal_tasks WHERE step_id = 'portals.reconcile'"
            let lines: [[String]]
            switch store {
            case .sqlite:
                return Dictionary(
                    uniqueKeysWithValues: try CLIRunner.sqliteRows(setup.database, sql).map {
                        ($0["member_id"] as? String ?? "", ($0["state"] as? String ?? "", $0["attempts"] as? Int ?? -1))
                    })
            case .postgres:
                let output = try CLIRunner.runTool("/usr/bin/env", ["psql", postgres ?? "", "-X", "-At", "-F", "\t", "-c", sql])
                guard output.code == 0 else { throw PortalFarm.FarmError(message: output.stderr) }
                lines = output.stdout.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
            case .mariadb:
                let output = try CLIRunner.runTool("/usr/bin/env", mysqlClient + ["-e", sql])
                guard output.code == 0 else { throw PortalFarm.FarmError(message: output.stderr) }
                lines = output.stdout.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
            }
            return Dictionary(uniqueKeysWithValues: lines.filter { $0.count == 3 }.map { ($0[0], ($0[1], Int($0[2]) ?? -1)) })
        }

        func writesByPortal() throws -> [String: Int] {
            (try setup.farm.stats()["writes_by_portal"] as? [String: Any] ?? [:]).compactMapValues { $0 as? Int }
        }
    }

    /// The highest "N done" of the reconcile step's progress lines in `output`.
    static func reportedDone(_ output: String) -> Int {
        var best = 0
        for line in output.split(separator: "\n") where line.contains("portals.reconcile") {
            // "portals.reconcile: 106/200 portals (106 done, 0 needs-reinstall, …)" and the summary
            // "portals.reconcile: done — 200 done, …" both carry "N done".
            guard let range = line.range(of: #"(\d+) done"#, options: .regularExpression) else { continue }
            let number = line[range].split(separator: " ").first.flatMap { Int($0) } ?? 0
            best = max(best, number)
        }
        return best
    }

    @Test(
        "kill -9 of apply at random moments of the portal step, then resume: every portal done once, no write batch repeated, nothing reported done is lost",
        arguments: Store.allCases)
    func killedDuringReconcile(_ store: Store) throws {
        let portals = 240
        // `slow` (+200 ms a request) keeps the step running ~15 s at --parallel 8, long enough for
        // progress lines (one every few seconds) to appear before a kill.
        guard let fleet = try Fleet(store, portals: portals, faults: "slow=\(portals)") else { return }
        defer { fleet.setup.close() }
        var generator = SystemRandomNumberGenerator()
        var kills = 0
        for round in 0..<5 {
            let (process, log) = try FaultTests.start(fleet.setup, ["apply", "--yes", "--parallel", "8", Self.plan])
            usleep(UInt32.random(in: 1_500_000...5_000_000, using: &generator))
            guard process.isRunning else {
                process.waitUntilExit()
                break
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            kills += 1
            let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            let reported = Self.reportedDone(output)
            let states = try fleet.states()
            let done = states.filter { $0.value.state == "done" }
            #expect(done.count >= reported, "round \(round): output reported \(reported) done, the journal holds \(done.count)")
            // A portal journaled done has had its write batch (the bind and the notice) accepted.
            let writes = try fleet.writesByPortal()
            let unwritten = done.keys.filter { (writes[$0] ?? 0) != 2 }.sorted()
            #expect(unwritten.isEmpty, "round \(round): journaled done without exactly one write batch: \(unwritten.prefix(10))")
            print("held-out \(store) kill \(round): reported \(reported), journaled \(done.count) done of \(portals)")
        }
        #expect(kills >= 2, "apply ended before the kills: \(kills)")
        let resumed = try fleet.setup.run(["apply", "--yes", "--parallel", "8", Self.plan])
        #expect(resumed.code == 0, "\(resumed.stdout.suffix(1500))\(resumed.stderr.suffix(1500))")
        let states = try fleet.states()
        #expect(states.count == portals, "one task per portal: \(states.count)")
        #expect(states.values.allSatisfy { $0.state == "done" }, "\(states.filter { $0.value.state != "done" })")
        let writes = try fleet.writesByPortal()
        let repeated = writes.filter { $0.value != 2 }
        #expect(repeated.isEmpty, "each portal written exactly once (bind + notice): \(repeated.sorted { $0.key < $1.key }.prefix(20))")
        #expect(writes.count == portals)
        #expect((try fleet.setup.farm.stats()["writes_total"] as? Int) == 2 * portals)
        // The summary counts what the journal holds.
        #expect(resumed.stdout.contains("\(portals) done"), "\(resumed.stdout.suffix(800))")
    }
}

extension PerformanceHeldOutJournalTests {
    /// The peak resident memory (KB) of `b24plan arguments…` in the setup's folder, as the kernel
    /// counts it for a child of a fresh Python process.
    static func peakMemory(_ setup: Setup, _ arguments: [String]) throws -> (code: Int, kilobytes: Int) {
        let wrapper =
            "import os, resource, subprocess, sys; code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode; "
            + "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", wrapper, CLIRunner.binary.path] + arguments
        process.currentDirectoryURL = setup.folder
        process.environment = CLIRunner.childEnvironment(setup.environment)
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let figures = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        return (figures.first ?? -1, figures.count == 2 ? figures[1] : -1)
    }

    @Test("memory is flat in installations: apply over 10× the portals peaks less than 32 MB higher (under 12 KB per extra portal)")
    func memoryFlatInInstallations() throws {
        var peaks: [Int: Int] = [:]
        for portals in [300, 3_000] {
            let setup = try Setup(portals: portals, faults: "")
            defer { setup.close() }
            let run = try Self.peakMemory(setup, ["apply", "--yes", "--parallel", "32", Self.plan])
            #expect(run.code == 0, "apply over \(portals) portals exited \(run.code)")
            #expect(try setup.states().values.filter { $0 == "done" }.count == portals)
            peaks[portals] = run.kilobytes
        }
        let small = peaks[300] ?? -1
        let large = peaks[3_000] ?? -1
        print("held-out memory: apply peaks at \(small) KB over 300 portals, \(large) KB over 3000")
        #expect(small > 0 && large > 0)
        #expect(large - small < 32 * 1024, "peak RSS grew from \(small) KB to \(large) KB for 2,700 more portals")
    }
}
