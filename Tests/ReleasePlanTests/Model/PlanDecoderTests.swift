import Testing

@testable import ReleasePlan

/// Decoding a full plan into the model, and the decoder's findings B24P002–B24P005.
struct PlanDecoderTests {
    static func decode(_ text: String) -> PlanDecoder.Result? {
        let source = SourceFile(path: "plan.json", text: text)
        let parsed = JSONParser.parse(source)
        #expect(parsed.diagnostics.isEmpty, "the test plan must be valid JSON: \(parsed.diagnostics.map(\.brief))")
        guard let root = parsed.root else { return nil }
        return PlanDecoder.decode(root, source: source)
    }

    /// `rule line:col path message`.
    static func rendered(_ diagnostics: [Diagnostic]) -> [String] {
        diagnostics.map { "\($0.rule) \($0.line):\($0.column) \($0.path) \($0.message)" }
    }

    static let fullPlan = """
        {
          "$schema": "../../schemas/release-plan.schema.json",
          "app": "acme.dealsync",
          "version": "1.3.0",
          "changelog": { "en": "Adds a task tab that links deals to tasks.", "ru": "Вкладка задач." },
          "monetization": { "model": "subscription", "trialDays": 14 },
          "minimumBitrix24Version": "24.300.0",
          "scopes": ["crm", "placement", { "code": "task", "purpose": "Shows linked tasks on the deal tab" }],
          "scopeUpgrade": "reinstall",
          "handlerHosts": ["app.acme.example"],
          "placements": [
            { "placement": "CRM_DEAL_DETAIL_TAB", "handler": "https://app.acme.example/iframe/deal",
              "title": "DealSync", "description": "Linked tasks", "groupName": "Sync",
              "langAll": { "ru": { "title": "Сделки" } }, "options": { "width": 1.50, "flags": [true, null] } }
          ],
          "events": [
            { "event": "ONCRMDEALUPDATE", "handler": "https://app.acme.example/hooks/deal",
              "eventType": "offline", "authType": 0 }
          ],
          "requiredMethods": ["crm.item.list"],
          "migrations": [
            { "id": 1, "name": "create_deal_links", "file": "../migrations/0001_create_deal_links.sql",
              "sha256": "ab12" },
            { "id": 2, "name": "backfill_deal_status", "file": "../migrations/0002_backfill_deal_status.sql",
              "sha256": "cd34", "perPortal": true, "batchSize": 500, "transaction": false }
          ],
          "deploy": { "command": ["./deploy.sh", "1.3.0"] },
          "notice": { "option": "release_notice" },
          "suppress": [ { "rule": "B24P305", "at": "migrations[1]", "reason": "table is empty in production" } ]
        }
        """

