extension Bitrix24Catalogue {
    /// Every event the catalogue knows, grouped by the scope `event.bind` needs (`nil`: global).
    static let eventScopeTable: [(scope: String?, names: [String])] = coreEventTable + moduleEventTable

    /// Per-type events: a prefix followed by a numeric `entityTypeId` (`ONCRMDYNAMICITEMADD_128`).
    /// The docs' `events` answer shows them next to the plain names (`ONCRMDYNAMICITEMADD_147`).
    static let eventSuffixPatterns: [(prefix: String, scope: String?)] = [
        ("ONCRMDYNAMICITEMADD_", "crm"),
        ("ONCRMDYNAMICITEMUPDATE_", "crm"),
        ("ONCRMDYNAMICITEMDELETE_", "crm"),
    ]

    /// Global application events, `user`, and `crm`.
    ///
    /// Sources: `api-reference/events/events.md` (the `events` method's full answer),
    /// `api-reference/common/events/index.md`, the CRM `…/events/index.md` pages
    /// (deals, universal, timeline, document-generator), and the PHP SDK's `CrmTypeEventsFactory`.
    static let coreEventTable: [(scope: String?, names: [String])] = [
        (
            nil,
            [
                "ONAPPINSTALL", "ONAPPUPDATE", "ONAPPUNINSTALL", "ONAPPPAYMENT", "ONAPPMETHODCONFIRM",
                "ONAPPTEST", "ONOFFLINEEVENT", "ONAPPUSERREADY",
            ]
        ),
        ("user", ["ONUSERADD"]),
        (
            "crm",
            [
                // leads
                "ONCRMLEADADD", "ONCRMLEADUPDATE", "ONCRMLEADDELETE",
                "ONCRMLEADUSERFIELDADD", "ONCRMLEADUSERFIELDUPDATE", "ONCRMLEADUSERFIELDDELETE",
                "ONCRMLEADUSERFIELDSETENUMVALUES",
                // deals
                "ONCRMDEALADD", "ONCRMDEALUPDATE", "ONCRMDEALDELETE", "ONCRMDEALMOVETOCATEGORY",
                "ONCRMDEALUSERFIELDADD", "ONCRMDEALUSERFIELDUPDATE", "ONCRMDEALUSERFIELDDELETE",
                "ONCRMDEALUSERFIELDSETENUMVALUES",
                "ONCRMDEALRECURRINGADD", "ONCRMDEALRECURRINGUPDATE", "ONCRMDEALRECURRINGDELETE",
                "ONCRMDEALRECURRINGEXPOSE",
                // companies
                "ONCRMCOMPANYADD", "ONCRMCOMPANYUPDATE", "ONCRMCOMPANYDELETE",
                "ONCRMCOMPANYUSERFIELDADD", "ONCRMCOMPANYUSERFIELDUPDATE", "ONCRMCOMPANYUSERFIELDDELETE",
                "ONCRMCOMPANYUSERFIELDSETENUMVALUES",
                // contacts
                "ONCRMCONTACTADD", "ONCRMCONTACTUPDATE", "ONCRMCONTACTDELETE",
                "ONCRMCONTACTUSERFIELDADD", "ONCRMCONTACTUSERFIELDUPDATE", "ONCRMCONTACTUSERFIELDDELETE",
                "ONCRMCONTACTUSERFIELDSETENUMVALUES",
                // quotes (estimates)
                "ONCRMQUOTEADD", "ONCRMQUOTEUPDATE", "ONCRMQUOTEDELETE",
                "ONCRMQUOTEUSERFIELDADD", "ONCRMQUOTEUSERFIELDUPDATE", "ONCRMQUOTEUSERFIELDDELETE",
                "ONCRMQUOTEUSERFIELDSETENUMVALUES",
                // old invoices
                "ONCRMINVOICEADD", "ONCRMINVOICEUPDATE", "ONCRMINVOICEDELETE", "ONCRMINVOICESETSTATUS",
                "ONCRMINVOICEUSERFIELDADD", "ONCRMINVOICEUSERFIELDUPDATE", "ONCRMINVOICEUSERFIELDDELETE",
                "ONCRMINVOICEUSERFIELDSETENUMVALUES",
                "ONCRMINVOICERECURRINGADD", "ONCRMINVOICERECURRINGUPDATE", "ONCRMINVOICERECURRINGDELETE",
                "ONCRMINVOICERECURRINGEXPOSE",
                // currencies, measures
                "ONCRMCURRENCYADD", "ONCRMCURRENCYUPDATE", "ONCRMCURRENCYDELETE",
                "ONCRMMEASUREADD", "ONCRMMEASUREUPDATE", "ONCRMMEASUREDELETE",
                // products (old product catalog)
                "ONCRMPRODUCTADD", "ONCRMPRODUCTUPDATE", "ONCRMPRODUCTDELETE",
                "ONCRMPRODUCTPROPERTYADD", "ONCRMPRODUCTPROPERTYUPDATE", "ONCRMPRODUCTPROPERTYDELETE",
                "ONCRMPRODUCTSECTIONADD", "ONCRMPRODUCTSECTIONUPDATE", "ONCRMPRODUCTSECTIONDELETE",
                // activities, timeline
                "ONCRMACTIVITYADD", "ONCRMACTIVITYUPDATE", "ONCRMACTIVITYDELETE",
                "ONCRMTIMELINECOMMENTADD", "ONCRMTIMELINECOMMENTUPDATE", "ONCRMTIMELINECOMMENTDELETE",
                "ONCRMTIMELINEITEMACTION",
                // requisites, bank details, addresses
                "ONCRMREQUISITEADD", "ONCRMREQUISITEUPDATE", "ONCRMREQUISITEDELETE",
                "ONCRMREQUISITEUSERFIELDADD", "ONCRMREQUISITEUSERFIELDUPDATE", "ONCRMREQUISITEUSERFIELDDELETE",
                "ONCRMREQUISITEUSERFIELDSETENUMVALUES",
                "ONCRMBANKDETAILADD", "ONCRMBANKDETAILUPDATE", "ONCRMBANKDETAILDELETE",
                "ONCRMADDRESSREGISTER", "ONCRMADDRESSUNREGISTER",
                // smart processes (per-type forms: eventSuffixPatterns) and their types
                "ONCRMDYNAMICITEMADD", "ONCRMDYNAMICITEMUPDATE", "ONCRMDYNAMICITEMDELETE",
                "ONCRMTYPEADD", "ONCRMTYPEUPDATE", "ONCRMTYPEDELETE",
                "ONCRMTYPEUSERFIELDADD", "ONCRMTYPEUSERFIELDUPDATE", "ONCRMTYPEUSERFIELDDELETE",
                "ONCRMTYPEUSERFIELDSETENUMVALUES",
                // document generator (docs: scope "documentgenerator, crm")
                "ONCRMDOCUMENTGENERATORDOCUMENTADD", "ONCRMDOCUMENTGENERATORDOCUMENTUPDATE",
                "ONCRMDOCUMENTGENERATORDOCUMENTDELETE",
            ]
        ),
    ]
}
