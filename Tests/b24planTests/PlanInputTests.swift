import Foundation
import Testing

/// Plan FILEs that cannot be read, and `lint DIR` (issue 13): every command that takes a plan FILE
/// says `error: cannot read FILE: REASON` and exits 64, before it opens a store or prints anything.
@Suite("b24plan command line: plan files that cannot be read, lint DIR")
struct PlanInputTests {
    /// Every command that takes a plan FILE, with `FILE` where the file goes.
    static let commands: [[String]] = [
        ["lint", "FILE"], ["lint", "--format", "json", "FILE"], ["lint", "--format", "sarif", "FILE"],
        ["lint", "--format", "github", "FILE"], ["diff", "FILE"], ["diff", "--format", "json", "FILE"],
        ["graph", "FILE"], ["apply", "--yes", "FILE"], ["gate", "pass", "gate.partner", "FILE"],
        ["gate", "reject", "gate.moderation", "FILE", "--reason", "no"], ["status", "FILE"], ["abandon", "FILE"],
        ["drift", "FILE"], ["reconcile", "--all", "FILE"], ["migrate", "FILE"], ["migrate", "--mark-clean", "1", "FILE"],
        ["baseline", "FILE"], ["bump", "patch", "FILE"], ["diff", "--against", "FILE", "plan.json"],
        ["lint", "--against", "FILE", "plan.json"],
    ]

    struct Unreadable: Sendable, CustomTestStringConvertible {
        var name: String
        var reason: String
        var testDescription: String { name }
    }

    /// A missing file, a folder, a FIFO (which must not make b24plan wait for a writer).
    static let unreadable = [
        Unreadable(name: "missing.json", reason: "no such file"), Unreadable(name: "folder", reason: "is a directory"),
        Unreadable(name: "fifo.json", reason: "is not a regular file (a FIFO)"),
    ]

