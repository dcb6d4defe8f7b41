/// The process a step runs (the deploy hook), recorded with its pid and host before anything
/// waits for it, so that a later apply never starts a second one while the first still runs.
extension Journal {
    /// A step's state and the process it last started, if any.
    public struct StepProcess: Sendable, Equatable {
        public var state: StepState
        public var process: ProcessIdentity?
    }

    /// Records that `step` runs as `process`: state `running` with its pid, host and start mark.
    public func startStepProcess(run runID: Int, step: String, process: ProcessIdentity) throws {
        let time = timestamp
        try database.execute(
            database.dialect.upsert(
                """
                INSERT INTO b24plan_steps (run_id, step_id, state, started_at, finished_at, pid, host, process_start)
                VALUES (?, ?, ?, ?, NULL, ?, ?, ?)
                """, conflict: ["run_id", "step_id"],
                set: """
                    state = excluded.state,
                      started_at = COALESCE(b24plan_steps.started_at, excluded.started_at), finished_at = NULL,
                      pid = excluded.pid, host = excluded.host, process_start = excluded.process_start
                    """),
            [
                SQLValue(runID), .text(step), .text(StepState.running.rawValue), .text(time), SQLValue(Int(process.pid)),
                .text(process.host), SQLValue(process.start),
            ])
        try database.execute("UPDATE b24plan_runs SET updated_at = ? WHERE id = ?", [.text(time), SQLValue(runID)])
    }

    /// The state of `step` and the process it recorded; nil when the step has no row.
    public func stepProcess(run runID: Int, step: String) throws -> StepProcess? {
        guard
            let row = try database.queryFirst(
                "SELECT state, pid, host, process_start FROM b24plan_steps WHERE run_id = ? AND step_id = ?",
                [SQLValue(runID), .text(step)])
        else { return nil }
        var process: ProcessIdentity?
        if let pid = row["pid"].int, let host = row["host"].string {
            process = ProcessIdentity(pid: Int32(truncatingIfNeeded: pid), host: host, start: row["process_start"].string)
        }
        return StepProcess(state: StepState(rawValue: row["state"].string ?? "") ?? .pending, process: process)
    }
}
