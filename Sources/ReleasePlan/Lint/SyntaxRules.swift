/// B24P001–B24P005: reported while reading the file (`JSONParser`, `PlanDecoder`); this family
/// only documents them.
struct SyntaxRules: LintRule {
    func check(_ context: LintContext) -> [Diagnostic] { [] }

    var documentation: [RuleDocumentation] {
        [
            RuleDocumentation(
                "B24P001",
                explanation: """
                    The plan must be strict JSON: double-quoted keys and strings, commas between items and none \
                    after the last, no comments. Each syntax error is reported where it is, with a message that \
                    names the mistake (trailing comma, missing comma, unquoted key, single quotes, comment, \
                    unterminated string, bad escape); checks of the content wait until the file parses.
                    """,
                bad: RuleExample(plan: "{\n  \"app\": \"acme.example\",\n  \"version\": \"1.1.0\",\n}\n"),
                good: RuleExample(plan: ExamplePlan.json())),
            RuleDocumentation(
                "B24P002",
                explanation: """
                    Every key of the plan is known to b24plan; an unknown key is usually a typo that would \
                    otherwise be ignored silently. The message suggests the nearest known key.
                    """,
                bad: RuleExample(plan: ExamplePlan.json(["changelg": "{ \"de\": \"Zeigt verknüpfte Deals an.\" }"])),
                good: RuleExample(plan: ExamplePlan.json())),
            RuleDocumentation(
                "B24P003",
                explanation: """
                    A key holds a value of the wrong JSON type or outside its allowed values: a number where a \
                    string is expected (`"version": 1.1`), `"eventType": "push"`, a negative `batchSize`.
                    """,
                bad: RuleExample(plan: ExamplePlan.json(["scopes": "\"crm\""])),
                good: RuleExample(plan: ExamplePlan.json())),
            RuleDocumentation(
                "B24P004",
                explanation: """
                    `app`, `version`, `changelog` and `scopes` are required, and so are the identifying keys of \
                    items (`placement` and `handler`, `event` and `handler`, a migration's `id`, `name` and \
                    `file`). The diagnostic points at the object that lacks the key.
                    """,
                bad: RuleExample(plan: ExamplePlan.json(["changelog": nil])),
                good: RuleExample(plan: ExamplePlan.json())),
            RuleDocumentation(
                "B24P005",
                explanation: """
                    A key appears twice in one object. JSON readers keep one of the two silently, so the plan \
                    would not mean what it says. The diagnostic points at the second occurrence.
                    """,
                bad: RuleExample(
                    plan: ExamplePlan.json(["requiredMethods": "[\"crm.deal.get\"],\n  \"requiredMethods\": [\"crm.deal.list\"]"])),
                good: RuleExample(plan: ExamplePlan.json())),
        ]
    }
}
