extension Bitrix24Catalogue {
    /// Every scope code an app may request (BITRIX24.md "Scopes"), including the deprecated ones.
    ///
    /// Besides BITRIX24.md's list it holds the codes that the official scope table
    /// (`api-reference/scopes/permissions.md`) names and BITRIX24.md does not: `crm.documentgenerator`
    /// and `sign.b2e`; and `mail`, the scope of `mail.message.send` in the docs.
    public static let scopes: Set<String> = [
        // BITRIX24.md
        "ai_admin", "biconnector", "bizproc", "booking", "calendar", "call", "cashbox",
        "catalog", "contact_center", "crm", "documentgenerator", "delivery", "department", "disk", "entity",
        "humanresources", "im", "imbot", "imconnector", "imopenlines", "intranet", "landing", "lists", "log",
        "mailservice", "main", "messageservice", "mobile", "pay_system", "placement", "pull", "rpa", "sale",
        "salescenter", "sonet_group", "socialnetwork", "task", "telephony", "timeman", "user", "user_brief",
        "user_basic", "user.userfield", "userfieldconfig", "userconsent", "vote",
        // deprecated (BITRIX24.md)
        "tasks", "tasks_extended", "tasksmobile",
        // official docs only
        "crm.documentgenerator", "sign.b2e", "mail",
    ]

    /// The deprecated scope codes (B24P214): still accepted, should not be used.
    public static let deprecatedScopes: Set<String> = ["tasks", "tasks_extended", "tasksmobile"]

    /// What to request instead of a deprecated scope (B24P214's message).
    public static let deprecatedScopeReplacements: [String: String] = [
        "tasks": "task", "tasks_extended": "task", "tasksmobile": "task",
    ]

    /// Scope codes that count as another scope when matching scopes to uses (DESIGN B24P211).
    static let scopeAliases: [String: String] = [
        "tasks": "task"
    ]
}
