extension Bitrix24Catalogue {
    /// The scope a requested code stands for: the code itself when known, else the known code it
    /// misspells (the "did you mean" of B24P201), else nil. Rules about a missing scope read the plan
    /// through this, so one misspelt scope is one finding (B24P201), not also B24P204–B24P206.
    public static func scopeMeant(_ code: String) -> String? {
        scopes.contains(code) ? code : Suggestion.closest(to: code, in: sortedScopes)
    }

    /// The placement a code names, or the one it misspells (the "did you mean" of B24P202), or nil.
    public static func placementMeant(_ code: String) -> Bitrix24Placement? {
        if let known = placement(code) { return known }
        guard placementProblem(code) == nil, let meant = Suggestion.closest(to: code.uppercased(), in: placementCodes)
        else { return nil }
        return placement(meant)
    }

    /// The event a name names, or the one it misspells (the "did you mean" of B24P203), or nil.
    public static func eventMeant(_ name: String) -> Bitrix24Event? {
        if let known = event(name) { return known }
        guard deliveryFamily(of: name) == nil, let meant = Suggestion.closest(to: name.uppercased(), in: eventNames)
        else { return nil }
        return event(meant)
    }

    /// Every scope code, sorted (for "did you mean").
    static let sortedScopes: [String] = scopes.sorted()
}
