import Testing

@testable import ReleasePlan

/// B24P302 for files outside the project: absolute, climbing out with `..`, or leaving through a
/// symbolic link. Refused files are never read (no digest, no SQL checks).
extension MigrationRulesTests {
    struct FileCase: Sendable, CustomTestStringConvertible {
        let name: String
        /// The migration's `file` as the plan gives it.
        let file: String
        /// Extra files (paths from the in-memory root) and symbolic links.
        var files: [String: String] = [:]
        var symlinks: [String: String] = [:]
        /// The B24P302 message; nil when the file is accepted.
        let message: String?
        var testDescription: String { name }
    }

    /// The plan is `plans/acme.example/1.1.0.json`; without `.git` anywhere the project is `/plans`.
    static let fileCases: [FileCase] = [
        FileCase(
            name: "climbs out with ..", file: "../../../etc/passwd",
            message: "migration file ../../../etc/passwd is outside the project /plans: migration files must be inside it"),
        FileCase(
            name: "climbs out after a folder", file: "migrations/../../../etc/passwd",
            message: "migration file migrations/../../../etc/passwd is outside the project /plans: migration files must be inside it"),
        FileCase(
            name: "absolute", file: "/etc/passwd",
            message: "migration file /etc/passwd is an absolute path: give it relative to the plan file, inside the project /plans"),
        FileCase(
            name: "absolute inside the project", file: "/plans/acme.example/migrations/0001.sql",
            message:
                "migration file /plans/acme.example/migrations/0001.sql is an absolute path: give it relative to the plan file, inside the project /plans"
        ),
        FileCase(
            name: "symbolic link to /etc/shadow", file: "migrations/0001.sql",
            symlinks: ["plans/acme.example/migrations/0001.sql": "/etc/shadow"],
            message:
                "migration file migrations/0001.sql resolves through a symbolic link to /etc/shadow, outside the project /plans"),
        FileCase(
            name: "relative symbolic link climbing out", file: "migrations/0001.sql",
            symlinks: ["plans/acme.example/migrations/0001.sql": "../../../etc/shadow"],
            message:
                "migration file migrations/0001.sql resolves through a symbolic link to /etc/shadow, outside the project /plans"),
        FileCase(
            name: "linked folder", file: "sql/0001.sql", files: ["/etc/0001.sql": create], symlinks: ["plans/acme.example/sql": "/etc"],
            message: "migration file sql/0001.sql resolves through a symbolic link to /etc/0001.sql, outside the project /plans"),
        FileCase(
            name: "a lookalike of the project's name", file: "../../plans-evil/0001.sql", files: ["/plans-evil/0001.sql": create],
            message: "migration file ../../plans-evil/0001.sql is outside the project /plans: migration files must be inside it"),
        FileCase(name: "beside the plan's folder", file: "../shared/0001.sql", files: ["plans/shared/0001.sql": create], message: nil),
        FileCase(
            name: "symbolic link inside the project", file: "migrations/0001.sql", files: ["plans/shared/0001.sql": create],
            symlinks: ["plans/acme.example/migrations/0001.sql": "../../shared/0001.sql"], message: nil),
        FileCase(
            name: ".git at the root makes it the project", file: "../../0001.sql", files: [".git/HEAD": "ref", "0001.sql": create],
            message: nil),
        FileCase(
            name: "the nearest .git wins (a worktree's .git file)", file: "../shared/0001.sql",
            files: [".git/HEAD": "ref", "plans/acme.example/.git": "gitdir: /repo/.git/worktrees/a", "plans/shared/0001.sql": create],
            message:
                "migration file ../shared/0001.sql is outside the project /plans/acme.example: migration files must be inside it"),
    ]

    @Test(arguments: fileCases)
    func fileOutsideTheProject(_ testCase: FileCase) throws {
        let entry = "{ \"id\": 1, \"name\": \"a\", \"file\": \"\(testCase.file)\", \"sha256\": \"\(SHA256.hex(Array(Self.create.utf8)))\" }"
        var files = [
            Lint.planPath: PlanText.make(["migrations": Self.migrations([entry])]),
            "/etc/passwd": "root:x:0:0:root:/root:/bin/sh\n", "/etc/shadow": "root:$6$secret:19000::::::\n",
        ]
        if testCase.symlinks.isEmpty { files["plans/acme.example/migrations/0001.sql"] = Self.create }
        files.merge(testCase.files) { _, new in new }
        let fileSystem = RecordingFileSystem(InMemoryFileSystem(files, symlinks: testCase.symlinks))
        let result = Linter(fileSystem: fileSystem).lint(path: Lint.planPath)
        guard let message = testCase.message else {
            #expect(result.codes.isEmpty, "\(result.listing)")
            return
        }
        let finding = try #require(result.only("B24P302"))
        #expect(finding.message == message)
        #expect(finding.path == "migrations[0].file")
        #expect(finding.notes == [PlanMessages.projectRootNote])
        #expect(result.codes == ["B24P302"], "no digest and no SQL checks on a refused file: \(result.listing)")
        #expect(result.sources.count == 1, "only the plan is a source: \(result.sources.keys.sorted())")
        #expect(fileSystem.reads == ["/" + Lint.planPath], "lint read only the plan")
    }
}
