import Testing

@testable import ReleasePlan

/// B24P207, B24P208, B24P209: handler URLs and duplicate bindings.
struct HandlerRulesTests {
    @Test(arguments: RuleExampleCase.cases(HandlerRules()))
    func documentationExample(_ testCase: RuleExampleCase) {
        testCase.verify()
    }

    /// One event with `handler` on line 7 (the handler value starts at column 55), with `handlerHosts`
    /// when given.
    static func plan(handler: String, hosts: String? = nil) -> String {
        var pairs: [(String, String?)] = [
            ("events", "[{ \"event\": \"ONCRMDEALUPDATE\", \"handler\": \"\(handler)\" }]")
        ]
        if let hosts { pairs.append(("handlerHosts", hosts)) }
        return PlanText.make(pairs)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let handler: String
        let hosts: String?
        /// Expected codes, in output order.
        let codes: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "https", handler: "https://app.acme.example/h", hosts: nil, codes: []),
        Case(name: "scheme in capitals", handler: "HTTPS://app.acme.example/h", hosts: nil, codes: []),
        Case(name: "plain http", handler: "http://app.acme.example/h", hosts: nil, codes: ["B24P207"]),
        Case(name: "http://localhost is allowed", handler: "http://localhost:8080/h", hosts: nil, codes: []),
        Case(name: "http://127.0.0.1 is allowed", handler: "http://127.0.0.1/h", hosts: nil, codes: []),
        Case(name: "http://[::1] is allowed", handler: "http://[::1]:8080/h", hosts: nil, codes: []),
        Case(name: "loopback is exempt from handlerHosts", handler: "http://localhost/h", hosts: "[\"app.acme.example\"]", codes: []),
        Case(name: "ftp", handler: "ftp://app.acme.example/h", hosts: nil, codes: ["B24P207"]),
        Case(name: "relative path is not a URL", handler: "/hooks/deal", hosts: nil, codes: ["B24P207"]),
        Case(name: "no host", handler: "https:///hooks", hosts: nil, codes: ["B24P207"]),
        Case(name: "listed host", handler: "https://app.acme.example/h", hosts: "[\"app.acme.example\"]", codes: []),
        Case(name: "host compared case-insensitively", handler: "https://APP.Acme.example/h", hosts: "[\"app.ACME.example\"]", codes: []),
        Case(name: "port of the handler ignored", handler: "https://app.acme.example:8443/h", hosts: "[\"app.acme.example\"]", codes: []),
        Case(name: "port of the entry ignored", handler: "https://app.acme.example/h", hosts: "[\"app.acme.example:443\"]", codes: []),
        Case(name: "user info ignored", handler: "https://user:pw@app.acme.example/h", hosts: "[\"app.acme.example\"]", codes: []),
        Case(name: "unlisted host", handler: "https://staging.acme.example/h", hosts: "[\"app.acme.example\"]", codes: ["B24P208"]),
        Case(name: "wildcard matches a subdomain", handler: "https://eu.app.acme.example/h", hosts: "[\"*.acme.example\"]", codes: []),
        Case(
            name: "wildcard does not match the bare domain", handler: "https://acme.example/h", hosts: "[\"*.acme.example\"]",
            codes: ["B24P208"]),
        Case(
            name: "wildcard does not match a lookalike", handler: "https://evilacme.example/h", hosts: "[\"*.acme.example\"]",
            codes: ["B24P208"]),
        Case(name: "http and unlisted", handler: "http://cdn.example/h", hosts: "[\"app.acme.example\"]", codes: ["B24P207", "B24P208"]),
        Case(name: "no handlerHosts: hosts not checked", handler: "https://anything.example/h", hosts: nil, codes: []),
    ]

    @Test(arguments: cases)
    func handler(_ testCase: Case) {
        let result = Lint.run(plan: Self.plan(handler: testCase.handler, hosts: testCase.hosts))
        #expect(result.codes == testCase.codes, "\(result.listing)")
        for finding in result.diagnostics {
            #expect((finding.at, finding.path) == ("7:55", "events[0].handler"))
        }
    }

    @Test func messages() throws {
        let http = try #require(Lint.run(plan: Self.plan(handler: "http://app.acme.example/h")).only("B24P207"))
        #expect(http.message == "handler http://app.acme.example/h must use https (http is accepted only for loopback hosts)")
        let notURL = try #require(Lint.run(plan: Self.plan(handler: "app.acme.example/h")).only("B24P207"))
        #expect(notURL.message == "handler \"app.acme.example/h\" is not an absolute https URL")
        let unlisted = try #require(
            Lint.run(plan: Self.plan(handler: "https://Staging.acme.example:8443/h", hosts: "[\"app.acme.example\", \"*.cdn.example\"]"))
                .only("B24P208"))
        #expect(unlisted.message == "handler host staging.acme.example is not in handlerHosts (app.acme.example, *.cdn.example)")
    }

    @Test func loopbackMeansAnIPAddressNotAPrefix() {
        // "127.attacker.example" is a public name that only starts like a loopback address.
        let result = Lint.run(plan: Self.plan(handler: "http://127.attacker.example/h", hosts: "[\"app.acme.example\"]"))
        #expect(result.codes == ["B24P207", "B24P208"])
    }

    @Test func duplicateBindingsPointAtTheSecond() {
        let placements = """
            [
                { "placement": "CRM_DEAL_DETAIL_TAB", "handler": "https://app.acme.example/deal" },
                { "placement": "crm_deal_detail_tab", "handler": "https://app.acme.example/deal" },
                { "placement": "CRM_DEAL_DETAIL_TAB", "handler": "https://app.acme.example/deal2" }
              ]
            """
        let events = """
            [
                { "event": "ONCRMDEALUPDATE", "handler": "https://app.acme.example/hook" },
                { "event": "ONCRMDEALUPDATE", "handler": "https://app.acme.example/hook", "eventType": "offline" }
              ]
            """
        let result = Lint.run(
            plan: PlanText.make(["scopes": "[\"crm\", \"placement\"]", "placements": placements, "events": events]))
        #expect(
            result.findings("B24P209").map { "\($0.at) \($0.path) \($0.message)" } == [
                "9:5 placements[1] duplicate placement CRM_DEAL_DETAIL_TAB with handler https://app.acme.example/deal (first at placements[0])",
                "14:5 events[1] duplicate event ONCRMDEALUPDATE with handler https://app.acme.example/hook (first at events[0])",
            ])
        #expect(result.codes == ["B24P209", "B24P209"], "\(result.listing)")
    }
}
