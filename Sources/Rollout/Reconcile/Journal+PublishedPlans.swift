import PlanStore
import ReleasePlan

extension Journal {
    /// Every plan of `app` the store published (rolled back ones too), decoded from the bytes kept
    /// with each release; a release whose bytes no longer decode is left out.
    public func publishedPlans(app: String) throws -> [Plan] {
        guard (try recordedSchemaVersion()).map({ $0 >= 3 }) ?? true else { return [] }
        return try releases(app: app).compactMap { release in
            let label = PublishedPlan.label(app: release.app, version: release.version)
            return PlanLoader(fileSystem: InMemoryFileSystem([label: release.planJSON])).load(label).document?.plan
        }
    }

    /// The Sites bindings to unbind before reconciling `compiled` (``SitesBindingHistory``).
    public func sitesUnbinds(for compiled: CompiledPlan) throws -> [BindingKey] {
        SitesBindingHistory.unbinds(for: compiled.plan, earlier: try publishedPlans(app: compiled.app), changes: compiled.changes)
    }
}
