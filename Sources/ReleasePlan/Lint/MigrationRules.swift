import Foundation

/// B24P301–B24P304: migration numbering, files, digests, and published migrations left alone.
struct MigrationRules: LintRule {
    static let createTable = "CREATE TABLE deal_links (id TEXT PRIMARY KEY, member_id TEXT NOT NULL);\n"
    static let createTableDigest = SHA256.hex(Array(createTable.utf8))

    func check(_ context: LintContext) -> [Diagnostic] {
        guard context.document.isIntact("migrations") else { return [] }
        return numbering(context) + files(context) + published(context)
    }

    private func numbering(_ context: LintContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var seen: [Int: Int] = [:]
        var reportedGap = false
        for (index, migration) in context.plan.migrations.enumerated() {
            let path: JSONPath = ["migrations", .index(index), "id"]
            if let first = seen[migration.id] {
                diagnostics.append(
                    context.diagnostic("B24P301", PlanMessages.duplicateMigrationID(migration.id, first: first), at: path))
                continue
            }
            seen[migration.id] = index
            let expected = seen.count
            if migration.id != expected, !reportedGap {
                reportedGap = true
                diagnostics.append(
                    context.diagnostic("B24P301", PlanMessages.migrationIDOutOfSequence(migration.id, expected: expected), at: path))
            }
        }
        return diagnostics
    }

    private func files(_ context: LintContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        // Needed only for a digest that does not match its file (rare): built then, once.
        var publishedDigests: [Int: String?]?
        for (index, migration) in context.plan.migrations.enumerated() {
            let path: JSONPath = ["migrations", .index(index)]
            if let error = context.migrationFileErrors[index] {
                let notes = error.isOutsideProject ? [PlanMessages.projectRootNote] : []
                diagnostics.append(context.diagnostic("B24P302", error.description, at: path / "file", notes: notes))
                continue
            }
            guard let file = context.migrationFiles[index] else { continue }
            let digest = context.migrationDigests[index] ?? SHA256.hex(file.bytes)
            guard let declared = migration.sha256 else {
                diagnostics.append(
                    context.diagnostic(
                        "B24P303", PlanMessages.digestMissing(migration.file, digest: digest, advice: advice(context, migration)),
                        at: path))
                continue
            }
            guard !Self.sameDigest(declared, digest) else { continue }
            if publishedDigests == nil { publishedDigests = Self.publishedDigests(context) }
            if let published = publishedDigests?[migration.id] ?? nil, declared.lowercased() == published {
                // The entry is as published but the file is not: the published migration was edited.
                diagnostics.append(
                    context.diagnostic(
                        "B24P304", PlanMessages.publishedMigrationFileEdited(migration.id, file: migration.file, digest: digest),
                        at: path / "sha256"))
            } else {
                diagnostics.append(
                    context.diagnostic(
                        "B24P303", PlanMessages.digestMismatch(migration.file, digest: digest, advice: advice(context, migration)),
                        at: path / "sha256"))
            }
        }
        return diagnostics
    }

    /// Whether two hex digests are the same, case aside; equal texts answer without lowercasing.
    static func sameDigest(_ a: String?, _ b: String?) -> Bool {
        a == b || a?.lowercased() == b?.lowercased()
    }

    /// What a B24P303 message advises: `lint --fix` only where the fixer writes (DigestFixer).
    private func advice(_ context: LintContext, _ migration: Migration) -> PlanMessages.DigestAdvice {
        if context.publishedMigrationIDs.contains(migration.id) { return .published(migration.id) }
        if let reason = context.releaseStatus.reason { return .released(reason) }
        return .fix
    }

    /// The sha256 the published plan gives each migration id (lowercased; nil when its first
    /// entry with that id has none).
    private static func publishedDigests(_ context: LintContext) -> [Int: String?] {
        guard let previous = context.previous else { return [:] }
        var digests: [Int: String?] = [:]
        for migration in previous.plan.migrations where digests[migration.id] == nil {
            digests[migration.id] = .some(migration.sha256?.lowercased())
        }
        return digests
    }

