/// Portal tasks written in groups: a `perPortal` migration's transaction records every portal it
/// ran batches for with one statement per 200 portals.
extension Journal {
    /// Rows per statement: 10 parameters each stays far below every backend's limit.
    static let tasksPerStatement = 200

    /// Writes each task as `savePortalTask` would (inside the caller's transaction when there is
    /// one), 200 to a statement. A member named twice is written twice, in order.
    public func savePortalTasks(run runID: Int, step: String, _ tasks: [PortalTask]) throws {
        try Self.inStatements(tasks, of: Self.tasksPerStatement, memberID: \.memberID) { try upsertTasks(run: runID, step: step, $0) }
    }

    private func upsertTasks(run runID: Int, step: String, _ tasks: [PortalTask]) throws {
        guard !tasks.isEmpty else { return }
        let time = timestamp
        let tuples = Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", count: tasks.count).joined(separator: ", ")
        var parameters: [SQLValue] = []
        parameters.reserveCapacity(tasks.count * 10)
        for task in tasks {
            parameters += [
                SQLValue(runID), .text(step), .text(task.memberID), .text(task.state.rawValue), SQLValue(task.batches),
                SQLValue(task.rowsChanged), SQLValue(task.attempts), SQLValue(task.lastError), SQLValue(task.missingScopes),
                .text(time),
            ]
        }
        try database.execute(
            database.dialect.upsert(
                """
                INSERT INTO b24plan_portal_tasks
                  (run_id, step_id, member_id, state, batches, rows_changed, attempts, last_error, missing_scopes, updated_at)
                VALUES \(tuples)
                """, conflict: ["run_id", "step_id", "member_id"],
                set: """
                    state = excluded.state, batches = excluded.batches,
                      rows_changed = excluded.rows_changed, attempts = excluded.attempts, last_error = excluded.last_error,
                      missing_scopes = excluded.missing_scopes, updated_at = excluded.updated_at,
                      lease_expires_at = NULL
                    """),
            parameters)
    }
}
