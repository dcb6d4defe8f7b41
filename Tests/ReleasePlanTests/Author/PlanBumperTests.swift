import Testing

@testable import ReleasePlan

/// `b24plan bump`: the next version, and the next plan edited in place from the plan's text.
struct PlanBumperTests {
    struct VersionCase: Sendable, CustomTestStringConvertible {
        let version: String
        let bump: Bump
        let expected: String
        var testDescription: String { "\(version) + \(bump.rawValue) → \(expected)" }
    }

    static let versionCases: [VersionCase] = [
        VersionCase(version: "1.2.3", bump: .patch, expected: "1.2.4"),
        VersionCase(version: "1.2.3", bump: .minor, expected: "1.3.0"),
        VersionCase(version: "1.2.3", bump: .major, expected: "2.0.0"),
        VersionCase(version: "1.2.3-rc.1", bump: .patch, expected: "1.2.3"),
        VersionCase(version: "1.2.3-rc.1", bump: .minor, expected: "1.3.0"),
        VersionCase(version: "1.2.3-rc.1", bump: .major, expected: "2.0.0"),
        VersionCase(version: "1.3.0-rc.1", bump: .patch, expected: "1.3.0"),
        VersionCase(version: "1.3.0-rc.1", bump: .minor, expected: "1.3.0"),
        VersionCase(version: "1.3.0-rc.1", bump: .major, expected: "2.0.0"),
        VersionCase(version: "2.0.0-rc.1", bump: .patch, expected: "2.0.0"),
        VersionCase(version: "2.0.0-rc.1", bump: .minor, expected: "2.0.0"),
        VersionCase(version: "2.0.0-rc.1", bump: .major, expected: "2.0.0"),
        VersionCase(version: "1.0.0+build.5", bump: .patch, expected: "1.0.1"),
    ]

    @Test(arguments: versionCases)
    func nextVersion(_ testCase: VersionCase) throws {
        let version = try #require(SemanticVersion(testCase.version))
        #expect(PlanBumper.nextVersion(version, testCase.bump).description == testCase.expected)
    }

    static let plan = """
        {
          "$schema": "../../schemas/release-plan.schema.json",
          "app": "acme.example",
          "version": "1.1.0",
          "changelog": {
            "en": "Shows the deals linked to each task.",
            "ru": "Показывает сделки, связанные с задачей."
          },
          "scopes": ["crm"],
          "requiredMethods": ["crm.deal.get"],
          "deploy": { "command": ["./deploy.sh", "1.1.0", "--tag=1.1.0"] },
          "suppress": [
            { "rule": "B24P211", "at": "placements[0]", "reason": "gone" },
            { "rule": "B24P105", "at": "changelog.en", "reason": "kept" },
            { "rule": "B24P305", "at": "migrations[4]", "reason": "gone too" },
            { "rule": "B24P211", "at": "scopes[0]", "reason": "kept too" }
          ]
        }

        """

