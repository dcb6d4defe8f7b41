extension Bitrix24Catalogue {
    /// Events of the other modules, by the scope `event.bind` needs and the docs page (under
    /// `api-reference/`) their names and scope come from.
    static let moduleEventTable: [EventRow] = [
        EventRow(
            scope: "task", names: ["ONTASKADD", "ONTASKUPDATE", "ONTASKDELETE"], source: "tasks/events-tasks/index.md"),
        EventRow(
            scope: "task", names: ["ONTASKCOMMENTADD", "ONTASKCOMMENTUPDATE", "ONTASKCOMMENTDELETE"],
            source: "tasks/comment-item/events-comment/index.md"),
        EventRow(
            scope: "imbot",
            names: [
                "ONIMBOTMESSAGEADD", "ONIMBOTMESSAGEUPDATE", "ONIMBOTMESSAGEDELETE", "ONIMBOTJOINCHAT", "ONIMBOTDELETE",
                "ONIMCOMMANDADD",
            ],
            source: "chat-bots/outdated/events/index.md", status: .deprecated,
            note: "the old Bot API is discontinued; a v2 bot gets ONIMBOTV2* through imbot.v2.Bot.register"),
        // Subscribed by imbot.v2.Bot.register, not event.bind (B24P219).
        EventRow(
            scope: "imbot",
            names: [
                "ONIMBOTV2MESSAGEADD", "ONIMBOTV2MESSAGEUPDATE", "ONIMBOTV2MESSAGEDELETE", "ONIMBOTV2JOINCHAT",
                "ONIMBOTV2DELETE", "ONIMBOTV2CONTEXTGET", "ONIMBOTV2COMMANDADD", "ONIMBOTV2REACTIONCHANGE",
            ],
            source: "chat-bots/chat-bots-v2/imbot.v2/events/index.md", delivery: .botRegistration),
        // Fetched with im.v2.Event.get; "webhook mode is not supported" (B24P219).
        EventRow(
            scope: "im",
            names: [
                "ONIMV2MESSAGEADD", "ONIMV2MESSAGEUPDATE", "ONIMV2MESSAGEDELETE", "ONIMV2REACTIONCHANGE", "ONIMV2JOINCHAT",
            ],
            source: "chat-bots/chat-bots-v2/im.v2/events/index.md", delivery: .polled),
        EventRow(
            scope: "imopenlines",
            names: [
                "ONSESSIONSTART", "ONSESSIONFINISH", "ONOPENLINEMESSAGEADD", "ONOPENLINEMESSAGEUPDATE",
                "ONOPENLINEMESSAGEDELETE",
            ],
            source: "imopenlines/openlines/events/index.md"),
        EventRow(
            scope: "imconnector",
            names: [
                "ONIMCONNECTORMESSAGEADD", "ONIMCONNECTORMESSAGEUPDATE", "ONIMCONNECTORMESSAGEDELETE",
                "ONIMCONNECTORDIALOGSTART", "ONIMCONNECTORDIALOGFINISH", "ONIMCONNECTORSTATUSDELETE",
                "ONIMCONNECTORLINEDELETE",
            ],
            source: "imopenlines/imconnector/events/index.md", alsoAccepted: ["imopenlines"],
            dispute: "the events index says imconnector, imopenlines; each event page says imconnector"),
        EventRow(
            scope: "telephony", names: ["ONEXTERNALCALLSTART", "ONEXTERNALCALLBACKSTART"], source: "telephony/events/index.md"),
        EventRow(
            scope: "telephony", names: ["ONVOXIMPLANTCALLINIT", "ONVOXIMPLANTCALLSTART", "ONVOXIMPLANTCALLEND"],
            source: "telephony/voximplant/events/index.md"),
        EventRow(
            scope: "calendar", names: ["ONCALENDARENTRYADD", "ONCALENDARENTRYUPDATE", "ONCALENDARENTRYDELETE"],
            source: "calendar/calendar-event/events/index.md"),
        EventRow(
            scope: "calendar", names: ["ONCALENDARSECTIONADD", "ONCALENDARSECTIONUPDATE", "ONCALENDARSECTIONDELETE"],
            source: "calendar/events/index.md"),
        EventRow(
            scope: "sonet_group",
            names: [
                "ONSONETGROUPADD", "ONSONETGROUPUPDATE", "ONSONETGROUPDELETE",
                "ONSONETGROUPSUBJECTADD", "ONSONETGROUPSUBJECTUPDATE", "ONSONETGROUPSUBJECTDELETE",
            ],
            source: "sonet-group/events/index.md", alsoAccepted: ["socialnetwork"],
            dispute:
                "the event pages say scope sonet, a code scopes/permissions.md does not list; its working-group row is sonet_group, socialnetwork"
        ),
        // The page says scope sonet; the log.blogpost.* methods are scope log.
        EventRow(
            scope: "log", names: ["ONLIVEFEEDPOSTADD", "ONLIVEFEEDPOSTUPDATE", "ONLIVEFEEDPOSTDELETE"],
            source: "log/events/index.md"),
        EventRow(
            scope: "sale",
            names: [
                "ONSALEORDERSAVED", "ONSALEBEFOREORDERDELETE", "ONORDERENTITYSAVED", "ONORDERDELETED",
                "ONPAYMENTENTITYSAVED", "ONPAYMENTDELETED", "ONSHIPMENTENTITYSAVED", "ONSHIPMENTDELETED",
                "ONPROPERTYVALUEENTITYSAVED", "ONPROPERTYVALUEDELETED",
            ],
            source: "sale/events/index.md"),
        EventRow(
            scope: "catalog", names: ["CATALOG.MEASURE.ON.ADD", "CATALOG.MEASURE.ON.UPDATE", "CATALOG.MEASURE.ON.DELETE"],
            source: "catalog/measure/events/index.md"),
        EventRow(
            scope: "catalog", names: ["CATALOG.PRICE.ON.ADD", "CATALOG.PRICE.ON.UPDATE", "CATALOG.PRICE.ON.DELETE"],
            source: "catalog/price/events/index.md"),
        EventRow(
            scope: "catalog",
            names: ["CATALOG.PRICE.TYPE.ON.ADD", "CATALOG.PRICE.TYPE.ON.UPDATE", "CATALOG.PRICE.TYPE.ON.DELETE"],
            source: "catalog/price-type/events/index.md"),
        EventRow(
            scope: "catalog", names: ["CATALOG.PRODUCT.ON.ADD", "CATALOG.PRODUCT.ON.UPDATE", "CATALOG.PRODUCT.ON.DELETE"],
            source: "catalog/product/events/index.md"),
        EventRow(
            scope: "catalog",
            names: ["CATALOG.ROUNDING.ON.ADD", "CATALOG.ROUNDING.ON.UPDATE", "CATALOG.ROUNDING.ON.DELETE"],
            source: "catalog/rounding-rule/events/index.md"),
        EventRow(
            scope: "catalog", names: ["CATALOG.STORE.ON.ADD", "CATALOG.STORE.ON.UPDATE", "CATALOG.STORE.ON.DELETE"],
            source: "catalog/events/catalog-store-on-*.md (deleted)", status: .removed),
        EventRow(
            scope: "sign.b2e",
            names: ["ONSIGNB2EDOCUMENTSTATUSCHANGED", "ONSIGNB2EMEMBERSTATUSCHANGED", "ONSIGNHCMLINKB2EDOCUMENTSIGNED"],
            source: "sign/events/index.md"),
        EventRow(
            scope: "humanresources.hcmlink",
            names: [
                "ONHUMANRESOURCESHCMLINKEMPLOYEELISTMAPPED", "ONHUMANRESOURCESHCMLINKEMPLOYEELISTREQUESTED",
                "ONHUMANRESOURCESHCMLINKFIELDVALUEREQUESTED", "ONHUMANRESOURCESHCMLINKPINREQUESTED",
                "ONHUMANRESOURCESHCMLINKSALARYVACATIONREQUESTED",
            ],
            source: "sign/hcm-link/index.md"),
        EventRow(
            scope: "booking", names: ["ONBOOKINGADD", "ONBOOKINGUPDATE", "ONBOOKINGDELETE"],
            source: "booking/booking/events/index.md"),
        EventRow(
            scope: "booking", names: ["ONBOOKINGRESOURCEADD", "ONBOOKINGRESOURCEUPDATE", "ONBOOKINGRESOURCEDELETE"],
            source: "booking/resource/events/index.md"),
        EventRow(
            scope: "booking",
            names: ["ONBOOKINGRESOURCETYPEADD", "ONBOOKINGRESOURCETYPEUPDATE", "ONBOOKINGRESOURCETYPEDELETE"],
            source: "booking/resource/resource-type/events/index.md"),
        EventRow(
            scope: "booking",
            names: ["ONBOOKINGWAITLISTITEMADD", "ONBOOKINGWAITLISTITEMUPDATE", "ONBOOKINGWAITLISTITEMDELETE"],
            source: "booking/waitlist/events/index.md"),
    ]
}
