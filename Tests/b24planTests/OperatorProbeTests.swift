import Foundation
import Testing

/// Fault probe of issue 13 (operator experience), black box: each test states what the README or
/// DESIGN.md promise and fails while b24plan does otherwise. Shell reproductions:
/// `scripts/probe/operator/*.sh`. The plans are acme.opx of `OperatorExperienceHeldOutTests`
/// (1.0.0: a deal tab; 2.0.0: adds the scope `task` and a task tab).
@Suite("operator experience probe (issue 13)", .serialized)
struct OperatorProbeTests {
    typealias Held = OperatorExperienceHeldOutTests

    static func member(_ index: Int) -> String { Held.member(index) }

    /// A farm of `portals` portals, 1.0.0 baselined, 2.0.0 applied up to its deploy gate and, with
    /// `gates`, its three gates passed (the next apply goes to the portals).
    static func atPortals(_ portals: Int, faults: String = "", gates: Bool = true, serve: [String] = []) throws -> FarmWorkspace {
        let workspace = try FarmWorkspace(app: Held.app, plans: Held.plans(), portals: portals, faults: faults, serve: serve)
        let first = try workspace.run(["apply", "--yes", workspace.plan("2.0.0")])
        try #require(first.code == 3, "apply stops at the deploy gate: \(first.code) \(first.stdout)\(first.stderr)")
        if gates { try workspace.passGates("2.0.0") }
        return workspace
    }

    /// Points installations at a port nobody listens on: their requests are refused.
    static func refuse(_ workspace: FarmWorkspace, _ members: [String]) throws {
        let list = members.map { "'\($0)'" }.joined(separator: ", ")
        _ = try workspace.rows("UPDATE portals SET client_endpoint = 'http://127.0.0.1:1/rest/' WHERE member_id IN (\(list))")
    }

    static func hasTaskTab(_ workspace: FarmWorkspace, _ member: String) throws -> Bool {
        let placements = try workspace.farm.portal(member)["placements"] as? [[String: Any]] ?? []
        return placements.contains { $0["placement"] as? String == "TASK_VIEW_TAB" }
    }

    /// `status --portals --limit 0 --format json` of 2.0.0.
    static func portals(_ workspace: FarmWorkspace) throws -> (counts: [String: Int], list: [[String: Any]]) {
        let output = try workspace.run(["status", "--portals", "--limit", "0", "--format", "json", workspace.plan("2.0.0")])
        let document = (try? CLIRunner.json(output)) ?? [:]
        return (document["portals"] as? [String: Int] ?? [:], document["portalList"] as? [[String: Any]] ?? [])
    }

    // MARK: - Harms portals or loses data

    /// README: apply exits 0 "when every step is done and no portal is `failed` or `pending`";
    /// `--where` is "one extra condition on the active installations"; installations the run has not
    /// reached are pending, and "Applying again resumes the same run". A targeted apply on a release's
    /// run closes portals.reconcile and portals.scope-audit with the selected portals alone, prints
    /// "apply complete", exits 0, and no later apply ever reaches the other portals.
    @Test(
        "apply --member-id / --where on a release's run leaves the other portals pending (exit 3), and a plain apply reconciles them",
        arguments: [["--member-id", "m00001,m00002"], ["--where", "member_id <= 'm00002'"]])
    func targetedApplyLeavesTheRestPending(_ selector: [String]) throws {
        let workspace = try Self.atPortals(12)
        defer { workspace.close() }
        let targeted = try workspace.run(["apply", "--yes"] + selector + [workspace.plan("2.0.0")])
        #expect(targeted.code == 3, "10 portals were not reached: incomplete, not \(targeted.code)\n\(targeted.stdout)")
        #expect(!targeted.stdout.contains("apply complete"), "\(targeted.stdout)")
        let status = try CLIRunner.json(try workspace.run(["status", "--format", "json", workspace.plan("2.0.0")]))
        #expect((status["portals"] as? [String: Int])?["pending"] == 10, "status counts the 10 unreached portals pending: \(status)")
        let plain = try workspace.run(["apply", "--yes", workspace.plan("2.0.0")])
        #expect(plain.code == 0, "\(plain.stdout)\(plain.stderr)")
        let missing = try (3...12).map(Self.member).filter { try !Self.hasTaskTab(workspace, $0) }
        #expect(missing.isEmpty, "a plain apply afterwards binds the task tab on every other portal; still without it: \(missing)")
    }

