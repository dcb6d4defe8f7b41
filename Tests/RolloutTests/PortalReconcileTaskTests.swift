import Foundation
import PlanStore
import ReleasePlan
import Rollout
import Testing

@Suite("PortalReconcileTask")
struct PortalReconcileTaskTests {
    typealias F = Fixtures

    static func run(_ portal: FakePortal, plan: Plan = F.plan(), mode: PortalReconcileTask.Mode = .apply) async -> (
        PortalOutcome, PortalSession
    ) {
        let session = portal.kit.session()
        let outcome = await PortalReconcileTask(plan: plan, mode: mode).run(session)
        return (outcome, session)
    }

    static let emptyPortal = F.readResults(placements: "[]", events: "[]")

    @Test func readBatchThenWriteBatch() async throws {
        let portal = FakePortal(
            read: F.readResults(placements: "[]", events: "[]", extra: #","method_0":{"isExisting":true,"isAvailable":true}"#))
        let (outcome, session) = await Self.run(portal, plan: F.plan(requiredMethods: ["crm.deal.get"]))
        let requests = portal.kit.transport.requests
        #expect(requests.count == 2)
        #expect(requests.allSatisfy { $0.url == "https://acme.bitrix24.com/rest/batch" })
        #expect(
            requests[0].batchCommands == [
                "app_info": "app.info", "scope": "scope", "placements": "placement.get", "events": "event.get",
                "method_0": "method.get?name=crm.deal.get",
            ])
        #expect(portal.writeBatches.count == 1)
        #expect(portal.writeBatches[0].keys.sorted() == ["w0000", "w0001", "w0002", "w0003", "w0004"])
        #expect(
            portal.writeBatches[0].values.map { decodeCommand($0).method }.sorted() == [
                "event.bind", "event.bind", "placement.bind", "placement.bind", "placement.bind",
            ])
        #expect(outcome == PortalOutcome(state: .done, differences: outcome.differences, writes: 5))
        #expect(outcome.differences.count == 5)
        #expect(session.requests == 2)
    }

    @Test func aMatchingPortalGetsNoWriteBatch() async throws {
        let portal = FakePortal()
        let (outcome, _) = await Self.run(portal)
        #expect(portal.writeBatches.isEmpty)
        #expect(outcome == PortalOutcome(state: .done))
    }

    @Test func aCommandRefusedForLackOfScopeNeedsReinstall() async throws {
        let portal = FakePortal(
            read: Self.emptyPortal,
            fail: { _, command in
                command.contains("PAGE_BACKGROUND_WORKER")
                    ? #"{"error":"ERROR_PLACEMENT_NOT_FOUND","error_description":"Placement not found"}"# : nil
            })
        let (outcome, _) = await Self.run(portal)
        #expect(outcome.state == .needsReinstall)
        #expect(outcome.lastError?.contains("ERROR_PLACEMENT_NOT_FOUND") == true)
        #expect(outcome.writes == 5)
    }

    @Test func anotherCommandErrorFailsWithTheError() async throws {
        let portal = FakePortal(
            read: Self.emptyPortal,
            fail: { _, command in
                command.hasPrefix("event.bind") && command.contains("ONAPPUPDATE")
                    ? #"{"error":"ERROR_ARGUMENT","error_description":"Argument 'HANDLER' is invalid"}"# : nil
            })
        let (outcome, _) = await Self.run(portal)
        #expect(outcome.state == .failed)
        let error = try #require(outcome.lastError)
        #expect(error.contains("ERROR_ARGUMENT"))
        #expect(error.contains("ONAPPUPDATE"))
        #expect(!error.contains("access-1") && !error.contains(SessionKit.clientSecret))
    }

    @Test func handlerAlreadyBindedCountsAsSuccess() async throws {
        let portal = FakePortal(
            read: Self.emptyPortal,
            fail: { _, command in
                command.hasPrefix("placement.bind")
                    ? #"{"error":"ERROR_CORE","error_description":"Unable to set placement handler: Handler already binded"}"# : nil
            })
        let (outcome, _) = await Self.run(portal)
        #expect(outcome.state == .done)
        #expect(outcome.lastError == nil)
    }

