/// Whether a plan is already released, so that its digests are history and `lint --fix` never
/// writes into it.
public enum ReleaseStatus: Sendable, Equatable {
    /// Nothing shows the plan released.
    case open
    /// A later release of the app (a higher version that is not a pre-release) lies beside it: the
    /// path of the lowest such plan.
    case followed(by: String)
    /// The state store recorded this version, or a later one, as published: the store's label.
    case published(String)

    /// Why the plan counts as released, for messages ("1.1.0.json follows it"); nil when open.
    public var reason: String? {
        switch self {
        case .open: return nil
        case .followed(let path): return "\(path) follows it"
        case .published(let label): return "the state store published \(label)"
        }
    }

    /// The status of `document` among the plans of `folder` and in the store's `history`;
    /// `newest` is the store's newest published plan of the app, decoded (nil: none or unusable).
    public static func of(
        _ document: PlanDocument, folder: PlanFolder, history: PublishedHistory?, newest: PlanDocument? = nil
    ) -> ReleaseStatus {
        if let later = folder.laterReleases(than: document).first { return .followed(by: later.entry.path) }
        guard let history else { return .open }
        let plan = document.plan
        if history.isPublished(app: plan.app, version: plan.version, scheme: plan.versioning) {
            return .published(PublishedPlan.label(app: plan.app, version: plan.version))
        }
        if let newest, newest.plan.app == plan.app, let version = Version(plan.version, scheme: plan.versioning),
            let published = Version(newest.plan.version, scheme: plan.versioning), !version.isGreater(than: published)
        {
            return .published(newest.source.path)
        }
        return .open
    }
}
