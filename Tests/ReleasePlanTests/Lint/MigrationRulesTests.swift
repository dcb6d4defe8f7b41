import Testing

@testable import ReleasePlan

/// B24P301–B24P304: numbering, files, digests, and published migrations left alone.
struct MigrationRulesTests {
    @Test(arguments: RuleExampleCase.cases(MigrationRules()))
    func documentationExample(_ testCase: RuleExampleCase) {
        testCase.verify()
    }

    static let create = "CREATE TABLE deal_links (id TEXT PRIMARY KEY, member_id TEXT NOT NULL);\n"
    static let status = "ALTER TABLE deal_links ADD COLUMN status TEXT;\n"
    static let files = ["migrations/0001.sql": create, "migrations/0002.sql": status]

    static func entry(_ id: Int, _ name: String, _ file: String, extra: String = "") -> String {
        PlanText.migration(id: id, name: name, file: file, sql: files[file] ?? "", extra: extra)
    }

    static let first = entry(1, "create_deal_links", "migrations/0001.sql")
    static let second = entry(2, "add_status", "migrations/0002.sql")

    /// The `migrations` key with these entries, one per line from line 8, each at column 5.
    static func migrations(_ entries: [String]) -> String {
        "[\n    " + entries.joined(separator: ",\n    ") + "\n  ]"
    }

    static func lint(_ entries: [String], previous: [String]? = nil, files: [String: String] = files) -> Linter.Result {
        Lint.run(
            plan: PlanText.make(["migrations": migrations(entries)]),
            previous: previous.map { PlanText.previous(["migrations": migrations($0)]) }, files: files)
    }

    @Test func cleanMigrations() {
        #expect(Self.lint([Self.first, Self.second]).codes.isEmpty)
    }

    @Test func gapInTheIds() throws {
        let result = Self.lint([Self.first, Self.entry(3, "add_status", "migrations/0002.sql")])
        let finding = try #require(result.only("B24P301"))
        #expect(finding.message == "migration ids must run 1, 2, 3, … without gaps: expected 2 here, found 3")
        #expect((finding.at, finding.path) == ("9:13", "migrations[1].id"))
    }

    @Test func firstIdMustBeOne() throws {
        let result = Self.lint([Self.entry(2, "create_deal_links", "migrations/0001.sql")])
        #expect(try #require(result.only("B24P301")).message.hasSuffix("expected 1 here, found 2"))
    }

    @Test func duplicateId() throws {
        let result = Self.lint([Self.first, Self.entry(1, "add_status", "migrations/0002.sql")])
        let finding = try #require(result.only("B24P301"))
        #expect(finding.message == "migration id 1 is used twice (first at migrations[0])")
        #expect((finding.at, finding.path) == ("9:13", "migrations[1].id"))
    }

    @Test func duplicateDoesNotShiftTheExpectedId() {
        let third = Self.entry(2, "add_status", "migrations/0002.sql")
        let result = Self.lint([Self.first, Self.entry(1, "again", "migrations/0001.sql"), third])
        #expect(result.findings("B24P301").first?.message == "migration id 1 is used twice (first at migrations[0])")
        #expect(result.findings("B24P301").count == 1, "\(result.listing)")
    }