    @Test func decodesTheFullPlan() throws {
        let result = try #require(Self.decode(Self.fullPlan))
        #expect(result.diagnostics.isEmpty, "\(Self.rendered(result.diagnostics))")
        let document = try #require(result.document)
        #expect(document.damagedKeys.isEmpty)
        let plan = document.plan
        #expect(plan.app == "acme.dealsync")
        #expect(plan.version == "1.3.0")
        #expect(plan.versioning == .semver)
        #expect(plan.changelog == ["en": "Adds a task tab that links deals to tasks.", "ru": "Вкладка задач."])
        #expect(plan.monetization == Monetization(model: .subscription, trialDays: 14))
        #expect(plan.minimumBitrix24Version == "24.300.0")
        #expect(
            plan.scopes == [
                ScopeRequest(code: "crm"), ScopeRequest(code: "placement"),
                ScopeRequest(code: "task", purpose: "Shows linked tasks on the deal tab"),
            ])
        #expect(plan.scopeCodes == ["crm", "placement", "task"])
        #expect(plan.scopeUpgrade == .reinstall)
        #expect(plan.handlerHosts == ["app.acme.example"])
        #expect(
            plan.placements == [
                PlacementBinding(
                    placement: "CRM_DEAL_DETAIL_TAB", handler: "https://app.acme.example/iframe/deal", title: "DealSync",
                    description: "Linked tasks", groupName: "Sync", langAll: ["ru": LocalizedPlacementText(title: "Сделки")],
                    options: ["width": .number("1.50"), "flags": .array([.bool(true), .null])])
            ])
        #expect(
            plan.events == [
                EventBinding(
                    event: "ONCRMDEALUPDATE", handler: "https://app.acme.example/hooks/deal", eventType: .offline, authType: 0)
            ])
        #expect(plan.requiredMethods == ["crm.item.list"])
        #expect(
            plan.migrations == [
                Migration(id: 1, name: "create_deal_links", file: "../migrations/0001_create_deal_links.sql", sha256: "ab12"),
                Migration(
                    id: 2, name: "backfill_deal_status", file: "../migrations/0002_backfill_deal_status.sql", sha256: "cd34",
                    perPortal: true, batchSize: 500, transaction: false),
            ])
        #expect(plan.deploy == Deploy(command: ["./deploy.sh", "1.3.0"]))
        #expect(plan.notice == Notice(option: "release_notice"))
        #expect(plan.suppress == [Suppression(rule: "B24P305", at: "migrations[1]", reason: "table is empty in production")])
    }

    @Test func optionalKeysTakeTheirDefaults() throws {
        let result = try #require(Self.decode(PlanText.make(["versioning": "\"free\"", "version": "\"2024.1\""])))
        #expect(result.diagnostics.isEmpty)
        let plan = try #require(result.document?.plan)
        #expect(plan.versioning == .free)
        #expect(plan.monetization == nil && plan.scopeUpgrade == nil && plan.handlerHosts == nil && plan.deploy == nil)
        #expect(plan.placements.isEmpty && plan.events.isEmpty && plan.migrations.isEmpty && plan.suppress.isEmpty)
    }

    struct BadValue: Sendable, CustomTestStringConvertible {
        let name: String
        let key: String
        let value: String
        /// The text (in the plan) the finding points at.
        let needle: String
        let path: String
        let message: String
        var testDescription: String { name }
    }

    static let badValues: [BadValue] = [
        BadValue(
            name: "number as version", key: "version", value: "1.3", needle: "1.3", path: "version",
            message: "`version` must be a string, found number"),
        BadValue(
            name: "scopes as a string", key: "scopes", value: "\"crm\"", needle: "\"crm\"", path: "scopes",
            message: "`scopes` must be an array, found string"),
        BadValue(
            name: "eventType push", key: "events",
            value: "[{ \"event\": \"ONCRMDEALUPDATE\", \"handler\": \"https://a.example/h\", \"eventType\": \"push\" }]",
            needle: "\"push\"", path: "events[0].eventType",
            message: "`events[0].eventType` must be one of \"online\", \"offline\", found \"push\""),
        BadValue(
            name: "batchSize 0", key: "migrations",
            value: "[{ \"id\": 1, \"name\": \"a\", \"file\": \"a.sql\", \"batchSize\": 0 }]", needle: "0 }",
            path: "migrations[0].batchSize", message: "`migrations[0].batchSize` must be at least 1"),
        BadValue(
            name: "perPortal yes", key: "migrations",
            value: "[{ \"id\": 1, \"name\": \"a\", \"file\": \"a.sql\", \"perPortal\": \"yes\" }]", needle: "\"yes\"",
            path: "migrations[0].perPortal", message: "`migrations[0].perPortal` must be true or false, found string"),
        BadValue(
            name: "migration id as a string", key: "migrations",
            value: "[{ \"id\": \"1\", \"name\": \"a\", \"file\": \"a.sql\" }]", needle: "\"1\"",
            path: "migrations[0].id", message: "`migrations[0].id` must be an integer, found string"),
        BadValue(
            name: "fractional authType", key: "events",
            value: "[{ \"event\": \"ONCRMDEALUPDATE\", \"handler\": \"https://a.example/h\", \"authType\": 1.5 }]",
            needle: "1.5", path: "events[0].authType", message: "`events[0].authType` must be an integer, found number"),
        BadValue(
            name: "monetization model typo", key: "monetization", value: "{ \"model\": \"subscriptions\" }",
            needle: "\"subscriptions\"", path: "monetization.model",
            message:
                "`monetization.model` must be one of \"free\", \"paid\", \"subscription\", found \"subscriptions\"; did you mean 'subscription'?"
        ),
        BadValue(
            name: "scope that is a number", key: "scopes", value: "[\"crm\", 42]", needle: "42", path: "scopes[1]",
            message: "`scopes[1]` must be a scope code or {\"code\", \"purpose\"}, found number"),
        BadValue(name: "empty app", key: "app", value: "\" \"", needle: "\" \"", path: "app", message: "`app` must not be empty"),
        BadValue(
            name: "empty deploy command", key: "deploy", value: "{ \"command\": [] }", needle: "[]", path: "deploy.command",
            message: "`deploy.command` must not be an empty array"),
        BadValue(
            name: "options as an array", key: "placements",
            value: "[{ \"placement\": \"LEFT_MENU\", \"handler\": \"https://a.example/m\", \"options\": [] }]",
            needle: "[] }", path: "placements[0].options", message: "`placements[0].options` must be an object, found array"),
        BadValue(
            name: "database postgres", key: "database", value: "\"postgres\"", needle: "\"postgres\"", path: "database",
            message:
                "`database` must be one of \"postgresql\", \"mysql\", \"sqlite\", found \"postgres\"; did you mean 'postgresql'?"
        ),
        BadValue(
            name: "database in capitals", key: "database", value: "\"MySQL\"", needle: "\"MySQL\"", path: "database",
            message: "`database` must be one of \"postgresql\", \"mysql\", \"sqlite\", found \"MySQL\"; did you mean 'mysql'?"),
        BadValue(
            name: "database as a number", key: "database", value: "3", needle: "3", path: "database",
            message: "`database` must be a string, found number"),
    ]

    @Test(arguments: DatabaseDialect.allCases)
    func databaseNamesTheDialect(_ dialect: DatabaseDialect) throws {
        let result = try #require(Self.decode(PlanText.make(["database": "\"\(dialect.rawValue)\""])))
        #expect(result.diagnostics.isEmpty)
        #expect(result.document?.plan.database == dialect)
    }

    @Test func planWithoutDatabaseHasNoDialect() throws {
        let result = try #require(Self.decode(PlanText.make()))
        #expect(result.diagnostics.isEmpty)
        #expect(result.document?.plan.database == nil)
        #expect(DatabaseDialect.isPostgreSQL(result.document?.plan.database))
    }

    @Test(arguments: badValues)
    func wrongTypeOrValue(_ testCase: BadValue) throws {
        let text = PlanText.make([(testCase.key, testCase.value)])
        let result = try #require(Self.decode(text))
        #expect(
            Self.rendered(result.diagnostics)
                == ["B24P003 \(locationOf(testCase.needle, in: text)) \(testCase.path) \(testCase.message)"])
        #expect(result.document?.damagedKeys == [String(testCase.path.prefix { $0 != "." && $0 != "[" })])
    }

    @Test func unknownKeySuggestsTheNearest() throws {
        let text = PlanText.make(["changelog": nil, "changelg": "{ \"en\": \"Shows the deals linked to each task.\" }"])
        let result = try #require(Self.decode(text))
        #expect(
            Self.rendered(result.diagnostics) == [
                "B24P002 6:3 changelg unknown key \"changelg\" in the plan; did you mean 'changelog'? "
                    + "(the required key \"changelog\" is missing)"
            ])
        #expect(result.document?.damagedKeys == ["changelog"], "rules reading the missing key stay quiet")
    }

    /// A misspelt required key, in each kind of object: one B24P002 that says the key is missing,
    /// and no B24P004 at the object.
    struct MisspeltKey: Sendable, CustomTestStringConvertible {
        var what: String
        var overrides: [(String, String?)]
        var key: String
        var meant: String
        var path: String
        var testDescription: String { "\(what): \(key)" }
    }

    static let misspeltKeys: [MisspeltKey] = [
        MisspeltKey(
            what: "the plan", overrides: [("version", nil), ("verison", "\"1.1.0\"")], key: "verison", meant: "version", path: "verison"),
        MisspeltKey(
            what: "an event", overrides: [("events", "[{ \"event\": \"ONCRMDEALUPDATE\", \"hander\": \"https://a.example/h\" }]")],
            key: "hander", meant: "handler", path: "events[0].hander"),
        MisspeltKey(
            what: "a placement",
            overrides: [("placements", "[{ \"placment\": \"CRM_DEAL_DETAIL_TAB\", \"handler\": \"https://a.example/x\" }]")],
            key: "placment", meant: "placement", path: "placements[0].placment"),
        MisspeltKey(
            what: "a migration",
            overrides: [("migrations", "[{ \"id\": 1, \"nmae\": \"create\", \"file\": \"m/0001.sql\", \"sha256\": \"ab\" }]")],
            key: "nmae", meant: "name", path: "migrations[0].nmae"),
        MisspeltKey(
            what: "monetization", overrides: [("monetization", "{ \"modle\": \"free\" }")], key: "modle", meant: "model",
            path: "monetization.modle"),
        MisspeltKey(
            what: "a suppression",
            overrides: [("suppress", "[{ \"rul\": \"B24P305\", \"at\": \"migrations[0]\", \"reason\": \"empty\" }]")],
            key: "rul", meant: "rule", path: "suppress[0].rul"),
        MisspeltKey(
            what: "notice", overrides: [("notice", "{ \"optoin\": \"release_notice\" }")], key: "optoin", meant: "option",
            path: "notice.optoin"),
        MisspeltKey(
            what: "a scope", overrides: [("scopes", "[{ \"cdoe\": \"crm\" }]")], key: "cdoe", meant: "code", path: "scopes[0].cdoe"),
    ]

    @Test(arguments: misspeltKeys)
    func misspeltRequiredKeyIsOneFinding(_ testCase: MisspeltKey) throws {
        let text = PlanText.make(testCase.overrides)
        let result = try #require(Self.decode(text))
        #expect(
            Self.rendered(result.diagnostics) == [
                "B24P002 \(locationOf("\"\(testCase.key)\"", in: text)) \(testCase.path) unknown key \"\(testCase.key)\" in "
                    + "\(testCase.what); did you mean '\(testCase.meant)'? (the required key \"\(testCase.meant)\" is missing)"
            ])
    }

    @Test func misspeltKeyBesideThePresentOneIsOnlyUnknown() throws {
        let events = "[{ \"event\": \"ONCRMDEALUPDATE\", \"handler\": \"https://a.example/h\", \"hander\": \"x\" }]"
        let text = PlanText.make(["events": events])
        let result = try #require(Self.decode(text))
        #expect(
            Self.rendered(result.diagnostics) == [
                "B24P002 \(locationOf("\"hander\"", in: text)) events[0].hander unknown key \"hander\" in an event; did you mean 'handler'?"
            ])
    }

    @Test func unknownKeyInAPlacement() throws {
        let text = PlanText.make([
            "placements": "[{ \"placement\": \"CRM_DEAL_DETAIL_TAB\", \"handler\": \"https://a.example/x\", \"titel\": \"T\" }]"
        ])
        let result = try #require(Self.decode(text))
        #expect(
            Self.rendered(result.diagnostics) == [
                "B24P002 \(locationOf("\"titel\"", in: text)) placements[0].titel unknown key \"titel\" in a placement; did you mean 'title'?"
            ])
        #expect(result.document?.plan.placements.count == 1, "an unknown key does not drop the placement")
    }

    @Test func missingKeyPointsAtTheObjectThatLacksIt() throws {
        let placements = """
            [
                { "placement": "CRM_DEAL_DETAIL_TAB", "handler": "https://a.example/deal" },
                { "placement": "CRM_LEAD_DETAIL_TAB", "title": "Lead" }
              ]
            """
        let result = try #require(Self.decode(PlanText.make(["placements": placements])))
        #expect(
            Self.rendered(result.diagnostics) == [
                "B24P004 9:5 placements[1].handler a placement is missing the required key \"handler\""
            ])
        let document = try #require(result.document)
        #expect(document.plan.placements.map(\.placement) == ["CRM_DEAL_DETAIL_TAB"])
        #expect(document.damagedKeys == ["placements"])
    }

    @Test func duplicateKeyPointsAtTheSecondOccurrence() throws {
        let text = PlanText.make(["version": "\"1.1.0\",\n  \"version\": \"1.2.0\""])
        let result = try #require(Self.decode(text))
        #expect(
            Self.rendered(result.diagnostics) == [
                "B24P005 4:3 version duplicate key \"version\" in the plan (first on line 3)"
            ])
        #expect(result.document?.plan.version == "1.2.0", "the last value wins, as in JSON readers")
        #expect(result.document?.damagedKeys.isEmpty == true)
    }

    @Test func duplicateLanguageInTheChangelog() throws {
        let text = PlanText.make(["changelog": "{ \"en\": \"Shows the deals linked to each task.\", \"en\": \"Again, the deals.\" }"])
        let result = try #require(Self.decode(text))
        #expect(
            Self.rendered(result.diagnostics) == [
                "B24P005 \(locationOf("\"en\"", in: text, occurrence: 2)) changelog.en duplicate key \"en\" in changelog"
            ])
    }

    @Test func suppressionWithoutReasonIsB24P010NotB24P004() throws {
        let text = PlanText.make(["suppress": "[{ \"rule\": \"B24P211\", \"at\": \"scopes[0]\" }]"])
        let decoded = try #require(Self.decode(text))
        #expect(decoded.diagnostics.isEmpty)
        #expect(decoded.document?.plan.suppress == [Suppression(rule: "B24P211", at: "scopes[0]", reason: nil)])
        let linted = Lint.run(plan: text)
        #expect(linted.findings("B24P004").isEmpty)
        #expect(linted.findings("B24P010").map(\.at) == ["7:16"])
    }

    @Test func everyProblemInOneFileIsReported() throws {
        let text = """
            {
              "app": "acme.example",
              "app": "acme.example",
              "version": 1,
              "scopes": "crm",
              "placements": [{ "placement": "CRM_DEAL_DETAIL_TAB" }],
              "monetisation": { "model": "free" }
            }
            """
        let result = try #require(Self.decode(text))
        #expect(
            result.diagnostics.map { "\($0.rule) \($0.line):\($0.column)" } == [
                "B24P005 3:3", "B24P002 7:3", "B24P004 1:1", "B24P003 4:14", "B24P003 5:13", "B24P004 6:18",
            ])
        #expect(result.document?.damagedKeys == ["version", "scopes", "placements", "changelog"])
    }

    @Test func rootThatIsNotAnObject() throws {
        let result = try #require(Self.decode("[1, 2]"))
        #expect(result.document == nil)
        #expect(Self.rendered(result.diagnostics) == ["B24P003 1:1  `(root)` must be an object, found array"])
    }
}
