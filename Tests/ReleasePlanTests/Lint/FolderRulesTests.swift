import Testing

@testable import ReleasePlan

/// B24P108–B24P109: the plan among the other plans of its folder.
struct FolderRulesTests {
    @Test(arguments: RuleExampleCase.cases(FolderRules()))
    func documentationExample(_ testCase: RuleExampleCase) {
        testCase.verify()
    }

    /// A plan of `version` (app acme.example unless given).
    static func plan(_ version: String, app: String = "acme.example") -> String {
        PlanText.make(["app": "\"\(app)\"", "version": "\"\(version)\""])
    }

    /// A folder of plans, the one linted, and the B24P108 and B24P109 findings expected on it.
    struct FolderCase: Sendable, CustomTestStringConvertible {
        let name: String
        let plan: String
        let files: [String: String]
        /// The B24P108 message's other file (a name in the folder); nil: no B24P108.
        let sameAs: String?
        let misnamed: Bool

        var testDescription: String { name }
    }

    static let cases: [FolderCase] = [
        FolderCase(
            name: "cp 1.0.0.json 1.1.0.json: the copy gets both", plan: "1.1.0.json",
            files: ["1.0.0.json": plan("1.0.0"), "1.1.0.json": plan("1.0.0")], sameAs: "1.0.0.json", misnamed: true),
        FolderCase(
            name: "cp 1.0.0.json 1.1.0.json: the original gets neither", plan: "1.0.0.json",
            files: ["1.0.0.json": plan("1.0.0"), "1.1.0.json": plan("1.0.0")], sameAs: nil, misnamed: false),
        FolderCase(
            name: "the plan named for its version is the original though a copy sorts first", plan: "1.1.0.json",
            files: ["1.0.1.json": plan("1.1.0"), "1.1.0.json": plan("1.1.0")], sameAs: nil, misnamed: false),
        FolderCase(
            name: "the copy sorting first by name is still the copy", plan: "1.0.1.json",
            files: ["1.0.1.json": plan("1.1.0"), "1.1.0.json": plan("1.1.0")], sameAs: "1.1.0.json", misnamed: true),
        FolderCase(
            name: "no file named for the version: the first by file name is the original", plan: "draft-b.json",
            files: ["draft-a.json": plan("1.2.0"), "draft-b.json": plan("1.2.0"), "draft-c.json": plan("1.2.0")],
            sameAs: "draft-a.json", misnamed: false),
        FolderCase(
            name: "three of one version: each later one names the original", plan: "draft-c.json",
            files: ["draft-a.json": plan("1.2.0"), "draft-b.json": plan("1.2.0"), "draft-c.json": plan("1.2.0")],
            sameAs: "draft-a.json", misnamed: false),
        FolderCase(
            name: "build metadata does not make another version", plan: "1.0.0-copy.json",
            files: ["1.0.0.json": plan("1.0.0"), "1.0.0-copy.json": plan("1.0.0+build.7")], sameAs: "1.0.0.json", misnamed: true),
        FolderCase(
            name: "the same version of another app is no duplicate", plan: "1.0.0.json",
            files: ["0.9.0.json": plan("1.0.0", app: "acme.other"), "1.0.0.json": plan("1.0.0")], sameAs: nil, misnamed: false),
        FolderCase(
            name: "two rcs of one version are duplicates too", plan: "rc.json",
            files: ["2.0.0-rc.1.json": plan("2.0.0-rc.1"), "rc.json": plan("2.0.0-rc.1")], sameAs: "2.0.0-rc.1.json",
            misnamed: false),
        FolderCase(
            name: "an rc named after its release version is misnamed", plan: "2.0.0.json",
            files: ["2.0.0.json": plan("2.0.0-rc.1")], sameAs: nil, misnamed: true),
        FolderCase(
            name: "a name that is not a version is not checked", plan: "next.json",
            files: ["next.json": plan("1.4.0")], sameAs: nil, misnamed: false),
        FolderCase(
            name: "a broken plan beside it is no duplicate", plan: "1.1.0.json",
            files: ["1.1.0-old.json": "{ \"app\": ", "1.1.0.json": plan("1.1.0")], sameAs: nil, misnamed: false),
    ]

    @Test(arguments: cases)
    func planAmongItsFolder(_ testCase: FolderCase) throws {
        var files: [String: String] = [:]
        for (name, text) in testCase.files { files[FilePath.join(Lint.folder, name)] = text }
        let path = FilePath.join(Lint.folder, testCase.plan)
        let result = Linter(fileSystem: InMemoryFileSystem(files)).lint(path: path)
        if let sameAs = testCase.sameAs {
            let finding = try #require(result.only("B24P108"))
            #expect(finding.message.hasPrefix(FilePath.join(Lint.folder, sameAs) + " also declares app \"acme.example\""))
            #expect((finding.file, finding.path, finding.at) == (path, "version", "3:14"))
        } else {
            #expect(result.findings("B24P108").isEmpty, "\(result.listing)")
        }
        if testCase.misnamed {
            let finding = try #require(result.only("B24P109"))
            #expect((finding.file, finding.path, finding.at) == (path, "version", "3:14"))
        } else {
            #expect(result.findings("B24P109").isEmpty, "\(result.listing)")
        }
    }

    @Test func messagesNameTheOtherFileAndTheDeclaredVersion() throws {
        let result = Lint.run(plan: Self.plan("1.0.0"), previous: Self.plan("1.0.0"))
        let same = try #require(result.only("B24P108"))
        #expect(
            same.message
                == "plans/acme.example/1.0.0.json also declares app \"acme.example\" version 1.0.0 and comes first; "
                + "each plan in a folder needs its own version (bump this one if it was copied)")
        let misnamed = try #require(result.only("B24P109"))
        #expect(misnamed.message == "the file is named 1.1.0.json but declares version 1.0.0; rename the file or fix the version")
        // A copy repeats the changelog too (B24P110).
        #expect(result.codes == ["B24P102", "B24P108", "B24P109", "B24P110"], "\(result.listing)")
    }

    @Test func freeVersionsCompareBySegments() {
        let free = PlanText.make(["version": "\"2024.10.0\"", "versioning": "\"free\""])
        #expect(Lint.run(plan: free, path: Lint.path("2024.10")).findings("B24P109").isEmpty)
        let other = PlanText.make(["version": "\"2024.11\"", "versioning": "\"free\""])
        #expect(Lint.run(plan: other, path: Lint.path("2024.10")).findings("B24P109").count == 1)
    }

    @Test func anUnparsableVersionIsB24P101Only() {
        let result = Lint.run(plan: PlanText.make(["version": "\"1.1\""]))
        #expect(result.codes == ["B24P101"], "\(result.listing)")
    }

    @Test func suppressible() {
        let plan = PlanText.make([
            "version": "\"1.2.0\"",
            "suppress": "[{ \"rule\": \"B24P109\", \"at\": \"version\", \"reason\": \"the 1.1.0 slot is kept for the hotfix branch\" }]",
        ])
        #expect(Lint.run(plan: plan).codes.isEmpty)
    }
}
