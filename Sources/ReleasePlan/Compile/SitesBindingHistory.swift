/// What a portal may still hold of the Sites placements (`landing.repo.bind`) of earlier releases.
///
/// No method reads those bindings back, so a portal's own state cannot be compared: one that failed
/// or was skipped in a release, or a release after a rollback, may hold any earlier release's Sites
/// bindings. The reconcile therefore unbinds, before binding the plan's own, every Sites binding an
/// earlier release had that the plan does not, and every one whose title differs in any earlier
/// release (a second bind only answers `PLACEMENT_EXIST`, so a title is changed by unbinding).
/// An unbind of what a portal does not hold answers `PLACEMENT_NO_EXIST`, which counts as done.
public enum SitesBindingHistory {
    /// The Sites bindings to unbind before binding `plan`'s, as the earlier plans spelled them.
    /// - Parameters:
    ///   - plan: the release the portals are brought to.
    ///   - earlier: every plan of the app the store published (rolled back ones too).
    ///   - changes: the release's own changes (their removed and changed Sites bindings).
    public static func unbinds(for plan: Plan, earlier: [Plan], changes: [PlanChange] = []) -> [BindingKey] {
        let wanted = Dictionary(
            sitesBindings(plan).map { (normalized($0.key), $0) }, uniquingKeysWith: { first, _ in first })
        var result: [BindingKey] = []
        var seen = Set<BindingKey>()
        func add(_ key: BindingKey) {
            if seen.insert(normalized(key)).inserted { result.append(key) }
        }
        for change in changes where change.kind == .placement && change.action != .added {
            guard let before = change.before, let code = before.field("placement")?.stringValue,
                let handler = before.field("handler")?.stringValue, isSites(code)
            else { continue }
            let key = BindingKey(code: code, handler: handler)
            // Kept with the same titles (a description changed): nothing to unbind.
            if let current = wanted[normalized(key)], titles(before) == titles(current) { continue }
            add(key)
        }
        for old in earlier.flatMap(sitesBindings) {
            let key = BindingKey(code: old.placement, handler: old.handler)
            guard let current = wanted[normalized(key)] else {
                add(key)
                continue
            }
            if titles(old) != titles(current) { add(key) }
        }
        return result
    }

    private static func isSites(_ code: String) -> Bool {
        Bitrix24Catalogue.placement(code)?.binding == .landingRepository
    }

    private static func sitesBindings(_ plan: Plan) -> [PlacementBinding] {
        plan.placements.filter { isSites($0.placement) }
    }

    /// Codes compare case-insensitively (the docs: "the case of the characters in the code is not important").
    private static func normalized(_ key: BindingKey) -> BindingKey {
        BindingKey(code: key.code.uppercased(), handler: key.handler)
    }

    /// The same, from a change's recorded value.
    private static func titles(_ value: PlanValue) -> [String: String] {
        var titles: [String: String] = [:]
        if let title = value.field("title")?.stringValue { titles[""] = title }
        for (language, text) in (value.field("langAll") ?? .null).entries {
            if let title = text.field("title")?.stringValue { titles[language] = title }
        }
        return titles
    }

    /// Every title a portal could hold for the binding: TITLE and each LANG_ALL title.
    private static func titles(_ binding: PlacementBinding) -> [String: String] {
        var titles: [String: String] = [:]
        if let title = binding.title { titles[""] = title }
        for (language, text) in binding.langAll ?? [:] { if let title = text.title { titles[language] = title } }
        return titles
    }
}
