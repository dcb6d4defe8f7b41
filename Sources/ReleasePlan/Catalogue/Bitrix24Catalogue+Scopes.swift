extension Bitrix24Catalogue {
    /// One row of the scope table: codes, the docs page they come from, and their status.
    struct ScopeRow {
        let codes: [String]
        let source: String
        var status: Bitrix24DocsStatus = .documented
        var note: String? = nil
    }

    /// Every scope code the catalogue knows, with its docs page (README "Checked against").
    static let scopeTable: [ScopeRow] = [
        ScopeRow(
            codes: [
                "ai_admin", "biconnector", "bizproc", "booking", "calendar", "call", "cashbox", "catalog",
                "contact_center", "crm", "documentgenerator", "delivery", "department", "disk", "entity",
                "humanresources", "humanresources.hcmlink", "im", "imbot", "imconnector", "imopenlines", "intranet",
                "landing", "lists", "log", "mailservice", "main", "messageservice", "mobile", "pay_system", "placement",
                "pull", "sale", "salescenter", "sign.b2e", "sonet_group", "socialnetwork", "task", "telephony",
                "timeman", "user", "user_brief", "user_basic", "user.userfield", "userfieldconfig", "userconsent", "vote",
            ],
            source: "scopes/permissions.md"),
        // Knowledge Base 2.0: the method pages say `note`; permissions.md does not list it.
        ScopeRow(codes: ["note"], source: "note/collection/index.md"),
        // The docs' mail pages (`mail.message.send`).
        ScopeRow(codes: ["mail"], source: "mail/index.md"),
        ScopeRow(
            codes: ["tasks", "tasks_extended", "tasksmobile"], source: "scopes/permissions.md", status: .deprecated,
            note: "request task instead"),
        ScopeRow(
            codes: ["rpa"], source: "outdated/rpa/index.md", status: .deprecated,
            note: "rpa.* is discontinued; use the CRM smart processes (crm.item.*, scope crm)"),
        ScopeRow(
            codes: ["crm.documentgenerator"], source: "crm/document-generator/index.md", status: .removed,
            note: "the CRM document generator pages now say scope crm"),
    ]

    /// Every scope code an app may request, including the deprecated and removed ones.
    public static let scopes: Set<String> = Set(scopeTable.flatMap(\.codes))

    /// The deprecated scope codes (B24P214): still accepted, should not be used.
    public static let deprecatedScopes: Set<String> = Set(scopeTable.filter { $0.status == .deprecated }.flatMap(\.codes))

    /// Scope codes the docs no longer describe (B24P218), with what to request instead.
    public static let removedScopes: [String: String] = Dictionary(
        uniqueKeysWithValues: scopeTable.filter { $0.status == .removed }.flatMap { row in row.codes.map { ($0, row.note ?? "") } })

    /// What to request instead of a deprecated scope (B24P214's message).
    public static let deprecatedScopeReplacements: [String: String] = [
        "tasks": "task", "tasks_extended": "task", "tasksmobile": "task",
    ]

    /// Scope codes that count as another scope when matching scopes to uses (DESIGN B24P211).
    static let scopeAliases: [String: String] = [
        "tasks": "task"
    ]

    /// Whether `granted` holds one of `accepted` (a deprecated alias counts as its replacement).
    /// An empty `accepted` needs nothing.
    static func grantsAny(of accepted: [String], in granted: Set<String>) -> Bool {
        guard !accepted.isEmpty else { return true }
        return accepted.contains { scope in
            granted.contains(scope) || granted.contains { normalizedScope($0) == scope }
        }
    }
}