    @Test func notInstalledNeedsReinstall() async throws {
        let portal = FakePortal(read: F.readResults(appInfo: F.appInfo(installed: false)))
        let (outcome, _) = await Self.run(portal)
        #expect(outcome.state == .needsReinstall)
        #expect(outcome.lastError?.contains("INSTALLED") == true)
    }

    @Test func missingScopesNeedReinstallAndAreListed() async throws {
        let portal = FakePortal(read: F.readResults(scopes: ["crm", "placement"], placements: "[]", events: "[]"))
        let (outcome, _) = await Self.run(portal)
        #expect(outcome.state == .needsReinstall)
        #expect(outcome.missingScopes == ["task"])
        #expect(!portal.writeBatches.flatMap(\.values).contains { $0.contains("TASK_VIEW_TAB") })
        #expect(outcome.lastError?.contains("TASK_VIEW_TAB") == true)
    }

    @Test(
        "LICENSE_FAMILY ent switches to Enterprise pacing",
        arguments: [("ent", 250.0, 5.0), ("ENT", 250, 5), ("project", 50, 2), ("", 50, 2)])
    func enterprisePacing(family: String, capacity: Double, drain: Double) async throws {
        let portal = FakePortal(read: F.readResults(appInfo: F.appInfo(licenseFamily: family)))
        let (_, session) = await Self.run(portal)
        #expect(session.bucket.capacity == capacity)
        #expect(session.bucket.drainPerSecond == drain)
        #expect(session.bucket.level == 1)
    }

    @Test func readOnlySendsNoWriteRequest() async throws {
        let portal = FakePortal(read: Self.emptyPortal)
        let (outcome, session) = await Self.run(portal, plan: F.plan(notice: Notice(option: "release")), mode: .readOnly)
        #expect(portal.kit.transport.requests.count == 1)
        #expect(session.requests == 1)
        #expect(outcome.state == .done)
        #expect(outcome.writes == 0)
        #expect(outcome.differences.count == 5)
    }

    @Test func moreThanFiftyCommandsAreSplitIntoBatchesOfFifty() async throws {
        let tabs = (0..<60).map {
            PlacementBinding(placement: "CRM_DEAL_DETAIL_TAB", handler: "https://app.example/tab/\($0)", title: "Tab \($0)")
        }
        let portal = FakePortal(read: Self.emptyPortal)
        let (outcome, _) = await Self.run(portal, plan: F.plan(placements: tabs, events: [], notice: Notice(option: "release")))
        let batches = portal.writeBatches
        #expect(batches.map(\.count) == [50, 11])
        #expect(batches.allSatisfy { $0.count <= 50 })
        let keys = batches.flatMap(\.keys)
        #expect(Set(keys) == Set((0...60).map { String(format: "w%04d", $0) }))
        #expect(batches[1]["w0060"].map { decodeCommand($0).method } == "app.option.set")
        #expect(outcome.state == .done)
        #expect(outcome.writes == 61)
    }

    @Test(
        "a failing read batch ends the portal in the state its error implies",
        arguments: [
            (Answer.error("PORTAL_DELETED", "Portal was deleted", status: 500), Journal.PortalState.inactive),
            (Answer.error("APPLICATION_NOT_FOUND", "", status: 401), .inactive),
            (Answer.error("ACCESS_DENIED", "", status: 403), .failed),
        ])
    func readFailure(answer: HTTPResponse, state: Journal.PortalState) async throws {
        let kit = SessionKit([answer])
        let outcome = await PortalReconcileTask(plan: F.plan(), mode: .apply).run(kit.session())
        #expect(outcome.state == state)
        #expect(kit.transport.requests.count == 1)
    }

    @Test func anExpiredRefreshTokenNeedsReinstall() async throws {
        let kit = SessionKit([Answer.error("expired_token", "", status: 401), Answer.error("invalid_grant", "", status: 400)])
        let outcome = await PortalReconcileTask(plan: F.plan(), mode: .apply).run(kit.session())
        #expect(outcome.state == .needsReinstall)
    }
}
