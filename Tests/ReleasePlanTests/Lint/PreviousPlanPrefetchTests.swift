import Testing

@testable import ReleasePlan

/// The linter loads the likely previous plan while it parses the plan; the locator still chooses,
/// from the decoded plan, and each plan file is read once.
struct PreviousPlanPrefetchTests {
    static func plan(_ version: String, versioning: String? = nil) -> String {
        var overrides: [(String, String?)] = [("version", "\"\(version)\"")]
        if let versioning { overrides.append(("versioning", "\"\(versioning)\"")) }
        return ExamplePlan.json(overrides)
    }

    static func lint(_ files: [String: String], _ path: String, against: String? = nil) -> (Linter.Result, RecordingFileSystem) {
        let fileSystem = RecordingFileSystem(InMemoryFileSystem(files))
        return (Linter(fileSystem: fileSystem).lint(path: path, against: against), fileSystem)
    }

    @Test func guessedPreviousPlanIsReadOnce() {
        let (result, fileSystem) = Self.lint(
            ["a/1.0.0.json": Self.plan("1.0.0"), "a/1.1.0.json": Self.plan("1.1.0"), "a/0.9.0.json": Self.plan("0.9.0")], "a/1.1.0.json")
        #expect(result.context?.previous?.source.path == "a/1.0.0.json")
        #expect(fileSystem.reads.filter { $0 == "/a/1.0.0.json" }.count == 1)
    }

    @Test func aFileNameThatIsNoVersionStillFindsThePreviousPlan() {
        let (result, _) = Self.lint(["a/1.0.0.json": Self.plan("1.0.0"), "a/draft.json": Self.plan("1.1.0")], "a/draft.json")
        #expect(result.context?.previous?.source.path == "a/1.0.0.json")
    }

    @Test func aWrongGuessIsNotUsed() {
        // Named 1.1.0 (B24P109 says so) but declaring 2.0.0: its previous plan is 1.5.0, not 1.0.0.
        let files = [
            "a/1.0.0.json": Self.plan("1.0.0"), "a/1.5.0.json": Self.plan("1.5.0"), "a/1.1.0.json": Self.plan("2.0.0"),
        ]
        let (result, _) = Self.lint(files, "a/1.1.0.json")
        #expect(result.context?.previous?.source.path == "a/1.5.0.json")
        #expect(result.diagnostics.contains { $0.rule == "B24P109" })
    }

    @Test func freeVersioningScansTheFolderAgain() {
        // Under free versioning `1.5.json` is a version name (found even though it does not parse).
        let files = ["a/1.5.json": "{ broken", "a/2.json": Self.plan("2", versioning: "free")]
        let (result, _) = Self.lint(files, "a/2.json")
        #expect(result.context?.folder.entries.map(\.name) == ["1.5.json"])
        #expect(result.diagnostics.contains { $0.rule == "B24P107" })
    }

    @Test func againstIsLoadedInAdvanceAndReadOnce() {
        let files = ["a/1.1.0.json": Self.plan("1.1.0"), "old/x.json": Self.plan("1.0.0")]
        let (result, fileSystem) = Self.lint(files, "a/1.1.0.json", against: "old/x.json")
        #expect(result.context?.previous?.source.path == "old/x.json")
        #expect(result.context?.previousSource == .against)
        #expect(fileSystem.reads.filter { $0 == "/old/x.json" }.count == 1)
    }
}