    @Test func missingFile() throws {
        let result = Self.lint([Self.first, Self.second], files: ["migrations/0001.sql": Self.create])
        let finding = try #require(result.only("B24P302"))
        #expect(finding.message == "migration file migrations/0002.sql cannot be read: no such file")
        #expect(
            (finding.at, finding.path) == (
                locationOf("\"migrations/0002.sql\"", in: PlanText.make(["migrations": Self.migrations([Self.first, Self.second])])),
                "migrations[1].file"
            ))
        #expect(result.findings("B24P303").isEmpty)
    }

    @Test func missingDigestPrintsIt() throws {
        let result = Self.lint(["{ \"id\": 1, \"name\": \"create_deal_links\", \"file\": \"migrations/0001.sql\" }"])
        let finding = try #require(result.only("B24P303"))
        let digest = SHA256.hex(Array(Self.create.utf8))
        #expect(finding.message == "migration has no sha256; the digest of migrations/0001.sql is \(digest) (b24plan lint --fix writes it)")
        #expect((finding.at, finding.path) == ("8:5", "migrations[0]"))
    }

    @Test func mismatchedDigestPrintsTheRightOne() throws {
        let wrong = String(repeating: "0", count: 64)
        let text = PlanText.make([
            "migrations": Self.migrations(["{ \"id\": 1, \"name\": \"a\", \"file\": \"migrations/0001.sql\", \"sha256\": \"\(wrong)\" }"])
        ])
        let result = Lint.run(plan: text, files: Self.files)
        let finding = try #require(result.only("B24P303"))
        #expect(finding.message.contains(SHA256.hex(Array(Self.create.utf8))))
        #expect(finding.message.hasPrefix("sha256 does not match migrations/0001.sql: the file's digest is "))
        #expect((finding.at, finding.path) == (locationOf("\"\(wrong)\"", in: text), "migrations[0].sha256"))
    }

    @Test func digestIsCaseInsensitive() {
        let upper =
            "{ \"id\": 1, \"name\": \"a\", \"file\": \"migrations/0001.sql\", \"sha256\": \"\(SHA256.hex(Array(Self.create.utf8)).uppercased())\" }"
        #expect(Self.lint([upper]).codes.isEmpty)
    }

    struct Edit: Sendable, CustomTestStringConvertible {
        let name: String
        let entry: String
        let edits: String
        var testDescription: String { name }
    }

    static let edits: [Edit] = [
        Edit(name: "renamed", entry: entry(1, "create_links", "migrations/0001.sql"), edits: "name"),
        Edit(
            name: "content and digest",
            entry: PlanText.migration(id: 1, name: "create_deal_links", file: "migrations/0001.sql", sql: "-- v2\n" + create),
            edits: "sha256"),
        Edit(
            name: "made perPortal", entry: entry(1, "create_deal_links", "migrations/0001.sql", extra: ", \"perPortal\": true"),
            edits: "perPortal"),
        Edit(
            name: "moved out of its transaction",
            entry: entry(1, "create_deal_links", "migrations/0001.sql", extra: ", \"transaction\": false"), edits: "transaction"),
    ]

    /// Moving a published migration's file with its bytes unchanged is not an edit: the history
    /// keys by id and checksum.
    @Test func fileMovedWithTheSameBytesIsNoEdit() {
        var files = Self.files
        files["migrations/v1/0001.sql"] = Self.create
        let moved = PlanText.migration(id: 1, name: "create_deal_links", file: "migrations/v1/0001.sql", sql: Self.create)
        let result = Self.lint([moved], previous: [Self.first], files: files)
        #expect(result.codes.isEmpty, "\(result.listing)")
    }

    @Test(arguments: edits)
    func publishedMigrationEdited(_ edit: Edit) throws {
        var files = Self.files
        files["migrations/v1/0001.sql"] = Self.create
        if edit.name == "content and digest" { files["migrations/0001.sql"] = "-- v2\n" + Self.create }
        let result = Self.lint([edit.entry], previous: [Self.first], files: files)
        let finding = try #require(result.only("B24P304"))
        #expect(
            finding.message == "published migration 1 (create_deal_links) was edited (\(edit.edits) changed); add a new migration instead")
        #expect((finding.at, finding.path) == ("8:5", "migrations[0]"))
    }

    /// The entry is as published but the file was edited: that is B24P304 (not a digest to --fix).
    @Test func editedFileWithThePublishedDigestIsAnEditedMigration() throws {
        let result = Self.lint([Self.first], previous: [Self.first], files: ["migrations/0001.sql": "-- v2\n" + Self.create])
        #expect(result.codes == ["B24P304"])
        let finding = try #require(result.only("B24P304"))
        #expect(finding.message.hasPrefix("published migration 1 was edited: migrations/0001.sql no longer matches its published sha256"))
        #expect(finding.path == "migrations[0].sha256")
    }

    @Test func batchSizeMayChange() {
        let result = Self.lint(
            [Self.entry(1, "create_deal_links", "migrations/0001.sql", extra: ", \"batchSize\": 100")], previous: [Self.first])
        #expect(result.codes.isEmpty, "\(result.listing)")
    }

    @Test func publishedMigrationRemoved() throws {
        let result = Self.lint([Self.first], previous: [Self.first, Self.second])
        let finding = try #require(result.only("B24P304"))
        #expect(finding.message == "published migration 2 (add_status) was removed; migrations are cumulative since the first release")
        #expect((finding.at, finding.path) == ("7:17", "migrations"))
    }

    @Test func publishedMigrationRenumbered() throws {
        let result = Self.lint([Self.first, Self.entry(3, "add_status", "migrations/0002.sql")], previous: [Self.first, Self.second])
        let finding = try #require(result.only("B24P304"))
        #expect(finding.message == "published migration add_status was renumbered from 2 to 3")
        #expect((finding.at, finding.path) == ("9:13", "migrations[1].id"))
        #expect(result.findings("B24P301").count == 1)
    }
}
