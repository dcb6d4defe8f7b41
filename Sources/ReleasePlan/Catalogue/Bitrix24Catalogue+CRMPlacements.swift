extension Bitrix24Catalogue {
    /// The scope every `CRM_<ENTITY>_<SUFFIX>` placement needs besides `placement`.
    static let crmPlacementScope = "crm"

    /// The table token for smart processes; a code spells it `DYNAMIC_<typeId>`.
    static let crmDynamicEntity = "DYNAMIC"

    /// How a sentence names the smart-process entity.
    static let crmDynamicEntityDisplay = "DYNAMIC_<id>"

    /// Which CRM entities each suffix accepts in `CRM_<ENTITY>_<SUFFIX>` (BITRIX24.md). `DYNAMIC` means
    /// `DYNAMIC_<typeId>` and exists only on portals that have that smart-process type.
    static let crmSuffixTable: [(suffixes: [String], entities: [String])] = [
        (
            ["DETAIL_TAB", "DETAIL_ACTIVITY", "LIST_TOOLBAR"],
            ["LEAD", "DEAL", "CONTACT", "COMPANY", "QUOTE", "SMART_INVOICE", "ORDER", "DYNAMIC"]
        ),
        (
            ["DETAIL_TOOLBAR", "DOCUMENTGENERATOR_BUTTON"],
            ["LEAD", "DEAL", "CONTACT", "COMPANY", "QUOTE", "SMART_INVOICE", "DYNAMIC"]
        ),
        (
            ["LIST_MENU"],
            ["ACTIVITY", "LEAD", "DEAL", "CONTACT", "COMPANY", "QUOTE", "SMART_INVOICE", "DYNAMIC"]
        ),
        (
            ["ACTIVITY_TIMELINE_MENU"],
            ["LEAD", "DEAL", "QUOTE", "SMART_INVOICE", "DYNAMIC"]
        ),
        (
            ["ROBOT_DESIGNER_TOOLBAR"],
            ["LEAD", "DEAL", "SMART_INVOICE", "DYNAMIC"]
        ),
        // widgets/crm/funnels-toolbar.md: deals use the fixed CRM_FUNNELS_TOOLBAR.
        (
            ["FUNNELS_TOOLBAR"],
            ["SMART_INVOICE", "DYNAMIC"]
        ),
    ]

    /// The docs page of each suffix, under `api-reference/`.
    static let crmSuffixSources: [String: String] = [
        "DETAIL_TAB": "widgets/crm/detail-tab.md", "DETAIL_ACTIVITY": "widgets/crm/detail-activity.md",
        "LIST_TOOLBAR": "widgets/crm/list-toolbar.md", "DETAIL_TOOLBAR": "widgets/crm/detail-toolbar.md",
        "DOCUMENTGENERATOR_BUTTON": "widgets/crm/document-generator-button.md", "LIST_MENU": "widgets/crm/list-menu.md",
        "ACTIVITY_TIMELINE_MENU": "widgets/crm/activity-timeline-menu.md",
        "ROBOT_DESIGNER_TOOLBAR": "widgets/crm/robot-designer-toolbar.md", "FUNNELS_TOOLBAR": "widgets/crm/funnels-toolbar.md",
    ]

    /// Legacy entities the docs no longer list (B24P218): the old invoices (`CRM_INVOICE_LIST_MENU`,
    /// `CRM_INVOICE_LIST_TOOLBAR`, `CRM_INVOICE_DETAIL_TOOLBAR`, `CRM_INVOICE_DOCUMENTGENERATOR_BUTTON`;
    /// earlier revisions of `widgets/crm/index.md` and b24phpsdk's `PlacementLocationCode`).
    static let crmLegacySuffixTable: [(suffixes: [String], entities: [String])] = [
        (["LIST_MENU", "LIST_TOOLBAR", "DETAIL_TOOLBAR", "DOCUMENTGENERATOR_BUTTON"], ["INVOICE"])
    ]

    /// Options a CRM suffix keeps (BITRIX24.md); every other suffix keeps none.
    static let crmSuffixKeptOptions: [String: [String]] = [
        "DETAIL_ACTIVITY": ["useBuiltInInterface", "newUserNotificationTitle", "newUserNotificationText"]
    ]

    /// Every CRM suffix, longest first, so a code is split at its longest matching suffix.
    static let crmSuffixes: [String] = {
        let all = Set((crmSuffixTable + crmLegacySuffixTable).flatMap(\.suffixes))
        return all.sorted { ($0.count, $0) > ($1.count, $1) }
    }()

    /// The fixed (non-dynamic) CRM entities of both tables.
    static let crmFixedEntities: Set<String> = Set(
        (crmSuffixTable + crmLegacySuffixTable).flatMap(\.entities).filter { $0 != crmDynamicEntity }
    )

    /// Splits an uppercased `CRM_<ENTITY>_<SUFFIX>` code at a known suffix.
    /// - Parameter code: an uppercased placement code.
    /// - Returns: the entity (e.g. `DEAL`, `DYNAMIC_128`, or anything else non-empty) and the suffix,
    ///   or `nil` when the code does not start with `CRM_` and end with a known suffix.
    static func parseCRMPlacement(_ code: String) -> (entity: String, suffix: String)? {
        guard code.hasPrefix("CRM_") else { return nil }
        let body = code.dropFirst("CRM_".count)
        for suffix in crmSuffixes where body.hasSuffix("_" + suffix) {
            let entity = body.dropLast(suffix.count + 1)
            if !entity.isEmpty {
                return (String(entity), suffix)
            }
        }
        return nil
    }

    /// Whether `entity` is `DYNAMIC_<digits>`.
    static func isDynamicCRMEntity(_ entity: String) -> Bool {
        let prefix = crmDynamicEntity + "_"
        return entity.hasPrefix(prefix) && isNumeric(entity.dropFirst(prefix.count))
    }

    /// Whether `entity` names a CRM entity at all (a fixed one or `DYNAMIC_<digits>`).
    static func isCRMEntity(_ entity: String) -> Bool {
        crmFixedEntities.contains(entity) || isDynamicCRMEntity(entity)
    }

    /// Whether `suffix` accepts `entity` (either table).
    static func crmSuffix(_ suffix: String, accepts entity: String) -> Bool {
        guard entity != crmDynamicEntity else { return false }  // the bare table token is no entity
        let token = isDynamicCRMEntity(entity) ? crmDynamicEntity : entity
        return (crmSuffixTable + crmLegacySuffixTable).contains { row in
            row.suffixes.contains(suffix) && row.entities.contains(token)
        }
    }

    /// The entities a suffix accepts, for sentences and code lists: BITRIX24.md's entities in table
    /// order, then the legacy ones, then `DYNAMIC_<id>`.
    static func crmEntitiesAccepted(bySuffix suffix: String) -> [String] {
        let main = crmSuffixTable.filter { $0.suffixes.contains(suffix) }.flatMap(\.entities)
        let legacy = crmLegacySuffixTable.filter { $0.suffixes.contains(suffix) }.flatMap(\.entities)
        var result = (main + legacy).filter { $0 != crmDynamicEntity }
        if main.contains(crmDynamicEntity) || legacy.contains(crmDynamicEntity) {
            result.append(crmDynamicEntityDisplay)
        }
        return result
    }

    /// The placement for an accepted `CRM_<ENTITY>_<SUFFIX>` code; a legacy entity's is `removed`.
    static func crmPlacement(code: String, entity: String, suffix: String) -> Bitrix24Placement {
        let legacy =
            !crmSuffixTable.contains { $0.suffixes.contains(suffix) && $0.entities.contains(entity) }
            && crmLegacySuffixTable.contains { $0.suffixes.contains(suffix) && $0.entities.contains(entity) }
        return Bitrix24Placement(
            code: code,
            scope: crmPlacementScope,
            keptOptions: Set(crmSuffixKeptOptions[suffix] ?? []),
            status: legacy ? .removed : .documented,
            source: legacy ? "widgets/crm/index.md (earlier revisions), b24phpsdk" : crmSuffixSources[suffix] ?? "widgets/crm/index.md",
            removalNote: legacy ? "the old invoices are gone; use CRM_SMART_INVOICE_\(suffix)" : nil
        )
    }
}
