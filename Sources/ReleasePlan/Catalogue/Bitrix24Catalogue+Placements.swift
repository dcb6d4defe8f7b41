extension Bitrix24Catalogue {
    /// Placements with a fixed code → the scope each needs besides `placement` (`nil`: none).
    /// The `CRM_<ENTITY>_<SUFFIX>` family is in `Bitrix24Catalogue+CRMPlacements.swift`.
    ///
    /// The first rows are BITRIX24.md's table; rows marked "docs/SDK" are placements the official docs
    /// (`api-reference/widgets/…`) or the PHP SDK (`PlacementLocationCode`) list and BITRIX24.md does
    /// not. Where the docs give another scope than BITRIX24.md, BITRIX24.md wins.
    static let placementScopeTable: [(scope: String?, codes: [String])] = [
        (nil, ["LEFT_MENU", "PAGE_BACKGROUND_WORKER", "REST_APP_URI", "BI_ANALYTICS_MENU"]),
        (
            "crm",
            [
                "CRM_ANALYTICS_MENU", "CRM_ANALYTICS_TOOLBAR", "CRM_DETAIL_SEARCH", "CRM_FUNNELS_TOOLBAR",
                "CRM_REQUISITE_AUTOCOMPLETE", "CRM_BANK_DETAIL_AUTOCOMPLETE",
            ]
        ),
        (
            "task",
            [
                "TASK_VIEW_TAB", "TASK_VIEW_SIDEBAR", "TASK_VIEW_TOP_PANEL", "TASK_LIST_CONTEXT_MENU",
                "TASK_USER_LIST_TOOLBAR", "TASK_GROUP_LIST_TOOLBAR", "TASK_ROBOT_DESIGNER_TOOLBAR",
            ]
        ),
        ("im", ["IM_NAVIGATION", "IM_CONTEXT_MENU", "IM_SIDEBAR", "IM_TEXTAREA", "IMMOBILE_CONTEXT_MENU"]),
        ("telephony", ["CALL_CARD", "TELEPHONY_ANALYTICS_MENU"]),
        ("sonet_group", ["SONET_GROUP_DETAIL_TAB", "SONET_GROUP_TOOLBAR", "SONET_GROUP_ROBOT_DESIGNER_TOOLBAR"]),
        ("user", ["USER_PROFILE_MENU", "USER_PROFILE_TOOLBAR"]),
        ("calendar", ["CALENDAR_GRIDVIEW"]),
        ("contact_center", ["CONTACT_CENTER"]),
        // docs/SDK: widgets/im/smile-selector.md (archived emoji collection)
        ("im", ["IM_SMILES_SELECTOR"]),
        // docs/SDK: widgets/landings/index.md, SDK PlacementLocationCode "Landing Scope"
        ("landing", ["LANDING_SETTINGS", "LANDING_BLOCK"]),
        // docs/SDK: SDK PlacementLocationCode (CRM scope), crm module AppPlacement
        ("crm", ["CRM_SMART_INVOICE_FUNNELS_TOOLBAR", "CRM_REQUISITE_EDIT_FORM", "1C_PAGE"]),
    ]

    /// Messenger placements: a missing `im` scope is only a warning for them (B24P215).
    static let messengerPlacements: Set<String> = [
        "IM_NAVIGATION", "IM_CONTEXT_MENU", "IM_SIDEBAR", "IM_TEXTAREA", "IMMOBILE_CONTEXT_MENU",
        "IM_SMILES_SELECTOR",
    ]

    /// Placements that keep one handler per app (ERROR_PLACEMENT_MAX_COUNT on a second bind, B24P212).
    static let singleHandlerPlacements: Set<String> = ["REST_APP_URI", "PAGE_BACKGROUND_WORKER"]

    /// Options each placement keeps (BITRIX24.md); the portal drops every other key (B24P217).
    /// A placement missing here keeps none. `CRM_<ENTITY>_DETAIL_ACTIVITY` is in
    /// `crmSuffixKeptOptions`.
    static let keptPlacementOptions: [String: [String]] = [
        "PAGE_BACKGROUND_WORKER": ["errorHandlerUrl"],
        "IM_NAVIGATION": ["iconName", "extranet", "role"],
        "IM_SIDEBAR": ["iconName", "extranet", "context", "role", "color"],
        "IM_TEXTAREA": ["iconName", "extranet", "context", "role", "color", "width", "height"],
        "IM_CONTEXT_MENU": ["extranet", "context", "role"],
        "IMMOBILE_CONTEXT_MENU": ["extranet", "context", "role"],
        "CRM_REQUISITE_AUTOCOMPLETE": ["countries"],
        "CRM_BANK_DETAIL_AUTOCOMPLETE": ["countries"],
    ]

    /// Options `placement.bind` requires: `iconName` (B24P216, else ERROR_ARGUMENT) and `errorHandlerUrl`
    /// (B24P213, else EMPTY_ERROR_HANDLER_URL).
    static let requiredPlacementOptions: [String: [String]] = [
        "IM_NAVIGATION": ["iconName"],
        "IM_SIDEBAR": ["iconName"],
        "IM_TEXTAREA": ["iconName"],
        "PAGE_BACKGROUND_WORKER": ["errorHandlerUrl"],
    ]
}
