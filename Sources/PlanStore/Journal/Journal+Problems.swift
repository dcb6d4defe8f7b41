/// The portals a run's reconcile did not finish as planned, for `report`: failed, needing a
/// reinstall or inactive, with the error each recorded. Only reads.
extension Journal {
    /// One portal's reconcile that did not end `done` (nor pending): its state and last error.
    public struct PortalProblem: Sendable, Equatable {
        public var memberID: String
        public var stepID: String
        public var state: PortalState
        public var lastError: String?
    }

    /// Every failed, needs-reinstall and inactive portal of the run's reconciling steps
    /// (`portals.reconcile`, or the canary and waves), in member-id order.
    public func reconcileProblems(run runID: Int) throws -> [PortalProblem] {
        try database.query(
            """
            SELECT member_id, step_id, state, last_error FROM b24plan_portal_tasks
            WHERE run_id = ? AND \(Self.reconcileSteps) AND state IN ('failed', 'needs-reinstall', 'inactive')
            ORDER BY member_id, step_id
            """,
            [SQLValue(runID)]
        ).compactMap { row in
            guard let state = PortalState(rawValue: row["state"].string ?? "") else { return nil }
            return PortalProblem(
                memberID: row["member_id"].string ?? "", stepID: row["step_id"].string ?? "", state: state,
                lastError: row["last_error"].string)
        }
    }
}