    private func published(_ context: LintContext) -> [Diagnostic] {
        guard let previous = context.previous, previous.isIntact("migrations") else { return [] }
        var diagnostics: [Diagnostic] = []
        let current = context.plan.migrations
        var indexByID: [Int: Int] = [:]
        for (index, migration) in current.enumerated() where indexByID[migration.id] == nil { indexByID[migration.id] = index }
        for old in previous.plan.migrations {
            if let index = indexByID[old.id] {
                let edits = Self.edits(from: old, to: current[index])
                if !edits.isEmpty {
                    diagnostics.append(
                        context.diagnostic(
                            "B24P304", PlanMessages.publishedMigrationEdited(old.id, name: old.name, edits: edits),
                            at: ["migrations", .index(index)]))
                }
            } else if let index = current.firstIndex(where: { $0.name == old.name || ($0.sha256 != nil && $0.sha256 == old.sha256) }) {
                diagnostics.append(
                    context.diagnostic(
                        "B24P304", PlanMessages.publishedMigrationRenumbered(old.name, from: old.id, to: current[index].id),
                        at: ["migrations", .index(index), "id"]))
            } else {
                diagnostics.append(
                    context.diagnostic("B24P304", PlanMessages.publishedMigrationRemoved(old.id, name: old.name), at: ["migrations"]))
            }
        }
        return diagnostics
    }

    /// The fields of a published migration that differ ("name", "sha256", …); `batchSize` may change.
    static func edits(from old: Migration, to new: Migration) -> [String] {
        var edits: [String] = []
        if old.name != new.name { edits.append("name") }
        // A moved file with the same bytes (same sha256) is not an edit: the history keys by id and checksum.
        let sameDigest = Self.sameDigest(old.sha256, new.sha256)
        let sameBytes = old.sha256 != nil && sameDigest
        if old.file != new.file && FilePath.normalize(old.file) != FilePath.normalize(new.file) && !sameBytes { edits.append("file") }
        if !sameDigest { edits.append("sha256") }
        if old.perPortal != new.perPortal { edits.append("perPortal") }
        if old.transaction != new.transaction { edits.append("transaction") }
        return edits
    }

    var documentation: [RuleDocumentation] {
        let file = ["migrations/0001_create_deal_links.sql": Self.createTable]
        let migration =
            "{ \"id\": 1, \"name\": \"create_deal_links\", \"file\": \"migrations/0001_create_deal_links.sql\", \"sha256\": \"\(Self.createTableDigest)\" }"
        return [
            RuleDocumentation(
                "B24P301",
                explanation: """
                    `migrations` is the cumulative list since the first release, numbered 1, 2, 3, … without gaps \
                    or repeats, so that every database applies them in the same order.
                    """,
                bad: RuleExample(
                    plan: ExamplePlan.json(["migrations": "[\(migration.replacingFirst("\"id\": 1", with: "\"id\": 2"))]"]), files: file),
                good: RuleExample(plan: ExamplePlan.json(["migrations": "[\(migration)]"]), files: file)),
            RuleDocumentation(
                "B24P302",
                explanation: """
                    A migration's `file` is relative to the plan file and must exist and be readable. It must \
                    also stay inside the project, after symbolic links are resolved: an absolute path, a path \
                    climbing out with `..`, or a link to a file outside is refused and never read. The project \
                    is the nearest folder above the plan file holding `.git`, else the parent of the plan's folder.
                    """,
                bad: RuleExample(plan: ExamplePlan.json(["migrations": "[\(migration)]"])),
                good: RuleExample(plan: ExamplePlan.json(["migrations": "[\(migration)]"]), files: file)),
            RuleDocumentation(
                "B24P303",
                explanation: """
                    Each migration records the SHA-256 of its file, so that an edit after review is noticed. \
                    The message prints the file's digest; `b24plan lint --fix` writes it for migrations that are \
                    not yet published, in a plan that is not yet released. A published migration (one in the \
                    previous plan), or any migration of a released plan (a later plan of the app lies beside \
                    it, or the state store recorded it as published), keeps its digest: the file was edited \
                    after it ran, so restore the file and add a new migration instead (B24P304).
                    """,
                bad: RuleExample(
                    plan: ExamplePlan.json([
                        "migrations":
                            "[{ \"id\": 1, \"name\": \"create_deal_links\", \"file\": \"migrations/0001_create_deal_links.sql\" }]"
                    ]),
                    files: file),
                good: RuleExample(plan: ExamplePlan.json(["migrations": "[\(migration)]"]), files: file)),
            RuleDocumentation(
                "B24P304",
                explanation: """
                    A migration that was published has run on production databases. Editing, removing or \
                    renumbering it makes the history disagree with the databases; write a new migration instead.
                    """,
                bad: RuleExample(
                    plan: ExamplePlan.json([
                        "migrations": "[\(migration.replacingFirst("create_deal_links\", \"file", with: "create_links\", \"file"))]"
                    ]),
                    previous: ExamplePlan.previous(["migrations": "[\(migration)]"]), files: file),
                good: RuleExample(
                    plan: ExamplePlan.json(["migrations": "[\(migration)]"]),
                    previous: ExamplePlan.previous(["migrations": "[\(migration)]"]), files: file)),
        ]
    }
}

extension String {
    /// The string with the first occurrence of `target` replaced.
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
