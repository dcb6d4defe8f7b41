extension Bitrix24Catalogue {
    /// One row of the fixed placement table: codes with the same scope, docs page and facts.
    struct PlacementRow {
        let scope: String?
        let codes: [String]
        let source: String
        var status: Bitrix24DocsStatus = .documented
        var binding: Bitrix24BindingMethod = .placement
        var note: String? = nil
    }

    /// Placements with a fixed code, each row with the docs page (under `api-reference/`) its codes
    /// and scope come from. The `CRM_<ENTITY>_<SUFFIX>` family is in `+CRMPlacements`, the Sites
    /// placements `LANDING_BLOCK_<CODE>` in `+Landing`.
    static let placementScopeTable: [PlacementRow] = [
        PlacementRow(scope: nil, codes: ["LEFT_MENU"], source: "widgets/left-menu.md"),
        PlacementRow(scope: nil, codes: ["PAGE_BACKGROUND_WORKER"], source: "widgets/universal/background-worker.md"),
        PlacementRow(scope: nil, codes: ["REST_APP_URI"], source: "widgets/universal/app-url.md"),
        PlacementRow(scope: nil, codes: ["BI_ANALYTICS_MENU"], source: "widgets/crm/bi-analytics-menu.md"),
        PlacementRow(scope: "crm", codes: ["CRM_ANALYTICS_MENU"], source: "widgets/crm/analytics-menu.md"),
        PlacementRow(scope: "crm", codes: ["CRM_ANALYTICS_TOOLBAR"], source: "widgets/crm/analytics-toolbar.md"),
        PlacementRow(scope: "crm", codes: ["CRM_DETAIL_SEARCH"], source: "widgets/crm/detail-search.md"),
        PlacementRow(scope: "crm", codes: ["CRM_FUNNELS_TOOLBAR"], source: "widgets/crm/funnels-toolbar.md"),
        PlacementRow(
            scope: "crm", codes: ["CRM_REQUISITE_AUTOCOMPLETE"],
            source: "widgets/crm/requisites-autocomplete/requisite-autocomplete.md"),
        PlacementRow(
            scope: "crm", codes: ["CRM_BANK_DETAIL_AUTOCOMPLETE"],
            source: "widgets/crm/requisites-autocomplete/bank-detail-autocomplete.md"),
        PlacementRow(scope: "task", codes: ["TASK_VIEW_TAB"], source: "widgets/task/view-tab.md"),
        PlacementRow(scope: "task", codes: ["TASK_VIEW_SIDEBAR"], source: "widgets/task/view-sidebar.md"),
        PlacementRow(scope: "task", codes: ["TASK_VIEW_TOP_PANEL"], source: "widgets/task/view-top-panel.md"),
        PlacementRow(scope: "task", codes: ["TASK_LIST_CONTEXT_MENU"], source: "widgets/task/list-context-menu.md"),
        PlacementRow(
            scope: "task", codes: ["TASK_USER_LIST_TOOLBAR", "TASK_GROUP_LIST_TOOLBAR"], source: "widgets/task/list-toolbar.md"),
        PlacementRow(scope: "task", codes: ["TASK_ROBOT_DESIGNER_TOOLBAR"], source: "widgets/task/robot-designer-toolbar.md"),
        PlacementRow(scope: "im", codes: ["IM_NAVIGATION"], source: "widgets/im/navigation.md"),
        PlacementRow(scope: "im", codes: ["IM_CONTEXT_MENU"], source: "widgets/im/context-menu.md"),
        PlacementRow(scope: "im", codes: ["IM_SIDEBAR"], source: "widgets/im/sidebar.md"),
        PlacementRow(scope: "im", codes: ["IM_TEXTAREA"], source: "widgets/im/textarea.md"),
        PlacementRow(scope: "im", codes: ["IMMOBILE_CONTEXT_MENU"], source: "widgets/mobile-app.md"),
        // The page's scope line says `placement` only; deprecated since im 25.1600.0.
        PlacementRow(
            scope: nil, codes: ["IM_SMILES_SELECTOR"], source: "widgets/im/smile-selector.md", status: .deprecated,
            note: "deprecated since im 25.1600.0: placement.bind still accepts it, but the handler is no longer called"),
        PlacementRow(scope: "telephony", codes: ["CALL_CARD"], source: "widgets/telephony/call-card.md"),
        PlacementRow(scope: "telephony", codes: ["TELEPHONY_ANALYTICS_MENU"], source: "widgets/telephony/analytics-menu.md"),
        PlacementRow(scope: "sonet_group", codes: ["SONET_GROUP_DETAIL_TAB"], source: "widgets/workgroups/detail-tab.md"),
        PlacementRow(scope: "sonet_group", codes: ["SONET_GROUP_TOOLBAR"], source: "widgets/workgroups/toolbar.md"),
        PlacementRow(
            scope: "sonet_group", codes: ["SONET_GROUP_ROBOT_DESIGNER_TOOLBAR"],
            source: "widgets/workgroups/robot-designer-toolbar.md"),
        PlacementRow(scope: "user", codes: ["USER_PROFILE_MENU"], source: "widgets/user-profile/profile-menu.md"),
        PlacementRow(scope: "user", codes: ["USER_PROFILE_TOOLBAR"], source: "widgets/user-profile/profile-toolbar.md"),
        PlacementRow(scope: "calendar", codes: ["CALENDAR_GRIDVIEW"], source: "widgets/calendar.md"),
        PlacementRow(scope: "contact_center", codes: ["CONTACT_CENTER"], source: "widgets/contact-center.md"),
        PlacementRow(scope: "humanresources.hcmlink", codes: ["HCMLINK_SALARY_VACATION"], source: "sign/hcm-link/index.md"),
        PlacementRow(
            scope: "landing", codes: ["LANDING_SETTINGS"], source: "landing/embedding/settings.md",
            binding: .landingRepository),
        // Gone from the docs.
        PlacementRow(
            scope: "landing", codes: ["LANDING_BLOCK"], source: "landing/embedding/block.md", status: .removed,
            binding: .landingRepository, note: "use LANDING_BLOCK_<CODE> for one block type or LANDING_BLOCK_* for all blocks"),
        PlacementRow(
            scope: "crm", codes: ["CRM_REQUISITE_EDIT_FORM", "1C_PAGE"], source: "b24phpsdk: PlacementLocationCode",
            status: .removed, note: "only b24phpsdk lists it"),
    ]

    /// Placements that the docs register with something other than a bind method of their own, with
    /// the sentence B24P202 says (`SETTING_CONNECTOR` comes with `imconnector.register`).
    static let placementsBoundElsewhere: [String: String] = [
        "SETTING_CONNECTOR":
            "is not bound with placement.bind: imconnector.register's PLACEMENT_HANDLER creates it (widgets/setting-connector.md)"
    ]

    /// Messenger placements: a missing `im` scope is only a warning for them (B24P215).
    static let messengerPlacements: Set<String> = [
        "IM_NAVIGATION", "IM_CONTEXT_MENU", "IM_SIDEBAR", "IM_TEXTAREA", "IMMOBILE_CONTEXT_MENU",
    ]

    /// Placements that keep one handler per app (ERROR_PLACEMENT_MAX_COUNT on a second bind, B24P212).
    static let singleHandlerPlacements: Set<String> = ["REST_APP_URI", "PAGE_BACKGROUND_WORKER"]

    /// Options each placement keeps (BITRIX24.md and each placement's page); the portal drops every
    /// other key (B24P217). A placement missing here keeps none. `CRM_<ENTITY>_DETAIL_ACTIVITY` is in
    /// `crmSuffixKeptOptions`.
    static let keptPlacementOptions: [String: [String]] = [
        "PAGE_BACKGROUND_WORKER": ["errorHandlerUrl"],
        "IM_NAVIGATION": ["iconName", "extranet", "role"],
        "IM_SIDEBAR": ["iconName", "extranet", "context", "role", "color"],
        "IM_TEXTAREA": ["iconName", "extranet", "context", "role", "color", "width", "height"],
        "IM_CONTEXT_MENU": ["extranet", "context", "role"],
        "IMMOBILE_CONTEXT_MENU": ["extranet", "context", "role"],
        "IM_SMILES_SELECTOR": ["extranet", "context", "role"],
        "CRM_REQUISITE_AUTOCOMPLETE": ["countries"],
        "CRM_BANK_DETAIL_AUTOCOMPLETE": ["countries"],
        "TASK_VIEW_TAB": ["groupId"],
        "TASK_VIEW_SIDEBAR": ["groupId"],
    ]

    /// Kept options the docs give as text: a list or object given for one is refused (B24P003).
    public static let textOptions: Set<String> = ["groupId"]

    /// Options `placement.bind` requires: `iconName` (B24P216, else ERROR_ARGUMENT) and `errorHandlerUrl`
    /// (B24P213, else EMPTY_ERROR_HANDLER_URL).
    static let requiredPlacementOptions: [String: [String]] = [
        "IM_NAVIGATION": ["iconName"],
        "IM_SIDEBAR": ["iconName"],
        "IM_TEXTAREA": ["iconName"],
        "PAGE_BACKGROUND_WORKER": ["errorHandlerUrl"],
    ]
}
