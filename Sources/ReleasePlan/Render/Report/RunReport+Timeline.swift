extension RunReport {
    /// Steps and gates on a time axis: each started step from its start to its finish, and every
    /// pass and rejection of a gate with who and when.
    public struct Timeline: Sendable, Equatable, Encodable {
        /// The steps that started, in graph order.
        public var steps: [Step]
        /// Every pass and rejection, oldest first.
        public var gates: [GateEvent]

        public init(steps: [Step], gates: [GateEvent]) {
            self.steps = steps
            self.gates = gates
        }
    }

    /// A gate passed or rejected (`b24plan gate pass|reject`).
    public struct GateEvent: Sendable, Equatable, Encodable {
        public var step: String
        /// `passed` or `rejected`.
        public var state: String
        public var by: String
        public var at: String
        /// Why it was rejected (null for a pass).
        public var reason: String?

        public init(step: String, state: String, by: String, at: String, reason: String?) {
            self.step = step
            self.state = state
            self.by = by
            self.at = at
            self.reason = reason
        }

        enum CodingKeys: String, CodingKey { case step, state, by, at, reason }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(step, forKey: .step)
            try container.encode(state, forKey: .state)
            try container.encode(by, forKey: .by)
            try container.encode(at, forKey: .at)
            try container.encode(reason, forKey: .reason)
        }
    }
}
