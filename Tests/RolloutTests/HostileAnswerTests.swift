import Foundation
import PlanStore
import ReleasePlan
import Testing

@testable import Rollout

/// Answers a portal should never give, from the black-box transport probe: none may leave a portal
/// `done` that was not changed, mark it needs-reinstall on no evidence, or carry a token into what
/// is journaled or printed.
@Suite("Hostile answers: nothing marked done or needs-reinstall without evidence, no token kept")
struct HostileAnswerTests {
    typealias F = Fixtures

    /// A portal whose read batch asks for writes (one new placement, one changed event) and whose
    /// write batch gets `writeAnswer`.
    static func outcome(writeAnswer: String) async -> PortalOutcome {
        let kit = SessionKit(handler: { request in
            request.batchCommands["app_info"] != nil
                ? Answer.batch(results: F.readResults(placements: "[]", events: "[]")) : Answer.body(200, writeAnswer)
        })
        return await PortalReconcileTask(plan: F.plan(), mode: .apply).run(kit.session())
    }

    @Test(
        "a write answer without a result or an error for every command fails the portal",
        arguments: [
            "null", #"{"result":true}"#, #"{"result":"ok"}"#, #"{"result":null}"#, #"{"result":{"result_error":[]}}"#,
            #"{"result":{"result":"all good"}}"#, "[1,2]", #"{"result":{"result":{"999":true}}}"#,
            #"{"result":{"result":{"w0000":true},"result_error":[]}}"#,
        ])
    func writeAnswerWithoutResults(_ answer: String) async {
        let outcome = await Self.outcome(writeAnswer: answer)
        #expect(outcome.state == .failed)
        #expect(outcome.lastError?.contains("neither a result nor an error") == true, "\(outcome.lastError ?? "")")
    }

    @Test("a write answer with a result for every command is done")
    func writeAnswerComplete() async {
        let results = (0..<5).map { String(format: #""w%04d":true"#, $0) }.joined(separator: ",")
        let outcome = await Self.outcome(
            writeAnswer: #"{"result":{"result":{"# + results + #"},"result_error":[]},"time":{"start":1}}"#)
        #expect(outcome.state == .done, "\(outcome.lastError ?? "")")
    }

    static func readOutcome(_ read: String) async -> PortalOutcome {
        let kit = SessionKit(handler: { request in
            request.batchCommands["app_info"] != nil ? Answer.batch(results: read) : Answer.batch(results: "[]")
        })
        return await PortalReconcileTask(plan: F.plan(), mode: .apply).run(kit.session())
    }

    @Test(
        "a read answer without scope, placements or events, or with a garbled INSTALLED, fails the portal (not needs-reinstall)",
        arguments: [
            #"{"app_info":\#(F.appInfo()),"placements":[],"events":[]}"#,
            #"{"app_info":\#(F.appInfo()),"scope":["crm"],"events":[]}"#,
            #"{"app_info":\#(F.appInfo()),"scope":["crm"],"placements":[]}"#,
            #"{"app_info":\#(F.appInfo()),"scope":"crm","placements":[],"events":[]}"#,
            #"{"app_info":{"INSTALLED":"\ud800"},"scope":["crm"],"placements":[],"events":[]}"#,
            #"{"app_info":{"INSTALLED":"maybe"},"scope":["crm"],"placements":[],"events":[]}"#,
            #"{"app_info":"yes","scope":["crm"],"placements":[],"events":[]}"#,
        ])
    func unusableReadAnswer(_ read: String) async {
        let outcome = await Self.readOutcome(read)
        #expect(outcome.state == .failed, "\(outcome.lastError ?? "")")
        #expect(outcome.writes == 0)
    }

    @Test(
        "INSTALLED as Bitrix24 and PHP write it",
        arguments: [("true", true), ("false", false), (#""Y""#, true), (#""N""#, false), ("1", true), ("0", false)])
    func installedFlag(_ text: String, _ expected: Bool) throws {
        #expect(try PortalSnapshot.installedFlag(F.json(text)) == expected)
        #expect(try PortalSnapshot.installedFlag(nil) == true)
    }

    @Test("a token echoed back by the portal is replaced by [token] in the outcome, the rotated one too")
    func echoedTokensAreRedacted() async throws {
        // The first token is refused as expired; the OAuth server rotates both; the portal then
        // echoes the request (with the new token) in its error text.
        let kit = SessionKit(handler: { request in
            if request.url.hasPrefix(SessionKit.tokenURL) { return Answer.token(access: "tok-CCCC-2", refresh: "ref-DDDD-2") }
            let body = String(decoding: request.body, as: UTF8.self)
            if body.contains("tok-AAAA-1") { return Answer.error("expired_token", "The access token provided has expired", status: 401) }
            return Answer.error("ACCESS_DENIED", "you sent " + body.replacingOccurrences(of: "\"", with: "'"), status: 403)
        })
        let session = kit.session(accessToken: "tok-AAAA-1", refreshToken: "ref-BBBB-1")
        let raw = await PortalReconcileTask(plan: F.plan(), mode: .apply).run(session)
        #expect(raw.lastError?.contains("tok-CCCC-2") == true, "the portal echoed the rotated token (the test's premise): \(raw)")
        let outcome = session.redacted(raw)
        #expect(outcome.lastError?.contains("tok-CCCC-2") == false)
        #expect(outcome.lastError?.contains("[token]") == true)
        var drifted = PortalOutcome(
            state: .done, differences: ["- placement X → https://h/ref-BBBB-1", "+ event Y → https://h/ref-DDDD-2"])
        drifted = session.redacted(drifted)
        #expect(drifted.differences == ["- placement X → https://h/[token]", "+ event Y → https://h/[token]"])
    }
}
