extension Bitrix24Catalogue {
    /// Events of the other modules, by the scope `event.bind` needs. Each row names the docs page
    /// (under `api-reference/`) its names and scope come from.
    static let moduleEventTable: [(scope: String?, names: [String])] = [
        // tasks/events-tasks/index.md, tasks/comment-item/events-comment/index.md
        (
            "task",
            [
                "ONTASKADD", "ONTASKUPDATE", "ONTASKDELETE",
                "ONTASKCOMMENTADD", "ONTASKCOMMENTUPDATE", "ONTASKCOMMENTDELETE",
            ]
        ),
        // chat-bots/events/index.md, chat-bots/{messages,chats,commands}/events/,
        // chat-bots/chat-bots-v2/imbot.v2/events/events.md
        (
            "imbot",
            [
                "ONIMBOTMESSAGEADD", "ONIMBOTMESSAGEUPDATE", "ONIMBOTMESSAGEDELETE",
                "ONIMBOTJOINCHAT", "ONIMBOTDELETE", "ONIMCOMMANDADD",
                "ONIMBOTV2MESSAGEADD", "ONIMBOTV2MESSAGEUPDATE", "ONIMBOTV2MESSAGEDELETE",
                "ONIMBOTV2JOINCHAT", "ONIMBOTV2DELETE", "ONIMBOTV2CONTEXTGET", "ONIMBOTV2COMMANDADD",
                "ONIMBOTV2REACTIONCHANGE",
            ]
        ),
        // chat-bots/chat-bots-v2/im.v2/events/events.md (delivered through im.v2.Event.get)
        (
            "im",
            [
                "ONIMV2MESSAGEADD", "ONIMV2MESSAGEUPDATE", "ONIMV2MESSAGEDELETE", "ONIMV2REACTIONCHANGE",
                "ONIMV2JOINCHAT",
            ]
        ),
        // imopenlines/openlines/events/index.md
        (
            "imopenlines",
            [
                "ONSESSIONSTART", "ONSESSIONFINISH",
                "ONOPENLINEMESSAGEADD", "ONOPENLINEMESSAGEUPDATE", "ONOPENLINEMESSAGEDELETE",
            ]
        ),
        // imopenlines/imconnector/events/index.md (docs: scope "imconnector, imopenlines")
        (
            "imconnector",
            [
                "ONIMCONNECTORMESSAGEADD", "ONIMCONNECTORMESSAGEUPDATE", "ONIMCONNECTORMESSAGEDELETE",
                "ONIMCONNECTORDIALOGSTART", "ONIMCONNECTORDIALOGFINISH",
                "ONIMCONNECTORSTATUSDELETE", "ONIMCONNECTORLINEDELETE",
            ]
        ),
        // telephony/events/index.md, telephony/voximplant/events/index.md
        (
            "telephony",
            [
                "ONEXTERNALCALLSTART", "ONEXTERNALCALLBACKSTART",
                "ONVOXIMPLANTCALLINIT", "ONVOXIMPLANTCALLSTART", "ONVOXIMPLANTCALLEND",
            ]
        ),
        // calendar/calendar-event/events/index.md, calendar/events/index.md
        (
            "calendar",
            [
                "ONCALENDARENTRYADD", "ONCALENDARENTRYUPDATE", "ONCALENDARENTRYDELETE",
                "ONCALENDARSECTIONADD", "ONCALENDARSECTIONUPDATE", "ONCALENDARSECTIONDELETE",
            ]
        ),
        // sonet-group/events/index.md (docs: scope "sonet"), sonet-group/outdated/
        (
            "sonet_group",
            [
                "ONSONETGROUPADD", "ONSONETGROUPUPDATE", "ONSONETGROUPDELETE",
                "ONSONETGROUPSUBJECTADD", "ONSONETGROUPSUBJECTUPDATE", "ONSONETGROUPSUBJECTDELETE",
            ]
        ),
        // log/events/index.md (docs: scope "sonet"; the log.blogpost.* methods are scope log)
        ("log", ["ONLIVEFEEDPOSTADD", "ONLIVEFEEDPOSTUPDATE", "ONLIVEFEEDPOSTDELETE"]),
        // sale/events/index.md
        (
            "sale",
            [
                "ONSALEORDERSAVED", "ONSALEBEFOREORDERDELETE", "ONORDERENTITYSAVED", "ONORDERDELETED",
                "ONPAYMENTENTITYSAVED", "ONPAYMENTDELETED", "ONSHIPMENTENTITYSAVED", "ONSHIPMENTDELETED",
                "ONPROPERTYVALUEENTITYSAVED", "ONPROPERTYVALUEDELETED",
            ]
        ),
        // catalog/events/index.md and catalog/events/catalog-store-on-*.md
        (
            "catalog",
            [
                "CATALOG.MEASURE.ON.ADD", "CATALOG.MEASURE.ON.UPDATE", "CATALOG.MEASURE.ON.DELETE",
                "CATALOG.PRICE.ON.ADD", "CATALOG.PRICE.ON.UPDATE", "CATALOG.PRICE.ON.DELETE",
                "CATALOG.PRICE.TYPE.ON.ADD", "CATALOG.PRICE.TYPE.ON.UPDATE", "CATALOG.PRICE.TYPE.ON.DELETE",
                "CATALOG.PRODUCT.ON.ADD", "CATALOG.PRODUCT.ON.UPDATE", "CATALOG.PRODUCT.ON.DELETE",
                "CATALOG.ROUNDING.ON.ADD", "CATALOG.ROUNDING.ON.UPDATE", "CATALOG.ROUNDING.ON.DELETE",
                "CATALOG.STORE.ON.ADD", "CATALOG.STORE.ON.UPDATE", "CATALOG.STORE.ON.DELETE",
            ]
        ),
        // sign/events/index.md
        (
            "sign.b2e",
            [
                "ONSIGNB2EDOCUMENTSTATUSCHANGED", "ONSIGNB2EMEMBERSTATUSCHANGED", "ONSIGNHCMLINKB2EDOCUMENTSIGNED",
            ]
        ),
    ]
}
