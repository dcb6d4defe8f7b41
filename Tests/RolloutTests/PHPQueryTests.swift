import Foundation
import ReleasePlan
import Rollout
import Testing

@Suite("PHPQuery")
struct PHPQueryTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var parameters: [String: PlanValue]
        var expected: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "flat, keys sorted", parameters: ["b": .string("2"), "a": .string("1")], expected: "a=1&b=2"),
        Case(
            name: "nested object",
            parameters: ["OPTIONS": .object(["errorHandlerUrl": .string("https://app.example/err")])],
            expected: "OPTIONS[errorHandlerUrl]=https%3A%2F%2Fapp.example%2Ferr"),
        Case(
            name: "two levels",
            parameters: ["LANG_ALL": .object(["ru": .object(["TITLE": .string("Сделки")]), "en": .object(["TITLE": .string("Deals")])])],
            expected: "LANG_ALL[en][TITLE]=Deals&LANG_ALL[ru][TITLE]=%D0%A1%D0%B4%D0%B5%D0%BB%D0%BA%D0%B8"),
        Case(
            name: "array",
            parameters: ["countries": .array([.number("1"), .number("14")])],
            expected: "countries[0]=1&countries[1]=14"),
        Case(
            name: "array of objects",
            parameters: ["items": .array([.object(["id": .number("1")]), .object(["id": .number("2")])])],
            expected: "items[0][id]=1&items[1][id]=2"),
        Case(name: "booleans as 1/0", parameters: ["halt": .bool(false), "on": .bool(true)], expected: "halt=0&on=1"),
        Case(name: "numbers as written", parameters: ["n": .number("1.50"), "m": .number("-3")], expected: "m=-3&n=1.50"),
        Case(name: "null is empty", parameters: ["x": .null], expected: "x="),
        Case(name: "empty object", parameters: ["OPTIONS": .object([:])], expected: "OPTIONS="),
        Case(name: "empty array", parameters: ["list": .array([])], expected: "list="),
        Case(
            name: "reserved characters",
            parameters: ["q": .string("a b&c=d+e?f#g/h%i[j]k;l,m:n@o$p!q'r(s)t*u\"v")],
            expected: "q=a%20b%26c%3Dd%2Be%3Ff%23g%2Fh%25i%5Bj%5Dk%3Bl%2Cm%3An%40o%24p%21q%27r%28s%29t%2Au%22v"),
        Case(name: "unreserved kept", parameters: ["u": .string("Az09-._~")], expected: "u=Az09-._~"),
        Case(name: "UTF-8 beyond the BMP", parameters: ["e": .string("ü😀")], expected: "e=%C3%BC%F0%9F%98%80"),
        Case(name: "non-ASCII letters are encoded", parameters: ["l": .string("é")], expected: "l=%C3%A9"),
        Case(name: "newline", parameters: ["t": .string("a\nb")], expected: "t=a%0Ab"),
        Case(name: "keys are escaped too", parameters: ["a b": .object(["c&d": .string("1")])], expected: "a%20b[c%26d]=1"),
        Case(name: "nothing", parameters: [:], expected: ""),
    ]

    @Test(arguments: cases)
    func encode(_ item: Case) {
        #expect(PHPQuery.encode(item.parameters) == item.expected)
    }

    @Test func placementBindAsABatchCommand() {
        let command = BatchCommand(
            key: "w0000", method: "placement.bind",
            parameters: [
                "PLACEMENT": .string("PAGE_BACKGROUND_WORKER"), "HANDLER": .string("https://app.example/bg?x=1&y=2"),
                "OPTIONS": .object(["errorHandlerUrl": .string("https://app.example/err")]),
            ])
        #expect(
            command.encoded
                == "placement.bind?HANDLER=https%3A%2F%2Fapp.example%2Fbg%3Fx%3D1%26y%3D2"
                + "&OPTIONS[errorHandlerUrl]=https%3A%2F%2Fapp.example%2Ferr&PLACEMENT=PAGE_BACKGROUND_WORKER")
        let decoded = decodeCommand(command.encoded)
        #expect(decoded.method == "placement.bind")
        #expect(decoded.parameters["HANDLER"] == "https://app.example/bg?x=1&y=2")
        #expect(BatchCommand(key: "a", method: "app.info").encoded == "app.info")
    }

    @Test func escapeRoundTrips() {
        let texts = ["Сделка №1 — «тест»", "a+b=c&d", "100%", "日本語", "tab\there"]
        for text in texts {
            #expect(PHPQuery.escape(text).removingPercentEncoding == text)
            #expect(PHPQuery.escape(text).allSatisfy { $0.isASCII })
        }
    }
}
