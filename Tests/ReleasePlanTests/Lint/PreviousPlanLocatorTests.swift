import Testing

@testable import ReleasePlan

/// Which published plan a release is compared with: `--against`, else the highest lower version in
/// the plan's folder.
struct PreviousPlanLocatorTests {
    static let folder = "plans/acme.example"

    /// A plan of `version` (app acme.example unless given).
    static func plan(_ version: String, app: String = "acme.example") -> String {
        PlanText.make(["app": "\"\(app)\"", "version": "\"\(version)\""])
    }

    /// Locates the previous plan of `planName` in a folder holding `files` (names → text).
    static func locate(_ planName: String, in files: [String: String], against: String? = nil) throws
        -> PreviousPlanLocator.Result
    {
        var all: [String: String] = [:]
        for (name, text) in files { all[FilePath.join(folder, name)] = text }
        let fileSystem = InMemoryFileSystem(all)
        let document = try #require(PlanLoader(fileSystem: fileSystem).load(FilePath.join(folder, planName)).document)
        return PreviousPlanLocator(fileSystem: fileSystem).locate(for: document, against: against)
    }

    @Test func highestLowerVersionInTheFolder() throws {
        let result = try Self.locate(
            "1.3.0.json",
            in: [
                "1.0.0.json": Self.plan("1.0.0"), "1.2.0.json": Self.plan("1.2.0"), "1.2.0-rc.1.json": Self.plan("1.2.0-rc.1"),
                "1.10.0.json": Self.plan("1.10.0"), "2.0.0.json": Self.plan("2.0.0"), "1.3.0.json": Self.plan("1.3.0"),
            ])
        #expect(result.document?.source.path == "plans/acme.example/1.2.0.json")
        #expect(result.diagnostics.isEmpty)
    }

    @Test func versionInsideTheFileWinsOverItsName() throws {
        let result = try Self.locate(
            "1.3.0.json",
            in: [
                "1.2.0.json": Self.plan("1.2.0"), "published.json": Self.plan("1.2.5"), "1.2.9.json": Self.plan("0.1.0"),
                "1.3.0.json": Self.plan("1.3.0"),
            ])
        #expect(result.document?.source.path == "plans/acme.example/published.json")
    }

    @Test func filesThatAreNotPlansAreIgnored() throws {
        let result = try Self.locate(
            "1.3.0.json",
            in: [
                "1.0.0.json": Self.plan("1.0.0"), "settings.json": "{ \"title\": \"x\", \"version\": \"1.2.9\" }",
                "1.2.0.txt": Self.plan("1.2.0"), "notes.md": "# 1.2.0", "1.3.0.json": Self.plan("1.3.0"),
                "migrations/1.2.0.json": Self.plan("1.2.0"),
            ])
        #expect(result.document?.source.path == "plans/acme.example/1.0.0.json")
        #expect(result.diagnostics.isEmpty)
    }

    @Test func againstNamesThePlanExplicitly() throws {
        let result = try Self.locate(
            "1.3.0.json",
            in: ["1.0.0.json": Self.plan("1.0.0"), "1.2.0.json": Self.plan("1.2.0"), "1.3.0.json": Self.plan("1.3.0")],
            against: "plans/acme.example/1.0.0.json")
        #expect(result.document?.plan.version == "1.0.0")
    }

    @Test func againstMayNameAHigherOrOtherAppsPlan() throws {
        let result = try Self.locate(
            "1.3.0.json", in: ["9.0.0.json": Self.plan("9.0.0", app: "acme.other"), "1.3.0.json": Self.plan("1.3.0")],
            against: "plans/acme.example/9.0.0.json")
        #expect(result.document?.plan.app == "acme.other", "the rules report it (B24P102, B24P106); the locator takes it")
    }

