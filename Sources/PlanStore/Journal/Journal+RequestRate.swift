/// Requests per second of a run's portal steps (`b24plan_request_rate`, journal schema 4): the
/// fleet counts the HTTP requests its sessions send per wall-clock second and adds them here with
/// the portal results; `report` draws them.
extension Journal {
    /// Requests sent in one second (Unix time, whole seconds), and how many of them got no answer
    /// or an error answer.
    public struct RequestCount: Sendable, Equatable {
        public var second: Int
        public var requests: Int
        public var errors: Int

        public init(second: Int, requests: Int, errors: Int) {
            self.second = second
            self.requests = requests
            self.errors = errors
        }
    }

    /// One row of `b24plan_request_rate`: a step's requests in one second.
    public struct RequestRateRow: Sendable, Equatable {
        public var stepID: String
        public var count: RequestCount
    }

    /// Adds `counts` to the step's rows, creating the seconds not recorded yet: several processes
    /// (`apply --worker`) may count requests in the same second. One statement; nothing for none.
    public func addRequestCounts(run runID: Int, step: String, _ counts: [RequestCount]) throws {
        guard !counts.isEmpty else { return }
        let tuples = Array(repeating: "(?, ?, ?, ?, ?)", count: counts.count).joined(separator: ", ")
        var parameters: [SQLValue] = []
        for count in counts {
            parameters += [SQLValue(runID), .text(step), SQLValue(count.second), SQLValue(count.requests), SQLValue(count.errors)]
        }
        try database.execute(
            database.dialect.upsert(
                "INSERT INTO b24plan_request_rate (run_id, step_id, unix_second, requests, errors) VALUES \(tuples)",
                conflict: ["run_id", "step_id", "unix_second"],
                set: """
                    requests = b24plan_request_rate.requests + excluded.requests,
                      errors = b24plan_request_rate.errors + excluded.errors
                    """),
            parameters)
    }

    /// Every recorded second of the run, in time order (then step); nil when the journal predates
    /// the table (schema below 4: a run journaled by an older b24plan). Only reads.
    public func requestRate(run runID: Int) throws -> [RequestRateRow]? {
        guard try database.tableExists("b24plan_request_rate") else { return nil }
        return try database.query(
            "SELECT step_id, unix_second, requests, errors FROM b24plan_request_rate WHERE run_id = ? ORDER BY unix_second, step_id",
            [SQLValue(runID)]
        ).map {
            RequestRateRow(
                stepID: $0["step_id"].string ?? "",
                count: RequestCount(second: $0["unix_second"].int ?? 0, requests: $0["requests"].int ?? 0, errors: $0["errors"].int ?? 0))
        }
    }
}
