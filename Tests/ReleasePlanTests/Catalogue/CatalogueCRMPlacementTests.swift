import ReleasePlan
import Testing

/// The `CRM_<ENTITY>_<SUFFIX>` family: which suffix accepts which entity, smart processes,
/// `placementProblem` sentences and the expanded code list.
struct CatalogueCRMPlacementTests {
    /// Entities tried against every suffix (`DYNAMIC_128` stands for any smart process).
    static let entities = [
        "LEAD", "DEAL", "CONTACT", "COMPANY", "QUOTE", "SMART_INVOICE", "ORDER", "ACTIVITY", "INVOICE", "DYNAMIC_128",
    ]

    /// BITRIX24.md's suffix table, written out independently of the catalogue, plus the legacy INVOICE.
    static let accepted: [String: Set<String>] = [
        "DETAIL_TAB": ["LEAD", "DEAL", "CONTACT", "COMPANY", "QUOTE", "SMART_INVOICE", "ORDER", "DYNAMIC_128"],
        "DETAIL_ACTIVITY": ["LEAD", "DEAL", "CONTACT", "COMPANY", "QUOTE", "SMART_INVOICE", "ORDER", "DYNAMIC_128"],
        "LIST_TOOLBAR": ["LEAD", "DEAL", "CONTACT", "COMPANY", "QUOTE", "SMART_INVOICE", "ORDER", "DYNAMIC_128", "INVOICE"],
        "DETAIL_TOOLBAR": ["LEAD", "DEAL", "CONTACT", "COMPANY", "QUOTE", "SMART_INVOICE", "DYNAMIC_128", "INVOICE"],
        "DOCUMENTGENERATOR_BUTTON": ["LEAD", "DEAL", "CONTACT", "COMPANY", "QUOTE", "SMART_INVOICE", "DYNAMIC_128", "INVOICE"],
        "LIST_MENU": ["ACTIVITY", "LEAD", "DEAL", "CONTACT", "COMPANY", "QUOTE", "SMART_INVOICE", "DYNAMIC_128", "INVOICE"],
        "ACTIVITY_TIMELINE_MENU": ["LEAD", "DEAL", "QUOTE", "SMART_INVOICE", "DYNAMIC_128"],
        "ROBOT_DESIGNER_TOOLBAR": ["LEAD", "DEAL", "SMART_INVOICE", "DYNAMIC_128"],
        // widgets/crm/funnels-toolbar.md: deals have the fixed CRM_FUNNELS_TOOLBAR.
        "FUNNELS_TOOLBAR": ["SMART_INVOICE", "DYNAMIC_128"],
    ]

    /// Every (suffix, entity, accepted) combination: positive and negative cases for each suffix.
    static let matrix: [(String, String, Bool)] = accepted.keys.sorted().flatMap { suffix in
        entities.map { entity in (suffix, entity, accepted[suffix]!.contains(entity)) }
    }

    @Test("suffix × entity acceptance", arguments: matrix)
    func acceptance(suffix: String, entity: String, isAccepted: Bool) {
        let code = "CRM_\(entity)_\(suffix)"
        let placement = Bitrix24Catalogue.placement(code)
        #expect((placement != nil) == isAccepted, "\(code)")
        if let placement {
            #expect(placement.code == code)
            #expect(placement.scope == "crm")
            #expect(!placement.isMessenger && !placement.allowsSingleHandler)
        } else {
            #expect(Bitrix24Catalogue.placementProblem(code) != nil, "\(code) has no explanation")
        }
    }

    @Test(
        "smart processes take any numeric type id",
        arguments: [
            "CRM_DYNAMIC_128_DETAIL_TAB", "CRM_DYNAMIC_1_LIST_MENU", "CRM_DYNAMIC_183_ACTIVITY_TIMELINE_MENU",
            "CRM_DYNAMIC_1030_ROBOT_DESIGNER_TOOLBAR", "crm_dynamic_31_documentgenerator_button",
        ])
    func dynamic(code: String) throws {
        let placement = try #require(Bitrix24Catalogue.placement(code))
        #expect(placement.code == code.uppercased())
        #expect(placement.scope == "crm")
    }

