import Testing

@testable import ReleasePlan

/// Entries of the usual shape are read in one pass; every entry decodes to the same plan and the
/// same findings whichever way it is read.
struct PlainEntryDecoderTests {
    static let migrations = [
        #"{ "id": 1, "name": "a", "file": "m/1.sql", "sha256": "ab" }"#,
        #"{ "id": 1, "name": "a", "file": "m/1.sql", "perPortal": true, "batchSize": 500, "transaction": false }"#,
        #"{ "file": "m/1.sql", "name": "a", "id": 1 }"#,
        #"{ "id": 0, "name": "a", "file": "m/1.sql" }"#, #"{ "id": 1.0, "name": "a", "file": "m/1.sql" }"#,
        #"{ "id": "1", "name": "a", "file": "m/1.sql" }"#, #"{ "id": 1e400, "name": "a", "file": "m/1.sql" }"#,
        #"{ "id": 1, "name": " ", "file": "m/1.sql" }"#, #"{ "id": 1, "name": "a", "file": "" }"#,
        #"{ "id": 1, "name": "a" }"#, #"{ "id": 1, "id": 2, "name": "a", "file": "m/1.sql" }"#,
        #"{ "id": 1, "name": "a", "file": "m/1.sql", "batchSize": 0 }"#, #"{ "id": 1, "name": "a", "file": "m/1.sql", "perPortal": 1 }"#,
        #"{ "id": 1, "name": "a", "file": "m/1.sql", "sha": "ab" }"#, #"{ "id": 1, "name": "a", "file": "m/1.sql", "sha256": null }"#,
        #"[1]"#, #""x""#, #"{ "id": 99999999999999999999, "name": "a", "file": "m/1.sql" }"#,
    ]
    static let events = [
        #"{ "event": "ONCRMDEALUPDATE", "handler": "https://a.example/h" }"#,
        #"{ "event": "ONCRMDEALUPDATE", "handler": "https://a.example/h", "eventType": "offline", "authType": 0 }"#,
        #"{ "event": "ONCRMDEALUPDATE", "handler": "https://a.example/h", "eventType": "later" }"#,
        #"{ "event": "ONCRMDEALUPDATE", "handler": "https://a.example/h", "authType": -1 }"#,
        #"{ "event": "ONCRMDEALUPDATE" }"#, #"{ "event": 1, "handler": "https://a.example/h" }"#,
        #"{ "event": "E", "handler": "h", "event": "F" }"#, #"{ "event": "E", "handler": "h", "eventtype": "online" }"#,
    ]
    static let placements = [
        #"{ "placement": "CRM_DEAL_DETAIL_TAB", "handler": "https://a.example/h", "title": "T" }"#,
        #"{ "placement": "CRM_DEAL_DETAIL_TAB", "handler": "https://a.example/h", "description": "D", "groupName": "G", "langAll": { "en": { "title": "T", "description": "D" }, "ru": {} } }"#,
        #"{ "placement": "P", "handler": "h", "langAll": {} }"#, #"{ "placement": "P", "handler": "h", "langAll": [] }"#,
        #"{ "placement": "P", "handler": "h", "langAll": { "en": "T" } }"#,
        #"{ "placement": "P", "handler": "h", "langAll": { "en": { "titel": "T" } } }"#,
        #"{ "placement": "P", "handler": "h", "langAll": { "en": { "title": "A" }, "en": { "title": "B" } } }"#,
        #"{ "placement": "P", "handler": "h", "langAll": { "en": { "title": "A", "title": "B" } } }"#,
        #"{ "placement": "P", "handler": "h", "options": { "x": 1 } }"#, #"{ "placement": "P", "handler": "h", "title": 1 }"#,
        #"{ "placement": "P", "handler": "h", "title": "A", "title": "B" }"#, #"{ "placement": "P" }"#,
        #"{ "placement": "P", "handler": "h", "icon": "x" }"#,
    ]

    /// Decodes a plan whose `key` array holds `entry` twice, both ways.
    static func both(_ key: String, _ entry: String) -> (plain: PlanDecoder.Result, long: PlanDecoder.Result) {
        let text = #"{ "app": "a.b", "version": "1.0.0", "changelog": { "en": "x" }, "scopes": [], "\#(key)": [\#(entry), \#(entry)] }"#
        let source = SourceFile(path: "plan.json", text: text)
        let root = JSONParser.parse(source).root!
        return (
            PlanDecoder.decode(root, source: source, numbersInRange: false, plainEntries: true),
            PlanDecoder.decode(root, source: source, numbersInRange: false, plainEntries: false)
        )
    }

    @Test(arguments: migrations.map { ("migrations", $0) } + events.map { ("events", $0) } + placements.map { ("placements", $0) })
    func bothWaysAgree(_ key: String, _ entry: String) {
        let (plain, long) = Self.both(key, entry)
        #expect(plain.document?.plan == long.document?.plan)
        #expect(plain.document?.elementIndices == long.document?.elementIndices)
        #expect(plain.document?.damagedKeys == long.document?.damagedKeys)
        #expect(plain.diagnostics == long.diagnostics)
    }

    @Test func usualEntriesTakeTheShortWay() throws {
        let root = try #require(JSONParser.parse(SourceFile(path: "e.json", text: Self.migrations[1])).root)
        #expect(
            PlainEntryDecoder.migration(root)
                == Migration(id: 1, name: "a", file: "m/1.sql", perPortal: true, batchSize: 500, transaction: false))
        let unusual = try #require(JSONParser.parse(SourceFile(path: "e.json", text: Self.migrations[3])).root)
        #expect(PlainEntryDecoder.migration(unusual) == nil)
    }
}
