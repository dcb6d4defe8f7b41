import Testing

@testable import ReleasePlan

/// The state store's newest published plan (`PublishedHistory`, bytes in memory) is the previous
/// plan over the folder's, and a note says when the folder would have chosen otherwise.
struct StorePreviousPlanTests {
    static let folder = "plans/acme.example"

    /// A plan of `version`; `methods` tells versions of equal number apart by content.
    static func plan(_ version: String, methods: String = "[\"crm.deal.get\"]") -> String {
        PlanText.make(["version": "\"\(version)\"", "requiredMethods": methods])
    }

    static func published(_ version: String, _ text: String? = nil) -> PublishedPlan {
        PublishedPlan(app: "acme.example", version: version, bytes: Array((text ?? plan(version)).utf8))
    }

    struct StoreCase: Sendable, CustomTestStringConvertible {
        let name: String
        let plan: String
        let files: [String: String]
        let history: PublishedHistory
        var against: String? = nil
        /// The previous plan's path or store label; nil: an initial release.
        let expected: String?
        let source: PreviousPlanLocator.Source?
        /// The diagnostic expected (rule, severity, message); nil: none.
        let diagnostic: (RuleCode, Severity, String)?

        var testDescription: String { name }
    }

    static let cases: [StoreCase] = [
        StoreCase(
            name: "the store's newest plan wins over the folder, with a note",
            plan: "2.1.0.json", files: ["1.0.0.json": plan("1.0.0"), "1.1.0.json": plan("1.1.0"), "2.1.0.json": plan("2.1.0")],
            history: PublishedHistory(newest: ["acme.example": published("2.0.0")]),
            expected: "store:acme.example@2.0.0", source: .store,
            diagnostic: (
                "B24P102", .note,
                "the folder's previous plan is plans/acme.example/1.1.0.json (1.1.0) but the store's newest published version "
                    + "is 2.0.0; comparing with the store"
            )),
        StoreCase(
            name: "store and folder agree: no note",
            plan: "1.2.0.json", files: ["1.1.0.json": plan("1.1.0"), "1.2.0.json": plan("1.2.0")],
            history: PublishedHistory(newest: ["acme.example": published("1.1.0")]),
            expected: "store:acme.example@1.1.0", source: .store, diagnostic: nil),
        StoreCase(
            name: "the folder's plan of the published version was edited since: a note",
            plan: "1.2.0.json", files: ["1.1.0.json": plan("1.1.0"), "1.2.0.json": plan("1.2.0")],
            history: PublishedHistory(newest: ["acme.example": published("1.1.0", plan("1.1.0", methods: "[\"crm.deal.list\"]"))]),
            expected: "store:acme.example@1.1.0", source: .store,
            diagnostic: (
                "B24P102", .note,
                "the folder's previous plan plans/acme.example/1.1.0.json differs from the plan the store published as 1.1.0; "
                    + "comparing with the store"
            )),
        StoreCase(
            name: "the folder has no previous plan but the store has one",
            plan: "1.2.0.json", files: ["1.2.0.json": plan("1.2.0")],
            history: PublishedHistory(newest: ["acme.example": published("1.1.0")]),
            expected: "store:acme.example@1.1.0", source: .store,
            diagnostic: (
                "B24P102", .note,
                "the folder has no previous plan but the store's newest published version is 1.1.0; comparing with the store"
            )),
        StoreCase(
            name: "the store has published nothing of the app: the folder decides, as without a store",
            plan: "1.1.0.json", files: ["1.0.0.json": plan("1.0.0"), "1.1.0.json": plan("1.1.0")],
            history: PublishedHistory(newest: ["acme.other": published("3.0.0")]),
            expected: "plans/acme.example/1.0.0.json", source: .folder, diagnostic: nil),
        StoreCase(
            name: "--against wins over the store",
            plan: "2.1.0.json", files: ["1.0.0.json": plan("1.0.0"), "2.1.0.json": plan("2.1.0")],
            history: PublishedHistory(newest: ["acme.example": published("2.0.0")]), against: "plans/acme.example/1.0.0.json",
            expected: "plans/acme.example/1.0.0.json", source: .against, diagnostic: nil),
        StoreCase(
            name: "the store's newest plan itself compares with the folder",
            plan: "1.1.0.json", files: ["1.0.0.json": plan("1.0.0"), "1.1.0.json": plan("1.1.0")],
            history: PublishedHistory(newest: ["acme.example": published("1.1.0")]),
            expected: "plans/acme.example/1.0.0.json", source: .folder, diagnostic: nil),
        StoreCase(
            name: "an older published plan compares with the folder",
            plan: "1.1.0.json", files: ["1.0.0.json": plan("1.0.0"), "1.1.0.json": plan("1.1.0"), "1.2.0.json": plan("1.2.0")],
            history: PublishedHistory(
                newest: ["acme.example": published("1.2.0")],
                releases: [
                    PublishedRelease(app: "acme.example", version: "1.1.0"), PublishedRelease(app: "acme.example", version: "1.2.0"),
                ]
            ),
            expected: "plans/acme.example/1.0.0.json", source: .folder, diagnostic: nil),
        StoreCase(
            name: "an unusable store plan is B24P107 at this plan's version",
            plan: "2.1.0.json", files: ["2.1.0.json": plan("2.1.0")],
            history: PublishedHistory(newest: ["acme.example": published("2.0.0", "{ \"app\": ")]),
            expected: nil, source: nil,
            diagnostic: (
                "B24P107", .error,
                "the previous plan store:acme.example@2.0.0 cannot be used: unexpected end of file: expected a value"
            )),
    ]

