import Testing

@testable import ReleasePlan

@Suite("saved plans")
struct SavedPlanTests {
    static let sql = "CREATE TABLE deal_links (id TEXT PRIMARY KEY);\n"

    static func files(changelog: String = "Shows the deals linked to each task.") -> [String: String] {
        let digest = SHA256.hex(Array(sql.utf8))
        return [
            "plans/app/1.0.0.json": ExamplePlan.previous(),
            "plans/app/1.1.0.json": ExamplePlan.json([
                "changelog": "{ \"en\": \"\(changelog)\" }",
                "migrations": "[{ \"id\": 1, \"name\": \"create\", \"file\": \"m/0001.sql\", \"sha256\": \"\(digest)\" }]",
            ]),
            "plans/app/m/0001.sql": sql,
        ]
    }

    func save(_ fileSystem: InMemoryFileSystem) throws -> (SavedPlan, InMemoryFileSystem) {
        let result = Linter(fileSystem: fileSystem).lint(path: "plans/app/1.1.0.json")
        let context = try #require(result.context)
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics)")
        let saved = SavedPlan(compiled: PlanCompiler().compile(context.plan, previous: context.previous?.plan), context: context)
        var withSaved = fileSystem
        withSaved.files["release.json"] = Array(saved.encoded().utf8)
        return (saved, withSaved)
    }

    @Test("a saved plan records every input and loads back equal")
    func roundTrip() throws {
        let (saved, fileSystem) = try save(InMemoryFileSystem(Self.files()))
        #expect(saved.inputs.map(\.role) == [.plan, .previous, .migration])
        #expect(saved.inputs.map(\.path) == ["plans/app/1.1.0.json", "plans/app/1.0.0.json", "plans/app/m/0001.sql"])
        let loaded = try SavedPlan.load("release.json", fileSystem: fileSystem)
        #expect(loaded == saved)
        #expect(loaded.compiled.steps.map(\.id) == ["migrate.schema.1", "deploy", "gate.partner", "gate.moderation"])
    }

    @Test("a changed input makes it stale", arguments: ["plans/app/1.1.0.json", "plans/app/1.0.0.json", "plans/app/m/0001.sql"])
    func staleInput(path: String) throws {
        var (_, fileSystem) = try save(InMemoryFileSystem(Self.files()))
        fileSystem.files[path]?.append(contentsOf: Array(" ".utf8))
        let error = try #require(throws: SavedPlan.LoadError.self) { try SavedPlan.load("release.json", fileSystem: fileSystem) }
        #expect(error.message == "saved plan is stale: \(path) changed since it was saved; run b24plan diff --out again and review it")
    }

    @Test("a missing input, a foreign file and another format are refused")
    func refused() throws {
        var (saved, fileSystem) = try save(InMemoryFileSystem(Self.files()))
        fileSystem.files["plans/app/m/0001.sql"] = nil
        #expect(throws: SavedPlan.LoadError.self) { try SavedPlan.load("release.json", fileSystem: fileSystem) }
        fileSystem.files["plans/app/m/0001.sql"] = Array(Self.sql.utf8)
        #expect((try? SavedPlan.load("release.json", fileSystem: fileSystem)) != nil)

        fileSystem.files["other.json"] = Array("{\"app\": \"x\"}".utf8)
        let foreign = try #require(throws: SavedPlan.LoadError.self) { try SavedPlan.load("other.json", fileSystem: fileSystem) }
        #expect(foreign.message.contains("is not a saved plan"))

        saved.format = 99
        fileSystem.files["future.json"] = Array(saved.encoded().utf8)
        let future = try #require(throws: SavedPlan.LoadError.self) { try SavedPlan.load("future.json", fileSystem: fileSystem) }
        #expect(future.message.contains("format 99"))
        #expect(SavedPlan.looksSaved(fileSystem.files["release.json"]!))
        #expect(!SavedPlan.looksSaved(fileSystem.files["plans/app/1.1.0.json"]!))
    }
}
