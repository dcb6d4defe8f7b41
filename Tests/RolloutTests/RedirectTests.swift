import Foundation
import PlanStore
import ReleasePlan
import Rollout
import Testing

/// A 302 may take the token only where it belongs (DESIGN §7, redirects).
@Suite("Redirects: https only, the token only to a confirmed host")
struct RedirectTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var from: String
        var location: String
        var follows: Bool
        var testDescription: String { name }
    }

    @Test(
        "which redirects are followed",
        arguments: [
            Case(
                name: "same host, new path", from: "https://acme.example/rest/", location: "https://acme.example/new/rest/scope",
                follows: true),
            Case(
                name: "to a Bitrix24 cloud host", from: "https://acme.bitrix24.com/rest/",
                location: "https://acme2.bitrix24.com/rest/scope", follows: true),
            Case(
                name: "to a foreign https host", from: "https://acme.bitrix24.com/rest/",
                location: "https://evil.example/rest/scope", follows: false),
            Case(
                name: "to plain http", from: "https://acme.bitrix24.com/rest/", location: "http://acme2.bitrix24.com/rest/scope",
                follows: false),
            Case(
                name: "loopback to loopback, same port (a test farm's rename)", from: "http://127.0.0.1:8080/p/a/rest/",
                location: "http://127.0.0.1:8080/p/b/rest/scope", follows: true),
            Case(
                name: "loopback to another loopback port", from: "http://127.0.0.1:8080/p/a/rest/",
                location: "http://127.0.0.1:9090/p/a/rest/scope", follows: false),
            Case(
                name: "loopback to a public http host", from: "http://127.0.0.1:8080/p/a/rest/",
                location: "http://evil.example/p/a/rest/scope", follows: false),
            Case(
                name: "a look-alike of a cloud domain", from: "https://acme.bitrix24.com/rest/",
                location: "https://acme.bitrix24.com.evil.example/rest/scope", follows: false),
            Case(
                name: "userinfo in the location", from: "https://acme.bitrix24.com/rest/",
                location: "https://acme.bitrix24.com@evil.example/rest/scope", follows: false),
        ])
    func policy(_ item: Case) async throws {
        let kit = SessionKit(handler: { request in
            request.url.hasPrefix("https://acme.bitrix24.com/rest/") || request.url.hasPrefix("http://127.0.0.1:8080/p/a/")
                || request.url.hasPrefix("https://acme.example/rest/")
                ? Answer.redirect(to: item.location) : Answer.result("true")
        })
        let session = PortalSession(
            memberID: "m1", endpoint: item.from, accessToken: "access-1", refreshToken: "refresh-1", transport: kit.transport,
            clock: kit.clock, keeper: kit.keeper)
        let error = await caught { try await session.call("scope") }
        if item.follows {
            #expect(error == nil)
            #expect(kit.transport.requests.count == 2)
            #expect(kit.store.savedEndpoints.count == 1)
        } else {
            guard case .redirect = error as? BitrixError else {
                Issue.record("expected a refused redirect, got \(String(describing: error))")
                return
            }
            #expect(kit.transport.requests.count == 1, "nothing, and no token, is sent to the new address")
            #expect(kit.store.savedEndpoints.isEmpty)
            #expect(PortalOutcome.from(error!).state == .failed)
        }
    }

    @Test("a refresh that reports the portal on another host moves the session there (the OAuth server's word)")
    func theOAuthServersAddressIsAdopted() async throws {
        let kit = SessionKit(handler: { request in
            if request.url.hasPrefix(SessionKit.tokenURL) {
                return Answer.token(access: "access-2", refresh: "refresh-2", endpoint: "https://crm.acme.example/rest/")
            }
            if request.url.hasPrefix("https://crm.acme.example/") { return Answer.result("true") }
            if request.auth == "access-1" { return Answer.error("expired_token", "", status: 401) }
            return Answer.redirect(to: "https://crm.acme.example/rest/scope")
        })
        let session = kit.session()
        // The refresh reports the new address, so the session goes there directly, never through the redirect.
        #expect(try await session.call("scope") == .bool(true))
        #expect(kit.restRequests.map(\.url) == ["https://acme.bitrix24.com/rest/scope", "https://crm.acme.example/rest/scope"])
        #expect(kit.store.row("m1")?.endpoint == "https://crm.acme.example/rest/", "stored with the tokens")
    }

    @Test("a read-only command follows a rename in memory and stores nothing")
    func readOnlyStoresNoEndpoint() async throws {
        let kit = SessionKit([Answer.redirect(to: "https://renamed.bitrix24.com/rest/scope"), Answer.result("true")])
        let store = MemoryCredentialStore(storesEndpoints: false)
        store.put("m1", access: "access-1", refresh: "refresh-1")
        let keeper = TokenKeeper(refresher: kit.refresher, store: store, clock: kit.clock)
        let session = PortalSession(
            memberID: "m1", endpoint: SessionKit.endpoint, accessToken: "access-1", refreshToken: "refresh-1", transport: kit.transport,
            clock: kit.clock, keeper: keeper)
        #expect(try await session.call("scope") == .bool(true))
        #expect(session.endpoint == "https://renamed.bitrix24.com/rest/")
        #expect(store.savedEndpoints.isEmpty)
    }
}
