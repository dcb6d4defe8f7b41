import Foundation

/// A folder with one app's plans, a farm of portals holding the first plan's bindings, a config
/// pointing at the farm, and a state store whose first plan is baselined: for tests that release
/// plans of their own against the farm.
struct FarmWorkspace {
    let folder: URL
    let farm: PortalFarm
    let environment: [String: String]
    let app: String

    /// - Parameters:
    ///   - app: the plans' folder under `plans/`.
    ///   - plans: plan texts by version; the lowest version is baselined and its bindings are on the farm.
    ///   - portals: how many portals the farm serves.
    ///   - scopes: the scopes every portal's token holds.
    ///   - environment: added to every b24plan run (e.g. `B24PLAN_SKIP_PREFLIGHT: ""`).
    ///   - config: more keys of `b24plan.config.json`, as JSON members (`"rollout": {…}`).
    ///   - serve: options of the farm's server (`--latency-ms 10`).
    init(
        app: String, plans: [String: String], portals: Int = 5, scopes: String = "crm,placement,task,landing",
        environment extra: [String: String] = [:], config configExtra: String? = nil, faults: String = "", serve: [String] = []
    ) throws {
        self.app = app
        folder = try CLIRunner.temporaryFolder()
        let plansFolder = folder.appendingPathComponent("plans/\(app)")
        try FileManager.default.createDirectory(at: plansFolder, withIntermediateDirectories: true)
        for (version, text) in plans {
            try text.write(to: plansFolder.appendingPathComponent("\(version).json"), atomically: true, encoding: .utf8)
        }
        let first = plans.keys.sorted { $0.compare($1, options: .numeric) == .orderedAscending }.first ?? "1.0.0"
        let database = folder.appendingPathComponent("state.db")
        farm = try PortalFarm(
            portals: portals, faults: faults, seed: 3, bindFrom: plansFolder.appendingPathComponent("\(first).json").path, sqlite: database,
            folder: folder, extra: ["--scopes", scopes], serve: serve)
        let config =
            try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("farm-config.json")))
            as? [String: Any]
        environment =
            [
                "B24_CLIENT_ID": config?["client_id"] as? String ?? "", "B24_CLIENT_SECRET": config?["client_secret"] as? String ?? "",
                "B24PLAN_DATABASE_URL": "sqlite:" + database.path,
            ].merging(extra) { _, new in new }
        let configExtraText = configExtra.map { ", \($0)" } ?? ""
        try "{ \"oauth\": { \"tokenUrl\": \"\(farm.baseURL)/oauth/token/\" }\(configExtraText) }\n".write(
            to: folder.appendingPathComponent("b24plan.config.json"), atomically: true, encoding: .utf8)
        let baseline = try run(["baseline", plan(first)])
        guard baseline.code == 0 else { throw PortalFarm.FarmError(message: "baseline: \(baseline.stderr)") }
    }

    func plan(_ version: String) -> String { "plans/\(app)/\(version).json" }

    func run(_ arguments: [String]) throws -> CLIRunner.Output {
        try CLIRunner.run(arguments, in: folder, environment: environment)
    }

    /// Passes the manual gates of `version` (its plan has no deploy command).
    func passGates(_ version: String) throws {
        for gate in ["deploy", "gate.partner", "gate.moderation"] {
            let pass = try run(["gate", "pass", gate, plan(version)])
            guard pass.code == 0 else { throw PortalFarm.FarmError(message: "gate \(gate): \(pass.stderr)") }
        }
    }

    /// Runs the release to its end: apply stops at the manual gates, they are passed, apply again.
    func release(_ version: String, _ options: [String] = []) throws -> CLIRunner.Output {
        let first = try run(["apply", "--yes", plan(version)] + options)
        guard first.code == 3 else { throw PortalFarm.FarmError(message: "apply \(version): \(first.code) \(first.stdout)\(first.stderr)") }
        try passGates(version)
        return try run(["apply", "--yes", plan(version)] + options)
    }

    /// Successful writes by REST method since the last reset (batch commands counted one by one).
    func writes() throws -> [String: Int] {
        (try farm.stats()["writes_by_method"] as? [String: Any] ?? [:]).compactMapValues { $0 as? Int }
    }

    func resetStats() throws { _ = try farm.control("/_farm/reset-stats", post: [:]) }

    func landing(_ member: String) throws -> [[String: Any]] {
        try farm.portal(member)["landing_placements"] as? [[String: Any]] ?? []
    }

    /// Rows of the state store.
    func rows(_ sql: String) throws -> [[String: Any]] {
        try CLIRunner.sqliteRows(folder.appendingPathComponent("state.db"), sql)
    }

    /// A step's journal row in the run of `version`: `state`, `detail`.
    func step(_ id: String, of version: String) throws -> [String: Any]? {
        try rows(
            "SELECT s.state, s.detail FROM b24plan_steps s JOIN b24plan_runs r ON r.id = s.run_id "
                + "WHERE s.step_id = '\(id)' AND r.version = '\(version)'"
        ).first
    }

    func close() {
        farm.stop()
        try? FileManager.default.removeItem(at: folder)
    }
}
