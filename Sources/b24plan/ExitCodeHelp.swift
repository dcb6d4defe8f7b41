/// The exit codes each command's `--help` lists: only those it can end with, in its own words
/// (DESIGN §7 gives the meaning every command shares).
enum ExitCodeHelp {
    struct Line {
        var codes: [ExitCode]
        var meaning: String

        init(_ codes: ExitCode..., meaning: String) {
            self.codes = codes
            self.meaning = meaning
        }
    }

    static func text(_ lines: [Line]) -> String {
        var text = "exit codes:\n"
        for line in lines {
            let codes = line.codes.map { String($0.rawValue) }.joined(separator: ", ")
            text += "  " + codes.padding(toLength: max(codes.count + 1, 9), withPad: " ", startingAt: 0) + line.meaning + "\n"
        }
        return text
    }

    static let usage = Line(
        .usage, meaning: "usage error: a wrong option or argument, or a file, config, credential or store that is missing")
    static let interrupted = Line(.interrupted, .terminated, meaning: "stopped by SIGINT or SIGTERM at a safe point")

    /// Every code, as DESIGN §7 gives them (the top-level `--help`).
    static let all = [
        Line(.success, meaning: "success, no findings"), Line(.failure, meaning: "errors in the input, or a failed or halted step"),
        Line(.changes, meaning: "changes present (diff --detailed-exitcode) or drift found"),
        Line(.incomplete, meaning: "apply incomplete: a gate pending, or portals failed or pending"), usage, interrupted,
    ]

    /// A command that succeeds or fails.
    static let standard = [Line(.success, meaning: "success"), Line(.failure, meaning: "the command failed (the message says why)"), usage]

    static let lint = [
        Line(.success, meaning: "no errors (warnings alone exit 0)"), Line(.failure, meaning: "errors found in a plan"), usage,
    ]
    static let diff = [
        Line(.success, meaning: "the diff was shown (with --detailed-exitcode: nothing changed)"),
        Line(.failure, meaning: "errors in the plan: no diff"),
        Line(.changes, meaning: "with --detailed-exitcode only: something changed"), usage,
    ]
    static let apply = [
        Line(
            .success,
            meaning: "every step done and no portal failed or pending (portals that need a reinstall or are inactive are reported)"),
        Line(.failure, meaning: "errors in the plan, or a step failed or halted (the journal says where; apply again resumes)"),
        Line(.incomplete, meaning: "incomplete: a gate is not passed, a soak runs, or portals failed or are pending"), usage,
        interrupted,
    ]
    static let reconcile = [
        Line(.success, meaning: "every selected portal is done (inactive ones are reported)"),
        Line(.failure, meaning: "errors in the plan or the store, or the repair failed"),
        Line(.incomplete, meaning: "some selected portals still need a reinstall or failed"), usage, interrupted,
    ]
    static let drift = [
        Line(.success, meaning: "every portal matches the plan"),
        Line(.failure, meaning: "some portals could not be read (reported as unknown), or errors"),
        Line(.changes, meaning: "some portals differ from the plan"), usage, interrupted,
    ]
    static let migrate = [
        Line(.success, meaning: "every migration is applied"), Line(.failure, meaning: "a migration failed or is dirty"), usage,
        interrupted,
    ]
    static let gate = [
        Line(.success, meaning: "recorded (passing a gate already passed changes nothing)"),
        Line(.failure, meaning: "refused: the steps before the gate are not done, or the run has ended"), usage,
    ]
    static let status = [
        Line(.success, meaning: "the run was shown"), Line(.failure, meaning: "no such run in this state store"), usage,
    ]
}