    @Test(
        "placementProblem sentences",
        arguments: [
            (
                "CRM_CONTACT_ACTIVITY_TIMELINE_MENU",
                "CRM_CONTACT_ACTIVITY_TIMELINE_MENU: the suffix ACTIVITY_TIMELINE_MENU accepts LEAD, DEAL, QUOTE, "
                    + "SMART_INVOICE, DYNAMIC_<id>, not CONTACT"
            ),
            (
                "crm_company_robot_designer_toolbar",
                "CRM_COMPANY_ROBOT_DESIGNER_TOOLBAR: the suffix ROBOT_DESIGNER_TOOLBAR accepts LEAD, DEAL, SMART_INVOICE, "
                    + "DYNAMIC_<id>, not COMPANY"
            ),
            (
                "CRM_ORDER_DETAIL_TOOLBAR",
                "CRM_ORDER_DETAIL_TOOLBAR: the suffix DETAIL_TOOLBAR accepts LEAD, DEAL, CONTACT, COMPANY, QUOTE, "
                    + "SMART_INVOICE, INVOICE, DYNAMIC_<id>, not ORDER"
            ),
            (
                "CRM_ACTIVITY_DETAIL_TAB",
                "CRM_ACTIVITY_DETAIL_TAB: the suffix DETAIL_TAB accepts LEAD, DEAL, CONTACT, COMPANY, QUOTE, "
                    + "SMART_INVOICE, ORDER, DYNAMIC_<id>, not ACTIVITY"
            ),
            (
                "CRM_ORDER_LIST_MENU",
                "CRM_ORDER_LIST_MENU: the suffix LIST_MENU accepts ACTIVITY, LEAD, DEAL, CONTACT, COMPANY, QUOTE, "
                    + "SMART_INVOICE, INVOICE, DYNAMIC_<id>, not ORDER"
            ),
            (
                "CRM_INVOICE_DETAIL_TAB",
                "CRM_INVOICE_DETAIL_TAB: the suffix DETAIL_TAB accepts LEAD, DEAL, CONTACT, COMPANY, QUOTE, "
                    + "SMART_INVOICE, ORDER, DYNAMIC_<id>, not INVOICE"
            ),
        ])
    func problem(code: String, sentence: String) {
        #expect(Bitrix24Catalogue.placementProblem(code) == sentence)
        #expect(Bitrix24Catalogue.placement(code) == nil)
    }

    @Test(
        "no placementProblem for known codes or codes that do not look like a CRM entity placement",
        arguments: [
            "CRM_DEAL_DETAIL_TAB", "crm_lead_activity_timeline_menu", "CRM_DYNAMIC_128_DETAIL_TAB", "CRM_ANALYTICS_MENU",
            "LEFT_MENU", "LEFT_MENUS", "", "CRM_FOO_DETAIL_TAB", "CRM_DEAL_DETAIL_TABS", "CRM_DEAL", "CRM__DETAIL_TAB",
            "CRM_DYNAMIC_DETAIL_TAB", "CRM_DYNAMIC_XXX_DETAIL_TAB", "TASK_DEAL_DETAIL_TAB",
        ])
    func noProblem(code: String) {
        #expect(Bitrix24Catalogue.placementProblem(code) == nil)
    }

    @Test("placementCodes: sorted, unique, all resolve, CRM patterns expanded without DYNAMIC")
    func codes() throws {
        let codes = Bitrix24Catalogue.placementCodes
        #expect(codes == codes.sorted())
        #expect(Set(codes).count == codes.count)
        for code in codes {
            let placement = try #require(Bitrix24Catalogue.placement(code), "\(code)")
            #expect(placement.code == code)
        }
        #expect(!codes.contains { $0.contains("DYNAMIC") })
        for (suffix, entities) in Self.accepted {
            for entity in entities where entity != "DYNAMIC_128" {
                // The old invoices are gone from the docs (B24P218): known, never suggested.
                #expect(codes.contains("CRM_\(entity)_\(suffix)") == (entity != "INVOICE"), "CRM_\(entity)_\(suffix)")
            }
        }
        for (code, _) in CataloguePlacementTests.bitrix24MDRows where !code.contains("DYNAMIC") {
            #expect(codes.contains(code))
        }
        // 34 documented fixed codes (with LANDING_BLOCK_*) + 49 documented CRM entity codes (with
        // CRM_SMART_INVOICE_FUNNELS_TOOLBAR, without the four old-invoice codes).
        #expect(codes.count == 83)
    }
}
