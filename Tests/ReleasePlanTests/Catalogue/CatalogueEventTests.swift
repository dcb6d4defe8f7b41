import ReleasePlan
import Testing

/// Events: scopes per module, global events, case-insensitivity, per-type smart-process events.
struct CatalogueEventTests {
    @Test(
        "events by scope",
        arguments: [
            // global (BITRIX24.md)
            ("ONAPPINSTALL", nil), ("ONAPPUPDATE", nil), ("ONAPPUNINSTALL", nil), ("ONAPPPAYMENT", nil),
            ("ONAPPMETHODCONFIRM", nil), ("ONAPPTEST", nil), ("ONOFFLINEEVENT", nil), ("ONAPPUSERREADY", nil),
            // user, crm, task (BITRIX24.md)
            ("ONUSERADD", "user"),
            ("ONCRMLEADADD", "crm"), ("ONCRMLEADUPDATE", "crm"), ("ONCRMLEADDELETE", "crm"),
            ("ONCRMDEALADD", "crm"), ("ONCRMDEALUPDATE", "crm"), ("ONCRMDEALDELETE", "crm"),
            ("ONCRMCONTACTADD", "crm"), ("ONCRMCONTACTUPDATE", "crm"), ("ONCRMCONTACTDELETE", "crm"),
            ("ONCRMCOMPANYADD", "crm"), ("ONCRMCOMPANYUPDATE", "crm"), ("ONCRMCOMPANYDELETE", "crm"),
            ("ONCRMDYNAMICITEMADD", "crm"), ("ONCRMDYNAMICITEMUPDATE", "crm"), ("ONCRMDYNAMICITEMDELETE", "crm"),
            ("ONTASKADD", "task"), ("ONTASKUPDATE", "task"), ("ONTASKDELETE", "task"),
            ("ONTASKCOMMENTADD", "task"), ("ONTASKCOMMENTUPDATE", "task"), ("ONTASKCOMMENTDELETE", "task"),
            // crm, from the docs
            ("ONCRMACTIVITYADD", "crm"), ("ONCRMACTIVITYUPDATE", "crm"), ("ONCRMACTIVITYDELETE", "crm"),
            ("ONCRMQUOTEADD", "crm"), ("ONCRMINVOICESETSTATUS", "crm"), ("ONCRMPRODUCTSECTIONDELETE", "crm"),
            ("ONCRMDEALUSERFIELDSETENUMVALUES", "crm"), ("ONCRMDEALMOVETOCATEGORY", "crm"),
            ("ONCRMTIMELINECOMMENTADD", "crm"), ("ONCRMTIMELINEITEMACTION", "crm"), ("ONCRMTYPEADD", "crm"),
            ("ONCRMREQUISITEUSERFIELDADD", "crm"), ("ONCRMBANKDETAILADD", "crm"), ("ONCRMADDRESSREGISTER", "crm"),
            ("ONCRMDOCUMENTGENERATORDOCUMENTADD", "crm"), ("ONCRMDEALRECURRINGEXPOSE", "crm"),
            // other modules
            ("ONIMBOTMESSAGEADD", "imbot"), ("ONIMBOTJOINCHAT", "imbot"), ("ONIMCOMMANDADD", "imbot"),
            ("ONIMBOTV2MESSAGEADD", "imbot"), ("ONIMV2MESSAGEADD", "im"),
            ("ONOPENLINEMESSAGEADD", "imopenlines"), ("ONSESSIONSTART", "imopenlines"),
            ("ONIMCONNECTORMESSAGEADD", "imconnector"), ("ONIMCONNECTORLINEDELETE", "imconnector"),
            ("ONVOXIMPLANTCALLINIT", "telephony"), ("ONVOXIMPLANTCALLSTART", "telephony"),
            ("ONVOXIMPLANTCALLEND", "telephony"), ("ONEXTERNALCALLSTART", "telephony"),
            ("ONEXTERNALCALLBACKSTART", "telephony"),
            ("ONCALENDARENTRYADD", "calendar"), ("ONCALENDARSECTIONDELETE", "calendar"),
            ("ONSONETGROUPADD", "sonet_group"), ("ONSONETGROUPSUBJECTUPDATE", "sonet_group"),
            ("ONLIVEFEEDPOSTADD", "log"),
            ("ONSALEORDERSAVED", "sale"), ("ONPAYMENTDELETED", "sale"),
            ("CATALOG.PRODUCT.ON.ADD", "catalog"), ("CATALOG.PRICE.TYPE.ON.DELETE", "catalog"),
            ("ONSIGNB2EDOCUMENTSTATUSCHANGED", "sign.b2e"),
        ] as [(String, String?)])
    func byScope(name: String, scope: String?) throws {
        let event = try #require(Bitrix24Catalogue.event(name))
        #expect(event.name == name)
        #expect(event.scope == scope)
    }

