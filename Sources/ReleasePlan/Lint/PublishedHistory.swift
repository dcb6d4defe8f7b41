/// What the state store recorded as published (DESIGN §3 "Published"), as plain values: the store
/// reads its release history and hands this to lint, diff and apply. The core never reads a
/// database. Given at all, the store is the authority on what was published: an app's newest
/// published plan is the previous plan of its next release (unless `--against`), over the folder.
public struct PublishedHistory: Sendable, Equatable {
    /// The newest published plan of each app, by app code. An app without an entry has published
    /// nothing in this store: the folder decides its previous plan, as without a store.
    public var newest: [String: PublishedPlan]
    /// Every version the store recorded as published: `lint --fix` never writes into these plans.
    public var releases: Set<PublishedRelease>

    /// Published releases whose bindings were rolled back to an older release: the portals hold
    /// that older release's bindings, so the next release reconciles every portal.
    public var rolledBack: Set<PublishedRelease>

    /// Every published plan the store keeps, by release (a saved plan compiled against one release
    /// is checked against its bytes after its own release was published).
    public var plans: [PublishedRelease: PublishedPlan] = [:]

    public init(newest: [String: PublishedPlan] = [:], releases: Set<PublishedRelease> = [], rolledBack: Set<PublishedRelease> = []) {
        self.newest = newest
        self.releases = releases
        self.rolledBack = rolledBack
    }

    /// Whether the release published just before `plan` (the newest published version lower than
    /// its own) was rolled back: then `plan` must reconcile every portal, for its whole run.
    public func followsRollback(_ plan: Plan) -> Bool {
        guard let version = Version(plan.version, scheme: plan.versioning) else { return false }
        var before: (version: Version, release: PublishedRelease)?
        for release in releases where release.app == plan.app {
            guard let candidate = Version(release.version, scheme: plan.versioning), version.isGreater(than: candidate) else { continue }
            if before == nil || candidate.isGreater(than: before!.version) { before = (candidate, release) }
        }
        return before.map { rolledBack.contains($0.release) } ?? false
    }

    /// Whether the store recorded `version` of `app` as published (versions compared under `scheme`,
    /// so `1.0.0+build` is 1.0.0).
    public func isPublished(app: String, version: String, scheme: Versioning) -> Bool {
        guard let wanted = Version(version, scheme: scheme) else {
            return releases.contains(PublishedRelease(app: app, version: version))
        }
        return releases.contains { release in
            release.app == app && Version(release.version, scheme: scheme)?.isEquivalent(to: wanted) == true
        }
    }
}

/// One published version of an app.
public struct PublishedRelease: Sendable, Hashable {
    public var app: String
    public var version: String

    public init(app: String, version: String) {
        self.app = app
        self.version = version
    }
}