    /// README: init adds `.b24plan/` to `.gitignore`, "keeping what is there". A `.gitignore` that is
    /// not UTF-8 (a Latin-1 `café`) is replaced by `.b24plan/` alone: its other lines — here
    /// `secret.env` — are gone, and the next commit may add the files they kept out.
    @Test("init keeps every line of a .gitignore that is not UTF-8 (Latin-1), adding .b24plan/")
    func initKeepsANonUTF8Gitignore() throws {
        let folder = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let gitignore = folder.appendingPathComponent(".gitignore")
        let original = Data([0x63, 0x61, 0x66, 0xE9, 0x0A]) + Data("secret.env\n".utf8)
        try original.write(to: gitignore)
        let initialize = try CLIRunner.run(["init"], in: folder, environment: ["B24PLAN_DATABASE_URL": ""])
        #expect(initialize.code == 0, "\(initialize.stdout)\(initialize.stderr)")
        let after = try Data(contentsOf: gitignore)
        #expect(after.starts(with: original), "the old bytes are kept: \(String(decoding: after, as: UTF8.self))")
        #expect(String(decoding: after, as: UTF8.self).contains(".b24plan/"), "and .b24plan/ is added")
    }

    // MARK: - Wrong result or exit code

    /// A reconcile stopped part-way (systemic: 5 portals in a row refused, and the token URL too)
    /// after 4 portals were marked inactive: 16 installations are pending (the refused ones are
    /// evidence of nothing, so they are not marked either). README: status shows "how many portals
    /// are … pending" and lists unreached installations `pending`; the report counts them so. status
    /// counted 4 fewer: the inactive portals are subtracted twice (once as inactive, once as no longer
    /// active).
    @Test("status counts as pending exactly the portals it lists pending after a stopped reconcile with inactive portals (16, not 12)")
    func statusPendingCountMatchesTheList() throws {
        let workspace = try Self.stoppedWithInactive()
        defer { workspace.close() }
        let (counts, list) = try Self.portals(workspace)
        let listed = list.filter { $0["state"] as? String == "pending" }.count
        #expect(listed == 16, "16 portals were never reached or not marked: \(listed)")
        #expect(counts["pending"] == listed, "portals.pending \(counts["pending"] ?? -1) vs \(listed) listed pending: \(counts)")
        #expect(counts.values.reduce(0, +) == 20, "the counts cover the 20 installations: \(counts)")
        let text = try workspace.run(["status", workspace.plan("2.0.0")])
        #expect(text.stdout.contains("16 pending"), "\(text.stdout)")
    }

    /// 20 portals: m00001–m00004 uninstalled (→ inactive), m00005–m00010 refuse connections, and so
    /// does the token URL (the network check cannot vouch for the network); with --parallel 1 the
    /// reconcile stops as systemic (exit 1) after 8 portals. Returns the workspace.
    static func stoppedWithInactive(_ apply: ((FarmWorkspace) throws -> Void)? = nil) throws -> FarmWorkspace {
        let workspace = try Self.atPortals(20)
        for index in 1...4 { try Held.fault(workspace, Self.member(index), ["uninstalled"]) }
        try Self.refuse(workspace, (5...10).map(Self.member))
        let config = workspace.folder.appendingPathComponent("b24plan.config.json")
        try String(contentsOf: config, encoding: .utf8).replacingOccurrences(of: workspace.farm.baseURL, with: "http://127.0.0.1:1")
            .write(to: config, atomically: true, encoding: .utf8)
        if let apply {
            try apply(workspace)
        } else {
            let stopped = try workspace.run(["apply", "--yes", "--parallel", "1", workspace.plan("2.0.0")])
            try #require(stopped.code == 1, "the reconcile stops as systemic: \(stopped.code) \(stopped.stdout)\(stopped.stderr)")
        }
        return workspace
    }

