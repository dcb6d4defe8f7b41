import Foundation
import ReleasePlan
import Rollout
import Testing

@Suite("PortalSession: batch")
struct PortalSessionBatchTests {
    static let commands = [
        BatchCommand(
            key: "w0000", method: "placement.bind",
            parameters: ["PLACEMENT": .string("CRM_DEAL_DETAIL_TAB"), "HANDLER": .string("https://a/h")]),
        BatchCommand(
            key: "w0001", method: "event.unbind", parameters: ["event": .string("ONAPPUPDATE"), "handler": .string("https://a/e")]),
    ]

    @Test func theRequestCarriesCmdAndHaltZero() async throws {
        let kit = SessionKit([Answer.batch(results: #"{"w0000":true,"w0001":{"count":1}}"#)])
        _ = try await kit.session().batch(Self.commands)
        let request = try #require(kit.transport.requests.first)
        #expect(request.url == "https://acme.bitrix24.com/rest/batch")
        #expect(request.json?.field("halt") == .number("0"))
        #expect(request.auth == "access-1")
        #expect(
            request.batchCommands == [
                "w0000": "placement.bind?HANDLER=https%3A%2F%2Fa%2Fh&PLACEMENT=CRM_DEAL_DETAIL_TAB",
                "w0001": "event.unbind?event=ONAPPUPDATE&handler=https%3A%2F%2Fa%2Fe",
            ])
    }

    struct Shape: Sendable, CustomTestStringConvertible {
        var name: String
        var results: String
        var errors: String
        var expectedResults: [String: PlanValue]
        var expectedErrors: [String: String]
        var testDescription: String { name }
    }

    @Test(
        "results and result_error in every shape PHP sends",
        arguments: [
            Shape(
                name: "objects", results: #"{"w0000":true,"w0001":{"count":1}}"#, errors: "[]",
                expectedResults: ["w0000": .bool(true), "w0001": .object(["count": .number("1")])], expectedErrors: [:]),
            Shape(
                name: "empty results as []", results: "[]",
                errors:
                    #"{"w0000":{"error":"ERROR_CORE","error_description":"x"},"w0001":{"error":"ERROR_ARGUMENT","error_description":"y"}}"#,
                expectedResults: [:], expectedErrors: ["w0000": "ERROR_CORE", "w0001": "ERROR_ARGUMENT"]),
            Shape(
                name: "keys 0..n-1 as arrays", results: #"[true,{"count":0}]"#, errors: "[]",
                expectedResults: ["0": .bool(true), "1": .object(["count": .number("0")])], expectedErrors: [:]),
            Shape(
                name: "errors as an array", results: #"{"1":true}"#, errors: #"[{"error":"ERROR_CORE","error_description":"z"}]"#,
                expectedResults: ["1": .bool(true)], expectedErrors: ["0": "ERROR_CORE"]),
            Shape(name: "both empty", results: "[]", errors: "[]", expectedResults: [:], expectedErrors: [:]),
        ])
    func shapes(_ shape: Shape) async throws {
        let kit = SessionKit([Answer.batch(results: shape.results, errors: shape.errors)])
        let result = try await kit.session().batch(Self.commands)
        #expect(result.results == shape.expectedResults)
        #expect(result.errors.mapValues { $0.code ?? "" } == shape.expectedErrors)
    }

    @Test func errorsKeepTheirDescription() async throws {
        let kit = SessionKit([
            Answer.batch(
                results: "[]",
                errors: #"{"w0000":{"error":"ERROR_PLACEMENT_NOT_FOUND","error_description":"Placement not found"},"#
                    + #""w0001":{"error":"ERROR_CORE","error_description":"Unable to set event handler: Handler already binded"}}"#)
        ])
        let result = try await kit.session().batch(Self.commands)
        #expect(result.errors["w0000"] == .api(code: "ERROR_PLACEMENT_NOT_FOUND", message: "Placement not found", status: 200))
        #expect(result.errors["w0000"]?.isAlreadyBound == false)
        #expect(result.errors["w0001"]?.isAlreadyBound == true)
    }

    @Test(
        "Handler already binded is recognised",
        arguments: [
            ("Unable to set placement handler: Handler already binded", true),
            ("Unable to set event handler: Handler already binded", true), ("HANDLER ALREADY BINDED", true),
            ("Unable to set placement handler", false), ("", false),
        ])
    func alreadyBound(message: String, expected: Bool) {
        #expect(BitrixError.api(code: "ERROR_CORE", message: message, status: 400).isAlreadyBound == expected)
        #expect(BitrixError.oauth(code: message, status: 400).isAlreadyBound == false)
    }

    @Test func aBatchCountsAsOneRequestAgainstTheBucket() async throws {
        let fifty = (0..<50).map { BatchCommand(key: "k\($0)", method: "app.info") }
        let kit = SessionKit(handler: { _ in Answer.batch(results: "[]") })
        let session = kit.session()
        for _ in 0..<10 { _ = try await session.batch(fifty) }
        #expect(session.requests == 10)
        #expect(session.bucket.level == 10)
        #expect(kit.clock.sleeps.isEmpty)
    }
}