    @Test func brokenCandidateChosenByItsFileName() throws {
        let result = try Self.locate(
            "1.3.0.json",
            in: ["1.0.0.json": Self.plan("1.0.0"), "1.2.0.json": "{ \"app\": ", "1.3.0.json": Self.plan("1.3.0")])
        #expect(result.document == nil)
        let finding = try #require(result.diagnostics.first)
        #expect(result.diagnostics.count == 1)
        #expect(finding.rule == "B24P107")
        #expect(finding.file == "plans/acme.example/1.2.0.json")
        #expect(
            finding.message
                == "the previous plan plans/acme.example/1.2.0.json cannot be used: unexpected end of file: expected a value")
    }

    @Test func candidateThatDoesNotDecode() throws {
        let broken = PlanText.make(["version": "\"1.2.0\"", "scopes": "{}"])
        let result = try Self.locate("1.3.0.json", in: ["1.2.0.json": broken, "1.3.0.json": Self.plan("1.3.0")])
        #expect(result.diagnostics.map(\.rule) == ["B24P107"])
        #expect(result.diagnostics.first?.message.hasSuffix("`scopes` must be an array, found object") == true)
    }

    @Test func initialReleaseWhenNothingIsLower() throws {
        let result = try Self.locate("1.0.0.json", in: ["1.0.0.json": Self.plan("1.0.0"), "1.1.0.json": Self.plan("1.1.0")])
        #expect(result.document == nil)
        #expect(result.diagnostics.isEmpty)
        let alone = try Self.locate("1.0.0.json", in: ["1.0.0.json": Self.plan("1.0.0")])
        #expect(alone.document == nil && alone.diagnostics.isEmpty)
    }

    @Test func planWhoseVersionDoesNotParseHasNoPrevious() throws {
        let result = try Self.locate("next.json", in: ["1.0.0.json": Self.plan("1.0.0"), "next.json": Self.plan("next")])
        #expect(result.document == nil && result.diagnostics.isEmpty)
    }

    @Test func freeVersioningComparesSegments() throws {
        let free = { (version: String) in
            PlanText.make(["version": "\"\(version)\"", "versioning": "\"free\""])
        }
        let result = try Self.locate(
            "2024.10.json", in: ["2024.9.json": free("2024.9"), "2024.2.json": free("2024.2"), "2024.10.json": free("2024.10")])
        #expect(result.document?.plan.version == "2024.9")
    }

    /// One folder, the plan linted in it, and the previous plan the locator must choose.
    struct FolderCase: Sendable, CustomTestStringConvertible {
        let name: String
        let plan: String
        let files: [String: String]
        /// The file name chosen; nil: an initial release.
        let expected: String?
        let source: PreviousPlanLocator.Source?

        var testDescription: String { name }
    }

    static let folderCases: [FolderCase] = [
        FolderCase(
            name: "an rc beside a release is never its baseline",
            plan: "2.0.0.json",
            files: [
                "1.0.0.json": plan("1.0.0"), "1.1.0.json": plan("1.1.0"), "2.0.0-rc.1.json": plan("2.0.0-rc.1"),
                "2.0.0.json": plan("2.0.0"),
            ],
            expected: "1.1.0.json", source: .folder),
        FolderCase(
            name: "an rc is skipped by the version it declares, whatever its name",
            plan: "2.0.0.json",
            files: ["1.1.0.json": plan("1.1.0"), "next.json": plan("2.0.0-rc.2"), "2.0.0.json": plan("2.0.0")],
            expected: "1.1.0.json", source: .folder),
        FolderCase(
            name: "a broken rc found by its name is skipped too",
            plan: "2.0.0.json",
            files: ["1.1.0.json": plan("1.1.0"), "2.0.0-rc.1.json": "{ \"app\": ", "2.0.0.json": plan("2.0.0")],
            expected: "1.1.0.json", source: .folder),
        FolderCase(
            name: "a pre-release finds the last release before it, not an earlier rc",
            plan: "2.0.0-rc.2.json",
            files: ["1.1.0.json": plan("1.1.0"), "2.0.0-rc.1.json": plan("2.0.0-rc.1"), "2.0.0-rc.2.json": plan("2.0.0-rc.2")],
            expected: "1.1.0.json", source: .folder),
        FolderCase(
            name: "only rcs below: an initial release",
            plan: "1.0.0.json",
            files: ["1.0.0-rc.1.json": plan("1.0.0-rc.1"), "1.0.0.json": plan("1.0.0")],
            expected: nil, source: nil),
        FolderCase(
            name: "a copy whose version was not bumped takes the original",
            plan: "1.1.0.json",
            files: ["1.0.0.json": plan("1.0.0"), "1.1.0.json": plan("1.0.0")],
            expected: "1.0.0.json", source: .folderSameVersion),
        FolderCase(
            name: "the original does not take its copy",
            plan: "1.0.0.json",
            files: ["1.0.0.json": plan("1.0.0"), "1.1.0.json": plan("1.0.0")],
            expected: nil, source: nil),
        FolderCase(
            name: "a copy takes the plan of its version over a lower one",
            plan: "1.2.0.json",
            files: ["1.0.0.json": plan("1.0.0"), "1.1.0.json": plan("1.1.0"), "1.2.0.json": plan("1.1.0")],
            expected: "1.1.0.json", source: .folderSameVersion),
        FolderCase(
            name: "a plan named for its version is the original even when a copy sorts first",
            plan: "1.1.0.json",
            files: ["1.0.1.json": plan("1.1.0"), "1.1.0.json": plan("1.1.0")],
            expected: nil, source: nil),
        FolderCase(
            name: "a copy sorting first by name still takes the plan named for the version",
            plan: "1.0.1.json",
            files: ["1.0.1.json": plan("1.1.0"), "1.1.0.json": plan("1.1.0")],
            expected: "1.1.0.json", source: .folderSameVersion),
        FolderCase(
            name: "no file named for the version: the first by file name is the original",
            plan: "copy-b.json",
            files: ["copy-a.json": plan("1.0.0"), "copy-b.json": plan("1.0.0")],
            expected: "copy-a.json", source: .folderSameVersion),
        FolderCase(
            name: "the same version of another app is not a previous plan",
            plan: "1.1.0.json",
            files: ["1.0.0.json": plan("1.0.0", app: "acme.other"), "1.1.0.json": plan("1.0.0")],
            expected: nil, source: nil),
        FolderCase(
            name: "a copied rc is never a baseline: the copy compares with the last release",
            plan: "rc-copy.json",
            files: ["1.0.0.json": plan("1.0.0"), "2.0.0-rc.1.json": plan("2.0.0-rc.1"), "rc-copy.json": plan("2.0.0-rc.1")],
            expected: "1.0.0.json", source: .folder),
    ]

    @Test(arguments: folderCases)
    func previousPlanInTheFolder(_ testCase: FolderCase) throws {
        let result = try Self.locate(testCase.plan, in: testCase.files)
        #expect(result.document.map { FilePath.fileName(of: $0.source.path) } == testCase.expected)
        #expect(result.source == testCase.source)
        #expect(result.diagnostics.isEmpty)
    }

    @Test func planAtTheTopLevelOfTheWorkingDirectory() throws {
        let fileSystem = InMemoryFileSystem(["1.0.0.json": Self.plan("1.0.0"), "1.1.0.json": Self.plan("1.1.0")])
        let document = try #require(PlanLoader(fileSystem: fileSystem).load("1.1.0.json").document)
        let result = PreviousPlanLocator(fileSystem: fileSystem).locate(for: document, against: nil)
        #expect(result.document?.source.path == "1.0.0.json")
    }
}
