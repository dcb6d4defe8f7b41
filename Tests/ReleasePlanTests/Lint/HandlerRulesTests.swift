import Testing

@testable import ReleasePlan

/// B24P207, B24P208, B24P209, B24P220: handler URLs, handler hosts and duplicate bindings.
struct HandlerRulesTests {
    @Test(arguments: RuleExampleCase.cases(HandlerRules()))
    func documentationExample(_ testCase: RuleExampleCase) {
        testCase.verify()
    }

    /// One event with `handler` (JSON-escaped) on line 7 (the handler value starts at column 55), with
    /// `handlerHosts` when given.
    static func plan(handler: String, hosts: String? = nil) -> String {
        var pairs: [(String, String?)] = [
            ("events", "[{ \"event\": \"ONCRMDEALUPDATE\", \"handler\": \(JSONText.quoted(handler)) }]")
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
        Case(name: "user and password", handler: "https://user:pw@app.acme.example/h", hosts: "[\"app.acme.example\"]", codes: ["B24P207"]),
        Case(name: "user name only", handler: "https://user@app.acme.example/h", hosts: nil, codes: ["B24P207"]),
        Case(name: "empty user info", handler: "https://@app.acme.example/h", hosts: nil, codes: ["B24P207"]),
        Case(
            name: "backslash before @: a browser calls evil.example", handler: "https://evil.example\\@app.acme.example/x",
            hosts: "[\"app.acme.example\"]", codes: ["B24P207", "B24P208"]),
        Case(
            name: "backslash before @, no handlerHosts", handler: "https://evil.example\\@app.acme.example/x", hosts: nil,
            codes: ["B24P207"]),
        Case(name: "backslash in the path", handler: "https://app.acme.example/a\\b", hosts: nil, codes: ["B24P207"]),
        Case(
            name: "backslash hides a public host behind localhost", handler: "http://evil.example\\@localhost/h",
            hosts: "[\"app.acme.example\"]", codes: ["B24P207", "B24P207", "B24P208"]),
        Case(name: "@ in the path is fine", handler: "https://app.acme.example/deal@2x", hosts: "[\"app.acme.example\"]", codes: []),
        Case(name: "@ in the query is fine", handler: "https://app.acme.example/h?to=a@b.example", hosts: nil, codes: []),
        Case(name: "one slash", handler: "https:/app.acme.example/h", hosts: nil, codes: ["B24P207"]),
        Case(name: "no slashes", handler: "https:app.acme.example/h", hosts: nil, codes: ["B24P207"]),
        Case(name: "ESC in the path", handler: "https://app.acme.example/\u{1B}[2J", hosts: nil, codes: ["B24P207"]),
        Case(name: "ESC in the host", handler: "https://app.acme\u{1B}.example/h", hosts: nil, codes: ["B24P207", "B24P207"]),
        Case(name: "newline", handler: "https://app.acme.example/h\n", hosts: nil, codes: ["B24P207"]),
        Case(name: "tab", handler: "https://app.acme.example/\th", hosts: nil, codes: ["B24P207"]),
        Case(name: "NUL", handler: "https://app.acme.example/h\u{0}", hosts: nil, codes: ["B24P207"]),
        Case(name: "DEL", handler: "https://app.acme.example/h\u{7F}", hosts: nil, codes: ["B24P207"]),
        Case(name: "C1 control CSI", handler: "https://app.acme.example/h\u{9B}2J", hosts: nil, codes: ["B24P207"]),
        Case(name: "space in the path", handler: "https://app.acme.example/a b", hosts: nil, codes: ["B24P207"]),
        Case(name: "leading space", handler: " https://app.acme.example/h", hosts: nil, codes: ["B24P207"]),
        Case(name: "no-break space in the host", handler: "https://app.acme.example\u{A0}/h", hosts: nil, codes: ["B24P207", "B24P207"]),
        Case(
            name: "percent-encoded host read as a listed one", handler: "https://app%2Eacme.example/h", hosts: "[\"app.acme.example\"]",
            codes: ["B24P207"]),
        Case(
            name: "percent-encoded host checked as a browser reads it", handler: "https://evil%2eexample/h",
            hosts: "[\"app.acme.example\"]", codes: ["B24P207", "B24P208"]),
        Case(
            name: "trailing dot host is the same DNS name", handler: "https://app.acme.example./h", hosts: "[\"app.acme.example\"]",
            codes: []),
        Case(name: "empty host", handler: "https://:443/h", hosts: nil, codes: ["B24P207"]),
        Case(name: "user info and an empty host", handler: "https://user@/h", hosts: nil, codes: ["B24P207", "B24P207"]),
        Case(name: "port out of range", handler: "https://app.acme.example:65536/h", hosts: nil, codes: ["B24P207"]),
        Case(name: "port not a number", handler: "https://app.acme.example:44a/h", hosts: nil, codes: ["B24P207"]),
        Case(name: "highest port", handler: "https://app.acme.example:65535/h", hosts: nil, codes: []),
        Case(name: "IPv6 literal", handler: "https://[2001:db8::1]:8443/h", hosts: nil, codes: []),
        Case(name: "IPv6 literal listed", handler: "https://[2001:DB8::1]/h", hosts: "[\"2001:db8::1\"]", codes: []),
        Case(name: "invalid IPv6 literal", handler: "https://[2001:db8::1::2]/h", hosts: nil, codes: ["B24P207"]),
        Case(name: "octal IPv4 read as another address", handler: "https://010.0.0.1/h", hosts: nil, codes: ["B24P207"]),
        Case(name: "hex loopback over http", handler: "http://0x7f.1/h", hosts: nil, codes: ["B24P207"]),
        Case(name: "host ending in a number", handler: "https://app.acme.123/h", hosts: nil, codes: ["B24P207"]),
        Case(name: "non-ASCII host", handler: "https://\u{430}pp.acme.example/h", hosts: "[\"app.acme.example\"]", codes: ["B24P207"]),
        Case(name: "character no host name has", handler: "https://app!.acme.example/h", hosts: nil, codes: ["B24P207"]),
        Case(name: "javascript scheme", handler: "javascript:alert(1)", hosts: nil, codes: ["B24P207"]),
        Case(name: "unlisted host", handler: "https://staging.acme.example/h", hosts: "[\"app.acme.example\"]", codes: ["B24P208"]),
        Case(name: "a wildcard is bare", handler: "https://a.acme.example/h", hosts: "[\"*.acme.example\"]", codes: []),
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

    struct MessageCase: Sendable, CustomTestStringConvertible {
        let name: String
        let handler: String
        let message: String
        var testDescription: String { name }
    }

    static let messageCases: [MessageCase] = [
        MessageCase(
            name: "backslash", handler: "https://evil.example\\@app.acme.example/x",
            message:
                "handler URL https://evil.example\\@app.acme.example/x has a backslash: a browser reads it as a slash, so it reads the host as evil.example"
        ),
        MessageCase(
            name: "user info", handler: "https://user:pw@app.acme.example/h",
            message:
                "handler URL https://user:pw@app.acme.example/h has user info (user@ or user:password@) before the host: it would reach every portal, and parsers disagree on where the host starts"
        ),
        MessageCase(
            name: "control character", handler: "https://app.acme.example/\u{1B}[2J",
            message: "handler URL https://app.acme.example/\u{1B}[2J has the control character U+001B"),
        MessageCase(
            name: "C1 control character", handler: "https://app.acme.example/\u{9B}2J",
            message: "handler URL https://app.acme.example/\u{9B}2J has the control character U+009B"),
        MessageCase(
            name: "white space", handler: "https://app.acme.example/a b",
            message: "handler URL https://app.acme.example/a b has white space (U+0020); a browser drops or encodes it"),
        MessageCase(
            name: "slashes", handler: "https:app.acme.example/h",
            message:
                "handler URL https:app.acme.example/h must have exactly two slashes after the scheme: a browser reads the host as app.acme.example, other parsers may not"
        ),
        MessageCase(
            name: "percent-encoded host", handler: "https://app%2Eacme.example/h",
            message:
                "handler host app%2Eacme.example is not written the way a browser reads it: a browser reads the host as app.acme.example; write that"
        ),
        MessageCase(
            name: "octal IPv4", handler: "https://010.0.0.1/h",
            message: "handler host 010.0.0.1 is not written the way a browser reads it: a browser reads the host as 8.0.0.1; write that"),
        MessageCase(
            name: "number-ended host", handler: "https://app.acme.123/h",
            message:
                "handler host app.acme.123 is not a valid host: it ends in a number, so a browser reads it as an IPv4 address, and it is not a valid one"
        ),
        MessageCase(
            name: "forbidden host character", handler: "https://app^.acme.example/h",
            message: "handler host app^.acme.example is not a valid host: a browser refuses the character U+005E in a host"),
        MessageCase(
            name: "host character", handler: "https://app!.acme.example/h",
            message: "handler host app!.acme.example has the character \"!\", which no host name has"),
        MessageCase(
            name: "non-ASCII host", handler: "https://\u{430}pp.acme.example/h",
            message: "handler host \u{430}pp.acme.example is not ASCII: a browser calls its punycode (xn--) form; write that form"),
        MessageCase(name: "no host", handler: "https://:443/h", message: "handler URL https://:443/h has no host"),
        MessageCase(
            name: "port", handler: "https://app.acme.example:99999/h",
            message: "handler URL https://app.acme.example:99999/h has the port \"99999\", which is not a number from 0 to 65535"),
    ]

    @Test(arguments: messageCases)
    func message(_ testCase: MessageCase) throws {
        let result = Lint.run(plan: Self.plan(handler: testCase.handler))
        #expect(result.findings("B24P207").map(\.message) == [testCase.message], "\(result.listing)")
    }

    @Test func hostCheckUsesTheHostABrowserReads() throws {
        let result = Lint.run(plan: Self.plan(handler: "https://evil.example\\@app.acme.example/x", hosts: "[\"app.acme.example\"]"))
        let unlisted = try #require(result.only("B24P208"))
        #expect(unlisted.message == "handler host evil.example is not in handlerHosts (app.acme.example)")
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

    @Test(
        "B24P220 names the host to write instead",
        arguments: [
            ("https://invoices.yourco.example/", "invoices.yourco.example"), ("https://user@App.Acme.Example/x", "app.acme.example"),
            (" app.acme.example", "app.acme.example"), ("app.acme.example/hooks", "app.acme.example"),
        ])
    func bareHost(entry: String, host: String) {
        let found = HandlerRules.bareHostProblem(entry)
        #expect(found.problem)
        #expect(found.host == host)
        for fine in ["app.acme.example", "*.acme.example", "app.acme.example:443", "2001:db8::1"] {
            #expect(!HandlerRules.bareHostProblem(fine).problem, "\(fine)")
        }
    }

    @Test("a URL in handlerHosts: one B24P220 at the entry, and no B24P208 on the handlers")
    func urlInHandlerHosts() throws {
        let result = Lint.run(
            plan: Self.plan(handler: "https://invoices.yourco.example/h", hosts: "[\"https://invoices.yourco.example/\"]"))
        #expect(result.codes == ["B24P220"], "\(result.listing)")
        let finding = try #require(result.only("B24P220"))
        #expect(finding.path == "handlerHosts[0]")
        #expect(finding.message.contains("write \"invoices.yourco.example\""))
    }
}