    /// A folder with a valid plan (`plan.json`), a folder (`folder`) and a FIFO (`fifo.json`).
    static func workspace() throws -> URL {
        let folder = try CLIRunner.temporaryFolder()
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("folder"), withIntermediateDirectories: true)
        try plan(version: "1.0.0").write(to: folder.appendingPathComponent("plan.json"), atomically: true, encoding: .utf8)
        #expect(mkfifo(folder.appendingPathComponent("fifo.json").path, 0o600) == 0)
        return folder
    }

    static func plan(version: String, scopes: String = "[\"crm\"]", app: String = "acme.input") -> String {
        """
        {
          "app": "\(app)",
          "version": "\(version)",
          "changelog": { "en": "Version \(version) shows the deals linked to each task." },
          "scopes": \(scopes),
          "requiredMethods": ["crm.deal.get"]
        }

        """
    }

    @Test("every command that takes a plan FILE: exit 64, the reason on stderr, nothing on stdout, no store", arguments: unreadable)
    func unreadableFile(_ file: Unreadable) throws {
        let folder = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: folder) }
        // lint takes a DIR too (lintFolder); its --against does not.
        for command in Self.commands where file.name != "folder" || command.first != "lint" || command.contains("--against") {
            let arguments = command.map { $0 == "FILE" ? file.name : $0 }
            let output = try CLIRunner.run(arguments, in: folder)
            #expect(output.code == 64, "\(arguments): \(output.stderr)")
            #expect(output.stderr == "error: cannot read \(file.name): \(file.reason)\n", "\(arguments)")
            #expect(output.stdout.isEmpty, "\(arguments): \(output.stdout)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(".b24plan").path), "no store was created")
    }

    @Test("a plan the user may not read: exit 64, permission denied")
    func permissionDenied() throws {
        guard geteuid() != 0 else { return }  // root reads it anyway
        let folder = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("secret.json").path
        try Self.plan(version: "1.0.0").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(chmod(path, 0) == 0)
        let output = try CLIRunner.run(["lint", "secret.json"], in: folder)
        #expect(output.code == 64)
        #expect(output.stderr == "error: cannot read secret.json: permission denied\n")
    }

    @Test("a FIFO beside the plan or as a migration file is refused, not waited on")
    func fifoBesideThePlan() throws {
        let folder = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(mkfifo(folder.appendingPathComponent("0.9.0.json").path, 0o600) == 0)
        #expect(mkfifo(folder.appendingPathComponent("0001.sql").path, 0o600) == 0)
        let plan = Self.plan(version: "1.0.0").replacingOccurrences(
            of: "\"requiredMethods\"",
            with: "\"migrations\": [{ \"id\": 1, \"name\": \"a\", \"file\": \"0001.sql\" }],\n  \"requiredMethods\"")
        try plan.write(to: folder.appendingPathComponent("1.0.0.json"), atomically: true, encoding: .utf8)
        let output = try CLIRunner.run(["lint", "1.0.0.json"], in: folder)
        #expect(output.code == 1, "\(output.stdout)\(output.stderr)")
        #expect(
            output.stdout.contains("error[B24P302]: migration file 0001.sql cannot be read: is not a regular file (a FIFO)"),
            "\(output.stdout)")
        #expect(
            output.stdout.contains("0.9.0.json cannot be used: cannot read the plan: is not a regular file (a FIFO)"), "\(output.stdout)")
    }

    @Test("usage errors come before the file check (exit 64 with the usage)")
    func usageFirst() throws {
        let output = try CLIRunner.run(["bump", "tiny", "missing.json"])
        #expect(output.code == 64)
        #expect(output.stderr.contains("bump kind must be patch, minor or major"))
    }

    // MARK: lint DIR

    /// `plans/` with two apps (one with an error), a subfolder, and files that are not plans.
    static func plansFolder() throws -> URL {
        let root = try CLIRunner.temporaryFolder()
        func write(_ path: String, _ text: String) throws {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        try write("plans/acme.input/1.0.0.json", plan(version: "1.0.0"))
        try write("plans/acme.input/1.1.0.json", plan(version: "1.1.0"))
        try write("plans/acme.other/2.0.0.json", plan(version: "2.0.0", scopes: "[\"crm\", \"tsk\"]", app: "acme.other"))
        try write("plans/acme.other/package.json", "{ \"name\": \"tools\", \"version\": \"1.0.0\" }\n")
        try write("plans/b24plan.config.json", "{ \"app\": \"x\", \"version\": \"1.0.0\" }\n")
        try write("plans/.hidden/9.0.0.json", "{ broken\n")
        try write("plans/node_modules/x/1.0.0.json", "{ broken\n")
        try write("plans/.build/1.0.0.json", "{ broken\n")
        try write("plans/acme.named/3.0.0.json", "{ \"app\": \"acme.named\", \n")
        try write("plans/empty/README.md", "no plans here\n")
        return root
    }

    @Test("lint DIR lints every plan below it against its own folder, one summary, exit 1 on any error")
    func lintFolder() throws {
        let root = try Self.plansFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = try CLIRunner.run(["lint", "plans"], in: root)
        #expect(output.code == 1, "\(output.stdout)\(output.stderr)")
        #expect(output.stdout.contains("plans/acme.other/2.0.0.json:5:21: error[B24P201]: unknown scope \"tsk\""), "\(output.stdout)")
        #expect(output.stdout.contains("plans/acme.named/3.0.0.json:"), "a plan named like a version is linted even when broken")
        #expect(!output.stdout.contains("package.json") && !output.stdout.contains("node_modules"))
        #expect(!output.stdout.contains(".hidden") && !output.stdout.contains(".build") && !output.stdout.contains("config"))
        #expect(output.stdout.hasSuffix("4 plans: 2 errors, 0 warnings\n"), "\(output.stdout)")

        let json = try CLIRunner.run(["lint", "--format", "json", "plans/acme.input", "plans/acme.other"], in: root)
        #expect(json.code == 1)
        let files = Set((try CLIRunner.json(json)["diagnostics"] as? [[String: Any]] ?? []).compactMap { $0["file"] as? String })
        #expect(files == ["plans/acme.other/2.0.0.json"])

        let clean = try CLIRunner.run(["lint", "plans/acme.input"], in: root)
        #expect(clean.code == 0, "1.1.0 is linted against 1.0.0 beside it: \(clean.stdout)")
        #expect(clean.stdout == "2 plans: no problems\n")
    }

    @Test("lint DIR without plans exits 64 with a sentence")
    func lintEmptyFolder() throws {
        let root = try Self.plansFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = try CLIRunner.run(["lint", "plans/empty"], in: root)
        #expect(output.code == 64)
        #expect(output.stderr.hasPrefix("error: no release plans in plans/empty: a plan is a *.json file"))
        #expect(output.stdout.isEmpty)
        #expect(try CLIRunner.run(["lint", "--help"]).stdout.contains("A DIR is linted plan by plan"))
    }

    // MARK: diff with two files

    @Test("diff old.json new.json hints at --against with the user's paths")
    func diffTwoFiles() throws {
        let output = try CLIRunner.run(["diff", "plans/old one.json", "plans/new.json"])
        #expect(output.code == 64)
        #expect(
            output.stderr.contains(
                "hint: diff compares one plan with the published one; to compare with a particular earlier plan: "
                    + "b24plan diff --against 'plans/old one.json' plans/new.json\n"), "\(output.stderr)")
    }
}
