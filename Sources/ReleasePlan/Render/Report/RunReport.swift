/// Everything `b24plan report` shows about one run, gathered from the state store's journal: a plain
/// value that `RunReportHTMLRenderer` draws as one self-contained page and `report --format json`
/// prints as it is (lowerCamelCase keys, every key always present, `null` when there is no value).
///
/// Lists that grow with the portals (failures, missing scopes) are capped where they are gathered
/// (`MemberList.cap`), so the value stays small for 100,000 portals.
public struct RunReport: Sendable, Equatable, Encodable {
    public var app: String
    public var version: String
    /// The run's id in `b24plan_runs`.
    public var run: Int
    /// `running`, `incomplete`, `done`, `failed`, `rejected`, `abandoned`, `baseline`.
    public var runState: String
    /// `release`, `rollback`, `migrate` or `repair`.
    public var runKind: String
    /// `initial`, `patch`, `minor`, `major`, `critical`, when recorded.
    public var updateType: String?
    /// Journal timestamps (ISO 8601 UTC with milliseconds).
    public var startedAt: String?
    public var finishedAt: String?
    public var graph: Graph
    public var timeline: Timeline
    public var portals: Portals
    public var rate: RequestRate
    public var failures: Failures
    /// Per scope added by the release, the installations whose token lacks it (from the
    /// `portals.scope-audit` step), scopes in name order.
    public var missingScopes: [ScopeGroup]

    public init(
        app: String, version: String, run: Int, runState: String, runKind: String, updateType: String?, startedAt: String?,
        finishedAt: String?, graph: Graph, timeline: Timeline, portals: Portals, rate: RequestRate, failures: Failures,
        missingScopes: [ScopeGroup]
    ) {
        self.app = app
        self.version = version
        self.run = run
        self.runState = runState
        self.runKind = runKind
        self.updateType = updateType
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.graph = graph
        self.timeline = timeline
        self.portals = portals
        self.rate = rate
        self.failures = failures
        self.missingScopes = missingScopes
    }

    enum CodingKeys: String, CodingKey {
        case app, version, run, runState, runKind, updateType, startedAt, finishedAt, graph, timeline, portals, rate, failures,
            missingScopes
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(app, forKey: .app)
        try container.encode(version, forKey: .version)
        try container.encode(run, forKey: .run)
        try container.encode(runState, forKey: .runState)
        try container.encode(runKind, forKey: .runKind)
        try container.encode(updateType, forKey: .updateType)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(finishedAt, forKey: .finishedAt)
        try container.encode(graph, forKey: .graph)
        try container.encode(timeline, forKey: .timeline)
        try container.encode(portals, forKey: .portals)
        try container.encode(rate, forKey: .rate)
        try container.encode(failures, forKey: .failures)
        try container.encode(missingScopes, forKey: .missingScopes)
    }
}

/// The portal states of a reconcile, in the order every report shows them.
public enum PortalStateOrder {
    public static let states = ["done", "needs-reinstall", "inactive", "failed", "pending"]
}
