import Testing

@testable import ReleasePlan

/// B24P001–B24P005 as the linter reports them (the parser and decoder have their own tests).
struct SyntaxRulesTests {
    @Test(arguments: RuleExampleCase.cases(SyntaxRules()))
    func documentationExample(_ testCase: RuleExampleCase) {
        testCase.verify()
    }

    @Test func syntaxErrorStopsBeforeDecoding() throws {
        // The unknown key and the missing changelog are not reported until the file parses.
        let result = Lint.run(plan: "{\n  \"app\": \"acme.example\",\n  \"versoin\": \"1.1.0\",\n}\n")
        let finding = try #require(result.only("B24P001"))
        #expect(finding.at == "3:21")
        #expect(finding.message == JSONSyntaxMessages.trailingCommaInObject)
        #expect(finding.file == Lint.planPath)
        #expect(result.codes == ["B24P001"])
        #expect(result.context == nil)
    }

    @Test func unreadablePlan() throws {
        let result = Linter(fileSystem: InMemoryFileSystem()).lint(path: "plans/missing.json")
        let finding = try #require(result.only("B24P001"))
        #expect(finding.message == "cannot read the plan: no such file")
        #expect((finding.file, finding.at) == ("plans/missing.json", "1:1"))
        #expect(result.sources.isEmpty)
    }

    @Test func decodeFindingsAreLocatedInThePlan() {
        let text = PlanText.make(["version": "\"1.1.0\",\n  \"version\": \"1.1.0\"", "handlerHost": "[\"app.acme.example\"]"])
        let result = Lint.run(plan: text)
        #expect(result.findings("B24P005").map { "\($0.at) \($0.path)" } == ["4:3 version"])
        let unknown = result.findings("B24P002")
        #expect(unknown.map { "\($0.at) \($0.path)" } == ["8:3 handlerHost"])
        #expect(unknown.first?.message.hasSuffix("did you mean 'handlerHosts'?") == true)
    }

    @Test func wrongTypeSilencesTheRulesOfThatKey() {
        // `version` is a number: B24P003, and no B24P101 about the same value.
        let result = Lint.run(plan: PlanText.make(["version": "1.1"]))
        #expect(result.codes == ["B24P003"])
        #expect(result.diagnostics.first?.message == "`version` must be a string, found number")
        #expect(result.diagnostics.first?.at == "3:14")
    }

    @Test func badValueMessagesNameTheAllowedValues() {
        let events = "[{ \"event\": \"ONCRMDEALUPDATE\", \"handler\": \"https://app.acme.example/h\", \"eventType\": \"push\" }]"
        let migrations = "[{ \"id\": 1, \"name\": \"a\", \"file\": \"m.sql\", \"perPortal\": \"yes\", \"batchSize\": 0 }]"
        let text = PlanText.make(["events": events, "migrations": migrations])
        let result = Lint.run(plan: text, files: ["m.sql": "SELECT 1;\n"])
        #expect(
            result.findings("B24P003").map { "\($0.at) \($0.path) \($0.message)" } == [
                "\(locationOf("\"push\"", in: text)) events[0].eventType `events[0].eventType` must be one of \"online\", \"offline\", found \"push\"",
                "\(locationOf("\"yes\"", in: text)) migrations[0].perPortal `migrations[0].perPortal` must be true or false, found string",
                "\(locationOf("0 }", in: text)) migrations[0].batchSize `migrations[0].batchSize` must be at least 1",
            ])
    }
}
