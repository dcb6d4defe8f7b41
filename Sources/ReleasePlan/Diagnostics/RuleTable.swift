/// Every rule code with its severity and one-line title (DESIGN §4). The order is the table's.
public enum RuleTable {
    public struct Entry: Sendable, Equatable {
        public let code: RuleCode
        public let severity: Severity
        public let title: String
    }

    public static let entries: [Entry] = [
        Entry(code: "B24P001", severity: .error, title: "The file is not valid JSON"),
        Entry(code: "B24P002", severity: .error, title: "Unknown key"),
        Entry(code: "B24P003", severity: .error, title: "Wrong type or bad value for a key"),
        Entry(code: "B24P004", severity: .error, title: "Required key missing"),
        Entry(code: "B24P005", severity: .error, title: "Duplicate key in one object"),
        Entry(code: "B24P010", severity: .error, title: "Suppression without a reason"),
        Entry(code: "B24P011", severity: .warning, title: "Suppression that matched nothing"),
        Entry(code: "B24P101", severity: .error, title: "Version is not semver (or not parseable under free versioning)"),
        Entry(code: "B24P102", severity: .error, title: "Version is not greater than the previous plan's"),
        Entry(code: "B24P103", severity: .error, title: "Declared version bump smaller than the changes require"),
        Entry(code: "B24P104", severity: .error, title: "Changelog missing or empty for a language"),
        Entry(code: "B24P105", severity: .warning, title: "Changelog shorter than 20 characters"),
        Entry(code: "B24P106", severity: .error, title: "Previous plan is for a different app"),
        Entry(code: "B24P107", severity: .error, title: "Previous plan does not parse or decode"),
        Entry(code: "B24P108", severity: .error, title: "Two plans in one folder declare the same app and version"),
        Entry(code: "B24P109", severity: .error, title: "File named after a version declares another version"),
        Entry(code: "B24P110", severity: .warning, title: "Changelog the same as the published version's"),
        Entry(code: "B24P201", severity: .error, title: "Unknown scope code"),
        Entry(code: "B24P202", severity: .error, title: "Unknown placement code"),
        Entry(code: "B24P203", severity: .error, title: "Unknown event name"),
        Entry(code: "B24P204", severity: .error, title: "Placement needs a scope the plan does not request"),
        Entry(code: "B24P205", severity: .error, title: "Event needs a scope the plan does not request"),
        Entry(code: "B24P206", severity: .error, title: "Placements present but scope `placement` missing"),
        Entry(code: "B24P207", severity: .error, title: "Handler URL is not https, or is read differently by browsers"),
        Entry(code: "B24P208", severity: .error, title: "Handler host not listed in handlerHosts"),
        Entry(code: "B24P209", severity: .error, title: "Duplicate placement or event binding"),
        Entry(code: "B24P210", severity: .error, title: "Scopes added but scopeUpgrade not set"),
        Entry(code: "B24P211", severity: .warning, title: "Scope requested that nothing uses and no purpose given"),
        Entry(code: "B24P212", severity: .error, title: "Second handler on a placement that allows one"),
        Entry(code: "B24P213", severity: .error, title: "PAGE_BACKGROUND_WORKER without options.errorHandlerUrl"),
        Entry(code: "B24P214", severity: .warning, title: "Deprecated scope"),
        Entry(code: "B24P215", severity: .warning, title: "Messenger placement without scope `im`"),
        Entry(code: "B24P216", severity: .error, title: "Required placement option missing"),
        Entry(code: "B24P217", severity: .warning, title: "Placement option that the portal drops"),
        Entry(code: "B24P218", severity: .warning, title: "Scope, placement or event removed from the Bitrix24 docs"),
        Entry(code: "B24P219", severity: .error, title: "Event not delivered through event.bind"),
        Entry(code: "B24P220", severity: .error, title: "handlerHosts entry is not a bare host"),
        Entry(code: "B24P301", severity: .error, title: "Migration ids not 1..n without gaps, or duplicated"),
        Entry(code: "B24P302", severity: .error, title: "Migration file missing, unreadable or outside the project"),
        Entry(code: "B24P303", severity: .error, title: "Migration sha256 missing or not matching the file"),
        Entry(code: "B24P304", severity: .error, title: "Published migration edited, removed or renumbered"),
        Entry(code: "B24P305", severity: .error, title: "Destructive SQL"),
        Entry(code: "B24P306", severity: .error, title: "Backward-incompatible SQL"),
        Entry(code: "B24P307", severity: .warning, title: "CREATE INDEX without CONCURRENTLY"),
        Entry(code: "B24P308", severity: .error, title: "perPortal migration that does not use :member_id"),
        Entry(code: "B24P309", severity: .warning, title: "UPDATE or DELETE without WHERE outside a perPortal migration"),
        Entry(code: "B24P310", severity: .error, title: "Unknown named parameter in a migration"),
        Entry(code: "B24P311", severity: .warning, title: "MySQL migration with several DDL statements, or DDL and data changes"),
        Entry(code: "B24P312", severity: .warning, title: "MySQL ALTER TABLE without ALGORITHM=INSTANT|INPLACE and LOCK=NONE"),
        Entry(code: "B24P401", severity: .warning, title: "minimumBitrix24Version raised"),
    ]

    private static let byCode: [RuleCode: Entry] = Dictionary(uniqueKeysWithValues: entries.map { ($0.code, $0) })

    public static func entry(_ code: RuleCode) -> Entry? { byCode[code] }
}
