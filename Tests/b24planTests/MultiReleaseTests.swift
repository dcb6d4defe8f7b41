import Foundation
import Testing

/// One app across several releases against the farm (issue 9): 1.0.0 → 1.1.0 → 2.0.0-rc.1 → 2.0.0
/// → rollback to 1.1.0 → 2.0.1. After each step the farm's bindings must be the release's.
@Suite("several releases of one app against the farm", .serialized)
struct MultiReleaseTests {
    static let folder = "plans/acme.dealsync/"

    struct Setup {
        let folder: URL
        let database: URL
        let farm: PortalFarm
        let environment: [String: String]

        init(portals: Int) throws {
            folder = try CLIRunner.temporaryFolder()
            database = folder.appendingPathComponent("state.db")
            _ = try CLIRunner.runTool("/bin/cp", ["-R", CLIRunner.packageRoot.appendingPathComponent("plans").path, folder.path])
            farm = try PortalFarm(
                portals: portals, faults: "", seed: 11,
                bindFrom: folder.appendingPathComponent(MultiReleaseTests.folder + "1.0.0.json").path, sqlite: database, folder: folder)
            let config =
                try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("farm-config.json")))
                as? [String: Any]
            environment = [
                "B24_CLIENT_ID": config?["client_id"] as? String ?? "", "B24_CLIENT_SECRET": config?["client_secret"] as? String ?? "",
                "B24PLAN_DATABASE_URL": "sqlite:" + database.path, "USER": "release-manager",
            ]
            try "{ \"oauth\": { \"tokenUrl\": \"\(farm.baseURL)/oauth/token/\" } }\n".write(
                to: folder.appendingPathComponent("b24plan.config.json"), atomically: true, encoding: .utf8)
        }

        func run(_ arguments: [String]) throws -> CLIRunner.Output {
            try CLIRunner.run(arguments, in: folder, environment: environment)
        }

        /// apply, both gates, apply again: the release is published and on every portal.
        func publish(_ version: String) throws {
            let plan = MultiReleaseTests.folder + version + ".json"
            let first = try run(["apply", "--yes", plan])
            try #require(first.code == 3, "apply \(version): \(first.stdout.suffix(1500))\(first.stderr.suffix(1500))")
            for gate in ["gate.partner", "gate.moderation"] {
                let pass = try run(["gate", "pass", gate, plan])
                try #require(pass.code == 0, "gate pass \(gate) \(version): \(pass.stdout)\(pass.stderr)")
            }
            let done = try run(["apply", "--yes", plan])
            try #require(done.code == 0, "apply \(version) again: \(done.stdout.suffix(2000))\(done.stderr.suffix(2000))")
        }

        /// Every portal's (placement, handler) and (event, handler) pairs as the farm holds them.
        func bindings(portals: Int) throws -> Set<String> {
            var all: Set<String> = []
            for index in 1...portals {
                let portal = try farm.portal(String(format: "m%05d", index))
                var pairs: [String] = []
                for placement in portal["placements"] as? [[String: Any]] ?? [] {
                    pairs.append("placement \(placement["placement"] as? String ?? "") \(placement["handler"] as? String ?? "")")
                }
                for event in portal["events"] as? [[String: Any]] ?? [] {
                    pairs.append("event \(event["event"] as? String ?? "") \(event["handler"] as? String ?? "")")
                }
                all.insert(pairs.sorted().joined(separator: "; "))
            }
            return all
        }

        /// The pairs a plan file declares, in the same form.
        func declared(_ version: String) throws -> String {
            let url = folder.appendingPathComponent(MultiReleaseTests.folder + version + ".json")
            let plan = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
            var pairs: [String] = []
            for placement in plan["placements"] as? [[String: Any]] ?? [] {
                pairs.append("placement \(placement["placement"] as? String ?? "") \(placement["handler"] as? String ?? "")")
            }
            for event in plan["events"] as? [[String: Any]] ?? [] {
                pairs.append("event \((event["event"] as? String ?? "").uppercased()) \(event["handler"] as? String ?? "")")
            }
            return pairs.sorted().joined(separator: "; ")
        }

        func close() {
            farm.stop()
            try? FileManager.default.removeItem(at: folder)
        }
    }

    @Test("1.0.0 → 1.1.0 → 2.0.0-rc.1 → 2.0.0 → rollback to 1.1.0 → 2.0.1: the farm's bindings follow each step")
    func releases() throws {
        let portals = 12
        let setup = try Setup(portals: portals)
        defer { setup.close() }
        for version in ["1.0.0", "1.1.0"] {
            try setup.publish(version)
            #expect(try setup.bindings(portals: portals) == [try setup.declared(version)], "after \(version)")
        }

        // A release candidate, applied to this store: on the portals, but never published.
        let rcPath = setup.folder.appendingPathComponent(Self.folder + "2.0.0-rc.1.json")
        let text = try String(contentsOf: setup.folder.appendingPathComponent(Self.folder + "2.0.0.json"), encoding: .utf8)
        try text.replacingOccurrences(of: "\"version\": \"2.0.0\"", with: "\"version\": \"2.0.0-rc.1\"").write(
            to: rcPath, atomically: true, encoding: .utf8)
        try setup.publish("2.0.0-rc.1")
        #expect(try setup.bindings(portals: portals) == [try setup.declared("2.0.0")])
        let published = try CLIRunner.sqliteRows(setup.database, "SELECT version FROM b24plan_releases ORDER BY version")
        #expect(published.map { $0["version"] as? String } == ["1.0.0", "1.1.0"], "the rc is never published")

        // 2.0.0 compares with the published 1.1.0, not with the rc beside it.
        let diff = try CLIRunner.json(try setup.run(["diff", "--format", "json", Self.folder + "2.0.0.json"]))
        #expect(diff["from"] as? String == "1.1.0")
        try setup.publish("2.0.0")
        #expect(try setup.bindings(portals: portals) == [try setup.declared("2.0.0")])

        // A lower version is refused; the explicit way back is --rollback.
        let lower = try setup.run(["apply", "--yes", Self.folder + "1.1.0.json"])
        #expect(lower.code == 1, "\(lower.stdout)\(lower.stderr)")
        let rollback = try setup.run(["apply", "--yes", "--rollback", Self.folder + "1.1.0.json"])
        #expect(rollback.code == 0, "\(rollback.stdout.suffix(2000))\(rollback.stderr.suffix(2000))")
        #expect(rollback.stdout.contains("no migration runs"), "the graph says schema is forward-only: \(rollback.stdout)")
        #expect(try setup.bindings(portals: portals) == [try setup.declared("1.1.0")], "rolled back")
        #expect(rollback.stdout.contains("acme.dealsync 2.0.0 → 1.1.0"), "shown against what it rolls back: \(rollback.stdout)")
        #expect(!rollback.stdout.contains("Partner account"), "a rollback enters nothing in the partner account")
        let options = try setup.farm.portal("m00001")["options"] as? [String: Any] ?? [:]
        let notice = options.values.compactMap { $0 as? [String: Any] }.first
        #expect(notice?["version"] as? String == "1.1.0", "the notice shows the restored release: \(options)")
        // diff shows the step apply will run: after a rollback the next release reconciles every portal.
        let next = try CLIRunner.json(try setup.run(["diff", "--format", "json", Self.folder + "2.0.1.json"]))
        #expect((next["steps"] as? [[String: Any]] ?? []).contains { $0["id"] as? String == "portals.reconcile" })
        let log = try CLIRunner.json(try setup.run(["log", "--format", "json"]))
        let entries = log["releases"] as? [[String: Any]] ?? []
        #expect(entries.first?["kind"] as? String == "rollback")
        #expect(entries.first { $0["version"] as? String == "2.0.0" }?["state"] as? String == "rolled-back")

        // 2.0.1 has 2.0.0's bindings: after the rollback it must still reconcile every portal.
        try setup.publish("2.0.1")
        #expect(try setup.bindings(portals: portals) == [try setup.declared("2.0.1")], "forward again")
        let schema = try CLIRunner.sqliteRows(setup.database, "SELECT version FROM schema_migrations ORDER BY version")
        #expect(schema.map { $0["version"] as? Int } == [1, 2, 3])
    }
}
