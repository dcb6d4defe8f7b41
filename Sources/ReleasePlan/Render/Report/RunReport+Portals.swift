extension RunReport {
    /// Portal states: over the whole run, and per reconciling step (the canary and each wave, or
    /// the one `portals.reconcile`).
    public struct Portals: Sendable, Equatable, Encodable {
        /// `done`, `needs-reinstall`, `inactive`, `failed`, `pending` over every reconciling step
        /// (as `status` counts them: pending includes installations a started reconcile has not
        /// reached yet).
        public var totals: [String: Int]
        /// One bar per wave step (`portals.canary`, `portals.wave.N`), else one for
        /// `portals.reconcile`; empty when the run has no reconciling step.
        public var bars: [PortalBar]

        public init(totals: [String: Int], bars: [PortalBar]) {
            self.totals = totals
            self.bars = bars
        }
    }

    /// The portals of one reconciling step by state.
    public struct PortalBar: Sendable, Equatable, Encodable {
        public var step: String
        /// Count per state (`PortalStateOrder.states`; every state present, 0 when none).
        public var counts: [String: Int]

        public init(step: String, counts: [String: Int]) {
            self.step = step
            self.counts = counts
        }

        /// Portals in the bar.
        public var total: Int { counts.values.reduce(0, +) }
    }
}
