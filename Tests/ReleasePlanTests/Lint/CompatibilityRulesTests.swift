import Testing

@testable import ReleasePlan

/// B24P401: a raised minimum Bitrix24 version.
struct CompatibilityRulesTests {
    @Test(arguments: RuleExampleCase.cases(CompatibilityRules()))
    func documentationExample(_ testCase: RuleExampleCase) {
        testCase.verify()
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let previous: String?
        let current: String?
        /// The expected message, or nil for no finding.
        let message: String?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "raised", previous: "24.300.0", current: "25.100.0",
            message: "minimumBitrix24Version raised from 24.300.0 to 25.100.0: portals below 25.100.0 will not get this update"),
        Case(
            name: "raised numerically, not as text", previous: "24.300.0", current: "24.1000.0",
            message: "minimumBitrix24Version raised from 24.300.0 to 24.1000.0: portals below 24.1000.0 will not get this update"),
        Case(
            name: "set for the first time", previous: nil, current: "24.300.0",
            message: "minimumBitrix24Version set to 24.300.0: portals below 24.300.0 will not get this update"),
        Case(name: "unchanged", previous: "24.300.0", current: "24.300.0", message: nil),
        Case(name: "lowered", previous: "25.100.0", current: "24.300.0", message: nil),
        Case(name: "lowered numerically", previous: "24.1000.0", current: "24.300.0", message: nil),
        Case(name: "removed", previous: "24.300.0", current: nil, message: nil),
    ]

    @Test(arguments: cases)
    func minimumVersion(_ testCase: Case) throws {
        let plan = PlanText.make(["version": "\"1.1.0\"", "minimumBitrix24Version": testCase.current.map { "\"\($0)\"" }])
        let previous = PlanText.previous(["minimumBitrix24Version": testCase.previous.map { "\"\($0)\"" }])
        let result = Lint.run(plan: plan, previous: previous)
        if let message = testCase.message {
            let finding = try #require(result.only("B24P401"))
            #expect(finding.message == message)
            #expect((finding.severity, finding.at, finding.path) == (.warning, "7:29", "minimumBitrix24Version"))
        } else {
            #expect(result.findings("B24P401").isEmpty)
        }
        #expect(!result.diagnostics.hasErrors, "\(result.listing)")
    }

    @Test func initialReleaseIsNotReported() {
        let result = Lint.run(plan: PlanText.make(["minimumBitrix24Version": "\"25.100.0\""]))
        #expect(result.codes.isEmpty)
    }
}
