/// What b24plan knows about Bitrix24: scope codes, widget placements, REST events and the Marketplace
/// update timeline. The lint rules B24P201–B24P219, the reconciler and the update estimate read it.
///
/// The data lives in literal tables that follow the Bitrix24 REST docs, each row naming its docs page
/// (one file per table: `Bitrix24Catalogue+Scopes.swift`, `+Placements`, `+CRMPlacements`, `+Landing`,
/// `+Events`, `+ModuleEvents`, `+Timeline`; the docs revision is in this folder's README); this file
/// holds the lookups. Every lookup is case-insensitive and returns canonical
/// uppercased codes and names (scope codes stay lowercase, as Bitrix24 spells them).
public enum Bitrix24Catalogue {
    /// The revision of the Bitrix24 REST docs (`bitrix24/b24restdocs`) the tables were checked against.
    public static let docsRevision = (
        repository: "bitrix24/b24restdocs", commit: "5988ed130d13802764a555edbfe12d0fc81e7d7a", date: "2026-08-21"
    )

    // MARK: Scopes

    /// The scope a scope code stands for when matching scopes to uses: the deprecated `tasks` counts
    /// as `task` (a required method `tasks.task.list` uses scope `task`); every other code is returned
    /// unchanged.
    /// - Parameter code: a scope code, or the first segment of a method name.
    /// - Returns: the scope code to compare with.
    public static func normalizedScope(_ code: String) -> String {
        scopeAliases[code] ?? code
    }

    // MARK: Placements

    /// Looks a placement code up, ignoring case.
    ///
    /// Knows the fixed codes, the CRM pattern `CRM_<ENTITY>_<SUFFIX>`, including smart processes
    /// as `CRM_DYNAMIC_<typeId>_<SUFFIX>` (e.g. `CRM_DYNAMIC_128_DETAIL_TAB`), and the Sites block
    /// placements `LANDING_BLOCK_<CODE>`. Codes the docs removed are returned with status `removed`.
    /// - Parameter code: the code as written in the plan.
    /// - Returns: the placement, or `nil` when the code is unknown or the CRM suffix does not accept
    ///   the entity (see ``placementProblem(_:)`` for the explanation).
    public static func placement(_ code: String) -> Bitrix24Placement? {
        placementLookups.value(for: code, lookUp: lookUpPlacement)
    }

    /// Placements looked up so far, by code as written.
    private static let placementLookups = Bitrix24LookupCache<Bitrix24Placement?>()

    private static func lookUpPlacement(_ code: String) -> Bitrix24Placement? {
        let upper = code.uppercased()
        if let fixed = fixedPlacements[upper] {
            return fixed
        }
        if let block = landingBlockPlacement(upper) {
            return block
        }
        guard let parsed = parseCRMPlacement(upper), crmSuffix(parsed.suffix, accepts: parsed.entity) else {
            return nil
        }
        return crmPlacement(code: upper, entity: parsed.entity, suffix: parsed.suffix)
    }

    /// Explains why an unknown code that looks like a CRM entity placement is wrong: the suffix is
    /// known, the entity is a CRM entity, but that suffix does not accept it.
    ///
    /// Example: `CRM_CONTACT_ACTIVITY_TIMELINE_MENU: the suffix ACTIVITY_TIMELINE_MENU accepts LEAD,
    /// DEAL, QUOTE, SMART_INVOICE, DYNAMIC_<id>, not CONTACT`.
    /// - Parameter code: the code as written in the plan.
    /// - Returns: the sentence, or `nil` for known codes and for codes that do not look like that.
    public static func placementProblem(_ code: String) -> String? {
        let upper = code.uppercased()
        if let elsewhere = placementsBoundElsewhere[upper] {
            return "\(upper) \(elsewhere)"
        }
        guard placement(upper) == nil, let parsed = parseCRMPlacement(upper),
            isCRMEntity(parsed.entity), !crmSuffix(parsed.suffix, accepts: parsed.entity)
        else {
            return nil
        }
        let accepted = crmEntitiesAccepted(bySuffix: parsed.suffix).joined(separator: ", ")
        return "\(upper): the suffix \(parsed.suffix) accepts \(accepted), not \(parsed.entity)"
    }

