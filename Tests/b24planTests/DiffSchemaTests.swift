import Foundation
import ReleasePlan
import Testing

/// `diff --format json` validates against `schemas/diff-output.schema.json` for plans with and
/// without every optional key (issue 13), checked with Python's `jsonschema` as
/// `scripts/check-schemas.py` does. Without `jsonschema` the test is skipped visibly, or fails under `CI=true`.
@Suite("b24plan diff --format json against its schema")
struct DiffSchemaTests {
    static let createSQL = "CREATE TABLE deal_links (id BIGINT, member_id TEXT);\n"
    static let backfillSQL = "UPDATE deal_links SET member_id = :member_id WHERE id IN (SELECT id FROM deal_links LIMIT :batch_size);\n"

    /// A plan of `acme.schema` at `version`: the four required keys, plus `extra` (raw JSON members).
    static func plan(_ version: String, changelog: String = "Shows the deals linked to each task.", extra: [String] = []) -> String {
        let required = [
            "\"app\": \"acme.schema\"", "\"version\": \"\(version)\"", "\"changelog\": { \"en\": \"\(changelog)\" }",
        ]
        return "{\n  " + (required + extra).joined(separator: ",\n  ") + "\n}\n"
    }

    static let minimal = ["\"scopes\": [\"crm\"]", "\"requiredMethods\": [\"crm.deal.get\"]"]

    /// Every optional key of the plan format.
    static var full: [String] {
        [
            "\"$schema\": \"../schemas/release-plan.schema.json\"", "\"versioning\": \"semver\"",
            "\"monetization\": { \"model\": \"subscription\", \"trialDays\": 14 }", "\"minimumBitrix24Version\": \"24.300.0\"",
            "\"scopes\": [\"crm\", \"placement\", { \"code\": \"user\", \"purpose\": \"Shows the responsible person\" }]",
            "\"scopeUpgrade\": \"reinstall\"", "\"handlerHosts\": [\"app.acme.example\"]",
            "\"placements\": [{ \"placement\": \"CRM_DEAL_DETAIL_TAB\", \"handler\": \"https://app.acme.example/tab\", \"title\": \"Links\", "
                + "\"description\": \"Linked items\", \"groupName\": \"Sync\", \"langAll\": { \"ru\": { \"title\": \"Связи\" } }, \"options\": {} }]",
            "\"events\": [{ \"event\": \"ONCRMDEALUPDATE\", \"handler\": \"https://app.acme.example/hook\", \"eventType\": \"offline\", \"authType\": 0 }]",
            "\"requiredMethods\": [\"crm.deal.get\"]",
            "\"migrations\": [" + PlanTextMigration.entry(1, "create", "migrations/0001.sql", createSQL, ", \"transaction\": true") + ", "
                + PlanTextMigration.entry(2, "backfill", "migrations/0002.sql", backfillSQL, ", \"perPortal\": true, \"batchSize\": 100")
                + "]",
            "\"deploy\": { \"command\": [\"./deploy.sh\", \"x\"] }", "\"notice\": { \"option\": \"release_notice\" }",
            "\"database\": \"postgresql\"",
            "\"suppress\": [{ \"rule\": \"B24P211\", \"at\": \"scopes[0]\", \"reason\": \"crm is used by the deal tab\" }]",
        ]
    }

    struct Variant: Sendable, CustomTestStringConvertible {
        var name: String
        var plan: String
        var previous: String?
        var arguments: [String] = []
        var testDescription: String { name }
    }