    @Test(arguments: cases)
    func previousPlanFromTheStore(_ testCase: StoreCase) throws {
        var files: [String: String] = [:]
        for (name, text) in testCase.files { files[FilePath.join(Self.folder, name)] = text }
        let fileSystem = InMemoryFileSystem(files)
        let path = FilePath.join(Self.folder, testCase.plan)
        let document = try #require(PlanLoader(fileSystem: fileSystem).load(path).document)
        let folder = PlanFolder.scan(beside: path, scheme: .semver, fileSystem: fileSystem)
        let result = PreviousPlanLocator(fileSystem: fileSystem).locate(
            for: document, against: testCase.against, history: testCase.history, in: folder)
        #expect(result.document?.source.path == testCase.expected)
        #expect(result.source == testCase.source)
        if let (rule, severity, message) = testCase.diagnostic {
            let diagnostic = try #require(result.diagnostics.first)
            #expect(result.diagnostics.count == 1)
            #expect((diagnostic.rule, diagnostic.severity, diagnostic.message) == (rule, severity, message))
            #expect((diagnostic.file, diagnostic.path, diagnostic.at) == (path, "version", "3:14"))
        } else {
            #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.brief))")
        }
    }

    @Test func aVersionNotAboveTheStoresNewestIsB24P102() throws {
        let fileSystem = InMemoryFileSystem(["\(Self.folder)/1.2.0.json": Self.plan("1.2.0")])
        let history = PublishedHistory(newest: ["acme.example": Self.published("2.0.0")])
        let result = Linter(fileSystem: fileSystem).lint(path: "\(Self.folder)/1.2.0.json", history: history)
        let errors = result.findings("B24P102").filter { $0.severity == .error }
        #expect(errors.map(\.message) == ["version 1.2.0 is not greater than the published 2.0.0 (store:acme.example@2.0.0)"])
        #expect(result.findings("B24P102").filter { $0.severity == .note }.count == 1, "the folder has none: a note")
        #expect(result.context?.releaseStatus == .published("store:acme.example@2.0.0"))
    }

    @Test func compilingAgainstTheStoresPlan() throws {
        let fileSystem = InMemoryFileSystem([
            "\(Self.folder)/1.1.0.json": Self.plan("1.1.0"),
            "\(Self.folder)/2.1.0.json": Self.plan("2.1.0", methods: "[\"crm.deal.get\", \"crm.deal.list\"]"),
        ])
        let history = PublishedHistory(newest: ["acme.example": Self.published("2.0.0")])
        let outcome = PlanCompiler().compile(path: "\(Self.folder)/2.1.0.json", history: history, fileSystem: fileSystem)
        let compiled = try #require(outcome.compiled, "\(outcome.lint.listing)")
        #expect(compiled.from == "2.0.0")
        #expect(compiled.changes.map(\.id) == ["crm.deal.list"])
        // The note that the store decides, and B24P110: these test plans share one changelog.
        #expect(outcome.lint.diagnostics.map(\.rule.rawValue) == ["B24P102", "B24P110"])
        #expect(outcome.lint.diagnostics.map(\.severity) == [.note, .warning])
        #expect(outcome.lint.sources["store:acme.example@2.0.0"] != nil, "renderers can show the store's plan")

        let without = PlanCompiler().compile(path: "\(Self.folder)/2.1.0.json", fileSystem: fileSystem)
        #expect(without.compiled?.from == "1.1.0", "without a store the folder decides")
    }

    @Test func savedPlanRecordsTheStoresPlanByItsLabel() throws {
        let fileSystem = InMemoryFileSystem(["\(Self.folder)/2.1.0.json": Self.plan("2.1.0")])
        let history = PublishedHistory(newest: ["acme.example": Self.published("2.0.0")])
        let outcome = PlanCompiler().compile(path: "\(Self.folder)/2.1.0.json", history: history, fileSystem: fileSystem)
        let context = try #require(outcome.lint.context)
        let saved = SavedPlan(compiled: try #require(outcome.compiled), context: context)
        #expect(saved.inputs.map(\.role) == [.plan, .published])
        #expect(saved.publishedInput?.path == "store:acme.example@2.0.0")
        #expect(saved.publishedInput?.sha256 == SHA256.hex(Self.published("2.0.0").bytes))
        #expect(saved.staleInputs(fileSystem: fileSystem, directory: "").isEmpty, "the store's plan is no file to find missing")
    }

    @Test func lintFixNeverWritesAPlanAtOrBelowTheStoresNewest() throws {
        let sql = "CREATE TABLE a (id TEXT);\n"
        let plan = PlanText.make([
            "version": "\"1.1.0\"", "migrations": "[{ \"id\": 1, \"name\": \"a\", \"file\": \"migrations/0001.sql\" }]",
        ])
        let fileSystem = InMemoryFileSystem(["\(Self.folder)/1.1.0.json": plan, "\(Self.folder)/migrations/0001.sql": sql])
        let history = PublishedHistory(newest: ["acme.example": Self.published("1.1.0")])
        let result = Linter(fileSystem: fileSystem).lint(path: "\(Self.folder)/1.1.0.json", history: history)
        let context = try #require(result.context)
        #expect(context.releaseStatus == .published("store:acme.example@1.1.0"))
        #expect(DigestFixer.fix(context).edits.isEmpty)
        #expect(DigestFixer.fix(context).refusal?.contains("the state store published store:acme.example@1.1.0") == true)
    }
}