    @Test func theNextPlanIsThePlanEditedInPlace() throws {
        let bumped = try PlanBumper.bump(SourceFile(path: "plans/acme.example/1.1.0.json", bytes: Array(Self.plan.utf8)), .minor)
        #expect((bumped.app, bumped.from, bumped.version) == ("acme.example", "1.1.0", "1.2.0"))
        #expect(bumped.droppedSuppressions == ["placements[0]", "migrations[4]"])
        #expect(
            bumped.text == """
                {
                  "$schema": "../../schemas/release-plan.schema.json",
                  "app": "acme.example",
                  "version": "1.2.0",
                  "changelog": {
                    "en": "",
                    "ru": ""
                  },
                  "scopes": ["crm"],
                  "requiredMethods": ["crm.deal.get"],
                  "deploy": { "command": ["./deploy.sh", "1.2.0", "--tag=1.1.0"] },
                  "suppress": [
                    { "rule": "B24P105", "at": "changelog.en", "reason": "kept" },
                    { "rule": "B24P211", "at": "scopes[0]", "reason": "kept too" }
                  ]
                }

                """)
    }

    struct RemovalCase: Sendable, CustomTestStringConvertible {
        let name: String
        let removed: Set<Int>
        let expected: String
        var testDescription: String { name }
    }

    static let removalCases: [RemovalCase] = [
        RemovalCase(name: "the first", removed: [0], expected: "[b, c, d]"),
        RemovalCase(name: "a leading run", removed: [0, 1], expected: "[c, d]"),
        RemovalCase(name: "the last", removed: [3], expected: "[a, b, c]"),
        RemovalCase(name: "two apart", removed: [0, 2], expected: "[b, d]"),
        RemovalCase(name: "a middle run", removed: [1, 2], expected: "[a, d]"),
        RemovalCase(name: "all", removed: [0, 1, 2, 3], expected: "[]"),
        RemovalCase(name: "none", removed: [], expected: "[a, b, c, d]"),
    ]

    @Test(arguments: removalCases)
    func removingArrayElements(_ testCase: RemovalCase) throws {
        let text = "[\"a\", \"b\", \"c\", \"d\"]"
        let root = try #require(JSONParser.parse(SourceFile(path: "", bytes: Array(text.utf8))).root)
        let edited = TextEdit.apply(PlanBumper.removals(of: testCase.removed, from: root), to: Array(text.utf8))
        #expect(String(decoding: edited, as: UTF8.self).replacing("\"", with: "") == testCase.expected)
    }

    @Test func everySuppressionGoneLeavesAnEmptyList() throws {
        let text = PlanText.make(["suppress": "[\n    { \"rule\": \"B24P211\", \"at\": \"events[0]\", \"reason\": \"x\" }\n  ]"])
        let bumped = try PlanBumper.bump(SourceFile(path: "p.json", bytes: Array(text.utf8)), .patch)
        #expect(bumped.text.contains("\"suppress\": []\n"))
    }

    @Test func theBumpedPlanLintsWithAnEmptyChangelogOnly() throws {
        let path = "plans/acme.example/1.1.0.json"
        let plan = PlanText.make([
            "changelog": "{ \"en\": \"Shows the deals linked to each task.\", \"ru\": \"Показывает сделки, связанные с задачей.\" }"
        ])
        let bumped = try PlanBumper.bump(SourceFile(path: path, bytes: Array(plan.utf8)), .minor)
        let fileSystem = InMemoryFileSystem([path: plan, "plans/acme.example/1.2.0.json": bumped.text])
        let result = Linter(fileSystem: fileSystem).lint(path: "plans/acme.example/1.2.0.json")
        #expect(result.context?.previous?.source.path == path)
        #expect(result.codes == ["B24P104", "B24P104"], "\(result.listing)")
        #expect(result.findings("B24P104").map(\.path) == ["changelog.en", "changelog.ru"])
    }

    @Test(
        arguments: [
            ("{ \"app\": \"a\", \"version\": \"1.0.0\", }", "p.json:1:33: trailing comma"),
            ("[1]", "p.json is not a release plan (not a JSON object)"),
            ("{ \"app\": \"a\" }", "p.json has no \"version\" to bump"),
            ("{ \"version\": 1 }", "p.json has no \"version\" to bump"),
            ("{ \"version\": \"1.2\" }", "p.json: version \"1.2\" is not semver MAJOR.MINOR.PATCH, so it cannot be bumped"),
            (
                "{ \"version\": \"2024.1\", \"versioning\": \"free\" }",
                "p.json sets \"versioning\": \"free\"; bump works on semver versions only"
            ),
        ])
    func plansThatCannotBeBumped(text: String, message: String) {
        #expect(throws: PlanBumper.Failure.self) {
            try PlanBumper.bump(SourceFile(path: "p.json", bytes: Array(text.utf8)), .patch)
        }
        do {
            _ = try PlanBumper.bump(SourceFile(path: "p.json", bytes: Array(text.utf8)), .patch)
        } catch {
            #expect(error.message.hasPrefix(message), "\(error.message)")
        }
    }
}