    static var variants: [Variant] {
        [
            Variant(name: "initial, only the required keys (from null, no optional key)", plan: plan("1.0.0", extra: minimal)),
            Variant(name: "initial, every optional key", plan: plan("1.0.0", extra: full)),
            Variant(
                name: "initial with --installations (rollout set) and --reconcile always",
                plan: plan("1.0.0", extra: full), arguments: ["--installations", "100", "--reconcile", "always"]),
            Variant(
                name: "patch: only the changelog changed",
                plan: plan("1.0.1", changelog: "Fixes the links of deleted deals.", extra: minimal),
                previous: plan("1.0.0", extra: minimal)),
            Variant(
                name: "major: every optional key added", plan: plan("2.0.0", changelog: "Adds the deal tab and events.", extra: full),
                previous: plan("1.0.0", extra: minimal), arguments: ["--installations", "100"]),
            Variant(
                name: "every optional key removed (monetization, minimum version, placements, events, deploy)",
                plan: plan(
                    "3.0.0", changelog: "Drops the deal tab.",
                    extra: minimal.dropLast() + [
                        "\"requiredMethods\": [\"crm.deal.get\"]",
                        "\"migrations\": ["
                            + PlanTextMigration.entry(1, "create", "migrations/0001.sql", createSQL, ", \"transaction\": true")
                            + ", "
                            + PlanTextMigration.entry(
                                2, "backfill", "migrations/0002.sql", backfillSQL, ", \"perPortal\": true, \"batchSize\": 100")
                            + "]",
                    ]),
                previous: plan("2.0.0", extra: full)),
            Variant(
                name: "monetization changed, with waves",
                plan: plan(
                    "4.0.0", changelog: "Becomes a paid app with waves.",
                    extra: full.map {
                        $0.hasPrefix("\"monetization\"") ? "\"monetization\": { \"model\": \"paid\" }" : $0
                    }),
                previous: plan("3.0.0", extra: full), arguments: ["--waves", "10,50,100", "--installations", "1000"]),
            Variant(
                name: "free versioning (declaredBump null)",
                plan: plan("2024.2", changelog: "Shows more deals in the tab.", extra: minimal + ["\"versioning\": \"free\""]),
                previous: plan("2024.1", extra: minimal + ["\"versioning\": \"free\""])),
            Variant(
                name: "pre-release with a warning (diagnostics present)",
                plan: plan(
                    "2.0.0-rc.1", changelog: "Release candidate.",
                    extra: [
                        "\"scopes\": [\"crm\", \"user\"]", "\"scopeUpgrade\": \"incremental\"", "\"requiredMethods\": [\"crm.deal.get\"]",
                    ]),
                previous: plan("1.0.0", extra: minimal)),
        ]
    }

    @Test("every variant validates", arguments: variants)
    func validates(_ variant: Variant) throws {
        try Self.requireJSONSchema()
        let folder = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        func write(_ path: String, _ text: String) throws {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        try write("plans/migrations/0001.sql", Self.createSQL)
        try write("plans/migrations/0002.sql", Self.backfillSQL)
        try write("plans/plan.json", variant.plan)
        var arguments = ["diff", "--format", "json"] + variant.arguments
        if let previous = variant.previous {
            try write("plans/previous.json", previous)
            arguments += ["--against", "plans/previous.json"]
        }
        let output = try CLIRunner.run(arguments + ["plans/plan.json"], in: folder)
        #expect(output.code == 0, "\(output.stdout)\(output.stderr)")
        try write("out.json", output.stdout)
        let check = try Self.python(
            [
                "-c",
                """
                import json, sys
                from jsonschema import Draft202012Validator
                schema = json.load(open(sys.argv[1]))
                document = json.load(open(sys.argv[2]))
                for e in sorted(Draft202012Validator(schema).iter_errors(document), key=lambda e: list(map(str, e.absolute_path))):
                    print("/".join(map(str, e.absolute_path)) or "(root)", ":", e.message)
                """,
                CLIRunner.packageRoot.appendingPathComponent("schemas/diff-output.schema.json").path,
                folder.appendingPathComponent("out.json").path,
            ])
        #expect(check.code == 0 && check.stdout.isEmpty, "\(variant.name):\n\(check.stdout)\(check.stderr)\n\(output.stdout)")
        let json = try CLIRunner.json(output)
        #expect((json["from"] is NSNull) == (variant.previous == nil))
    }

    /// Returns when `python3` can import `jsonschema`.
    static func requireJSONSchema() throws {
        if let probe = try? python(["-c", "import jsonschema"]), probe.code == 0 { return }
        if ProcessInfo.processInfo.environment["CI"] == "true" { throw MissingJSONSchema() }
        try Test.cancel("python3 with jsonschema is not available (scripts/test installs it): schema check skipped")
    }

    struct MissingJSONSchema: Error, CustomStringConvertible {
        var description: String { "python3 -c 'import jsonschema' fails and CI=true: install it (scripts/test does)" }
    }

    /// `python3 arguments…`, found on the PATH.
    static func python(_ arguments: [String]) throws -> CLIRunner.Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLIRunner.Output(
            code: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }
}

/// A migration entry of a plan whose digest matches `sql`.
enum PlanTextMigration {
    static func entry(_ id: Int, _ name: String, _ file: String, _ sql: String, _ extra: String = "") -> String {
        "{ \"id\": \(id), \"name\": \"\(name)\", \"file\": \"\(file)\", \"sha256\": \"\(SHA256.hex(Array(sql.utf8)))\"\(extra) }"
    }
}
