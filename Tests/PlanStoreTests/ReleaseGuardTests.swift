import Foundation
import Testing

@testable import PlanStore

/// The release history and its rules, on both backends.
@Suite("release history and its guards")
struct ReleaseGuardTests {
    static func publish(_ journal: Journal, _ version: String, by: String = "apply") throws {
        let run = try journal.openRun(app: "acme.guard", version: version, planSHA256: "sha-\(version)")
        try journal.setRunState(run.id, .done)
        try journal.recordPublished(
            app: "acme.guard", version: version, planSHA256: "sha-\(version)", planJSON: "{\"version\":\"\(version)\"}",
            planPath: "plans/\(version).json", updateType: "minor", recordedBy: by, runID: run.id)
    }

    static func refusal(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test(arguments: Backend.allCases)
    func history(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        defer { fixture.tearDown() }
        let journal = Journal(database: fixture.db)
        try journal.migrate()
        for version in ["1.9.0", "1.10.0", "1.2.0"] { try Self.publish(journal, version) }
        // A pre-release is never recorded; recording again keeps the first record.
        #expect(
            try journal.recordPublished(
                app: "acme.guard", version: "2.0.0-rc.1", planSHA256: "x", planJSON: "{}", planPath: nil, updateType: nil,
                recordedBy: "apply", runID: nil) == false)
        #expect(
            try journal.recordPublished(
                app: "acme.guard", version: "1.9.0", planSHA256: "other", planJSON: "{}", planPath: nil, updateType: nil,
                recordedBy: "apply", runID: nil) == false)
        #expect(try journal.releases(app: "acme.guard").map(\.version) == ["1.10.0", "1.9.0", "1.2.0"], "semver order, newest first")
        let newest = try #require(try journal.newestPublished(app: "acme.guard"))
        #expect(newest.version == "1.10.0")
        #expect(newest.planJSON == "{\"version\":\"1.10.0\"}")
        #expect(try journal.release(app: "acme.guard", version: "1.9.0")?.planSHA256 == "sha-1.9.0")

        let guardrail = ReleaseGuard(journal: journal)
        #expect(
            Self.refusal { try guardrail.checkApply(app: "acme.guard", version: "1.9.5", planPath: "p") }?.contains("lower than 1.10.0")
                == true)
        #expect(
            Self.refusal { try guardrail.checkApply(app: "acme.guard", version: "1.10.0", planPath: "p") } == nil,
            "its own run resumes")
        #expect(Self.refusal { try guardrail.checkApply(app: "acme.guard", version: "1.11.0", planPath: "p") } == nil)
        #expect(
            Self.refusal { try guardrail.checkReconcile(app: "acme.guard", version: "1.11.0") }?.contains("has not passed moderation")
                == true,
            "a portal gets only an approved release")
        #expect(Self.refusal { try guardrail.checkReconcile(app: "acme.guard", version: "1.9.0") }?.contains("older than 1.10.0") == true)
        #expect(Self.refusal { try guardrail.checkReconcile(app: "acme.guard", version: "1.10.0") } == nil)
        #expect(Self.refusal { try guardrail.checkBaseline(app: "acme.guard", version: "1.2.0") }?.contains("already published") == true)

        // An open, unpublished run blocks another version until rejected or abandoned; a pre-release never blocks.
        let open = try journal.openRun(app: "acme.guard", version: "1.11.0", planSHA256: "x")
        try journal.setRunState(open.id, .incomplete)
        let rc = try journal.openRun(app: "acme.guard", version: "2.0.0-rc.1", planSHA256: "x")
        try journal.setRunState(rc.id, .incomplete)
        #expect(
            Self.refusal { try guardrail.checkApply(app: "acme.guard", version: "1.12.0", planPath: "p") }?.contains("1.11.0's run") == true
        )
        #expect(Self.refusal { try guardrail.checkApply(app: "acme.guard", version: "1.11.0", planPath: "p") } == nil)
        try journal.setRunState(open.id, .rejected)
        #expect(Self.refusal { try guardrail.checkApply(app: "acme.guard", version: "1.12.0", planPath: "p") } == nil)

        // Rollback: only to a published version older than the newest.
        #expect(Self.refusal { _ = try guardrail.checkRollback(app: "acme.guard", version: "1.5.0") }?.contains("never published") == true)
        #expect(Self.refusal { _ = try guardrail.checkRollback(app: "acme.guard", version: "1.10.0") }?.contains("newest") == true)
        #expect(try guardrail.checkRollback(app: "acme.guard", version: "1.9.0").version == "1.9.0")
        #expect(try journal.rollbackRunVersion(app: "acme.guard", to: "1.9.0") == "1.9.0+rollback.1")
        let rollback = try journal.openRun(app: "acme.guard", version: "1.9.0+rollback.1", planSHA256: "x", kind: .rollback)
        #expect(try journal.rollbackRunVersion(app: "acme.guard", to: "1.9.0") == "1.9.0+rollback.1", "an open rollback resumes")
        try journal.setRunState(rollback.id, .done)
        #expect(try journal.rollbackRunVersion(app: "acme.guard", to: "1.9.0") == "1.9.0+rollback.2")
        try journal.markRolledBack(app: "acme.guard", version: "1.10.0", to: "1.9.0")
        let rolledBack = try #require(try journal.release(app: "acme.guard", version: "1.10.0"))
        #expect((rolledBack.state, rolledBack.rolledBackTo) == (.rolledBack, "1.9.0"))
        #expect(try journal.newestPublished(app: "acme.guard")?.version == "1.10.0", "a rolled-back release stays published")
    }

    @Test("gates: every rejection is kept with its reason; a later pass erases none", arguments: Backend.allCases)
    func gates(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        defer { fixture.tearDown() }
        let journal = Journal(database: fixture.db)
        try journal.migrate()
        try journal.rejectGate(app: "a", version: "1.0.0", step: "gate.moderation", by: "mod", reason: "screenshots")
        #expect(try journal.gate(app: "a", version: "1.0.0", step: "gate.moderation") == nil, "a rejection is not a pass")
        #expect(try journal.passGate(app: "a", version: "1.0.0", step: "gate.moderation", by: "mod") == true)
        #expect(try journal.passGate(app: "a", version: "1.0.0", step: "gate.moderation", by: "other") == false)
        let gate = try #require(try journal.gate(app: "a", version: "1.0.0", step: "gate.moderation"))
        #expect((gate.state, gate.passedBy) == (.passed, "mod"))
        let records = try journal.gates(app: "a", version: "1.0.0")
        #expect(records.map(\.state) == [.rejected, .passed])
        #expect(records.first?.reason == "screenshots")
    }
}
