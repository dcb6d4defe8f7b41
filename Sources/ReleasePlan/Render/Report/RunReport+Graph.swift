extension RunReport {
    /// The execution graph of the run: its steps with their journal state, and the edges between
    /// them when they are known.
    public struct Graph: Sendable, Equatable, Encodable {
        /// Where the steps and edges come from.
        public enum Source: String, Sendable, Equatable, Encodable {
            /// The plan FILE given to `report`, compiled as `status` compiles it.
            case planFile = "plan-file"
            /// The plan the store keeps for the run's version (`b24plan_releases.plan_json`), compiled
            /// again against the release before it.
            case storedPlan = "stored-plan"
            /// No plan at hand: the steps the journal recorded, in step order, edges unknown.
            case recordedSteps = "recorded-steps"
        }

        public var source: Source
        /// One sentence saying where the graph comes from (the page prints it).
        public var note: String
        /// The steps in graph order (a topological order when the edges are known).
        public var steps: [Step]

        /// Whether `steps[].after` are the plan's edges (false: they are unknown and empty).
        public var edgesKnown: Bool { source != .recordedSteps }

        public init(source: Source, note: String, steps: [Step]) {
            self.source = source
            self.note = note
            self.steps = steps
        }

        enum CodingKeys: String, CodingKey { case source, note, edgesKnown, steps }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(source, forKey: .source)
            try container.encode(note, forKey: .note)
            try container.encode(edgesKnown, forKey: .edgesKnown)
            try container.encode(steps, forKey: .steps)
        }
    }

    /// One step of the run as the journal has it.
    public struct Step: Sendable, Equatable, Encodable {
        public var id: String
        /// `pending`, `running`, `done`, `failed`, `waiting` or `halted` (`pending` when not recorded).
        public var state: String
        /// A person passes it (`b24plan gate pass`).
        public var manual: Bool
        /// The steps that must finish first (empty when the edges are unknown).
        public var after: [String]
        public var startedAt: String?
        public var finishedAt: String?

        public init(id: String, state: String, manual: Bool, after: [String], startedAt: String?, finishedAt: String?) {
            self.id = id
            self.state = state
            self.manual = manual
            self.after = after
            self.startedAt = startedAt
            self.finishedAt = finishedAt
        }

        enum CodingKeys: String, CodingKey { case id, state, manual, after, startedAt, finishedAt }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(state, forKey: .state)
            try container.encode(manual, forKey: .manual)
            try container.encode(after, forKey: .after)
            try container.encode(startedAt, forKey: .startedAt)
            try container.encode(finishedAt, forKey: .finishedAt)
        }
    }
}
