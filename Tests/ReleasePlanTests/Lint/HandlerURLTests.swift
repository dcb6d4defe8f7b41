import Testing

@testable import ReleasePlan

/// The host a handler URL names, read as a WHATWG parser reads it. Every expected host below is what
/// Node.js 20's `new URL(text).hostname` gives (nil: it throws), so B24P208 checks the host a browser calls.
struct HandlerURLTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let url: String
        /// The host as WHATWG reads it, without IPv6 brackets; nil when it finds none.
        let host: String?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "plain", url: "https://app.acme.example/h", host: "app.acme.example"),
        Case(name: "backslash ends the authority", url: "https://evil.example\\@app.acme.example/x", host: "evil.example"),
        Case(name: "@ in the path", url: "https://app.acme.example/x@y", host: "app.acme.example"),
        Case(name: "@ in the query", url: "https://app.acme.example?x=@evil.example", host: "app.acme.example"),
        Case(name: "@ in the fragment", url: "https://app.acme.example#@evil.example", host: "app.acme.example"),
        Case(name: "one slash", url: "https:/app.acme.example/x", host: "app.acme.example"),
        Case(name: "no slash", url: "https:app.acme.example/x", host: "app.acme.example"),
        Case(name: "three slashes", url: "https:///hooks", host: "hooks"),
        Case(name: "two backslashes", url: "https:\\\\app.acme.example/x", host: "app.acme.example"),
        Case(name: "trailing dot kept", url: "https://app.acme.example./x", host: "app.acme.example."),
        Case(name: "empty host", url: "https://:443/x", host: nil),
        Case(name: "port out of range", url: "https://app.acme.example:99999/x", host: "app.acme.example"),
        Case(name: "highest port", url: "https://app.acme.example:65535/x", host: "app.acme.example"),
        Case(name: "empty port", url: "https://app.acme.example:/x", host: "app.acme.example"),
        Case(name: "IPv6 loopback", url: "https://[::1]:8080/h", host: "::1"),
        Case(name: "IPv6 written long", url: "https://[0:0:0:0:0:0:0:1]/h", host: "::1"),
        Case(name: "IPv6 in capitals", url: "https://[2001:DB8::1]/h", host: "2001:db8::1"),
        Case(name: "IPv6 with an IPv4 tail", url: "https://[::ffff:127.0.0.1]/h", host: "::ffff:7f00:1"),
        Case(name: "IPv6 first longest zero run", url: "https://[1:0:0:2:0:0:0:3]/h", host: "1:0:0:2::3"),
        Case(name: "IPv6 zone id", url: "https://[::1%25eth0]/h", host: nil),
        Case(name: "IPv6 nine pieces", url: "https://[1:2:3:4:5:6:7:8:9]/h", host: nil),
        Case(name: "IPv6 two ::", url: "https://[1::2::3]/h", host: nil),
        Case(name: "IPv6 leading zero in the IPv4 tail", url: "https://[::01.2.3.4]/h", host: nil),
        Case(name: "text after ]", url: "https://[::1]x/h", host: nil),
        Case(name: "capitals", url: "HTTPS://APP.Acme.example/h", host: "app.acme.example"),
        Case(name: "percent-encoded dot", url: "https://app%2Eacme.example/h", host: "app.acme.example"),
        Case(name: "percent-encoded letter", url: "https://%61pp.acme.example/h", host: "app.acme.example"),
        Case(name: "percent-encoded slash in user info", url: "https://app.acme.example%2F@evil.example/h", host: "evil.example"),
        Case(name: "hex and short IPv4", url: "https://0x7f.1/h", host: "127.0.0.1"),
        Case(name: "one-number IPv4", url: "http://2130706433/h", host: "127.0.0.1"),
        Case(name: "octal IPv4", url: "https://010.0.0.1/h", host: "8.0.0.1"),
        Case(name: "IPv4 with a trailing dot", url: "https://127.0.0.1./h", host: "127.0.0.1"),
        Case(name: "0x alone", url: "https://0x/h", host: "0.0.0.0"),
        Case(name: "largest one-number IPv4", url: "https://4294967295/h", host: "255.255.255.255"),
        Case(name: "one-number IPv4 too large", url: "https://4294967296/h", host: nil),
        Case(name: "five IPv4 parts", url: "https://1.2.3.4.5/h", host: nil),
        Case(name: "domain ending in a number", url: "https://app.acme.123/h", host: nil),
        Case(name: "domain ending in a hex number", url: "https://app.acme.0x1/h", host: nil),
        Case(name: "9 in an octal part", url: "https://09.1.1.1/h", host: nil),
        Case(name: "space in the host", url: "https://app.ac me.example/h", host: nil),
        Case(name: "newline in the host is dropped", url: "https://app.acme.exa\nmple/h", host: "app.acme.example"),
        Case(name: "ESC in the host", url: "https://app.acme\u{1B}.example/h", host: nil),
        Case(name: "ESC in the path", url: "https://app.acme.example/\u{1B}[2J", host: "app.acme.example"),
        Case(name: "caret in the host", url: "https://app^.acme.example/h", host: nil),
        Case(name: "exclamation mark passes WHATWG", url: "https://app!.acme.example/h", host: "app!.acme.example"),
        Case(name: "user info", url: "https://user:pw@app.acme.example/h", host: "app.acme.example"),
        Case(name: "empty user info", url: "https://@app.acme.example/h", host: "app.acme.example"),
        Case(name: "two @: the last one counts", url: "https://a@b@app.acme.example/h", host: "app.acme.example"),
        Case(name: "leading spaces trimmed", url: "  https://app.acme.example/h", host: "app.acme.example"),
        Case(name: "no-break space in the host", url: "https://app.acme.example\u{A0}/h", host: nil),
        Case(name: "wss", url: "wss://app.acme.example/h", host: "app.acme.example"),
        Case(name: "mailto has no host", url: "mailto:x@app.acme.example", host: nil),
        Case(name: "localhost:8080 is a scheme", url: "localhost:8080/h", host: nil),
    ]

    @Test(arguments: cases)
    func hostAsABrowserReadsIt(_ testCase: Case) {
        #expect(HandlerURL(testCase.url).host == testCase.host, "problems: \(HandlerURL(testCase.url).problems)")
    }

    /// Non-ASCII hosts: a browser converts them to punycode, which b24plan does not; it reports them.
    @Test func nonASCIIHostHasNoHostAndAProblem() {
        let url = HandlerURL("https://\u{430}pp.acme.example/h")
        #expect(url.host == nil)
        #expect(url.problems == [.nonASCIIHost(written: "\u{430}pp.acme.example", decoded: "\u{430}pp.acme.example")])
    }

    @Test func loopbackUsesTheHostABrowserReads() {
        #expect(HandlerURL("http://0x7f.1/h").isLoopback)
        #expect(HandlerURL("http://[0:0:0:0:0:0:0:1]/h").isLoopback)
        #expect(HandlerURL("http://localhost./h").isLoopback)
        #expect(!HandlerURL("http://127.attacker.example/h").isLoopback)
        #expect(HandlerURL("http://app.localhost/h").isLoopback && HandlerURL("http://app.localhost./h").isLoopback)
        #expect(!HandlerURL("http://applocalhost/h").isLoopback && !HandlerURL("https://localhost.example/h").isLoopback)
        // The backslash ends the authority: a browser calls localhost (B24P207 still reports the backslash).
        #expect(HandlerURL("http://localhost\\@evil.example/h").isLoopback)
    }

    /// The plain-URL shortcut answers exactly as the full reading, and only where it may.
    @Test func plainURLsReadAsTheFullParserReadsThem() {
        let plain = [
            "https://app.acme.example/h", "https://app.acme.example", "https://a/", "https://t7.acme.example/iframe/deal-v2",
            "https://app.acme.example?x=@evil.example", "https://app.acme.example#@evil.example", "https://app.acme.example./x",
            "https://app.acme.example/x@y?q=1&r=%41#frag", "https://.", "https://a..b/", "https://-/", "https://a.0xag/",
            "https://a.ff/", "https://a.x1/", "https://a.b./", "https://a..",
        ]
        for url in plain {
            #expect(HandlerURL.plainHTTPSHost(url) != nil, "\(url)")
            #expect(HandlerURL(url) == HandlerURL(parsing: url), "\(url)")
        }
        let other = [
            "http://app.acme.example/h", "HTTPS://app.acme.example/h", "https://App.acme.example/h", "https://app.acme.example:443/h",
            "https://user@app.acme.example/h", "https://app.acme.example\\@evil.example/", "https://app.acme.example/a b",
            "https://app.acme.example/\u{1B}[2J", "https://127.0.0.1/h", "https://app.acme.0x1/h", "https://app.acme.123./h",
            "https://app_x.acme.example/h", "https://%61pp.acme.example/h", "https:///hooks", "https://", "https://app.acme.example/\u{E9}",
            " https://app.acme.example/h", "https://app.acme.example/h\n", "https://a.0xab/", "https://a.0x/", "https://a.12./",
        ]
        for url in other {
            #expect(HandlerURL.plainHTTPSHost(url) == nil, "\(url)")
        }
        for url in HandlerURLTests.cases.map(\.url) + plain + other {
            #expect(HandlerURL(url) == HandlerURL(parsing: url), "\(url)")
        }
    }

    @Test func normalizedPatternsMatchAsTheEntriesDo() {
        let hosts = ["t1.acme.example", "app.acme.example.", "acme.example", "[::1]", "evil.example", "x.acme.example..", "."]
        let patterns = ["*.acme.example", "APP.acme.example:8443", "acme.example.", "[::1]:443", "*.example", "x"]
        for host in hosts {
            let url = HandlerURL("https://\(host)/h")
            for pattern in patterns {
                #expect(url.matches(pattern) == url.matches(normalizedPattern: HandlerURL.normalizedPattern(pattern)))
            }
        }
    }
}
