import Foundation
import Testing

/// `status --portals` (issue 13, item 1): which portals are in which state and why.
extension OperatorExperienceHeldOutTests {
    /// What each portal of the mixed fleet is expected to end as, and words its reason must hold.
    static let mixedExpectations: [(member: String, state: String, reason: [String])] = [
        (member(1), "done", []),
        (member(2), "needs-reinstall", ["task"]),
        (member(3), "inactive", ["APPLICATION_NOT_FOUND"]),
        (member(4), "inactive", ["PORTAL_DELETED"]),
        (member(5), "failed", ["redirect"]),
        (member(6), "needs-reinstall", ["INSTALLED"]),
        (member(7), "pending", []), (member(8), "pending", []), (member(9), "pending", []), (member(10), "pending", []),
    ]

    /// Ten portals; a canary of the first six (one per terminal state) runs, then `gate.canary`
    /// waits, so the last four are not reached (pending). Returns once apply stopped at that gate.
    /// The failed portal's endpoint answers HTTP 500 when `handlers` are given (bounded retries, a
    /// few seconds), else the farm redirects it to a plain-http foreign host (failed at once).
    static func mixedFleet(_ handlers: HandlerServer? = nil) throws -> (workspace: FarmWorkspace, endpoint: String) {
        let canary = (1...6).map { "\"\(member($0))\"" }.joined(separator: ", ")
        let rollout =
            #""rollout": { "canary": { "memberIds": [\#(canary)] }, "waves": [100], "between": "gate", "halt": { "failedPercent": 90, "minPortals": 100 } }"#
        let workspace = try workspace(portals: 10, config: rollout)
        try lackTask(workspace, member(2))
        try fault(workspace, member(3), ["uninstalled"])
        try fault(workspace, member(4), ["deleted"])
        var endpoint = ""
        if let handlers {
            endpoint = try breakEndpoint(workspace, member(5), handlers)
        } else {
            try fault(workspace, member(5), ["redirect_insecure"])
        }
        try notInstalled(workspace, member(6))
        let canaryRun = try workspace.release("2.0.0")
        try #require(canaryRun.code == 3, "apply stops at gate.canary: \(canaryRun.code) \(canaryRun.stdout)\(canaryRun.stderr)")
        let tasks = try workspace.rows(
            "SELECT t.member_id, t.state FROM b24plan_portal_tasks t JOIN b24plan_runs r ON r.id = t.run_id WHERE r.version = '2.0.0'")
        let recorded = Dictionary(
            tasks.map { ($0["member_id"] as? String ?? "?", $0["state"] as? String ?? "?") }, uniquingKeysWith: { first, _ in first })
        for (member, state, _) in mixedExpectations where state != "pending" {
            try #require(recorded[member] == state, "the fleet is set up: \(member) is \(recorded[member] ?? "absent"), not \(state)")
        }
        return (workspace, endpoint)
    }