    /// Every concrete placement code the docs describe, sorted: the fixed codes plus the CRM patterns
    /// expanded with the fixed entities (smart processes, `DYNAMIC_<id>`, and block codes other than
    /// `LANDING_BLOCK_*` are left out; so are removed codes). For "did you mean" and the JSON schema enum.
    public static var placementCodes: [String] {
        allPlacementCodes
    }

    // MARK: Events

    /// Looks an event name up, ignoring case (`onCrmDealUpdate` is `ONCRMDEALUPDATE`). Per-type smart
    /// process events such as `ONCRMDYNAMICITEMADD_128` are recognised by their numeric suffix.
    /// - Parameter name: the event name as written in the plan.
    /// - Returns: the event with its uppercased name and scope, or `nil` when unknown.
    public static func event(_ name: String) -> Bitrix24Event? {
        let upper = name.uppercased()
        if let known = eventsByName[upper] {
            return known
        }
        for pattern in eventSuffixPatterns where upper.hasPrefix(pattern.prefix) {
            let suffix = upper.dropFirst(pattern.prefix.count)
            if isNumeric(suffix) {
                return Bitrix24Event(name: upper, scope: pattern.scope, source: pattern.source)
            }
        }
        return nil
    }

    /// How events of a family the catalogue does not list by name are delivered: `ONIMBOTV2*` and
    /// `ONIMV2*` never come through `event.bind` (B24P219 even for a name the catalogue lacks).
    public static func deliveryFamily(of name: String) -> (delivery: Bitrix24EventDelivery, source: String)? {
        let upper = name.uppercased()
        for row in eventScopeTable where row.delivery != .eventBind {
            let family = row.delivery == .botRegistration ? "ONIMBOTV2" : "ONIMV2"
            if upper.hasPrefix(family) { return (row.delivery, row.source) }
        }
        return nil
    }

    /// Every concrete event name, uppercased and sorted (the per-type `…_<entityTypeId>` forms are
    /// left out).
    public static var eventNames: [String] {
        allEventNames
    }

    // MARK: Derived tables (built once)

    /// Fixed placements by canonical code.
    static let fixedPlacements: [String: Bitrix24Placement] = {
        var result: [String: Bitrix24Placement] = [:]
        for row in placementScopeTable {
            for code in row.codes {
                result[code] = Bitrix24Placement(
                    code: code,
                    scope: row.scope,
                    isMessenger: messengerPlacements.contains(code),
                    allowsSingleHandler: singleHandlerPlacements.contains(code),
                    keptOptions: Set(keptPlacementOptions[code] ?? []),
                    requiredOptions: requiredPlacementOptions[code] ?? [],
                    binding: row.binding,
                    status: row.status,
                    source: row.source,
                    removalNote: row.note
                )
            }
        }
        return result
    }()

    /// All concrete placement codes, sorted.
    static let allPlacementCodes: [String] = {
        var codes = Set(fixedPlacements.filter { $0.value.status != .removed }.keys)
        codes.insert(landingBlockPrefix + "*")
        for suffix in crmSuffixes {
            for entity in crmEntitiesAccepted(bySuffix: suffix) where entity != crmDynamicEntityDisplay {
                guard placement("CRM_\(entity)_\(suffix)")?.status != .removed else { continue }
                codes.insert("CRM_\(entity)_\(suffix)")
            }
        }
        return codes.sorted()
    }()

    /// Every concrete event by uppercased name.
    static let eventsByName: [String: Bitrix24Event] = {
        var result: [String: Bitrix24Event] = [:]
        for row in eventScopeTable {
            for name in row.names {
                result[name.uppercased()] = Bitrix24Event(
                    name: name.uppercased(), scope: row.scope, alsoAccepted: row.alsoAccepted, scopeDispute: row.dispute,
                    delivery: row.delivery, status: row.status, source: row.source, removalNote: row.note)
            }
        }
        return result
    }()

    /// All concrete event names, sorted.
    static let allEventNames: [String] = eventsByName.keys.sorted()

    /// Whether a string is a non-empty run of ASCII digits.
    static func isNumeric(_ text: Substring) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
