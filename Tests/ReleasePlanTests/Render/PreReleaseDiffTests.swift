import Foundation
import Testing

@testable import ReleasePlan

/// A pre-release is compiled against the last release, says so in every diff format, and is never
/// the previous plan of the release after it.
struct PreReleaseDiffTests {
    static let folder = "plans/acme.example"

    /// 1.0.0 and 1.1.0 published, 2.0.0-rc.1 and 2.0.0 adding the scope `task` and a task tab.
    static let fileSystem: InMemoryFileSystem = {
        let tab =
            "[{ \"placement\": \"TASK_VIEW_TAB\", \"handler\": \"https://app.acme.example/task\", \"title\": \"Deals\" }]"
        let next = { (version: String) in
            PlanText.make([
                "version": "\"\(version)\"", "scopes": "[\"crm\", \"placement\", \"task\"]",
                "requiredMethods": "[\"crm.deal.get\", \"tasks.task.get\"]", "scopeUpgrade": "\"reinstall\"", "placements": tab,
            ])
        }
        return InMemoryFileSystem([
            "\(folder)/1.0.0.json": PlanText.make(["version": "\"1.0.0\""]),
            "\(folder)/1.1.0.json": PlanText.make(["version": "\"1.1.0\""]),
            "\(folder)/2.0.0-rc.1.json": next("2.0.0-rc.1"),
            "\(folder)/2.0.0.json": next("2.0.0"),
        ])
    }()

    static func compile(_ name: String) throws -> CompiledPlan {
        let result = Linter(fileSystem: fileSystem).lint(path: "\(folder)/\(name)")
        #expect(!result.diagnostics.hasErrors, "\(result.listing)")
        let context = try #require(result.context)
        return PlanCompiler().compile(context.plan, previous: context.previous?.plan)
    }

    @Test func theReleaseAfterAnRCIsComparedWithTheLastRelease() throws {
        let compiled = try Self.compile("2.0.0.json")
        #expect(compiled.from == "1.1.0")
        #expect(!compiled.isPreRelease)
        #expect(compiled.changes.contains { $0.kind == .placement && $0.action == .added && $0.id == "TASK_VIEW_TAB" })
        #expect(compiled.step("portals.reconcile") != nil, "the new placement is bound")
        #expect(!DiffTextRenderer().render(compiled).contains("pre-release"))
    }

    @Test func anRCIsComparedWithTheLastReleaseAndSaysItIsOne() throws {
        let compiled = try Self.compile("2.0.0-rc.1.json")
        #expect(compiled.from == "1.1.0")
        #expect(compiled.isPreRelease)
        let text = DiffTextRenderer().render(compiled)
        #expect(
            text.contains(
                "  pre-release:    2.0.0-rc.1 is never published; the next release is compared with the last published one\n"))
        Golden.check(text, named: "pre-release.text", in: "diff")
        let markdown = DiffMarkdownRenderer.render(compiled, diagnostics: [])
        #expect(
            markdown.contains(
                "| Pre-release | 2.0.0-rc.1 is never published; the next release is compared with the last published one |\n"))
        Golden.check(markdown, named: "pre-release.markdown", in: "diff")
    }

    @Test(arguments: [("2.0.0-rc.1.json", true), ("2.0.0.json", false), ("1.0.0.json", false)])
    func jsonSaysWhetherItIsAPreRelease(name: String, preRelease: Bool) throws {
        let json = try JSONOutput.encode(DiffOutput(try Self.compile(name), diagnostics: []))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["preRelease"] as? Bool == preRelease)
    }

    @Test func freeVersionsAreNeverPreReleases() {
        var plan = Plan(app: "acme.example", version: "2024.10-rc", changelog: ["en": "x"], scopes: [])
        plan.versioning = .free
        #expect(!PlanCompiler().compile(plan, previous: nil).isPreRelease)
    }
}