    @Test("status --portals --format json: every portal of the run, sorted, with host, state, reason, attempts and when")
    func portalListInJSON() throws {
        let (workspace, _) = try Self.mixedFleet()
        defer { workspace.close() }

        let (output, document) = try Self.portalsJSON(workspace, ["--limit", "0"])
        #expect(output.code == 0, "\(output.stdout)\(output.stderr)")
        for key in ["run", "app", "version", "steps", "portals"] { #expect(document[key] != nil, "the usual status document keeps \(key)") }
        let entries = Self.list(document)
        #expect(Self.members(document) == Self.mixedExpectations.map(\.member), "every portal, by member id: \(output.stdout)")
        #expect(Self.nextAfter(document) == .some(nil), "nothing remains after an uncapped list: \(output.stdout)")
        for entry in entries {
            #expect(Set(entry.keys).isSuperset(of: Self.entryKeys), "an entry has \(Self.entryKeys.sorted()): \(entry)")
        }
        for (member, state, words) in Self.mixedExpectations {
            guard let entry = entries.first(where: { $0["memberId"] as? String == member }) else { continue }
            #expect(entry["state"] as? String == state, "\(member): \(entry)")
            #expect(Self.isFarmHost(entry["host"] as? String), "\(member): the host of its client endpoint: \(entry)")
            let reason = entry["reason"] as? String
            switch state {
            case "done": #expect(entry["reason"] is NSNull, "a done portal has a null reason: \(entry)")
            case "pending": break
            default: #expect(reason?.isEmpty == false, "\(member) (\(state)) says why: \(entry)")
            }
            for word in words { #expect(reason?.contains(word) == true, "\(member)'s reason names \(word): \(entry)") }
            let attempts = entry["attempts"] as? Int
            if state == "pending" {
                #expect(attempts == 0, "\(member) was not reached: attempts 0: \(entry)")
            } else {
                #expect((attempts ?? 0) >= 1, "\(member) was tried: \(entry)")
                #expect((entry["updatedAt"] as? String)?.isEmpty == false, "\(member) says when: \(entry)")
            }
        }
        let counts = document["portals"] as? [String: Int] ?? [:]
        for state in ["done", "needs-reinstall", "inactive", "failed"] {
            let listed = entries.filter { $0["state"] as? String == state }.count
            #expect(counts[state] == listed, "the counts and the list agree on \(state): \(counts) vs \(listed)")
        }
        #expect(!output.stdout.contains(workspace.environment["B24_CLIENT_SECRET"] ?? "unset"))
    }

    @Test(
        "status --portals --state S lists exactly the portals in S, for each of the five states; a bad --state or --limit is a usage error")
    func portalListFilters() throws {
        let (workspace, _) = try Self.mixedFleet()
        defer { workspace.close() }
        for state in Self.states {
            let (output, document) = try Self.portalsJSON(workspace, ["--state", state, "--limit", "0"])
            #expect(output.code == 0, "--state \(state): \(output.stdout)\(output.stderr)")
            let expected = Self.mixedExpectations.filter { $0.state == state }.map(\.member)
            #expect(Self.members(document) == expected, "--state \(state): \(output.stdout)")
            #expect(Self.list(document).allSatisfy { $0["state"] as? String == state })
        }
        let bogus = try workspace.run(["status", "--portals", "--state", "broken", workspace.plan("2.0.0")])
        #expect(bogus.code == 64, "an unknown state: \(bogus.code) \(bogus.stderr)")
        for limit in ["-1", "ten"] {
            let wrong = try workspace.run(["status", "--portals", "--limit", limit, workspace.plan("2.0.0")])
            #expect(wrong.code == 64, "--limit \(limit): \(wrong.code) \(wrong.stderr)")
        }
    }

    @Test("status --portals --limit/--after pages through the list: consistent, no duplicates, complete; nextAfter null at the end")
    func portalListPaging() throws {
        let (workspace, _) = try Self.mixedFleet()
        defer { workspace.close() }
        let all = Self.mixedExpectations.map(\.member)

        let byThree = try Self.pages(workspace, limit: 3)
        #expect(byThree == [Array(all[0..<3]), Array(all[3..<6]), Array(all[6..<9]), Array(all[9...])], "\(byThree)")
        // A page that ends exactly at the last portal: nothing remains, so nextAfter is null.
        let byFive = try Self.pages(workspace, limit: 5)
        #expect(byFive == [Array(all[0..<5]), Array(all[5...])], "\(byFive)")
        let flat = byThree.flatMap { $0 }
        #expect(flat == all && Set(flat).count == flat.count, "every portal once, in order: \(flat)")

        // Paging a filtered list: "more remain" counts only that state's portals.
        let inactive = try Self.pages(workspace, limit: 1, ["--state", "inactive"])
        #expect(inactive == [[Self.member(3)], [Self.member(4)]], "\(inactive)")
        let pending = try Self.pages(workspace, limit: 3, ["--state", "pending"])
        #expect(pending == [Array(all[6..<9]), [all[9]]], "\(pending)")

        // Keyset: --after a member id returns the entries after it, whatever page size brought it.
        let (afterOutput, after) = try Self.portalsJSON(workspace, ["--after", Self.member(4), "--limit", "2"])
        #expect(afterOutput.code == 0, "\(afterOutput.stderr)")
        #expect(Self.members(after) == [Self.member(5), Self.member(6)], "\(afterOutput.stdout)")
        #expect(Self.nextAfter(after) == .some(Self.member(6)), "\(afterOutput.stdout)")
        let (_, end) = try Self.portalsJSON(workspace, ["--after", Self.member(10)])
        #expect(Self.list(end).isEmpty && Self.nextAfter(end) == .some(nil), "after the last portal: nothing: \(end)")
        let (_, capped) = try Self.portalsJSON(workspace, ["--limit", "4"])
        #expect(Self.members(capped) == Array(all[0..<4]), "--limit caps the list: \(capped)")
        let counts = capped["portals"] as? [String: Int] ?? [:]
        #expect(counts["done"] == 1 && counts["inactive"] == 2 && counts["failed"] == 1, "the counts are of the whole run: \(counts)")
    }

    @Test("status --portals as text: a table with a header row, one row per portal with its state and reason; --state filters it")
    func portalListAsText() throws {
        let (workspace, _) = try Self.mixedFleet()
        defer { workspace.close() }
        let all = Self.mixedExpectations.map(\.member)
        let text = try workspace.run(["status", "--portals", "--limit", "0", workspace.plan("2.0.0")])
        #expect(text.code == 0, "\(text.stdout)\(text.stderr)")
        let (header, rows) = Self.table(text.stdout, members: all)
        #expect(header, "a header row before the rows: \(text.stdout)")
        #expect(Set(rows.keys) == Set(all), "one row per portal: \(text.stdout)")
        for (member, state, words) in Self.mixedExpectations {
            guard let row = rows[member] else { continue }
            let columns = row.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "|" || $0 == "│" }).map(String.init)
            #expect(columns.contains(state), "\(member)'s row shows \(state): \(row)")
            for word in words { #expect(row.contains(word), "\(member)'s row shows its reason (\(word)): \(row)") }
        }
        let order = all.compactMap { member in rows[member].flatMap { row in text.stdout.range(of: row)?.lowerBound } }
        #expect(order == order.sorted(), "rows sorted by member id")

        let filtered = try workspace.run(["status", "--portals", "--state", "inactive", workspace.plan("2.0.0")])
        #expect(filtered.code == 0, "\(filtered.stderr)")
        let (filteredHeader, filteredRows) = Self.table(filtered.stdout, members: all)
        #expect(filteredHeader && Set(filteredRows.keys) == [Self.member(3), Self.member(4)], "\(filtered.stdout)")
    }

    @Test(
        "status --portals before any portal step: every installation pending (attempts 0), capped at 100 by default, host from the endpoint"
    )
    func pendingInstallationsAndDefaultLimit() throws {
        let workspace = try Self.workspace(portals: 120)
        defer { workspace.close() }
        let hosts = [Self.member(7): "acme-7.bitrix24.de", Self.member(101): "portal.example.org"]
        for (member, host) in hosts { try Self.setEndpoint(workspace, member, "https://\(host)/rest/") }
        let apply = try workspace.run(["apply", "--yes", workspace.plan("2.0.0")])
        #expect(apply.code == 3, "the deploy gate is pending: \(apply.stdout)\(apply.stderr)")
        #expect(try workspace.farm.stats()["requests_total"] as? Int == 0, "no portal was reached")
        let all = (1...120).map(Self.member)

        let (output, first) = try Self.portalsJSON(workspace, [])
        #expect(output.code == 0, "\(output.stdout)\(output.stderr)")
        #expect(Self.members(first) == Array(all[0..<100]), "100 by default, sorted: \(Self.members(first).prefix(3))…")
        #expect(Self.nextAfter(first) == .some(Self.member(100)), "more remain: \(String(describing: Self.nextAfter(first)))")
        for entry in Self.list(first) {
            #expect(entry["state"] as? String == "pending" && entry["attempts"] as? Int == 0, "\(entry)")
        }
        for (member, host) in hosts where member <= Self.member(100) {
            let entry = Self.list(first).first { $0["memberId"] as? String == member }
            #expect(entry?["host"] as? String == host, "the host of the installation's client endpoint: \(String(describing: entry))")
        }
        #expect(Self.isFarmHost(Self.list(first).first?["host"] as? String), "\(String(describing: Self.list(first).first))")

        let (_, rest) = try Self.portalsJSON(workspace, ["--after", Self.member(100)])
        #expect(Self.members(rest) == Array(all[100...]), "\(Self.members(rest))")
        #expect(Self.nextAfter(rest) == .some(nil))
        #expect(Self.list(rest).first { $0["memberId"] as? String == Self.member(101) }?["host"] as? String == hosts[Self.member(101)])
        let (_, uncapped) = try Self.portalsJSON(workspace, ["--limit", "0", "--state", "pending"])
        #expect(Self.members(uncapped) == all, "--limit 0: no cap")
        let (_, none) = try Self.portalsJSON(workspace, ["--state", "done"])
        #expect(Self.list(none).isEmpty && Self.nextAfter(none) == .some(nil), "\(none)")

        let text = try workspace.run(["status", "--portals", workspace.plan("2.0.0")])
        let (header, rows) = Self.table(text.stdout, members: all)
        #expect(text.code == 0 && header, "\(text.stdout.prefix(600))\(text.stderr)")
        #expect(Set(rows.keys) == Set(all[0..<100]), "the text table is capped at 100 too: \(rows.count) rows")
    }

    @Test("PostgreSQL: status --portals lists the states and reasons of a scope-adding release's portals, and pages")
    func portalListOnPostgres() throws {
        guard let postgres = try FleetTests.postgresDatabase("opx_portals") else { return }
        let setup = try FleetTests.Setup(portals: 8, faults: "", postgres: postgres)
        defer { setup.close() }
        _ = try setup.farm.control("/_farm/portal/m00002/scopes", post: ["scopes": ["crm", "placement"]])
        _ = try setup.farm.control("/_farm/portal/m00003/faults", post: ["faults": ["uninstalled"]])
        _ = try setup.farm.control("/_farm/portal/m00005/faults", post: ["faults": ["deleted"]])
        let plan = "plans/acme.dealsync/2.0.0.json"
        let apply = try setup.run(["apply", "--yes", plan])
        #expect(apply.code == 0, "needs-reinstall and inactive are not failures: \(apply.code) \(apply.stdout)\(apply.stderr)")
        let journal = try CLIRunner.runTool(
            "/usr/bin/env",
            [
                "psql", postgres, "-At", "-c",
                "SELECT member_id || ' ' || state FROM b24plan_portal_tasks WHERE step_id = 'portals.reconcile' ORDER BY member_id",
            ])
        let recorded = journal.stdout.split(separator: "\n").map(String.init)
        try #require(
            recorded
                == (1...8).map {
                    "\(Self.member($0)) \(["m00002": "needs-reinstall", "m00003": "inactive", "m00005": "inactive"][Self.member($0)] ?? "done")"
                },
            "the fleet is set up: \(recorded) \(journal.stderr)")
        let output = try setup.run(["status", "--portals", "--limit", "0", "--format", "json", plan])
        #expect(output.code == 0, "\(output.stdout)\(output.stderr)")
        let document = (try? CLIRunner.json(output)) ?? [:]
        let entries = Self.list(document)
        #expect(Self.members(document) == (1...8).map(Self.member), "\(output.stdout)")
        let expected = ["m00002": "needs-reinstall", "m00003": "inactive", "m00005": "inactive"]
        for entry in entries {
            let member = entry["memberId"] as? String ?? "?"
            #expect(entry["state"] as? String == expected[member] ?? "done", "\(entry)")
            #expect(Self.isFarmHost(entry["host"] as? String), "\(entry)")
        }
        let reasons = Dictionary(
            entries.map { ($0["memberId"] as? String ?? "?", $0["reason"] as? String ?? "") }, uniquingKeysWith: { first, _ in first })
        #expect(reasons["m00002"]?.contains("task") == true, "\(reasons)")
        #expect(reasons["m00003"]?.contains("APPLICATION_NOT_FOUND") == true, "\(reasons)")
        #expect(reasons["m00005"]?.contains("PORTAL_DELETED") == true, "\(reasons)")
        var pages: [[String]] = []
        var after: [String] = []
        for _ in 0..<10 {
            let page = try setup.run(["status", "--portals", "--limit", "3", "--format", "json", plan] + after)
            let pageDocument = (try? CLIRunner.json(page)) ?? [:]
            pages.append(Self.members(pageDocument))
            guard let next = Self.nextAfter(pageDocument), let value = next else { break }
            after = ["--after", value]
        }
        #expect(pages == [["m00001", "m00002", "m00003"], ["m00004", "m00005", "m00006"], ["m00007", "m00008"]], "\(pages)")
    }
}
