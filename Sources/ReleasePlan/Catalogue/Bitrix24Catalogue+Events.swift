extension Bitrix24Catalogue {
    /// One row of the event tables: names with the same scopes, docs page and delivery.
    struct EventRow {
        let scope: String?
        let names: [String]
        let source: String
        var alsoAccepted: [String] = []
        var dispute: String? = nil
        var delivery: Bitrix24EventDelivery = .eventBind
        var status: Bitrix24DocsStatus = .documented
        /// For a removed or deprecated event: what to use instead.
        var note: String? = nil
    }

    /// Every event the catalogue knows, grouped by the scope `event.bind` needs (`nil`: global).
    static let eventScopeTable: [EventRow] = coreEventTable + moduleEventTable

    /// Per-type events: a prefix followed by a numeric `entityTypeId` (`ONCRMDYNAMICITEMADD_128`).
    /// The docs' `events` answer shows them next to the plain names (`ONCRMDYNAMICITEMADD_147`).
    static let eventSuffixPatterns: [(prefix: String, scope: String?, source: String)] = [
        ("ONCRMDYNAMICITEMADD_", "crm", "crm/universal/events/index.md"),
        ("ONCRMDYNAMICITEMUPDATE_", "crm", "crm/universal/events/index.md"),
        ("ONCRMDYNAMICITEMDELETE_", "crm", "crm/universal/events/index.md"),
    ]

    /// Global application events, `user`, and `crm`, by docs page (under `api-reference/`).
    static let coreEventTable: [EventRow] = [
        EventRow(
            scope: nil,
            names: [
                "ONAPPINSTALL", "ONAPPUPDATE", "ONAPPUNINSTALL", "ONAPPPAYMENT", "ONAPPMETHODCONFIRM",
                "ONAPPTEST", "ONOFFLINEEVENT",
            ],
            source: "common/events/index.md"),
        EventRow(scope: nil, names: ["ONAPPUSERREADY"], source: "events/events.md (earlier revisions)", status: .removed),
        EventRow(scope: "user", names: ["ONUSERADD"], source: "events/events.md"),
        EventRow(scope: "crm", names: ["ONCRMLEADADD", "ONCRMLEADUPDATE", "ONCRMLEADDELETE"], source: "crm/leads/events/index.md"),
        EventRow(
            scope: "crm",
            names: [
                "ONCRMLEADUSERFIELDADD", "ONCRMLEADUSERFIELDUPDATE", "ONCRMLEADUSERFIELDDELETE",
                "ONCRMLEADUSERFIELDSETENUMVALUES",
            ],
            source: "crm/leads/userfield/events/index.md"),
        EventRow(
            scope: "crm", names: ["ONCRMDEALADD", "ONCRMDEALUPDATE", "ONCRMDEALDELETE", "ONCRMDEALMOVETOCATEGORY"],
            source: "crm/deals/events/index.md"),
        EventRow(
            scope: "crm",
            names: [
                "ONCRMDEALUSERFIELDADD", "ONCRMDEALUSERFIELDUPDATE", "ONCRMDEALUSERFIELDDELETE",
                "ONCRMDEALUSERFIELDSETENUMVALUES",
            ],
            source: "crm/deals/user-defined-fields/events/index.md"),
        EventRow(
            scope: "crm",
            names: ["ONCRMDEALRECURRINGADD", "ONCRMDEALRECURRINGUPDATE", "ONCRMDEALRECURRINGDELETE", "ONCRMDEALRECURRINGEXPOSE"],
            source: "crm/deals/recurring-deals/events/index.md"),
        EventRow(
            scope: "crm", names: ["ONCRMCOMPANYADD", "ONCRMCOMPANYUPDATE", "ONCRMCOMPANYDELETE"],
            source: "crm/companies/events/index.md"),
        EventRow(
            scope: "crm",
            names: [
                "ONCRMCOMPANYUSERFIELDADD", "ONCRMCOMPANYUSERFIELDUPDATE", "ONCRMCOMPANYUSERFIELDDELETE",
                "ONCRMCOMPANYUSERFIELDSETENUMVALUES",
            ],
            source: "crm/companies/userfields/events/index.md"),
        EventRow(
            scope: "crm", names: ["ONCRMCONTACTADD", "ONCRMCONTACTUPDATE", "ONCRMCONTACTDELETE"],
            source: "crm/contacts/events/index.md"),
        EventRow(
            scope: "crm",
            names: [
                "ONCRMCONTACTUSERFIELDADD", "ONCRMCONTACTUSERFIELDUPDATE", "ONCRMCONTACTUSERFIELDDELETE",
                "ONCRMCONTACTUSERFIELDSETENUMVALUES",
            ],
            source: "crm/contacts/userfield/events/index.md"),
        EventRow(
            scope: "crm", names: ["ONCRMQUOTEADD", "ONCRMQUOTEUPDATE", "ONCRMQUOTEDELETE"], source: "crm/quote/events/index.md"),
        EventRow(
            scope: "crm",
            names: [
                "ONCRMQUOTEUSERFIELDADD", "ONCRMQUOTEUSERFIELDUPDATE", "ONCRMQUOTEUSERFIELDDELETE",
                "ONCRMQUOTEUSERFIELDSETENUMVALUES",
            ],
            source: "crm/quote/user-field/events/index.md"),
        // old invoices
        EventRow(
            scope: "crm",
            names: [
                "ONCRMINVOICEADD", "ONCRMINVOICEUPDATE", "ONCRMINVOICEDELETE", "ONCRMINVOICESETSTATUS",
                "ONCRMINVOICEUSERFIELDADD", "ONCRMINVOICEUSERFIELDUPDATE", "ONCRMINVOICEUSERFIELDDELETE",
                "ONCRMINVOICEUSERFIELDSETENUMVALUES",
                "ONCRMINVOICERECURRINGADD", "ONCRMINVOICERECURRINGUPDATE", "ONCRMINVOICERECURRINGDELETE",
                "ONCRMINVOICERECURRINGEXPOSE",
            ],
            source: "events/events.md"),
        EventRow(
            scope: "crm", names: ["ONCRMCURRENCYADD", "ONCRMCURRENCYUPDATE", "ONCRMCURRENCYDELETE"],
            source: "crm/currency/events/index.md"),
        EventRow(
            scope: "crm", names: ["ONCRMMEASUREADD", "ONCRMMEASUREUPDATE", "ONCRMMEASUREDELETE"],
            source: "crm/outdated/measure/events/index.md"),
        EventRow(
            scope: "crm",
            names: [
                "ONCRMPRODUCTADD", "ONCRMPRODUCTUPDATE", "ONCRMPRODUCTDELETE",
                "ONCRMPRODUCTPROPERTYADD", "ONCRMPRODUCTPROPERTYUPDATE", "ONCRMPRODUCTPROPERTYDELETE",
            ],
            source: "events/events.md"),
        EventRow(
            scope: "crm", names: ["ONCRMPRODUCTSECTIONADD", "ONCRMPRODUCTSECTIONUPDATE", "ONCRMPRODUCTSECTIONDELETE"],
            source: "crm/outdated/product-section/events/index.md"),
        EventRow(
            scope: "crm", names: ["ONCRMACTIVITYADD", "ONCRMACTIVITYUPDATE", "ONCRMACTIVITYDELETE"],
            source: "crm/timeline/activities/events/index.md"),
        EventRow(
            scope: "crm",
            names: [
                "ONCRMTIMELINECOMMENTADD", "ONCRMTIMELINECOMMENTUPDATE", "ONCRMTIMELINECOMMENTDELETE",
                "ONCRMTIMELINEITEMACTION",
            ],
            source: "crm/timeline/comments/events/index.md"),
        EventRow(
            scope: "crm",
            names: [
                "ONCRMREQUISITEADD", "ONCRMREQUISITEUPDATE", "ONCRMREQUISITEDELETE",
                "ONCRMREQUISITEUSERFIELDADD", "ONCRMREQUISITEUSERFIELDUPDATE", "ONCRMREQUISITEUSERFIELDDELETE",
                "ONCRMREQUISITEUSERFIELDSETENUMVALUES",
                "ONCRMBANKDETAILADD", "ONCRMBANKDETAILUPDATE", "ONCRMBANKDETAILDELETE",
                "ONCRMADDRESSREGISTER", "ONCRMADDRESSUNREGISTER",
            ],
            source: "crm/requisites/events/index.md"),
        EventRow(
            scope: "crm",
            names: [
                "ONCRMDYNAMICITEMADD", "ONCRMDYNAMICITEMUPDATE", "ONCRMDYNAMICITEMDELETE",
                "ONCRMTYPEADD", "ONCRMTYPEUPDATE", "ONCRMTYPEDELETE",
            ],
            source: "crm/universal/events/index.md"),
        EventRow(
            scope: "crm",
            names: [
                "ONCRMTYPEUSERFIELDADD", "ONCRMTYPEUSERFIELDUPDATE", "ONCRMTYPEUSERFIELDDELETE",
                "ONCRMTYPEUSERFIELDSETENUMVALUES",
            ],
            source: "crm/universal/userfieldconfig/events/index.md"),
        EventRow(
            scope: "crm",
            names: [
                "ONCRMDOCUMENTGENERATORDOCUMENTADD", "ONCRMDOCUMENTGENERATORDOCUMENTUPDATE",
                "ONCRMDOCUMENTGENERATORDOCUMENTDELETE",
            ],
            source: "crm/document-generator/documents/events/index.md", alsoAccepted: ["documentgenerator"]),
    ]
}