    /// README: apply's summary counts the portals of each step, and `--format json` prints the
    /// outcome; exit 3/1/130/143 leave portals pending. After the stopped reconcile above, apply's
    /// own summary reads "0 pending" (16 are pending) and its JSON `portals` has no `pending`;
    /// at the deploy gate its JSON `portals` is `{}` while status counts 20 pending.
    @Test("apply's summary and --format json count the unreached portals as pending (after a stop: 16; at a gate: 20)")
    func applySummaryCountsPending() throws {
        let gate = try FarmWorkspace(app: Held.app, plans: Held.plans(), portals: 20)
        defer { gate.close() }
        let atGate = try gate.run(["apply", "--yes", "--format", "json", gate.plan("2.0.0")])
        #expect(atGate.code == 3)
        let gatePortals = (try? CLIRunner.json(atGate))?["portals"] as? [String: Int] ?? [:]
        #expect(gatePortals["pending"] == 20, "at the deploy gate apply's JSON counts 20 pending: \(gatePortals)")

        var text = CLIRunner.Output(code: 0, stdout: "", stderr: "")
        let workspace = try Self.stoppedWithInactive { workspace in
            text = try workspace.run(["apply", "--yes", "--parallel", "1", workspace.plan("2.0.0")])
        }
        defer { workspace.close() }
        #expect(text.code == 1, "\(text.stdout)\(text.stderr)")
        let summary = text.stdout.split(separator: "\n").last { $0.contains("portals.reconcile:") }.map(String.init) ?? ""
        #expect(summary.contains("16 pending"), "the summary counts the 16 unfinished portals: \(summary)")
        let again = try workspace.run(["apply", "--yes", "--parallel", "1", "--format", "json", workspace.plan("2.0.0")])
        let portals = (try? CLIRunner.json(again))?["portals"] as? [String: Int] ?? [:]
        #expect(
            Set(portals.keys) == ["done", "needs-reinstall", "inactive", "failed", "pending"] && (portals["pending"] ?? 0) > 0,
            "apply --format json's portals has the five states and the unreached ones pending: \(portals)")
    }

    /// README: `status --portals` lists every installation of the run (not reached yet → pending).
    /// Read while apply reconciles 800 portals (30 % uninstalled, so rows are marked inactive as the run
    /// goes), about a third of the listings omit some portals that are being recorded.
    @Test("status --portals read during an apply lists every installation in every listing")
    func listingDuringApplyOmitsNone() throws {
        // 10 ms per answer: the apply (1,600 requests, 4 in flight) outlasts several listings.
        let workspace = try Self.atPortals(800, faults: "uninstalled=240", serve: ["--latency-ms", "10"])
        defer { workspace.close() }
        let process = Process()
        process.executableURL = CLIRunner.binary
        process.arguments = ["apply", "--yes", "--parallel", "4", workspace.plan("2.0.0")]
        process.currentDirectoryURL = workspace.folder
        process.environment = CLIRunner.childEnvironment(workspace.environment)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let every = Set((1...800).map(Self.member))
        var listings = 0
        var short: [String] = []
        while process.isRunning && listings < 400 {
            let (_, list) = try Self.portals(workspace)
            listings += 1
            let missing = every.subtracting(list.compactMap { $0["memberId"] as? String })
            if !missing.isEmpty { short.append("listing \(listings) lacks \(missing.sorted())") }
        }
        process.waitUntilExit()
        #expect(listings > 3, "the apply ran long enough to be watched: \(listings) listings")
        #expect(short.isEmpty, "\(short.count) of \(listings) listings left portals out: \(short.prefix(3))")
    }

    /// README (Exit codes): 64 for a config that is missing or cannot be read, "checked before any
    /// step". A `b24plan.config.json` that exists but cannot be read (here a folder; as another user
    /// also a file without read permission) is taken for no config: apply runs the migration and the
    /// deploy with the defaults (token URL https://oauth.bitrix.info/…) and stops at the gate.
    @Test("a b24plan.config.json that cannot be read (a folder, or no read permission) is exit 64 naming it; nothing runs")
    func unreadableConfigIsAUsageError() throws {
        let workspace = try Held.workspace(portals: 3, migration: true, deploy: true)
        defer { workspace.close() }
        let config = workspace.folder.appendingPathComponent("b24plan.config.json")
        try FileManager.default.removeItem(at: config)
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: false)
        let apply = try workspace.run(["apply", "--yes", workspace.plan("2.0.0")])
        #expect(apply.code == 64, "\(apply.code)\n\(apply.stdout)\(apply.stderr)")
        #expect(apply.stderr.contains("b24plan.config.json"), "\(apply.stderr)")
        try Held.expectJournalUntouched(workspace, "config is a folder")
    }

    /// README: apply checks "the table, these columns and where before they start: a missing one is
    /// one sentence naming it and its config key, exit 64"; `deactivate` is a key of that mapping. A
    /// `deactivate` naming no column passes the checks: the migration, the deploy and the gates run,
    /// and the reconcile stops at the first uninstalled portal with "the state store failed: no such
    /// column" (exit 1), naming neither the key nor the config, again at every apply.
    @Test("apply checks installations.deactivate before any step: exit 64 naming installations.deactivate, nothing runs")
    func deactivateIsCheckedBeforeAnyStep() throws {
        let workspace = try Held.workspace(portals: 3, migration: true, deploy: true)
        defer { workspace.close() }
        try Held.mapInstallations(workspace, #""deactivate": "gone_flag = 0""#)
        let apply = try workspace.run(["apply", "--yes", workspace.plan("2.0.0")])
        #expect(apply.code == 64, "\(apply.code)\n\(apply.stdout)\(apply.stderr)")
        #expect(apply.stderr.contains("installations.deactivate") && apply.stderr.contains("gone_flag"), "\(apply.stderr)")
        try Held.expectJournalUntouched(workspace, "deactivate names no column")
    }

    /// The same for `oauth.tokenUrl` that is no http(s) URL: the migration and deploy run, and the
    /// first expired token stops the reconcile ("not a url gave no answer on 3 portals").
    @Test("apply checks that oauth.tokenUrl is an http(s) URL before any step: exit 64 naming oauth.tokenUrl, nothing runs")
    func tokenURLIsCheckedBeforeAnyStep() throws {
        let workspace = try Held.workspace(portals: 3, migration: true, deploy: true)
        defer { workspace.close() }
        try "{ \"oauth\": { \"tokenUrl\": \"not a url\" } }\n".write(
            to: workspace.folder.appendingPathComponent("b24plan.config.json"), atomically: true, encoding: .utf8)
        let apply = try workspace.run(["apply", "--yes", workspace.plan("2.0.0")])
        #expect(apply.code == 64, "\(apply.code)\n\(apply.stdout)\(apply.stderr)")
        #expect(apply.stderr.contains("tokenUrl"), "\(apply.stderr)")
        try Held.expectJournalUntouched(workspace, "tokenUrl is not a URL")
    }

    /// README: "everything above works there" (MySQL/MariaDB); a portal is `inactive` "only on
    /// evidence about that portal". b24plan_portal_tasks.member_id is VARCHAR(191) on MariaDB: an
    /// installation whose member id is longer is journaled under a cut id that matches no row, so it
    /// is recorded `inactive` ("no longer an active installation"), never reconciled, and apply exits
    /// 0. Here its endpoint refuses connections, so it should end `failed` and apply exit 3.
    @Test("MariaDB: an installation with a 1,000-character member id is journaled whole, never marked inactive without evidence")
    func longMemberIDOnMariaDB() throws {
        guard let (url, client) = try FleetTests.mysqlDatabase("opx_long") else { return }
        let workspace = try FarmWorkspace(app: Held.app, plans: Held.plans(), portals: 3)
        defer { workspace.close() }
        let environment = workspace.environment.merging(["B24PLAN_DATABASE_URL": url]) { _, new in new }
        func run(_ arguments: [String]) throws -> CLIRunner.Output {
            try CLIRunner.run(arguments, in: workspace.folder, environment: environment)
        }
        let long = String(repeating: "z", count: 1000)
        let rows = try workspace.rows("SELECT member_id, client_endpoint, access_token, refresh_token, expires_at FROM portals")
        let values =
            rows.map {
                "('\($0["member_id"] ?? "")', '\($0["client_endpoint"] ?? "")', '\($0["access_token"] ?? "")', "
                    + "'\($0["refresh_token"] ?? "")', \($0["expires_at"] ?? 0))"
            } + ["('\(long)', 'http://127.0.0.1:1/rest/', 'a', 'r', 4102444800)"]
        let create = try CLIRunner.runTool(
            "/usr/bin/env",
            client + [
                "-e",
                "CREATE TABLE portals (member_id VARCHAR(1100) NOT NULL, domain TEXT, client_endpoint TEXT NOT NULL, "
                    + "access_token TEXT, refresh_token TEXT, expires_at BIGINT, active INT NOT NULL DEFAULT 1, PRIMARY KEY (member_id(700))); "
                    + "INSERT INTO portals (member_id, client_endpoint, access_token, refresh_token, expires_at) VALUES "
                    + values.joined(separator: ", "),
            ])
        try #require(create.code == 0, "mariadb: \(create.stderr)")
        try #require(try run(["baseline", workspace.plan("1.0.0")]).code == 0)
        #expect(try run(["apply", "--yes", workspace.plan("2.0.0")]).code == 3)
        for gate in ["deploy", "gate.partner", "gate.moderation"] {
            try #require(try run(["gate", "pass", gate, workspace.plan("2.0.0")]).code == 0)
        }
        // Known: the journal keys member ids as VARCHAR(191) on MySQL/MariaDB (index length), so a
        // longer id does not match its installation. Bitrix24 member ids are 32 hex characters;
        // widening the key needs a journal schema change, left for later.
        withKnownIssue("member ids longer than 191 characters on MySQL/MariaDB") {
            try longMemberIDRun(run, workspace: workspace)
        }
    }

    private func longMemberIDRun(_ run: (([String]) throws -> CLIRunner.Output), workspace: FarmWorkspace) throws {
        let apply = try run(["apply", "--yes", "--parallel", "1", workspace.plan("2.0.0")])
        #expect(apply.code == 3, "the long-id portal refuses connections: it failed, the run is incomplete: \(apply.code)\n\(apply.stdout)")
        let status = try run(["status", "--portals", "--limit", "0", "--format", "json", workspace.plan("2.0.0")])
        let list = (try? CLIRunner.json(status))?["portalList"] as? [[String: Any]] ?? []
        let entries = list.filter { ($0["memberId"] as? String ?? "").hasPrefix("zzz") }
        #expect(entries.count == 1, "listed once: \(entries.count)")
        #expect((entries.first?["memberId"] as? String)?.count == 1000, "under its whole id: \(entries.first?["memberId"] ?? "none")")
        #expect(entries.first?["state"] as? String != "inactive", "not inactive: \(entries.first ?? [:])")
    }

    // MARK: - Message quality

    /// A portal answering every request with HTTP 400 and an error text holding ESC[2J (clear
    /// screen), an OSC title sequence, BEL, CR and a newline. README: text output prints control
    /// characters escaped (`\n`, `\r`, `\u{1B}`) so nothing "can clear or rewrite the terminal"; the
    /// report escapes this very text. status --portals, drift and reconcile print it raw.
    @Test(
        "a portal's error text reaches the terminal with its control characters escaped",
        arguments: [["status", "--portals", "--state", "failed"], ["drift"], ["reconcile", "--member-id", "m00002"]])
    func portalErrorTextIsEscaped(_ command: [String]) throws {
        let hostile = try HostilePortal()
        defer { hostile.stop() }
        let workspace = try Self.atPortals(4)
        defer { workspace.close() }
        _ = try workspace.rows("UPDATE portals SET client_endpoint = '\(hostile.base)/p/x/rest/' WHERE member_id = 'm00002'")
        #expect(try workspace.run(["apply", "--yes", workspace.plan("2.0.0")]).code == 3, "m00002 failed")
        let output = try workspace.run(command + [workspace.plan("2.0.0")])
        let text = output.stdout + output.stderr
        #expect(text.contains("EVIL_"), "the error is shown: \(text)")
        for control in ["\u{1B}", "\u{07}", "\r"] {
            #expect(
                !text.unicodeScalars.contains { String($0) == control },
                "\(command): no raw \(control.debugDescription): \(text.debugDescription)")
        }
    }

    /// README: "… more:" names the command of the next page. For a member id a shell splits, the
    /// printed `--after it's a b` is no command a shell can run (the quote is unbalanced).
    @Test("status --portals's next-page hint quotes the member id so a shell passes it whole to --after")
    func nextPageHintIsShellQuoted() throws {
        let workspace = try Self.atPortals(3, gates: false)
        defer { workspace.close() }
        _ = try workspace.rows(
            "INSERT INTO portals (member_id, domain, client_endpoint, access_token, refresh_token, expires_at, active) "
                + "VALUES ('it''s a b', 'x', 'https://h.example/rest/', 'a', 'r', 4102444800, 1)")
        let status = try workspace.run(["status", "--portals", "--limit", "1", workspace.plan("2.0.0")])
        let line = status.stdout.split(separator: "\n").first { $0.contains("more:") }.map(String.init) ?? ""
        let command = line.components(separatedBy: "more: ").last?.components(separatedBy: " (with the same").first ?? ""
        #expect(command.hasPrefix("b24plan status --portals --after"), "\(status.stdout)")
        let shell = try CLIRunner.runTool("/bin/sh", ["-c", "set -- \(command); printf '%s' \"$5\""])
        #expect(shell.code == 0 && shell.stdout == "it's a b", "the shell reads --after as [\(shell.stdout)] from: \(command)")
    }

    /// README: init adds `.b24plan/` to `.gitignore`; errors are one sentence. A `.gitignore` that
    /// cannot be written (here a folder) ends init with exit 1 and Foundation's debug text
    /// (`Error Domain=NSCocoaErrorDomain Code=512 "(null)" UserInfo={…}`), after it created the store.
    @Test("init with a .gitignore it cannot write says so in one clean sentence naming .gitignore (no NSError dump)")
    func initGitignoreErrorIsClean() throws {
        let folder = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent(".gitignore"), withIntermediateDirectories: false)
        let initialize = try CLIRunner.run(["init"], in: folder, environment: ["B24PLAN_DATABASE_URL": ""])
        #expect(initialize.code == 1 || initialize.code == 64 || initialize.code == 0, "\(initialize.code)")
        #expect(initialize.stderr.contains(".gitignore"), "\(initialize.stderr)")
        for debug in ["Error Domain", "NSCocoaErrorDomain", "UserInfo=", "(null)"] {
            #expect(!initialize.stderr.contains(debug), "no Foundation debug text (\(debug)): \(initialize.stderr)")
        }
    }

    /// README: init never adds `.b24plan/` twice; the held-out test covers `.b24plan` and `.b24plan/`.
    /// Other lines that already ignore the folder get a second, redundant `.b24plan/`.
    @Test("init leaves a .gitignore that already ignores the store folder as it is", arguments: [".b24plan/*\n", "**/.b24plan/\n"])
    func initRecognisesIgnoreVariants(_ existing: String) throws {
        let folder = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let gitignore = folder.appendingPathComponent(".gitignore")
        try existing.write(to: gitignore, atomically: true, encoding: .utf8)
        #expect(try CLIRunner.run(["init"], in: folder, environment: ["B24PLAN_DATABASE_URL": ""]).code == 0)
        #expect(try String(contentsOf: gitignore, encoding: .utf8) == existing)
    }

    /// README: a store error names the URL (password as `***`) and where it was named. An unknown
    /// scheme says only "unsupported database URL" and prints apply's usage, as if an option were
    /// wrong, though the value came from B24PLAN_DATABASE_URL.
    @Test("an unsupported store URL is named in the message with where it came from (B24PLAN_DATABASE_URL)")
    func unsupportedStoreURLIsNamed() throws {
        let folder = try Held.bareFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let apply = try CLIRunner.run(
            ["apply", "--yes", "plans/\(Held.app)/2.0.0.json"], in: folder,
            environment: Held.dummyCredentials.merging(["B24PLAN_DATABASE_URL": "sqlite3://state.db"]) { _, new in new })
        #expect(apply.code == 64, "\(apply.code)")
        #expect(apply.stderr.contains("sqlite3://state.db"), "names the URL: \(apply.stderr)")
        #expect(apply.stderr.contains("B24PLAN_DATABASE_URL"), "names where it came from: \(apply.stderr)")
    }
}

