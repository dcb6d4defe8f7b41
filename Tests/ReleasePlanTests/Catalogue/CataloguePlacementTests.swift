import ReleasePlan
import Testing

/// Fixed placements: scopes (BITRIX24.md's table row by row), case-insensitivity, messenger and
/// single-handler flags, required and kept options.
struct CataloguePlacementTests {
    /// Every placement of BITRIX24.md's "Placement → scope" table with its scope.
    static let bitrix24MDRows: [(String, String?)] = [
        ("LEFT_MENU", nil), ("PAGE_BACKGROUND_WORKER", nil), ("REST_APP_URI", nil), ("BI_ANALYTICS_MENU", nil),
        ("CRM_ANALYTICS_MENU", "crm"), ("CRM_ANALYTICS_TOOLBAR", "crm"), ("CRM_DETAIL_SEARCH", "crm"),
        ("CRM_FUNNELS_TOOLBAR", "crm"), ("CRM_REQUISITE_AUTOCOMPLETE", "crm"),
        ("CRM_BANK_DETAIL_AUTOCOMPLETE", "crm"),
        ("CRM_LEAD_DETAIL_TAB", "crm"), ("CRM_DEAL_DETAIL_TOOLBAR", "crm"), ("CRM_CONTACT_DETAIL_ACTIVITY", "crm"),
        ("CRM_COMPANY_LIST_MENU", "crm"), ("CRM_QUOTE_LIST_TOOLBAR", "crm"),
        ("CRM_SMART_INVOICE_ACTIVITY_TIMELINE_MENU", "crm"), ("CRM_DEAL_DOCUMENTGENERATOR_BUTTON", "crm"),
        ("CRM_LEAD_ROBOT_DESIGNER_TOOLBAR", "crm"), ("CRM_ORDER_DETAIL_TAB", "crm"),
        ("CRM_DYNAMIC_128_DETAIL_TAB", "crm"),
        ("TASK_VIEW_TAB", "task"), ("TASK_VIEW_SIDEBAR", "task"), ("TASK_VIEW_TOP_PANEL", "task"),
        ("TASK_LIST_CONTEXT_MENU", "task"), ("TASK_USER_LIST_TOOLBAR", "task"), ("TASK_GROUP_LIST_TOOLBAR", "task"),
        ("TASK_ROBOT_DESIGNER_TOOLBAR", "task"),
        ("IM_NAVIGATION", "im"), ("IM_CONTEXT_MENU", "im"), ("IM_SIDEBAR", "im"), ("IM_TEXTAREA", "im"),
        ("IMMOBILE_CONTEXT_MENU", "im"),
        ("CALL_CARD", "telephony"), ("TELEPHONY_ANALYTICS_MENU", "telephony"),
        ("SONET_GROUP_DETAIL_TAB", "sonet_group"), ("SONET_GROUP_TOOLBAR", "sonet_group"),
        ("SONET_GROUP_ROBOT_DESIGNER_TOOLBAR", "sonet_group"),
        ("USER_PROFILE_MENU", "user"), ("USER_PROFILE_TOOLBAR", "user"),
        ("CALENDAR_GRIDVIEW", "calendar"),
        ("CONTACT_CENTER", "contact_center"),
    ]

    @Test("every placement of BITRIX24.md resolves with its scope", arguments: bitrix24MDRows)
    func bitrix24MDPlacement(code: String, scope: String?) throws {
        let placement = try #require(Bitrix24Catalogue.placement(code))
        #expect(placement.code == code)
        #expect(placement.scope == scope)
    }

    @Test(
        "placements the docs add, with their scope, binding method and page",
        arguments: [
            ("IM_SMILES_SELECTOR", nil, .placement, "widgets/im/smile-selector.md"),
            ("LANDING_SETTINGS", "landing", .landingRepository, "landing/embedding/settings.md"),
            ("LANDING_BLOCK_*", "landing", .landingRepository, "landing/embedding/block.md"),
            ("LANDING_BLOCK_04.1.ONE_COL_FIX_WITH_TITLE", "landing", .landingRepository, "landing/embedding/block.md"),
            ("landing_block_repo_1132", "landing", .landingRepository, "landing/embedding/block.md"),
            ("CRM_SMART_INVOICE_FUNNELS_TOOLBAR", "crm", .placement, "widgets/crm/funnels-toolbar.md"),
            ("CRM_DYNAMIC_183_FUNNELS_TOOLBAR", "crm", .placement, "widgets/crm/funnels-toolbar.md"),
            ("HCMLINK_SALARY_VACATION", "humanresources.hcmlink", .placement, "sign/hcm-link/index.md"),
            ("TASK_VIEW_TAB", "task", .placement, "widgets/task/view-tab.md"),
        ] as [(String, String?, Bitrix24BindingMethod, String)])
    func docsPlacement(code: String, scope: String?, binding: Bitrix24BindingMethod, source: String) throws {
        let placement = try #require(Bitrix24Catalogue.placement(code))
        #expect(placement.scope == scope)
        #expect(placement.binding == binding)
        #expect(placement.source == source)
        #expect(placement.status == (code == "IM_SMILES_SELECTOR" ? .deprecated : .documented))
    }

