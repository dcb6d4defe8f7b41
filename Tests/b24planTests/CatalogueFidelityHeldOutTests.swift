import Foundation
import Testing

/// Held-out tests for issue 11, "Catalogue fidelity", written from the specification, README,
/// DESIGN §4 and BITRIX24.md ("Facts checked against the docs on 2026-12-06") only — not from the
/// implementation. They run the built binary, as the other CLI tests do.
///
/// Every plan built here gives each scope a `purpose`, so B24P211 never fires by accident, and a
/// changelog long enough for B24P105: a plan is expected to lint with exactly the codes asserted.
/// Locations are computed from the plan text itself (the opening quote of the offending value).
@Suite("Catalogue fidelity (held-out, issue 11)")
struct CatalogueFidelityHeldOutTests {

    // MARK: - 1. TASK_VIEW_TAB / TASK_VIEW_SIDEBAR keep `groupId`

    @Test(
        "1. TASK_VIEW_TAB and TASK_VIEW_SIDEBAR keep groupId; width is still dropped (B24P217)",
        arguments: ["TASK_VIEW_TAB", "TASK_VIEW_SIDEBAR"])
    func taskPlacementsKeepGroupId(placement: String) throws {
        let clean = try Self.lint(
            Self.plan(
                scopes: ["placement", "task"],
                placements: [(placement, #"{ "groupId": "11,12" }"#)]))
        Self.expectClean(clean)

        let text = Self.plan(
            scopes: ["placement", "task"], placements: [(placement, #"{ "groupId": "11,12", "width": 600 }"#)])
        let dropped = try Self.lint(text)
        #expect(dropped.code == 0, "warnings alone exit 0: \(dropped.stdout)")
        #expect(dropped.rules == ["B24P217"], "\(dropped.stdout)")
        #expect(
            !dropped.diagnostics.contains { $0.path.contains("groupId") }, "groupId is kept: \(dropped.stdout)")
        let finding = try #require(
            dropped.diagnostics.first { $0.rule == "B24P217" && $0.path == "placements[0].options.width" },
            "\(dropped.stdout)")
        #expect(finding.severity == "warning")
        #expect(finding.file == "1.0.0.json")
        #expect(finding.message.contains("width"))
        #expect(!finding.message.contains(#"option "groupId""#), "groupId is kept: \(finding.message)")
        // The option's key or its value: either is "the offending value" of an option.
        let key = try Self.position(of: #""width""#, in: text)
        let value = try Self.position(of: "600", in: text)
        #expect(finding.line == key.line)
        #expect(finding.column == key.column || finding.column == value.column, "\(finding)")
    }

    // MARK: - 2. Landing placements

    static let landingPlacements = [
        "LANDING_SETTINGS", "LANDING_BLOCK_04.1.one_col_fix_with_title", "LANDING_BLOCK_repo_1132", "LANDING_BLOCK_*",
    ]

    @Test("2. LANDING_SETTINGS, LANDING_BLOCK_<CODE> and LANDING_BLOCK_* are known placements (scope landing)")
    func landingPlacementsAreKnown() throws {
        let run = try Self.lint(
            Self.plan(scopes: ["placement", "landing"], placements: Self.landingPlacements.map { ($0, nil) }))
        Self.expectClean(run)
    }

    @Test("2. a landing placement without scope landing is B24P204 naming landing")
    func landingPlacementsNeedLanding() throws {
        let codes = ["LANDING_SETTINGS", "LANDING_BLOCK_repo_1132"]
        let text = Self.plan(scopes: ["placement"], placements: codes.map { ($0, nil) })
        let run = try Self.lint(text)
        #expect(run.code == 1)
        #expect(run.rules == ["B24P204", "B24P204"], "\(run.stdout)")
        for (index, code) in codes.enumerated() {
            let finding = try Self.expect(
                run, rule: "B24P204", severity: "error", path: "placements[\(index)].placement", at: "\"\(code)\"",
                in: text)
            #expect(finding?.message.contains("landing") == true, "\(String(describing: finding))")
        }
    }

    @Test("2. (inferred) landing placements are bound with landing.repo.bind, so they need no scope placement (no B24P206)")
    func landingOnlyPlanNeedsNoPlacementScope() throws {
        let run = try Self.lint(Self.plan(scopes: ["landing"], placements: [("LANDING_SETTINGS", nil)]))
        #expect(!run.rules.contains("B24P206"), "\(run.stdout)")
        #expect(run.errors == 0 && run.code == 0, "\(run.stdout)")
    }

    @Test("2. the bare LANDING_BLOCK is gone from the docs: B24P218 or B24P202, never silent")
    func bareLandingBlockIsNotSilent() throws {
        let text = Self.plan(scopes: ["placement", "landing"], placements: [("LANDING_BLOCK", nil)])
        let run = try Self.lint(text)
        let finding = try #require(
            run.diagnostics.first { $0.rule == "B24P218" || $0.rule == "B24P202" }, "silent: \(run.stdout)")
        #expect(finding.severity == (finding.rule == "B24P218" ? "warning" : "error"))
        #expect(finding.path == "placements[0].placement")
        let at = try Self.position(of: #""LANDING_BLOCK""#, in: text)
        #expect(finding.line == at.line && finding.column == at.column, "\(finding)")
        #expect(run.code == (run.errors > 0 ? 1 : 0))
    }

    // MARK: - 3. Events not delivered through event.bind (B24P219)

    @Test(
        "3. ONIMV2* and ONIMBOTV2* events are B24P219 errors naming their mechanism",
        arguments: [
            ("ONIMV2MESSAGEADD", "im", "im.v2.Event.get"),
            ("ONIMV2JOINCHAT", "im", "im.v2.Event.get"),
            ("ONIMBOTV2MESSAGEADD", "imbot", "imbot.v2.Bot.register"),
            ("ONIMBOTV2COMMANDADD", "imbot", "imbot.v2.Bot.register"),
        ])
    func eventsNotBoundWithEventBind(event: String, scope: String, mechanism: String) throws {
        let text = Self.plan(scopes: [scope], events: [event])
        let run = try Self.lint(text)
        #expect(run.code == 1, "\(run.stdout)")
        #expect(run.rules == ["B24P219"], "known event, right scope: only B24P219 (\(run.stdout))")
        let finding = try Self.expect(
            run, rule: "B24P219", severity: "error", path: "events[0].event", at: "\"\(event)\"", in: text)
        #expect(finding?.message.contains(mechanism) == true, "\(String(describing: finding))")
    }

    @Test("3. an event delivered through event.bind is not B24P219")
    func boundEventIsFine() throws {
        Self.expectClean(try Self.lint(Self.plan(scopes: ["crm"], events: ["ONCRMDEALUPDATE"])))
    }

    // MARK: - 4. Newly known placements, events and scopes

    @Test(
        "4. CRM_DYNAMIC_<id>_FUNNELS_TOOLBAR and CRM_SMART_INVOICE_FUNNELS_TOOLBAR: clean with crm, B24P204 without",
        arguments: ["CRM_DYNAMIC_128_FUNNELS_TOOLBAR", "CRM_SMART_INVOICE_FUNNELS_TOOLBAR"])
    func funnelsToolbars(placement: String) throws {
        Self.expectClean(try Self.lint(Self.plan(scopes: ["placement", "crm"], placements: [(placement, nil)])))

        let text = Self.plan(scopes: ["placement"], placements: [(placement, nil)])
        let run = try Self.lint(text)
        #expect(run.code == 1)
        #expect(run.rules == ["B24P204"], "\(run.stdout)")
        let finding = try Self.expect(
            run, rule: "B24P204", severity: "error", path: "placements[0].placement", at: "\"\(placement)\"", in: text)
        #expect(finding?.message.contains("crm") == true)
    }

    /// The twelve Online Booking events, from `api-reference/booking/**/events/` in the docs mirror.
    static let bookingEvents = [
        "ONBOOKINGADD", "ONBOOKINGUPDATE", "ONBOOKINGDELETE",
        "ONBOOKINGRESOURCEADD", "ONBOOKINGRESOURCEUPDATE", "ONBOOKINGRESOURCEDELETE",
        "ONBOOKINGRESOURCETYPEADD", "ONBOOKINGRESOURCETYPEUPDATE", "ONBOOKINGRESOURCETYPEDELETE",
        "ONBOOKINGWAITLISTITEMADD", "ONBOOKINGWAITLISTITEMUPDATE", "ONBOOKINGWAITLISTITEMDELETE",
    ]

    @Test("4. the 12 ONBOOKING* events: clean with booking, B24P205 each without")
    func bookingEventsAreKnown() throws {
        Self.expectClean(try Self.lint(Self.plan(scopes: ["booking"], events: Self.bookingEvents)))

        let text = Self.plan(scopes: ["crm"], events: Self.bookingEvents)
        let run = try Self.lint(text)
        #expect(run.code == 1)
        #expect(run.rules == Array(repeating: "B24P205", count: 12), "\(run.stdout)")
        for (index, event) in Self.bookingEvents.enumerated() {
            let finding = try Self.expect(
                run, rule: "B24P205", severity: "error", path: "events[\(index)].event", at: "\"\(event)\"", in: text)
            #expect(finding?.message.contains("booking") == true)
        }
    }

    @Test("4. scopes note and humanresources.hcmlink are known (no B24P201), with or without a purpose")
    func newScopesAreKnown() throws {
        Self.expectClean(try Self.lint(Self.plan(scopes: ["note", "humanresources.hcmlink"])))
        let bare = try Self.lint(Self.plan(scopes: ["crm"], bareScopes: ["note", "humanresources.hcmlink"]))
        #expect(!bare.rules.contains("B24P201"), "\(bare.stdout)")
        #expect(bare.errors == 0 && bare.code == 0, "\(bare.stdout)")
    }

    /// The five HCM Link events (`api-reference/sign/hcm-link/index.md`).
    static let hcmLinkEvents = [
        "ONHUMANRESOURCESHCMLINKEMPLOYEELISTREQUESTED", "ONHUMANRESOURCESHCMLINKEMPLOYEELISTMAPPED",
        "ONHUMANRESOURCESHCMLINKFIELDVALUEREQUESTED", "ONHUMANRESOURCESHCMLINKPINREQUESTED",
        "ONHUMANRESOURCESHCMLINKSALARYVACATIONREQUESTED",
    ]

    @Test("4. HCMLINK_SALARY_VACATION and the five HCM Link events: clean with humanresources.hcmlink, B24P204/B24P205 without")
    func hcmLink() throws {
        Self.expectClean(
            try Self.lint(
                Self.plan(
                    scopes: ["placement", "humanresources.hcmlink"], placements: [("HCMLINK_SALARY_VACATION", nil)],
                    events: Self.hcmLinkEvents)))

        let text = Self.plan(
            scopes: ["placement"], placements: [("HCMLINK_SALARY_VACATION", nil)], events: Self.hcmLinkEvents)
        let run = try Self.lint(text)
        #expect(run.code == 1)
        #expect(run.rules == ["B24P204"] + Array(repeating: "B24P205", count: 5), "\(run.stdout)")
        let placement = try Self.expect(
            run, rule: "B24P204", severity: "error", path: "placements[0].placement", at: #""HCMLINK_SALARY_VACATION""#,
            in: text)
        #expect(placement?.message.contains("humanresources.hcmlink") == true)
        for (index, event) in Self.hcmLinkEvents.enumerated() {
            let finding = try Self.expect(
                run, rule: "B24P205", severity: "error", path: "events[\(index)].event", at: "\"\(event)\"", in: text)
            #expect(finding?.message.contains("humanresources.hcmlink") == true)
        }
    }

    // MARK: - 5. Removed from the docs: B24P218 warning

    enum Removed: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case scopeCrmDocumentgenerator = "crm.documentgenerator"
        case catalogStoreAdd = "CATALOG.STORE.ON.ADD"
        case catalogStoreUpdate = "CATALOG.STORE.ON.UPDATE"
        case catalogStoreDelete = "CATALOG.STORE.ON.DELETE"
        case invoiceListMenu = "CRM_INVOICE_LIST_MENU"
        case invoiceDocumentGenerator = "CRM_INVOICE_DOCUMENTGENERATOR_BUTTON"
        case invoiceListToolbar = "CRM_INVOICE_LIST_TOOLBAR"
        case invoiceDetailToolbar = "CRM_INVOICE_DETAIL_TOOLBAR"
        case requisiteEditForm = "CRM_REQUISITE_EDIT_FORM"
        case oneCPage = "1C_PAGE"

        var testDescription: String { rawValue }
        var kind: String {
            switch self {
            case .scopeCrmDocumentgenerator: "scope"
            case .catalogStoreAdd, .catalogStoreUpdate, .catalogStoreDelete: "event"
            default: "placement"
            }
        }
        var path: String {
            switch kind {
            case "scope": "scopes[3]"
            case "event": "events[0].event"
            default: "placements[0].placement"
            }
        }
        /// A plan using it, with every scope it could plausibly need granted (and given a purpose).
        var plan: String {
            switch kind {
            case "scope": CatalogueFidelityHeldOutTests.plan(scopes: ["placement", "crm", "catalog"], bareScopes: [rawValue])
            case "event": CatalogueFidelityHeldOutTests.plan(scopes: ["placement", "crm", "catalog"], events: [rawValue])
            default:
                CatalogueFidelityHeldOutTests.plan(scopes: ["placement", "crm", "catalog"], placements: [(rawValue, nil)])
            }
        }
    }

    @Test("5. removed scope, events and placements are a B24P218 warning, located, exit 0", arguments: Removed.allCases)
    func removedIsAWarning(removed: Removed) throws {
        let text = removed.plan
        let run = try Self.lint(text)
        #expect(run.code == 0, "a warning, not an error: \(run.stdout)")
        #expect(run.errors == 0, "\(run.stdout)")
        // A bare removed scope may also be B24P211 (nothing uses it and it has no purpose).
        let allowed: Set<String> = removed.kind == "scope" ? ["B24P218", "B24P211"] : ["B24P218"]
        #expect(Set(run.rules).isSubset(of: allowed), "\(run.stdout)")
        #expect(run.rules.filter { $0 == "B24P218" }.count == 1, "\(run.stdout)")
        let finding = try Self.expect(
            run, rule: "B24P218", severity: "warning", path: removed.path, at: "\"\(removed.rawValue)\"", in: text)
        #expect(finding?.message.contains("removed from the Bitrix24 docs") == true, "\(String(describing: finding))")
        #expect(finding?.message.contains(removed.rawValue) == true, "\(String(describing: finding))")
    }

    @Test("5. B24P218 can be suppressed with a reason like any rule")
    func removedCanBeSuppressed() throws {
        let text = Self.plan(
            scopes: ["placement", "crm"], placements: [("CRM_INVOICE_LIST_MENU", nil)],
            suppress: #"{ "rule": "B24P218", "at": "placements[0]", "reason": "still bound on old portals" }"#)
        Self.expectClean(try Self.lint(text))
    }

    // MARK: - 6. Scope disagreements accepted both ways

    @Test("6. IM_SMILES_SELECTOR needs only placement and keeps extranet, role, context")
    func smilesSelector() throws {
        let options = #"{ "extranet": "N", "role": "USER", "context": "ALL" }"#
        let run = try Self.lint(Self.plan(scopes: ["placement"], placements: [("IM_SMILES_SELECTOR", options)]))
        for rule in ["B24P215", "B24P204", "B24P217", "B24P202"] {
            #expect(!run.rules.contains(rule), "\(rule): \(run.stdout)")
        }
        #expect(run.errors == 0 && run.code == 0, "\(run.stdout)")

        let text = Self.plan(
            scopes: ["placement"],
            placements: [("IM_SMILES_SELECTOR", #"{ "extranet": "N", "role": "USER", "context": "ALL", "width": 600 }"#)])
        let dropped = try Self.lint(text)
        let findings = dropped.diagnostics.filter { $0.rule == "B24P217" }
        #expect(findings.map(\.path) == ["placements[0].options.width"], "\(dropped.stdout)")
    }

    @Test("6. ONSONETGROUPADD is satisfied by sonet_group; without it B24P205")
    func sonetGroupEvent() throws {
        Self.expectClean(try Self.lint(Self.plan(scopes: ["sonet_group"], events: ["ONSONETGROUPADD"])))
        let text = Self.plan(scopes: ["crm"], events: ["ONSONETGROUPADD"])
        let run = try Self.lint(text)
        #expect(run.rules == ["B24P205"], "\(run.stdout)")
        let finding = try Self.expect(
            run, rule: "B24P205", severity: "error", path: "events[0].event", at: #""ONSONETGROUPADD""#, in: text)
        #expect(finding?.message.contains("sonet_group") == true, "\(String(describing: finding))")
    }

    @Test("6. ONIMCONNECTORMESSAGEADD is satisfied by imconnector alone; without it B24P205")
    func imConnectorEvent() throws {
        Self.expectClean(try Self.lint(Self.plan(scopes: ["imconnector"], events: ["ONIMCONNECTORMESSAGEADD"])))
        let text = Self.plan(scopes: ["crm"], events: ["ONIMCONNECTORMESSAGEADD"])
        let run = try Self.lint(text)
        #expect(run.rules == ["B24P205"], "\(run.stdout)")
        _ = try Self.expect(
            run, rule: "B24P205", severity: "error", path: "events[0].event", at: #""ONIMCONNECTORMESSAGEADD""#, in: text)
    }

    // MARK: - 7. explain B24P218 / B24P219

    @Test(
        "7. explain B24P218 and B24P219: exit 0, a bad example lint flags and a good one it does not",
        arguments: [("B24P218", "warning"), ("B24P219", "error")])
    func explainNewRules(code: String, severity: String) throws {
        let text = try CLIRunner.run(["explain", code])
        #expect(text.code == 0, "\(text.stderr)")
        #expect(text.stdout.contains(code))
        #expect(text.stdout.contains("Bad") && text.stdout.contains("Good"), "\(text.stdout)")

        let json = try CLIRunner.run(["explain", code, "--format", "json"])
        #expect(json.code == 0)
        let object = try CLIRunner.json(json)
        #expect(object["code"] as? String == code)
        #expect(object["severity"] as? String == severity)
        let bad = try #require(object["bad"] as? [String: Any])
        let good = try #require(object["good"] as? [String: Any])
        let badRun = try Self.lintExample(bad)
        #expect(badRun.rules.contains(code), "the bad example must break \(code): \(badRun.stdout)")
        let goodRun = try Self.lintExample(good)
        #expect(!goodRun.rules.contains(code), "the good example must not break \(code): \(goodRun.stdout)")
    }

    @Test("7. explain lists B24P218 (warning) and B24P219 (error)")
    func explainListsNewRules() throws {
        let text = try CLIRunner.run(["explain"])
        #expect(text.code == 0)
        let lines = text.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("B24P218") && $0.contains("warning") }, "\(text.stdout)")
        #expect(lines.contains { $0.hasPrefix("B24P219") && $0.contains("error") }, "\(text.stdout)")

        let json = try CLIRunner.run(["explain", "--format", "json"])
        #expect(json.code == 0)
        let list = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        let severities = Dictionary(
            list.compactMap { entry in (entry["code"] as? String).map { ($0, entry["severity"] as? String ?? "") } },
            uniquingKeysWith: { first, _ in first })
        #expect(severities["B24P218"] == "warning")
        #expect(severities["B24P219"] == "error")
    }

    // MARK: - 8. Locations and the public JSON keys, in every output format

    @Test("8. lint --format json keeps its public keys, and counts match the diagnostics")
    func jsonKeysArePublicAPI() throws {
        let text = Self.plan(
            scopes: ["placement", "crm", "im"], placements: [("CRM_INVOICE_LIST_MENU", nil)], events: ["ONIMV2MESSAGEADD"])
        let run = try Self.lint(text)
        #expect(run.code == 1)
        #expect(Set(run.rules) == ["B24P218", "B24P219"], "\(run.stdout)")
        let object = try CLIRunner.json(run.output)
        #expect(Set(object.keys).isSuperset(of: ["diagnostics", "errors", "warnings"]))
        let raw = try #require(object["diagnostics"] as? [[String: Any]])
        for diagnostic in raw {
            #expect(
                Set(diagnostic.keys).isSuperset(of: ["rule", "severity", "message", "file", "line", "column", "path"]),
                "\(diagnostic.keys.sorted())")
        }
        #expect(run.errors == run.diagnostics.filter { $0.severity == "error" }.count)
        #expect(run.warnings == run.diagnostics.filter { $0.severity == "warning" }.count)
        #expect(run.errors == 1 && run.warnings == 1)
    }

    @Test("8. text, GitHub and SARIF output locate B24P218 and B24P219 at the offending value")
    func otherFormatsLocateTheNewRules() throws {
        let text = Self.plan(
            scopes: ["placement", "crm", "im"], placements: [("CRM_INVOICE_LIST_MENU", nil)], events: ["ONIMV2MESSAGEADD"])
        let folder = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try text.write(to: folder.appendingPathComponent("1.0.0.json"), atomically: true, encoding: .utf8)
        let removed = try Self.position(of: #""CRM_INVOICE_LIST_MENU""#, in: text)
        let notBound = try Self.position(of: #""ONIMV2MESSAGEADD""#, in: text)

        let plain = try CLIRunner.run(["lint", "1.0.0.json"], in: folder)
        #expect(plain.code == 1)
        #expect(plain.stdout.contains("1.0.0.json:\(removed.line):\(removed.column): warning[B24P218]:"), "\(plain.stdout)")
        #expect(plain.stdout.contains("1.0.0.json:\(notBound.line):\(notBound.column): error[B24P219]:"), "\(plain.stdout)")

        let github = try CLIRunner.run(["lint", "--format", "github", "1.0.0.json"], in: folder)
        #expect(github.code == 1)
        #expect(
            github.stdout.contains("::warning file=1.0.0.json,line=\(removed.line),col=\(removed.column),"), "\(github.stdout)")
        #expect(github.stdout.contains("title=B24P218::"))
        #expect(
            github.stdout.contains("::error file=1.0.0.json,line=\(notBound.line),col=\(notBound.column),"), "\(github.stdout)")
        #expect(github.stdout.contains("title=B24P219::"))

        let sarif = try CLIRunner.run(["lint", "--format", "sarif", "1.0.0.json"], in: folder)
        #expect(sarif.code == 1)
        let log = try CLIRunner.json(sarif)
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rules = try #require(driver["rules"] as? [[String: Any]])
        let levels = Dictionary(
            rules.compactMap { rule in
                (rule["id"] as? String).map {
                    ($0, ((rule["defaultConfiguration"] as? [String: Any])?["level"] as? String) ?? "")
                }
            }, uniquingKeysWith: { first, _ in first })
        #expect(levels["B24P218"] == "warning")
        #expect(levels["B24P219"] == "error")
        let results = try #require(run["results"] as? [[String: Any]])
        for (rule, at) in [("B24P218", removed), ("B24P219", notBound)] {
            let result = try #require(results.first { $0["ruleId"] as? String == rule }, "\(rule) in SARIF")
            let region = try #require(
                ((result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["region"]
                    as? [String: Any])
            #expect(region["startLine"] as? Int == at.line)
            #expect(region["startColumn"] as? Int == at.column)
        }
    }

    // MARK: - 9. b24plan catalogue

    @Test("9. catalogue --format json: every removed code has status removed, of the right kind")
    func catalogueListsRemoved() throws {
        let entries = try Self.catalogue()
        for removed in Removed.allCases {
            let entry = try #require(Self.entry(removed.rawValue, kind: removed.kind, in: entries), "\(removed.rawValue)")
            #expect(entry.status == "removed", "\(removed.rawValue): \(entry)")
        }
        // The bare LANDING_BLOCK, if listed at all, is listed as removed.
        if let bare = entries.first(where: { $0.id == "LANDING_BLOCK" }) {
            #expect(bare.status == "removed", "\(bare)")
        }
    }

    @Test("9. catalogue --format json: landing placements bind with landing.repo.bind, the others with placement.bind")
    func catalogueLandingBind() throws {
        let entries = try Self.catalogue()
        let settings = try #require(Self.entry("LANDING_SETTINGS", kind: "placement", in: entries))
        #expect(settings.status == "documented")
        #expect(settings.bind == "landing.repo.bind")
        let blocks = entries.filter { $0.id.hasPrefix("LANDING_BLOCK_") }
        #expect(!blocks.isEmpty, "LANDING_BLOCK_<CODE> / LANDING_BLOCK_* listed")
        for block in blocks { #expect(block.bind == "landing.repo.bind", "\(block)") }
        for id in ["TASK_VIEW_TAB", "CRM_DEAL_DETAIL_TAB", "HCMLINK_SALARY_VACATION", "CRM_SMART_INVOICE_FUNNELS_TOOLBAR"] {
            let entry = try #require(Self.entry(id, kind: "placement", in: entries), "\(id)")
            #expect(entry.bind == "placement.bind", "\(entry)")
        }
        for entry in entries where entry.kind.contains("placement") {
            #expect(["placement.bind", "landing.repo.bind"].contains(entry.bind ?? ""), "\(entry)")
        }
    }

    @Test("9. catalogue --format json: every entry has a source and a status; every event a delivery")
    func catalogueEntryShape() throws {
        let entries = try Self.catalogue()
        #expect(entries.count > 100, "the whole catalogue, not a sample: \(entries.count)")
        for entry in entries {
            #expect(!(entry.source ?? "").isEmpty, "no source: \(entry)")
            #expect(["documented", "deprecated", "removed"].contains(entry.status), "\(entry)")
            #expect(!entry.kind.isEmpty, "kind of \(entry.id) not determinable")
        }
        let events = entries.filter { $0.kind.contains("event") }
        #expect(!events.isEmpty)
        for event in events { #expect(!(event.delivery ?? "").isEmpty, "no delivery: \(event)") }
        let deal = try #require(Self.entry("ONCRMDEALUPDATE", kind: "event", in: entries))
        #expect(deal.delivery?.contains("event.bind") == true, "\(deal)")
        let polled = events.filter { $0.id.uppercased().hasPrefix("ONIMV2") }
        let botEvents = events.filter { $0.id.uppercased().hasPrefix("ONIMBOTV2") }
        #expect(!polled.isEmpty && !botEvents.isEmpty, "ONIMV2* and ONIMBOTV2* are known, to be refused")
        for event in polled { #expect(event.delivery?.contains("im.v2.Event.get") == true, "\(event)") }
        for event in botEvents { #expect(event.delivery?.contains("imbot.v2.Bot.register") == true, "\(event)") }
    }

    @Test("9. catalogue --format json: the newly known entries are documented")
    func catalogueNewlyKnown() throws {
        let entries = try Self.catalogue()
        let expected: [(String, String)] =
            [
                ("note", "scope"), ("humanresources.hcmlink", "scope"), ("booking", "scope"),
                ("HCMLINK_SALARY_VACATION", "placement"), ("CRM_SMART_INVOICE_FUNNELS_TOOLBAR", "placement"),
            ]
            + Self.bookingEvents.map { ($0, "event") } + Self.hcmLinkEvents.map { ($0, "event") }
        for (id, kind) in expected {
            let entry = try #require(Self.entry(id, kind: kind, in: entries), "\(id) listed as a \(kind)")
            #expect(entry.status == "documented", "\(entry)")
        }
        #expect(
            entries.contains { $0.kind.contains("placement") && $0.id.contains("DYNAMIC") && $0.id.hasSuffix("FUNNELS_TOOLBAR") },
            "CRM_DYNAMIC_<id>_FUNNELS_TOOLBAR listed")
        let booking = try #require(Self.entry("ONBOOKINGADD", kind: "event", in: entries))
        #expect(booking.source?.contains("booking") == true, "\(booking)")
    }

    @Test("9. (from the docs) deprecated entries: IM_SMILES_SELECTOR and the tasks scopes")
    func catalogueDeprecated() throws {
        let entries = try Self.catalogue()
        for (id, kind) in [("IM_SMILES_SELECTOR", "placement"), ("tasks", "scope"), ("tasks_extended", "scope"), ("tasksmobile", "scope")] {
            let entry = try #require(Self.entry(id, kind: kind, in: entries), "\(id)")
            #expect(entry.status == "deprecated", "\(entry)")
        }
    }

    @Test("9. catalogue in text, and its --help")
    func catalogueText() throws {
        let text = try CLIRunner.run(["catalogue"])
        #expect(text.code == 0, "\(text.stderr)")
        #expect(text.stdout.contains("LANDING_SETTINGS") && text.stdout.contains("landing.repo.bind"))
        #expect(text.stdout.contains("CRM_INVOICE_LIST_MENU") && text.stdout.contains("removed"))
        let help = try CLIRunner.run(["catalogue", "--help"])
        #expect(help.code == 0)
        #expect(help.stdout.contains("catalogue"))
    }
}

// MARK: - Helpers

extension CatalogueFidelityHeldOutTests {
    struct Diagnostic: CustomStringConvertible {
        var rule, severity, message, file, path: String
        var line, column: Int
        var description: String { "\(file):\(line):\(column) \(severity)[\(rule)] \(path): \(message)" }
    }

    struct LintRun {
        var output: CLIRunner.Output
        var diagnostics: [Diagnostic]
        var errors: Int
        var warnings: Int
        var code: Int32 { output.code }
        var stdout: String { output.stdout }
        /// Rule codes, sorted (so a test can compare the exact multiset).
        var rules: [String] { diagnostics.map(\.rule).sorted() }
    }

    /// Builds a plan; every line of it is predictable, and each placement and event is on a line of its own.
    static func plan(
        scopes: [String], bareScopes: [String] = [], placements: [(String, String?)] = [], events: [String] = [],
        suppress: String? = nil
    ) -> String {
        var scopeItems = scopes.map { #"{ "code": "\#($0)", "purpose": "Held-out test of the catalogue" }"# }
        scopeItems += bareScopes.map { "\"\($0)\"" }
        var lines = [
            "{",
            #"  "app": "acme.example","#,
            #"  "version": "1.0.0","#,
            #"  "changelog": { "en": "Checks that the catalogue follows the Bitrix24 documentation." },"#,
            "  \"scopes\": [\n    " + scopeItems.joined(separator: ",\n    ") + "\n  ]",
        ]
        if !placements.isEmpty {
            let items = placements.enumerated().map { index, item in
                let options = item.1.map { #", "options": \#($0)"# } ?? ""
                return #"    { "placement": "\#(item.0)", "handler": "https://app.acme.example/placement/\#(index)"\#(options) }"#
            }
            lines[lines.count - 1] += ","
            lines.append("  \"placements\": [\n" + items.joined(separator: ",\n") + "\n  ]")
        }
        if !events.isEmpty {
            let items = events.enumerated().map { index, event in
                #"    { "event": "\#(event)", "handler": "https://app.acme.example/event/\#(index)" }"#
            }
            lines[lines.count - 1] += ","
            lines.append("  \"events\": [\n" + items.joined(separator: ",\n") + "\n  ]")
        }
        if let suppress {
            lines[lines.count - 1] += ","
            lines.append("  \"suppress\": [\(suppress)]")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes the plan as `1.0.0.json` in a fresh folder and runs `lint --format json` on it there.
    static func lint(_ text: String) throws -> LintRun {
        let folder = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try text.write(to: folder.appendingPathComponent("1.0.0.json"), atomically: true, encoding: .utf8)
        return try decode(try CLIRunner.run(["lint", "--format", "json", "1.0.0.json"], in: folder))
    }

    /// Lints an `explain --format json` example (`{"plan", "files"}`) in a fresh folder.
    static func lintExample(_ example: [String: Any]) throws -> LintRun {
        let folder = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plan = try #require(example["plan"] as? String)
        for (path, contents) in example["files"] as? [String: String] ?? [:] {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try contents.write(to: url, atomically: true, encoding: .utf8)
        }
        try plan.write(to: folder.appendingPathComponent("example.json"), atomically: true, encoding: .utf8)
        return try decode(try CLIRunner.run(["lint", "--format", "json", "example.json"], in: folder))
    }

    static func decode(_ output: CLIRunner.Output) throws -> LintRun {
        let object = try CLIRunner.json(output)
        let raw = try #require(object["diagnostics"] as? [[String: Any]], "\(output.stdout)")
        let diagnostics = raw.map { item in
            Diagnostic(
                rule: item["rule"] as? String ?? "", severity: item["severity"] as? String ?? "",
                message: item["message"] as? String ?? "", file: item["file"] as? String ?? "",
                path: item["path"] as? String ?? "", line: item["line"] as? Int ?? -1, column: item["column"] as? Int ?? -1)
        }
        return LintRun(
            output: output, diagnostics: diagnostics, errors: object["errors"] as? Int ?? -1,
            warnings: object["warnings"] as? Int ?? -1)
    }

    /// Line and column (1-based, column in UTF-8 bytes) of the only occurrence of `needle` in `text`.
    static func position(of needle: String, in text: String) throws -> (line: Int, column: Int) {
        let bytes = Array(text.utf8)
        let pattern = Array(needle.utf8)
        var hits: [Int] = []
        if bytes.count >= pattern.count {
            for start in 0...(bytes.count - pattern.count) where Array(bytes[start..<start + pattern.count]) == pattern {
                hits.append(start)
            }
        }
        try #require(hits.count == 1, "\(needle) must occur once in the plan, found \(hits.count)")
        let before = bytes[..<hits[0]]
        let line = before.filter { $0 == UInt8(ascii: "\n") }.count + 1
        let lineStart = (before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 }) ?? 0
        return (line, hits[0] - lineStart + 1)
    }

    /// Expects one diagnostic of `rule` at `path`, located at the opening of `needle`; returns it.
    @discardableResult
    static func expect(
        _ run: LintRun, rule: String, severity: String, path: String, at needle: String, in text: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> Diagnostic? {
        let matches = run.diagnostics.filter { $0.rule == rule && $0.path == path }
        #expect(matches.count == 1, "\(rule) at \(path): \(run.stdout)", sourceLocation: sourceLocation)
        guard let finding = matches.first else { return nil }
        let at = try position(of: needle, in: text)
        #expect(finding.severity == severity, "\(finding)", sourceLocation: sourceLocation)
        #expect(finding.file == "1.0.0.json", "\(finding)", sourceLocation: sourceLocation)
        #expect(finding.line == at.line, "\(finding) (expected line \(at.line))", sourceLocation: sourceLocation)
        #expect(finding.column == at.column, "\(finding) (expected column \(at.column))", sourceLocation: sourceLocation)
        return finding
    }

    /// No diagnostic at all, exit 0.
    static func expectClean(_ run: LintRun, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(run.code == 0, "\(run.stdout)", sourceLocation: sourceLocation)
        #expect(run.diagnostics.isEmpty, "\(run.stdout)", sourceLocation: sourceLocation)
        #expect(run.errors == 0 && run.warnings == 0, "\(run.stdout)", sourceLocation: sourceLocation)
    }

    // MARK: Catalogue JSON, read without assuming its exact shape

    struct Entry: CustomStringConvertible {
        var id: String
        /// What kind of entry: the entry's own `kind`/`type`, else the keys above it (`placements`, …).
        var kind: String
        var status: String
        var source: String?
        var bind: String?
        var delivery: String?
        var description: String {
            "\(kind) \(id): status=\(status) source=\(source ?? "nil") bind=\(bind ?? "nil") delivery=\(delivery ?? "nil")"
        }
    }

    /// Every object with a `status` in `catalogue --format json`, wherever it is nested.
    static func catalogue() throws -> [Entry] {
        let output = try CLIRunner.run(["catalogue", "--format", "json"])
        try #require(output.code == 0, "catalogue --format json exits 0: \(output.stderr)")
        let root = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8))
        var entries: [Entry] = []
        collect(root, key: nil, trail: [], into: &entries)
        try #require(!entries.isEmpty, "no entries with a status in: \(output.stdout.prefix(500))")
        return entries
    }

    private static func collect(_ value: Any, key: String?, trail: [String], into entries: inout [Entry]) {
        if let object = value as? [String: Any] {
            if let status = object["status"] as? String {
                let id =
                    ["code", "name", "placement", "event", "scope", "id"].lazy.compactMap { object[$0] as? String }.first
                    ?? key ?? ""
                let ownKind = (object["kind"] as? String) ?? (object["type"] as? String)
                let kind = ([ownKind].compactMap { $0 } + trail).joined(separator: "/").lowercased()
                entries.append(
                    Entry(
                        id: id, kind: kind, status: status, source: describe(object["source"]),
                        bind: object["bind"] as? String, delivery: describe(object["delivery"])))
                return
            }
            for (childKey, child) in object { collect(child, key: childKey, trail: trail + [childKey], into: &entries) }
        } else if let array = value as? [Any] {
            for child in array { collect(child, key: nil, trail: trail, into: &entries) }
        }
    }

    /// A string, or an object/array flattened to text (a `delivery` may be `{"method": …}`).
    private static func describe(_ value: Any?) -> String? {
        switch value {
        case nil, is NSNull: return nil
        case let string as String: return string
        case let other?:
            guard JSONSerialization.isValidJSONObject(other),
                let data = try? JSONSerialization.data(withJSONObject: other)
            else { return "\(other)" }
            return String(decoding: data, as: UTF8.self)
        }
    }

    static func entry(_ id: String, kind: String, in entries: [Entry]) -> Entry? {
        entries.first { $0.id == id && $0.kind.contains(kind) }
            ?? entries.first { $0.id.lowercased() == id.lowercased() && $0.kind.contains(kind) }
    }
}