/// A "portal" that answers every request with HTTP 400 and an error whose code and description hold
/// terminal control characters, HTML and a 10,000-character tail. Stopped by closing its stdin.
final class HostilePortal: @unchecked Sendable {
    static let source = #"""
        import http.server, json, signal, sys, threading
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        CODE = "EVIL_\u001b[2J<script>alert(1)</script>"
        DESC = "line1\nline2\r\u001b]0;pwned\u0007 </style><script>alert('x')</script> ]]> \"q\" 'q' " + "L" * 10000
        class H(http.server.BaseHTTPRequestHandler):
            def answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                if length: self.rfile.read(length)
                body = json.dumps({"error": CODE, "error_description": DESC}).encode()
                self.send_response(400)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            do_GET = do_POST = answer
            def log_message(self, *a): pass
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
        print("PORT", server.server_address[1], flush=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        sys.stdin.read()
        """#

    let process = Process()
    let input = Pipe()
    let port: Int
    var base: String { "http://127.0.0.1:\(port)" }

    init() throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.source]
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = input
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        var buffer = Data()
        var found: Int?
        while found == nil {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            if let line = String(decoding: buffer, as: UTF8.self).split(separator: "\n").first(where: { $0.hasPrefix("PORT ") }) {
                found = Int(line.dropFirst(5).trimmingCharacters(in: .whitespaces))
            }
        }
        guard let found else { throw PortalFarm.FarmError(message: "the hostile portal did not print its port") }
        port = found
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
