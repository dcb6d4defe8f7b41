import ReleasePlan
import Testing

/// Scope codes, deprecated scopes and `normalizedScope`.
struct CatalogueScopeTests {
    /// BITRIX24.md's "Current scope codes include" list.
    static let bitrix24MDScopes = [
        "ai_admin", "biconnector", "bizproc", "booking", "calendar", "call", "cashbox", "catalog", "contact_center",
        "crm", "documentgenerator", "delivery", "department", "disk", "entity", "humanresources", "im", "imbot",
        "imconnector", "imopenlines", "intranet", "landing", "lists", "log", "mailservice", "main", "messageservice",
        "mobile", "pay_system", "placement", "pull", "rpa", "sale", "salescenter", "sonet_group", "socialnetwork",
        "task", "telephony", "timeman", "user", "user_brief", "user_basic", "user.userfield", "userfieldconfig",
        "userconsent", "vote",
    ]

    @Test("every scope of BITRIX24.md is known", arguments: bitrix24MDScopes)
    func known(scope: String) {
        #expect(Bitrix24Catalogue.scopes.contains(scope))
        // The docs mark the rpa section DEPRECATED (outdated/rpa/index.md) since BITRIX24.md was written.
        #expect(Bitrix24Catalogue.deprecatedScopes.contains(scope) == (scope == "rpa"))
    }

    @Test("scopes from the official scope table", arguments: ["crm.documentgenerator", "sign.b2e"])
    func fromDocs(scope: String) {
        #expect(Bitrix24Catalogue.scopes.contains(scope))
    }

    @Test("deprecated scopes")
    func deprecated() {
        #expect(Bitrix24Catalogue.deprecatedScopes == ["tasks", "tasks_extended", "tasksmobile", "rpa"])
        #expect(Bitrix24Catalogue.deprecatedScopes.isSubset(of: Bitrix24Catalogue.scopes))
    }

    @Test("unknown scopes", arguments: ["", "CRM", "crm ", "tasks2", "sonet", "workgroups", "basic", "users"])
    func unknown(scope: String) {
        #expect(!Bitrix24Catalogue.scopes.contains(scope))
    }

    @Test(
        "normalizedScope",
        arguments: [
            ("tasks", "task"), ("task", "task"), ("crm", "crm"), ("tasks_extended", "tasks_extended"),
            ("user.userfield", "user.userfield"), ("unknown", "unknown"),
        ])
    func normalized(code: String, expected: String) {
        #expect(Bitrix24Catalogue.normalizedScope(code) == expected)
    }
}