    @Test(
        "names are case-insensitive and come back uppercased",
        arguments: [
            ("onCrmDealUpdate", "ONCRMDEALUPDATE"), ("OnAppInstall", "ONAPPINSTALL"), ("onImBotMessageAdd", "ONIMBOTMESSAGEADD"),
            ("catalog.product.on.add", "CATALOG.PRODUCT.ON.ADD"), ("onVoximplantCallInit", "ONVOXIMPLANTCALLINIT"),
        ])
    func caseInsensitive(written: String, canonical: String) throws {
        #expect(try #require(Bitrix24Catalogue.event(written)).name == canonical)
    }

    @Test(
        "per-type smart-process events",
        arguments: [
            ("ONCRMDYNAMICITEMADD_128", "ONCRMDYNAMICITEMADD_128"),
            ("onCrmDynamicItemUpdate_31", "ONCRMDYNAMICITEMUPDATE_31"),
            ("ONCRMDYNAMICITEMDELETE_1", "ONCRMDYNAMICITEMDELETE_1"),
        ])
    func dynamicSuffix(written: String, canonical: String) throws {
        let event = try #require(Bitrix24Catalogue.event(written))
        #expect(event == Bitrix24Event(name: canonical, scope: "crm", source: "crm/universal/events/index.md"))
    }

    @Test(
        "unknown names give nil",
        arguments: [
            "", "ONCRMDEALCREATE", "ONTASK", "CRMDEALADD", "ONCRMDYNAMICITEMADD_", "ONCRMDYNAMICITEMADD_X",
            "ONCRMDYNAMICITEMADD_12A", "ONCRMDEALADD_5", "ONCRMDYNAMICITEMMOVE_5", " ONCRMDEALADD",
        ])
    func unknown(name: String) {
        #expect(Bitrix24Catalogue.event(name) == nil)
    }

    @Test("eventNames: sorted, unique, uppercased, all resolve, no per-type forms")
    func names() throws {
        let names = Bitrix24Catalogue.eventNames
        #expect(names == names.sorted())
        #expect(Set(names).count == names.count)
        for name in names {
            #expect(name == name.uppercased())
            #expect(try #require(Bitrix24Catalogue.event(name)).name == name)
        }
        #expect(!names.contains { $0.hasPrefix("ONCRMDYNAMICITEM") && $0.contains("_") })
        #expect(names.count >= 190)
    }

    @Test("global events are exactly the application events")
    func globals() {
        let globals = Bitrix24Catalogue.eventNames.filter { Bitrix24Catalogue.event($0)?.scope == nil }
        #expect(
            Set(globals) == [
                "ONAPPINSTALL", "ONAPPUPDATE", "ONAPPUNINSTALL", "ONAPPPAYMENT", "ONAPPMETHODCONFIRM", "ONAPPTEST",
                "ONOFFLINEEVENT", "ONAPPUSERREADY",
            ])
    }

    @Test("every event scope is a known, current scope")
    func scopesAreKnown() throws {
        for name in Bitrix24Catalogue.eventNames {
            if let scope = try #require(Bitrix24Catalogue.event(name)).scope {
                #expect(Bitrix24Catalogue.scopes.contains(scope), "\(name): \(scope)")
                #expect(!Bitrix24Catalogue.deprecatedScopes.contains(scope), "\(name): \(scope)")
            }
        }
    }
}
