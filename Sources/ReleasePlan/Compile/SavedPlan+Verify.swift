import Foundation

/// `apply SAVED` runs what its inputs compile to, never the saved steps as such: the plan is
/// linted and compiled again (with the saved compiler options and the saved published plan), and
/// refused when the result differs from what was saved and reviewed.
extension SavedPlan {
    /// The result of compiling the saved inputs again.
    public struct Recompiled: Sendable {
        /// The lint of the plan file (its errors stop the compilation).
        public var lint: Linter.Result
        /// Nil when lint found errors.
        public var compiled: CompiledPlan?
        /// Where the plan file is (resolved against the saved file's folder).
        public var planPath: String
    }

    /// Lints and compiles the plan input again, against the saved published plan (none: the folder
    /// is searched as for a plan file), with the saved compiler options. Paths resolve against
    /// `directory`, the saved file's folder.
    ///
    /// A plan saved against the store's published plan (`publishedInput`) needs that same plan in
    /// `history`: refused when the store's newest plan of the app is another one now.
    public func recompile(in directory: String, fileSystem: any FileSystem, history: PublishedHistory? = nil) throws -> Recompiled {
        guard let plan = inputs.first(where: { $0.role == .plan }) else {
            throw LoadError(message: "the saved plan names no plan file")
        }
        let planPath = location(of: plan, in: directory)
        let against = inputs.first { $0.role == .previous }.map { location(of: $0, in: directory) }
        var storeHistory: PublishedHistory?
        if let published = publishedInput {
            var current = history?.newest[compiled.app]
            storeHistory = history
            // Its own run published this release since it was saved (gate.moderation passed): it is
            // still compiled against the release it was saved against, if the store keeps it unchanged.
            if current?.label == PublishedPlan.label(app: compiled.app, version: compiled.to), var earlier = history,
                let kept = earlier.plans.first(where: { $0.key.app == compiled.app && SHA256.hex($0.value.bytes) == published.sha256 })?
                    .value
            {
                earlier.newest[compiled.app] = kept
                storeHistory = earlier
                current = kept
            }
            guard let current, SHA256.hex(current.bytes) == published.sha256 else {
                throw LoadError(
                    message: "the saved plan was compiled against \(published.path), but the state store's newest published plan of "
                        + "\(compiled.app) is \(current?.label ?? "none") now: run b24plan diff --out again")
            }
        }
        let outcome = compiler.compiler.compile(path: planPath, against: against, history: storeHistory, fileSystem: fileSystem)
        return Recompiled(lint: outcome.lint, compiled: outcome.compiled, planPath: planPath)
    }

    /// Why the saved compiled plan is not what its inputs compile to, naming the first difference
    /// (a step by id and the field that differs, else the field of the plan); nil when they agree.
    public func difference(from recompiled: CompiledPlan) -> String? {
        guard let what = compiled.firstDifference(from: recompiled) else { return nil }
        let versions =
            b24planVersion == B24PlanVersion.current ? "" : " (saved by b24plan \(b24planVersion), this is \(B24PlanVersion.current))"
        return "the saved plan does not match what its inputs compile to\(versions): \(what); "
            + "run b24plan diff --out again and review it"
    }
}

extension CompiledPlan {
    /// The first difference between this plan (as saved) and `other` (compiled from the inputs):
    /// "step deploy: command differs (saved […], from the inputs […])"; nil when they are equal.
    public func firstDifference(from other: CompiledPlan) -> String? {
        guard self != other else { return nil }
        let ids = steps.map(\.id), otherIDs = other.steps.map(\.id)
        if ids != otherIDs {
            if let extra = ids.first(where: { !otherIDs.contains($0) }) {
                return "step \(extra) is in the saved plan but not among the steps its inputs compile to"
            }
            if let missing = otherIDs.first(where: { !ids.contains($0) }) {
                return "step \(missing) is missing from the saved plan"
            }
            return "the steps are in another order (saved: \(ids.joined(separator: ", ")); "
                + "from the inputs: \(otherIDs.joined(separator: ", ")))"
        }
        for (saved, fresh) in zip(steps, other.steps) where saved != fresh {
            let found = JSONDifference.first(Self.tree(saved), Self.tree(fresh))
            return "step \(saved.id): " + (found.map(\.phrase) ?? "its fields differ")
        }
        return JSONDifference.first(Self.tree(self), Self.tree(other))?.phrase ?? "the compiled plan differs"
    }

    /// A value as the JSON tree the saved file holds.
    private static func tree(_ value: some Encodable) -> Any? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(value) else { return nil }
        return try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    }
}

/// The first place two JSON trees differ: objects are compared key by key (sorted), arrays of
/// objects element by element; other values (arrays of scalars included) are compared whole.
struct JSONDifference {
    var path: String
    var saved: Any?
    var fresh: Any?

    var phrase: String {
        "\(path.isEmpty ? "the plan" : path) differs (saved \(Self.render(saved)), from the inputs \(Self.render(fresh)))"
    }

    static func first(_ saved: Any?, _ fresh: Any?, path: String = "") -> JSONDifference? {
        switch (saved, fresh) {
        case (let a as [String: Any], let b as [String: Any]):
            for key in Set(a.keys).union(b.keys).sorted() {
                if let found = first(a[key], b[key], path: path.isEmpty ? key : path + "." + key) { return found }
            }
            return nil
        case (let a as [Any], let b as [Any]) where a.count == b.count && (a + b).allSatisfy({ $0 is [String: Any] }) && !a.isEmpty:
            for (index, pair) in zip(a, b).enumerated() {
                if let found = first(pair.0, pair.1, path: "\(path)[\(index)]") { return found }
            }
            return nil
        default:
            return render(saved) == render(fresh) ? nil : JSONDifference(path: path, saved: saved, fresh: fresh)
        }
    }

    /// Compact JSON, at most 160 characters; "nothing" for an absent value.
    static func render(_ value: Any?) -> String {
        guard let value else { return "nothing" }
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys]) else {
            return "\(value)"
        }
        let text = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\\/", with: "/")
        return text.count > 160 ? String(text.prefix(157)) + "…" : text
    }
}
