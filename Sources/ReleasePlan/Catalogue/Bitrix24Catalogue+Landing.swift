extension Bitrix24Catalogue {
    /// The prefix of the Sites block placements: `LANDING_BLOCK_<CODE>` for one block type (the
    /// block's code, e.g. `LANDING_BLOCK_04.1.one_col_fix_with_title`, or `LANDING_BLOCK_repo_1132`
    /// for a block the app registered) and `LANDING_BLOCK_*` for every block.
    static let landingBlockPrefix = "LANDING_BLOCK_"

    /// How lists and sentences show the block pattern.
    static let landingBlockPattern = "LANDING_BLOCK_<CODE>"

    /// The binding method a code is meant for: the catalogue's, or `landing.repo.bind` for an unknown
    /// `LANDING_*` code (so a mistyped Sites code is not also told to request `placement`).
    public static func bindingMethod(forCode code: String) -> Bitrix24BindingMethod {
        if let known = placement(code) { return known.binding }
        return code.uppercased().hasPrefix("LANDING_") ? .landingRepository : .placement
    }

    /// The option keys of a placement binding besides `options` that `landing.repo.bind` does not
    /// take (it takes PLACEMENT, PLACEMENT_HANDLER and TITLE; a LANG_ALL title is sent as TITLE).
    public static let sitesIgnoredKeys = ["description", "groupName"]

    /// The docs page of the block placements.
    static let landingBlockSource = "landing/embedding/block.md"

    /// A `LANDING_BLOCK_<CODE>` placement, when `upper` is one: `*` alone, or a block code of ASCII
    /// letters, digits, `.`, `_` and `-` (the case does not matter).
    static func landingBlockPlacement(_ upper: String) -> Bitrix24Placement? {
        guard upper.hasPrefix(landingBlockPrefix) else { return nil }
        let block = upper.dropFirst(landingBlockPrefix.count)
        // `*` stands alone (every block); a block code is letters, digits, `.`, `_` and `-`.
        guard block == "*" || (!block.isEmpty && block.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }))
        else {
            return nil
        }
        return Bitrix24Placement(
            code: upper, scope: "landing", binding: .landingRepository, source: landingBlockSource)
    }
}
