import Testing

@testable import ReleasePlan

/// `lint --fix` writes digests only into a plan that is not released, and B24P303 advises `--fix`
/// only where it writes.
struct DigestFixerTests {
    static let sql = "CREATE TABLE deal_links (id TEXT PRIMARY KEY);\n"
    static let digest = SHA256.hex(Array(sql.utf8))

    /// A plan of `version` whose one migration has no sha256 (app acme.example unless given).
    static func plan(_ version: String, app: String = "acme.example", sha256: String? = nil) -> String {
        let digest = sha256.map { ", \"sha256\": \"\($0)\"" } ?? ""
        return PlanText.make([
            "app": "\"\(app)\"", "version": "\"\(version)\"",
            "migrations": "[{ \"id\": 1, \"name\": \"create\", \"file\": \"migrations/0001.sql\"\(digest) }]",
        ])
    }

    struct GuardCase: Sendable, CustomTestStringConvertible {
        let name: String
        let plan: String
        /// Other files of the folder, by name.
        let folder: [String: String]
        let history: PublishedHistory?
        /// Why the fixer refuses (the end of the reason); nil: it writes the digest.
        let refusedBecause: String?

        var testDescription: String { name }
    }

    static let cases: [GuardCase] = [
        GuardCase(name: "a plan alone is fixed", plan: "1.0.0.json", folder: [:], history: nil, refusedBecause: nil),
        GuardCase(
            name: "a later release beside it: never written", plan: "1.0.0.json", folder: ["1.1.0.json": plan("1.1.0")],
            history: nil, refusedBecause: "plans/acme.example/1.1.0.json follows it"),
        GuardCase(
            name: "the lowest later release is named", plan: "1.0.0.json",
            folder: ["2.0.0.json": plan("2.0.0"), "1.0.1.json": plan("1.0.1")], history: nil,
            refusedBecause: "plans/acme.example/1.0.1.json follows it"),
        GuardCase(
            name: "a later rc does not release it", plan: "1.0.0.json", folder: ["1.1.0-rc.1.json": plan("1.1.0-rc.1")],
            history: nil, refusedBecause: nil),
        GuardCase(
            name: "a later plan of another app does not release it", plan: "1.0.0.json",
            folder: ["1.1.0.json": plan("1.1.0", app: "acme.other")], history: nil, refusedBecause: nil),
        GuardCase(
            name: "a broken later plan found by its name counts", plan: "1.0.0.json", folder: ["1.1.0.json": "{ \"app\": "],
            history: nil, refusedBecause: "plans/acme.example/1.1.0.json follows it"),
        GuardCase(
            name: "an rc followed by its release is history", plan: "2.0.0-rc.1.json", folder: ["2.0.0.json": plan("2.0.0")],
            history: nil, refusedBecause: "plans/acme.example/2.0.0.json follows it"),
        GuardCase(
            name: "the store recorded it as published", plan: "1.0.0.json", folder: [:],
            history: PublishedHistory(releases: [PublishedRelease(app: "acme.example", version: "1.0.0")]),
            refusedBecause: "the state store published store:acme.example@1.0.0"),
        GuardCase(
            name: "the store recorded another version only", plan: "1.0.0.json", folder: [:],
            history: PublishedHistory(releases: [PublishedRelease(app: "acme.other", version: "1.0.0")]), refusedBecause: nil),
    ]

    static func lint(_ testCase: GuardCase) -> Linter.Result {
        var files = ["plans/acme.example/migrations/0001.sql": sql]
        let version = String(testCase.plan.dropLast(".json".count))
        files[FilePath.join(Lint.folder, testCase.plan)] = plan(version)
        for (name, text) in testCase.folder { files[FilePath.join(Lint.folder, name)] = text }
        return Linter(fileSystem: InMemoryFileSystem(files)).lint(
            path: FilePath.join(Lint.folder, testCase.plan), history: testCase.history)
    }

    @Test(arguments: cases)
    func releasedPlansAreNeverWritten(_ testCase: GuardCase) throws {
        let result = Self.lint(testCase)
        let context = try #require(result.context)
        let fix = DigestFixer.fix(context)
        let finding = try #require(result.only("B24P303"))
        if let reason = testCase.refusedBecause {
            #expect(fix.edits.isEmpty)
            #expect(
                fix.refusal
                    == "\(FilePath.join(Lint.folder, testCase.plan)) is released (\(reason)): lint --fix does not write into it; "
                    + "its sha256 values are history: restore the migration files it names, and add a new migration to the next plan instead"
            )
            #expect(!finding.message.contains("--fix"), "\(finding.message)")
            #expect(
                finding.message.hasSuffix(
                    "this plan is released (\(reason)), so its digests stay: restore the file, "
                        + "and add a new migration to the next plan instead"))
        } else {
            #expect(fix.edits.count == 1)
            #expect(fix.refusal == nil)
            #expect(finding.message.hasSuffix("(b24plan lint --fix writes it)"))
        }
    }

    @Test func aReleasedPlanWithNothingToFixIsNotReported() throws {
        let files = [
            "plans/acme.example/migrations/0001.sql": Self.sql, Lint.previousPath: Self.plan("1.0.0", sha256: Self.digest),
            Lint.planPath: Self.plan("1.1.0", sha256: Self.digest),
        ]
        let result = Linter(fileSystem: InMemoryFileSystem(files)).lint(path: Lint.previousPath)
        let context = try #require(result.context)
        #expect(context.releaseStatus == .followed(by: Lint.planPath))
        #expect(DigestFixer.fix(context) == DigestFixer.Fix(edits: [], refusal: nil))
    }

    @Test func aPublishedMigrationIsNeverAdvisedToBeFixed() throws {
        let wrong = String(repeating: "0", count: 64)
        let other = String(repeating: "1", count: 64)
        let result = Lint.run(
            plan: Self.plan("1.1.0", sha256: other), previous: Self.plan("1.0.0", sha256: wrong),
            files: ["migrations/0001.sql": Self.sql])
        let finding = try #require(result.only("B24P303"))
        #expect(
            finding.message
                == "sha256 does not match migrations/0001.sql: the file's digest is \(Self.digest); migration 1 is published, "
                + "so its digest stays: restore the file, and add a new migration instead (B24P304)")
        #expect(result.findings("B24P304").count == 1, "the edit of the published entry is reported too")
        let context = try #require(result.context)
        #expect(DigestFixer.fix(context) == DigestFixer.Fix(edits: [], refusal: nil), "published migrations are not fixed")
    }
}