    @Test(
        "placements gone from the docs are known and marked removed",
        arguments: [
            "LANDING_BLOCK", "CRM_REQUISITE_EDIT_FORM", "1C_PAGE", "CRM_INVOICE_LIST_MENU", "CRM_INVOICE_LIST_TOOLBAR",
            "CRM_INVOICE_DETAIL_TOOLBAR", "CRM_INVOICE_DOCUMENTGENERATOR_BUTTON",
        ])
    func removedPlacement(code: String) throws {
        let placement = try #require(Bitrix24Catalogue.placement(code))
        #expect(placement.status == .removed)
        #expect(placement.removalNote != nil)
        #expect(!Bitrix24Catalogue.placementCodes.contains(code), "no suggestion of a removed code")
    }

    @Test("SETTING_CONNECTOR is unknown to bind, and the problem names imconnector.register")
    func settingConnector() throws {
        #expect(Bitrix24Catalogue.placement("SETTING_CONNECTOR") == nil)
        let problem = try #require(Bitrix24Catalogue.placementProblem("setting_connector"))
        #expect(problem.contains("imconnector.register"))
    }

    @Test(
        "codes are case-insensitive and come back uppercased",
        arguments: [
            ("left_menu", "LEFT_MENU"), ("Im_Textarea", "IM_TEXTAREA"), ("crm_deal_detail_tab", "CRM_DEAL_DETAIL_TAB"),
            ("Crm_Dynamic_128_Detail_Tab", "CRM_DYNAMIC_128_DETAIL_TAB"), ("page_background_worker", "PAGE_BACKGROUND_WORKER"),
        ])
    func caseInsensitive(written: String, canonical: String) throws {
        let placement = try #require(Bitrix24Catalogue.placement(written))
        #expect(placement.code == canonical)
        #expect(Bitrix24Catalogue.placement(canonical) == placement)
    }

    @Test(
        "unknown codes give nil",
        arguments: [
            "", "LEFT_MENUS", "LEFTMENU", "CRM_", "CRM_DEAL", "CRM_DETAIL_TAB", "CRM_FOO_DETAIL_TAB",
            "CRM_DYNAMIC_DETAIL_TAB", "CRM_DYNAMIC_XXX_DETAIL_TAB", "CRM_DYNAMIC_12A_DETAIL_TAB", "CRM_DEAL_DETAIL_TABS",
            "TASK_VIEW", "SETTING_CONNECTOR", " LEFT_MENU", "LANDING_BLOCK_", "LANDING_BLOCK_A B", "LANDING_BLOCK_a/b",
            "CRM_DEAL_FUNNELS_TOOLBAR", "CRM_LEAD_FUNNELS_TOOLBAR",
        ])
    func unknown(code: String) {
        #expect(Bitrix24Catalogue.placement(code) == nil)
    }

    @Test(
        "single-handler placements",
        arguments: [
            ("REST_APP_URI", true), ("PAGE_BACKGROUND_WORKER", true), ("LEFT_MENU", false), ("IM_TEXTAREA", false),
            ("CRM_DEAL_DETAIL_TAB", false),
        ])
    func singleHandler(code: String, single: Bool) throws {
        #expect(try #require(Bitrix24Catalogue.placement(code)).allowsSingleHandler == single)
    }

    @Test(
        "messenger placements",
        arguments: [
            ("IM_NAVIGATION", true), ("IM_CONTEXT_MENU", true), ("IM_SIDEBAR", true), ("IM_TEXTAREA", true),
            ("IMMOBILE_CONTEXT_MENU", true), ("IM_SMILES_SELECTOR", false), ("LEFT_MENU", false),
            ("CALL_CARD", false), ("CRM_DEAL_LIST_MENU", false),
        ])
    func messenger(code: String, isMessenger: Bool) throws {
        #expect(try #require(Bitrix24Catalogue.placement(code)).isMessenger == isMessenger)
    }

