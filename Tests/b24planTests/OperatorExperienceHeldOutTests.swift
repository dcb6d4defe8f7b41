import Foundation
import ReleasePlan
import Testing

/// Held-out tests of issue 13 (operator experience): `status --portals`, exit codes that match the
/// words, checks before any step runs, the working directory, `init` and `.gitignore`, and the exit
/// codes each command's `--help` lists. Written from DESIGN §7–9, the README and the issue alone;
/// the binary is a black box driven against the fake portal farm.
///
/// The farm's portals are brought into each terminal state through its control endpoints:
/// `done` (nothing wrong), `needs-reinstall` (the token lacks the added scope `task`, or `app.info`
/// says `INSTALLED: false`), `inactive` (`uninstalled` → APPLICATION_NOT_FOUND, `deleted` →
/// PORTAL_DELETED), `failed` (the installation's endpoint answers every request with HTTP 500) and
/// `pending` (not reached: the run waits at a gate before those portals).
///
/// Continued in `+Portals.swift` (status --portals), `+ExitCodes.swift` (apply's exit code, help)
/// and `+Checks.swift` (checks before any step, working directory, init).
@Suite("operator experience held-out (issue 13)", .serialized)
struct OperatorExperienceHeldOutTests {
    static let app = "acme.opx"
    static let states = ["done", "needs-reinstall", "inactive", "failed", "pending"]
    static let entryKeys: Set<String> = ["memberId", "host", "state", "reason", "attempts", "updatedAt"]

    static func member(_ index: Int) -> String { String(format: "m%05d", index) }

    // MARK: - Plans

    static let deal = #"{ "placement": "CRM_DEAL_DETAIL_TAB", "handler": "https://app.acme.example/deal", "title": "Deals" }"#
    static let task = #"{ "placement": "TASK_VIEW_TAB", "handler": "https://app.acme.example/task", "title": "Linked deals" }"#
    static let taskScope = #"{ "code": "task", "purpose": "Shows the deals linked to a task on a task tab" }"#

    /// A migration of the scope-adding release (for the checks that must run before it).
    static let migrationSQL = "CREATE TABLE opx_notes (id INTEGER PRIMARY KEY, member_id TEXT NOT NULL);\n"
    static let migrationFile = "migrations/0001_create_opx_notes.sql"

