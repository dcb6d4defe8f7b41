import Foundation
import Testing

@Suite("b24plan command line conventions")
struct CommandLineTests {
    @Test("--version prints the version")
    func version() throws {
        let output = try CLIRunner.run(["--version"])
        #expect(output.code == 0)
        #expect(output.stdout.hasPrefix("b24plan 0."))
    }

    @Test("--help on every command", arguments: ["lint", "explain", "new", "bump"])
    func help(command: String) throws {
        let output = try CLIRunner.run([command, "--help"])
        #expect(output.code == 0)
        #expect(output.stdout.hasPrefix("usage: b24plan \(command)"))
        #expect(output.stdout.contains("exit codes:"))
        let viaHelp = try CLIRunner.run(["help", command])
        #expect(viaHelp.stdout == output.stdout)
    }

    @Test("explain prints the rule, a bad example with what lint says, and a good one")
    func explain() throws {
        let output = try CLIRunner.run(["explain", "B24P204"])
        #expect(output.code == 0)
        #expect(output.stdout.hasPrefix("B24P204: Placement needs a scope the plan does not request (error)"))
        #expect(output.stdout.contains("Bad:"))
        #expect(output.stdout.contains("error[B24P204]: placement TASK_VIEW_TAB needs the scope \"task\""))
        #expect(output.stdout.contains("Good:"))
    }

    @Test("explain shows what lint says about every rule's bad example")
    func explainEveryRule() throws {
        let list = try CLIRunner.run(["explain", "--format", "json"])
        let rules = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(rules.count == 50)
        for rule in rules {
            let code = rule["code"] as? String ?? ""
            let severity = rule["severity"] as? String ?? ""
            let output = try CLIRunner.run(["explain", code])
            #expect(output.code == 0)
            #expect(output.stdout.contains("What lint says:\n") && output.stdout.contains("\(severity)[\(code)]"), "\(code)")
        }
    }

    @Test("explain --format json and the rule list")
    func explainJSON() throws {
        let output = try CLIRunner.run(["explain", "b24p305", "--format", "json"])
        #expect(output.code == 0)
        let json = try CLIRunner.json(output)
        #expect(json["code"] as? String == "B24P305")
        #expect(json["severity"] as? String == "error")
        #expect(((json["bad"] as? [String: Any])?["files"] as? [String: String])?.isEmpty == false)

        let list = try CLIRunner.run(["explain"])
        #expect(list.stdout.split(separator: "\n").count == 50)
        #expect(try CLIRunner.run(["explain", "B24P999"]).code == 64)
    }

    @Test("colour only on a terminal, never with NO_COLOR")
    func colour() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { return }
        let command = "\(CLIRunner.binary.path) lint Tests/Fixtures/schema-invalid/version-number.json"
        let onTerminal = try runUnderTerminal(command, environment: [:])
        #expect(onTerminal.contains("\u{1B}[1;31merror"))
        let noColor = try runUnderTerminal(command, environment: ["NO_COLOR": "1"])
        #expect(noColor.contains("error[B24P003]"))
        #expect(!noColor.contains("\u{1B}["))
    }

    /// Runs a shell command with a pseudo-terminal as stdout (util-linux `script`).
    private func runUnderTerminal(_ command: String, environment: [String: String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", command, "/dev/null"]
        process.currentDirectoryURL = CLIRunner.packageRoot
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = nil
        env["TERM"] = "xterm"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}

/// Each command's `--help` lists only the exit codes it can end with (issue 13).
@Suite("per-command exit codes")
struct CommandExitCodeHelpTests {
    static func exitCodes(_ help: String) -> Set<String> {
        guard let range = help.range(of: "exit codes:\n") else { return [] }
        var codes: Set<String> = []
        for line in help[range.upperBound...].split(separator: "\n") {
            let head = line.trimmingCharacters(in: .whitespaces).prefix { $0.isNumber || $0 == "," || $0 == " " }
            for code in head.split(whereSeparator: { $0 == "," || $0 == " " }) { codes.insert(String(code)) }
        }
        return codes
    }

    @Test(
        "--help lists the command's own exit codes",
        arguments: [
            ("lint", ["0", "1", "64"]), ("diff", ["0", "1", "2", "64"]), ("apply", ["0", "1", "3", "64", "130", "143"]),
            ("drift", ["0", "1", "2", "64", "130", "143"]), ("gate", ["0", "1", "64"]), ("status", ["0", "1", "64"]),
            ("explain", ["0", "1", "64"]), ("reconcile", ["0", "1", "3", "64", "130", "143"]),
        ])
    func ownExitCodes(command: String, codes: [String]) throws {
        let output = try CLIRunner.run([command, "--help"])
        #expect(output.code == 0)
        #expect(Self.exitCodes(output.stdout) == Set(codes), "\(output.stdout)")
    }

    @Test("the top-level --help lists every exit code")
    func everyExitCode() throws {
        let output = try CLIRunner.run(["--help"])
        #expect(Self.exitCodes(output.stdout) == ["0", "1", "2", "3", "64", "130", "143"], "\(output.stdout)")
    }
}

/// Output that cannot be written is a failure, not a success (issue 13's probe: `report > /dev/full`).
@Suite("lost output")
struct LostOutputTests {
    @Test(
        "stdout on a full device: exit 1 and one sentence on stderr, for a command that would exit 0",
        arguments: [
            ["--version"], ["lint", "--format", "json", "plans/acme.dealsync/2.0.0.json"], ["schema", "plan"],
        ])
    func fullDevice(arguments: [String]) throws {
        var info = stat()
        try #require(stat("/dev/full", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR, "/dev/full is a character device here")
        let process = Process()
        process.executableURL = CLIRunner.binary
        process.arguments = arguments
        process.currentDirectoryURL = CLIRunner.packageRoot
        process.environment = CLIRunner.childEnvironment()
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        let errors = Pipe()
        process.standardOutput = full
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1, "\(stderr)")
        #expect(stderr == "error: could not write the output: No space left on device\n", "\(stderr)")
    }
}