    @Test(
        "required options",
        arguments: [
            ("IM_NAVIGATION", ["iconName"]), ("IM_SIDEBAR", ["iconName"]), ("IM_TEXTAREA", ["iconName"]),
            ("PAGE_BACKGROUND_WORKER", ["errorHandlerUrl"]), ("IM_CONTEXT_MENU", []), ("IMMOBILE_CONTEXT_MENU", []),
            ("LEFT_MENU", []), ("CRM_DEAL_DETAIL_ACTIVITY", []),
        ] as [(String, [String])])
    func requiredOptions(code: String, required: [String]) throws {
        #expect(try #require(Bitrix24Catalogue.placement(code)).requiredOptions == required)
    }

    @Test(
        "kept options",
        arguments: [
            ("PAGE_BACKGROUND_WORKER", ["errorHandlerUrl"]),
            ("IM_NAVIGATION", ["iconName", "extranet", "role"]),
            ("IM_SIDEBAR", ["iconName", "extranet", "context", "role", "color"]),
            ("IM_TEXTAREA", ["iconName", "extranet", "context", "role", "color", "width", "height"]),
            ("IM_CONTEXT_MENU", ["extranet", "context", "role"]),
            ("IMMOBILE_CONTEXT_MENU", ["extranet", "context", "role"]),
            ("CRM_DEAL_DETAIL_ACTIVITY", ["useBuiltInInterface", "newUserNotificationTitle", "newUserNotificationText"]),
            ("CRM_DYNAMIC_7_DETAIL_ACTIVITY", ["useBuiltInInterface", "newUserNotificationTitle", "newUserNotificationText"]),
            ("CRM_REQUISITE_AUTOCOMPLETE", ["countries"]), ("CRM_BANK_DETAIL_AUTOCOMPLETE", ["countries"]),
            ("LEFT_MENU", []), ("REST_APP_URI", []), ("BI_ANALYTICS_MENU", []), ("CRM_DETAIL_SEARCH", []),
            ("CRM_DEAL_DETAIL_TAB", []), ("TASK_VIEW_TAB", ["groupId"]), ("TASK_VIEW_SIDEBAR", ["groupId"]),
            ("TASK_VIEW_TOP_PANEL", []), ("IM_SMILES_SELECTOR", ["extranet", "context", "role"]), ("LANDING_SETTINGS", []),
        ] as [(String, [String])])
    func keptOptions(code: String, kept: [String]) throws {
        #expect(try #require(Bitrix24Catalogue.placement(code)).keptOptions == Set(kept))
    }

    @Test("every required option is also kept")
    func requiredAreKept() throws {
        for code in Bitrix24Catalogue.placementCodes {
            let placement = try #require(Bitrix24Catalogue.placement(code))
            #expect(placement.keptOptions.isSuperset(of: placement.requiredOptions), "\(code)")
        }
    }

    @Test("every placement scope is a known scope")
    func scopesAreKnown() throws {
        for code in Bitrix24Catalogue.placementCodes {
            if let scope = try #require(Bitrix24Catalogue.placement(code)).scope {
                #expect(Bitrix24Catalogue.scopes.contains(scope), "\(code): \(scope)")
            }
        }
    }

    @Test("a code looked up again, in any case and from many threads, gets the same answer")
    func lookupsAreKept() async {
        let codes = [
            "CRM_DEAL_DETAIL_TAB", "crm_deal_detail_tab", "CRM_DYNAMIC_128_DETAIL_TAB", "CRM_INVOICE_DETAIL_TAB", "NOPE", "LANDING_BLOCK_X",
        ]
        let first = codes.map(Bitrix24Catalogue.placement)
        await withTaskGroup(of: [Bitrix24Placement?].self) { group in
            for _ in 0..<8 { group.addTask { codes.map(Bitrix24Catalogue.placement) } }
            for await answers in group { #expect(answers == first) }
        }
        // Beyond the cache's room, codes are looked up anew, with the same answers.
        let many = (0..<1100).map { "CRM_DYNAMIC_\($0)_DETAIL_TAB" }
        #expect(many.map(Bitrix24Catalogue.placement).map { $0?.code } == many)
        #expect(many.map(Bitrix24Catalogue.placement).map { $0?.code } == many)
    }
}
