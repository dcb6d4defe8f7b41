import Foundation
import Testing

@testable import ReleasePlan

/// The Sites placements cannot be read back, so the release's own changes say what to unbind.
struct LandingUnbindsTests {
    static let folder = "plans/acme.widgets"

    /// The fixture plans of the farm test (Tests/Fixtures/catalogue/acme.widgets).
    static func fileSystem() throws -> InMemoryFileSystem {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/catalogue/acme.widgets")
        var files: [String: String] = [:]
        for version in ["1.0.0", "2.0.0", "2.1.0"] {
            files["\(folder)/\(version).json"] = try String(contentsOf: fixtures.appendingPathComponent("\(version).json"), encoding: .utf8)
        }
        return InMemoryFileSystem(files)
    }

    @Test func removedAndChangedSitesBindingsAreUnboundAsThePreviousPlanWroteThem() throws {
        let outcome = PlanCompiler().compile(path: "\(Self.folder)/2.1.0.json", fileSystem: try Self.fileSystem())
        let compiled = try #require(outcome.compiled, "\(outcome.lint.listing)")
        #expect(
            Set(SitesBindingHistory.unbinds(for: compiled.plan, earlier: [], changes: compiled.changes)) == [
                BindingKey(code: "LANDING_BLOCK_04.1.one_col_fix_with_title", handler: "https://app.acme.example/block"),
                BindingKey(code: "LANDING_SETTINGS", handler: "https://app.acme.example/site"),
            ])
    }

    @Test func addedSitesBindingsAndPlacementBindingsNeedNoUnbind() throws {
        let outcome = PlanCompiler().compile(path: "\(Self.folder)/2.0.0.json", fileSystem: try Self.fileSystem())
        let compiled = try #require(outcome.compiled, "\(outcome.lint.listing)")
        #expect(compiled.changes.contains { $0.id == "LANDING_SETTINGS" && $0.action == .added })
        #expect(SitesBindingHistory.unbinds(for: compiled.plan, earlier: [], changes: compiled.changes).isEmpty)
    }
}
