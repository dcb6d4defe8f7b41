import Foundation
import Testing

@Suite("b24plan lint --format gitlab (the built binary)")
struct LintGitLabFormatTests {
    @Test("the sample app's plans give an empty report (warnings only would be minor issues), exit 0")
    func sampleApp() throws {
        let plans = try FileManager.default.contentsOfDirectory(
            atPath: CLIRunner.packageRoot.appendingPathComponent("plans/acme.dealsync").path
        ).filter { $0.hasSuffix(".json") }.sorted().map { "plans/acme.dealsync/\($0)" }
        let output = try CLIRunner.run(["lint", "--format", "gitlab"] + plans)
        #expect(output.code == 0, "\(output.stderr)")
        let issues = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]])
        #expect(issues.allSatisfy { ($0["severity"] as? String) != "major" })
    }

    @Test("an error is a major issue at the plan's path from the working directory, exit 1")
    func errorsAreMajor() throws {
        let folder = try CLIRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plans = folder.appendingPathComponent("plans/acme.x")
        try FileManager.default.createDirectory(at: plans, withIntermediateDirectories: true)
        try Data(
            "{\n  \"app\": \"acme.x\",\n  \"version\": \"1.0.0\",\n  \"changelog\": { \"en\": \"Shows the deals linked to each task.\" },\n  \"scopes\": [\"crm\", \"tsk\"]\n}\n"
                .utf8
        ).write(to: plans.appendingPathComponent("1.0.0.json"))
        for file in ["plans/acme.x/1.0.0.json", "./plans/acme.x/1.0.0.json", plans.appendingPathComponent("1.0.0.json").path] {
            let output = try CLIRunner.run(["lint", "--format=gitlab", file], in: folder)
            #expect(output.code == 1)
            let issues = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]])
            let scope = try #require(issues.first { $0["check_name"] as? String == "B24P201" })
            #expect(scope["severity"] as? String == "major")
            let location = try #require(scope["location"] as? [String: Any])
            #expect(location["path"] as? String == "plans/acme.x/1.0.0.json", "from \(file)")
            #expect((location["lines"] as? [String: Any])?["begin"] as? Int == 5)
            #expect((scope["description"] as? String)?.hasPrefix("B24P201: unknown scope \"tsk\"") == true)
        }
    }
}
