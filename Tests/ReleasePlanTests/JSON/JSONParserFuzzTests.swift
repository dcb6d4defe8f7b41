import Testing

@testable import ReleasePlan

/// Deterministic fuzzing: random bytes and random single-byte edits of a real plan never crash the
/// parser, decoder or linter, and every diagnostic points inside its file.
struct JSONParserFuzzTests {
    /// A 64-bit linear congruential generator (Knuth's MMIX constants): the same inputs every run.
    struct LCG {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    }

    /// Bytes JSON cares about, plus multibyte lead/continuation bytes, a BOM and a NBSP.
    static let alphabet: [UInt8] =
        Array(#"{}[]":,.-+0123456789eEtrufalsn \/*'"#.utf8)
        + [0x0A, 0x0D, 0x09, 0x00, 0x1F, 0xEF, 0xBB, 0xBF, 0xC2, 0xA0, 0xD0, 0x9F, 0xF0, 0x9F, 0x9A, 0x80, 0xFF]

    /// Problems with a diagnostic's location in `source` (empty when it lies inside the file).
    static func locationProblems(_ diagnostic: Diagnostic, in source: SourceFile) -> [String] {
        let lines = source.lines
        func check(_ line: Int, _ column: Int, _ what: String) -> [String] {
            guard line >= 1, line <= lines.lineCount else { return ["\(what) line \(line) of \(lines.lineCount)"] }
            let width = lines.byteRange(ofLine: line).count
            guard column >= 1, column <= width + 1 else { return ["\(what) column \(column) on a line of \(width) bytes"] }
            return []
        }
        var problems = check(diagnostic.line, diagnostic.column, "start") + check(diagnostic.endLine, diagnostic.endColumn, "end")
        if (diagnostic.endLine, diagnostic.endColumn) < (diagnostic.line, diagnostic.column) {
            problems.append("end before start")
        }
        return problems.map { "\(diagnostic.brief): \($0)" }
    }

    @Test(.timeLimit(.minutes(2)))
    func randomBytes() {
        var random = LCG(state: 0x5EED_B240)
        var failures: [String] = []
        var diagnosed = 0
        for round in 0..<3_000 {
            let length = random.below(96)
            var bytes: [UInt8] = []
            for _ in 0..<length {
                bytes.append(random.below(8) == 0 ? UInt8(random.below(256)) : Self.alphabet[random.below(Self.alphabet.count)])
            }
            if round % 3 == 0 { bytes.insert(UInt8(ascii: "{"), at: 0) }
            let source = SourceFile(path: "fuzz.json", bytes: bytes)
            let parsed = JSONParser.parse(source)
            var diagnostics = parsed.diagnostics
            if let root = parsed.root { diagnostics += PlanDecoder.decode(root, source: source).diagnostics }
            diagnosed += diagnostics.isEmpty ? 0 : 1
            for diagnostic in diagnostics {
                failures += Self.locationProblems(diagnostic, in: source).map { "round \(round) \(bytes): \($0)" }
            }
            #expect(parsed.diagnostics.count <= JSONParser.maximumErrors)
        }
        #expect(failures.isEmpty, "\(failures.prefix(5).joined(separator: "\n"))")
        #expect(diagnosed > 2_500, "random input should almost always be reported")
    }

    static let plan = """
        {
          "$schema": "../../schemas/release-plan.schema.json",
          "app": "acme.dealsync",
          "version": "1.3.0",
          "changelog": { "en": "Adds a task tab that links deals to tasks.", "ru": "Вкладка задач 🚀 в сделке." },
          "monetization": { "model": "subscription", "trialDays": 14 },
          "minimumBitrix24Version": "24.300.0",
          "scopes": ["crm", "placement", { "code": "task", "purpose": "Shows linked tasks on the deal tab" }],
          "scopeUpgrade": "reinstall",
          "handlerHosts": ["app.acme.example"],
          "placements": [
            { "placement": "CRM_DEAL_DETAIL_TAB", "handler": "https://app.acme.example/iframe/deal",
              "title": "DealSync", "langAll": { "ru": { "title": "Сделки" } }, "options": { } }
          ],
          "events": [{ "event": "ONCRMDEALUPDATE", "handler": "https://app.acme.example/hooks/deal", "eventType": "online", "authType": 0 }],
          "requiredMethods": ["crm.item.list", "tasks.task.list"],
          "migrations": [
            { "id": 1, "name": "create_deal_links", "file": "migrations/0001.sql", "sha256": "\(SHA256.hex(Array(sql1.utf8)))" },
            { "id": 2, "name": "backfill", "file": "migrations/0002.sql", "sha256": "\(SHA256.hex(Array(sql2.utf8)))",
              "perPortal": true, "batchSize": 500 }
          ],
          "deploy": { "command": ["./deploy.sh", "1.3.0"] },
          "suppress": [{ "rule": "B24P305", "at": "migrations[1]", "reason": "table is empty in production" }]
        }

        """
    /// The plan is named after its version (B24P109).
    static let planPath = "plans/acme.example/1.3.0.json"
    static let sql1 = "CREATE TABLE deal_links (id TEXT PRIMARY KEY, member_id TEXT NOT NULL);\n"
    static let sql2 = "-- Заполнить\nUPDATE deal_links SET status = 'linked'\r\nWHERE member_id = :member_id;\n"

    @Test func theUnmutatedPlanIsClean() {
        let result = Lint.run(
            plan: Self.plan, files: ["migrations/0001.sql": Self.sql1, "migrations/0002.sql": Self.sql2], path: Self.planPath)
        // The suppression matches nothing in this clean plan.
        #expect(result.codes == ["B24P011"], "\(result.listing)")
    }

    /// The plan, a published 1.0.0 of the same app and the two migration files.
    static func fileSystem(plan bytes: [UInt8]) -> InMemoryFileSystem {
        var fileSystem = InMemoryFileSystem([
            "plans/acme.example/migrations/0001.sql": sql1, "plans/acme.example/migrations/0002.sql": sql2,
            Lint.previousPath: PlanText.previous(["app": "\"acme.dealsync\"", "minimumBitrix24Version": "\"24.100.0\""]),
        ])
        fileSystem.files[planPath] = bytes
        return fileSystem
    }

    @Test(.timeLimit(.minutes(3)))
    func mutationsOfAValidPlan() {
        var random = LCG(state: 20_240_300)
        let original = Array(Self.plan.utf8)
        let baseline = Linter(fileSystem: Self.fileSystem(plan: original)).lint(path: Self.planPath).codes
        #expect(baseline == ["B24P103", "B24P401", "B24P011"])
        var failures: [String] = []
        var changedOutcome = 0
        for round in 0..<3_000 {
            var bytes = original
            for _ in 0...random.below(3) {
                let position = random.below(bytes.count + 1)
                let byte = random.below(4) == 0 ? UInt8(random.below(256)) : Self.alphabet[random.below(Self.alphabet.count)]
                switch random.below(3) {
                case 0 where position < bytes.count: bytes.remove(at: position)
                case 1 where position < bytes.count: bytes[position] = byte
                default: bytes.insert(byte, at: position)
                }
            }
            let result = Linter(fileSystem: Self.fileSystem(plan: bytes)).lint(path: Self.planPath)
            if result.codes != baseline { changedOutcome += 1 }
            for diagnostic in result.diagnostics {
                guard let source = result.sources[diagnostic.file] else {
                    failures.append("round \(round): no source for \(diagnostic.brief)")
                    continue
                }
                failures += Self.locationProblems(diagnostic, in: source).map { "round \(round): \($0)" }
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(5).joined(separator: "\n"))")
        #expect(changedOutcome > 1_000, "most mutations should be reported")
    }
}