    /// 1.0.0: the deal tab (scopes crm, placement). 2.0.0: adds the scope `task` (reinstall) and the
    /// task tab. With `migration`, 2.0.0 also lists one schema migration; with `deploy`, it runs
    /// `./deploy.sh` (which appends to `deploys.log` in the plan folder).
    static func plans(migration: Bool = false, deploy: Bool = false) -> [String: String] {
        let head = #""app": "\#(app)", "handlerHosts": ["app.acme.example"]"#
        var extra = ""
        if migration {
            extra +=
                #", "migrations": [{ "id": 1, "name": "create_opx_notes", "file": "\#(migrationFile)", "sha256": "\#(SHA256.hex(Array(migrationSQL.utf8)))" }]"#
        }
        if deploy { extra += #", "deploy": { "command": ["./deploy.sh"] }"# }
        return [
            "1.0.0": """
            { \(head), "version": "1.0.0", "changelog": { "en": "The deal tab shows the items linked to a deal." },
              "scopes": ["crm", "placement"], "placements": [\(deal)] }

            """,
            "2.0.0": """
            { \(head), "version": "2.0.0", "changelog": { "en": "A task tab lists the deals linked to each task." },
              "scopes": ["crm", "placement", \(taskScope)], "scopeUpgrade": "reinstall",
              "placements": [\(deal), \(task)]\(extra) }

            """,
        ]
    }

    /// A farm of `portals` portals holding 1.0.0's bindings, 1.0.0 baselined; 2.0.0 beside it.
    static func workspace(
        portals: Int, migration: Bool = false, deploy: Bool = false, config: String? = nil
    ) throws -> FarmWorkspace {
        let workspace = try FarmWorkspace(app: app, plans: plans(migration: migration, deploy: deploy), portals: portals, config: config)
        let folder = workspace.folder.appendingPathComponent("plans/\(app)")
        if migration {
            let file = folder.appendingPathComponent(migrationFile)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try migrationSQL.write(to: file, atomically: true, encoding: .utf8)
        }
        if deploy {
            let script = folder.appendingPathComponent("deploy.sh")
            try "#!/bin/sh\necho deployed >> deploys.log\n".write(to: script, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        }
        return workspace
    }

    // MARK: - Bringing portals into a state

    /// The portal's token no longer holds `task` (the scope 2.0.0 adds): needs-reinstall.
    static func lackTask(_ workspace: FarmWorkspace, _ member: String) throws {
        _ = try workspace.farm.control("/_farm/portal/\(member)/scopes", post: ["scopes": ["crm", "placement", "landing"]])
    }

    /// `uninstalled` (APPLICATION_NOT_FOUND) or `deleted` (PORTAL_DELETED): inactive.
    static func fault(_ workspace: FarmWorkspace, _ member: String, _ faults: [String]) throws {
        _ = try workspace.farm.control("/_farm/portal/\(member)/faults", post: ["faults": faults])
    }

    /// `app.info` says `INSTALLED: false`: needs-reinstall.
    static func notInstalled(_ workspace: FarmWorkspace, _ member: String) throws {
        _ = try workspace.farm.control("/_farm/portal/\(member)/installed", post: ["installed": false])
    }

    /// Points the installation at the handler stand-in's `/broken/` segment: every REST request
    /// answers HTTP 500 (a persistent 5xx), so the portal ends `failed`. Returns the endpoint it had.
    @discardableResult
    static func breakEndpoint(_ workspace: FarmWorkspace, _ member: String, _ handlers: HandlerServer) throws -> String {
        let original = try workspace.rows("SELECT client_endpoint FROM portals WHERE member_id = '\(member)'").first?["client_endpoint"]
        _ = try workspace.rows("UPDATE portals SET client_endpoint = '\(handlers.base)/broken/p/rest/' WHERE member_id = '\(member)'")
        return original as? String ?? ""
    }

    /// Points the installation back at `endpoint`.
    static func setEndpoint(_ workspace: FarmWorkspace, _ member: String, _ endpoint: String) throws {
        _ = try workspace.rows("UPDATE portals SET client_endpoint = '\(endpoint)' WHERE member_id = '\(member)'")
    }

    // MARK: - Reading status --portals

    /// `status --portals --format json PLAN2 extra…`: the output and its document.
    static func portalsJSON(_ workspace: FarmWorkspace, _ extra: [String]) throws -> (CLIRunner.Output, [String: Any]) {
        let output = try workspace.run(["status", "--portals", "--format", "json", workspace.plan("2.0.0")] + extra)
        let document = (try? CLIRunner.json(output)) ?? [:]
        return (output, document)
    }

    static func list(_ document: [String: Any]) -> [[String: Any]] { document["portalList"] as? [[String: Any]] ?? [] }

    static func members(_ document: [String: Any]) -> [String] { list(document).map { $0["memberId"] as? String ?? "?" } }

    /// `nextAfter`: `.some(nil)` for JSON null, `nil` when the key is absent.
    static func nextAfter(_ document: [String: Any]) -> String?? {
        guard let value = document["nextAfter"] else { return nil }
        return .some(value as? String)
    }

    /// Every page of `status --portals --limit N [extra…]`, following `nextAfter` (at most 60 pages).
    static func pages(_ workspace: FarmWorkspace, limit: Int, _ extra: [String] = []) throws -> [[String]] {
        var pages: [[String]] = []
        var after: String?
        for _ in 0..<60 {
            let (output, document) = try portalsJSON(
                workspace, ["--limit", String(limit)] + extra + (after.map { ["--after", $0] } ?? []))
            #expect(output.code == 0, "status --portals page \(pages.count + 1): \(output.code) \(output.stderr)")
            guard output.code == 0 else { break }
            pages.append(members(document))
            guard let next = nextAfter(document), let value = next else {
                #expect(nextAfter(document) != nil, "nextAfter is present (null on the last page): \(output.stdout)")
                break
            }
            #expect(value == pages.last?.last, "nextAfter is the last member id shown: \(value) vs \(pages.last ?? [])")
            after = value
        }
        return pages
    }

    /// The table rows of text output by member id (a row starts with the member id), and whether a
    /// header row (naming member, state and host) stands before the first of them.
    static func table(_ text: String, members: [String]) -> (header: Bool, rows: [String: String]) {
        let lines = text.split(separator: "\n").map(String.init)
        var rows: [String: String] = [:]
        var firstRow: Int?
        for (index, line) in lines.enumerated() {
            let token = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "|" || $0 == "│" }).first.map(String.init) ?? ""
            if members.contains(token) {
                #expect(rows[token] == nil, "one row per member: \(token) twice in\n\(text)")
                rows[token] = line
                if firstRow == nil { firstRow = index }
            }
        }
        let header = lines[..<(firstRow ?? lines.count)].contains { line in
            let lower = line.lowercased()
            return lower.contains("member") && lower.contains("state") && lower.contains("host")
        }
        return (header, rows)
    }

    /// The host of a farm endpoint, written with or without its port.
    static func isFarmHost(_ host: String?) -> Bool { host == "127.0.0.1" || host?.hasPrefix("127.0.0.1:") == true }

    // MARK: - Help text

    /// The exit codes listed in the last "exit codes" section of a help text (the heading line's
    /// rest and the lines up to the next blank line): every number standing alone there.
    static func exitCodes(inHelp text: String) -> Set<Int>? {
        let lines = text.components(separatedBy: "\n")
        guard
            let start = lines.lastIndex(where: {
                let head = $0.trimmingCharacters(in: .whitespaces).lowercased()
                return head.hasPrefix("exit code") || head.hasPrefix("exit status")
            })
        else { return nil }
        var section = [String(lines[start].drop { $0 != ":" })]
        for line in lines[(start + 1)...] {
            if line.trimmingCharacters(in: .whitespaces).isEmpty { break }
            section.append(line)
        }
        var codes = Set<Int>()
        for line in section {
            for token in line.split(whereSeparator: { !$0.isLetter && !$0.isNumber }) where token.count <= 3 {
                if let code = Int(token) { codes.insert(code) }
            }
        }
        return codes
    }

    // MARK: - The journal

    /// Steps of 2.0.0's run that left `pending` (nil: no such table or run).
    static func startedSteps(_ workspace: FarmWorkspace, version: String = "2.0.0") -> [String]? {
        let rows = try? workspace.rows(
            "SELECT s.step_id, s.state FROM b24plan_steps s JOIN b24plan_runs r ON r.id = s.run_id "
                + "WHERE r.app = '\(app)' AND r.version = '\(version)' AND (s.state <> 'pending' OR s.started_at IS NOT NULL)")
        return rows?.map { "\($0["step_id"] ?? "?") \($0["state"] ?? "?")" }
    }

    static func count(_ workspace: FarmWorkspace, _ sql: String) -> Int? {
        (try? workspace.rows(sql))?.first?.values.first as? Int
    }
}
