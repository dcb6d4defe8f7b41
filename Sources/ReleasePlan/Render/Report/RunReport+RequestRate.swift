extension RunReport {
    /// Requests per second to the portals over the run, as the fleet measured and journaled them
    /// (`b24plan_request_rate`): never estimated.
    public struct RequestRate: Sendable, Equatable, Encodable {
        /// Whether the journal has the table at all (false: written by a b24plan before journal
        /// schema 4, which recorded no requests).
        public var recorded: Bool
        /// Every second with requests, in time order, summed over the steps (seconds without a
        /// point had none).
        public var points: [RatePoint]
        /// Requests and errors per portal step, in step-id order.
        public var steps: [StepRequests]

        public init(recorded: Bool, points: [RatePoint], steps: [StepRequests]) {
            self.recorded = recorded
            self.points = points
            self.steps = steps
        }

        public var totalRequests: Int { points.reduce(0) { $0 + $1.requests } }
        public var totalErrors: Int { points.reduce(0) { $0 + $1.errors } }
        /// The busiest second (the earliest of equals), nil when there are no points.
        public var peak: RatePoint? { points.max { ($0.requests, $1.second) < ($1.requests, $0.second) } }

        enum CodingKeys: String, CodingKey { case recorded, totalRequests, totalErrors, peakRequestsPerSecond, steps, points }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(recorded, forKey: .recorded)
            try container.encode(totalRequests, forKey: .totalRequests)
            try container.encode(totalErrors, forKey: .totalErrors)
            try container.encode(peak?.requests ?? 0, forKey: .peakRequestsPerSecond)
            try container.encode(steps, forKey: .steps)
            try container.encode(points, forKey: .points)
        }
    }

    /// The requests sent in one second (Unix time, whole seconds).
    public struct RatePoint: Sendable, Equatable, Encodable {
        public var second: Int
        public var requests: Int
        /// Requests that got no answer or an error answer.
        public var errors: Int

        public init(second: Int, requests: Int, errors: Int) {
            self.second = second
            self.requests = requests
            self.errors = errors
        }
    }

    /// One step's requests over the run.
    public struct StepRequests: Sendable, Equatable, Encodable {
        public var step: String
        public var requests: Int
        public var errors: Int
        /// Seconds in which the step sent requests.
        public var seconds: Int

        public init(step: String, requests: Int, errors: Int, seconds: Int) {
            self.step = step
            self.requests = requests
            self.errors = errors
            self.seconds = seconds
        }
    }
}
