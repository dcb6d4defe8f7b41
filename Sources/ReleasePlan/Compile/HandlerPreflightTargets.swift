/// The handler URLs a release binds that are new or changed (DESIGN §6 `portals.preflight`): each
/// gets one request before any portal is touched, so a typo or a wrong deploy stops the release
/// instead of reaching every portal at once.
public enum HandlerPreflightTargets {
    /// The `handler` of every added placement or event, and of every changed one whose handler
    /// changed; unique, sorted.
    public static func urls(_ changes: [PlanChange]) -> [String] {
        var urls = Set<String>()
        for change in changes where change.kind == .placement || change.kind == .event {
            guard change.action != .removed, let handler = change.after?.field("handler")?.stringValue else { continue }
            if change.action == .changed, change.before?.field("handler")?.stringValue == handler { continue }
            urls.insert(handler)
        }
        return urls.sorted()
    }
}

extension CompiledPlan {
    /// The handler URLs `portals.preflight` checks.
    public var preflightURLs: [String] { HandlerPreflightTargets.urls(changes) }
}
