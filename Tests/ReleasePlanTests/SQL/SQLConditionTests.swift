import Testing

@testable import ReleasePlan

/// `--where` and a canary's `where` stay one condition inside their parentheses.
struct SQLConditionTests {
    @Test(
        "accepted",
        arguments: [
            "member_id <> 'm00001'", "domain LIKE '%.bitrix24.de' AND (license = 'ent' OR id > 3)", "note = ')' ", #""odd)name" = 1"#,
            "a IN (1, 2, (3))",
        ])
    func accepted(text: String) {
        #expect(SQLCondition.problem(text) == nil)
    }

    @Test(
        "refused",
        arguments: [
            ("0=1) OR (1=1", "closes more"), ("(a = 1", "not closed"), ("a = 1; DROP TABLE portals", "`;`"),
            ("a = 1 -- ) OR 1=1", "comments"), ("a = 1 /* ) */", "comments"), ("name = 'open", "not closed"), ("   ", "empty"),
        ])
    func refused(text: String, reason: String) {
        #expect(SQLCondition.problem(text)?.contains(reason) == true, "\(SQLCondition.problem(text) ?? "nil")")
    }
}
