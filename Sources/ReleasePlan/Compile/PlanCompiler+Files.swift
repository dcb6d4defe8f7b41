/// Lint, then compile, from the plan's path: what `diff`, `graph` and `apply` share.
extension PlanCompiler {
    /// A plan linted and, when lint found no error, compiled.
    public struct Outcome: Sendable {
        public var lint: Linter.Result
        /// Nil when the plan could not be read, parsed or decoded, or lint found errors.
        public var compiled: CompiledPlan?
    }

    /// Lints the plan at `path` and compiles it against its previous plan: `against`, else the
    /// state store's newest published plan of the app when `history` is given (see
    /// `PublishedHistory`), else the one found in its folder. A plan that follows a rolled-back
    /// release reconciles every portal (`--reconcile always`).
    public func compile(
        path: String, against: String? = nil, history: PublishedHistory? = nil, fileSystem: any FileSystem = LocalFileSystem()
    ) -> Outcome {
        let result = Linter(fileSystem: fileSystem).lint(path: path, against: against, history: history)
        guard let context = result.context, !result.diagnostics.hasErrors else { return Outcome(lint: result, compiled: nil) }
        // After a rollback the portals hold an older release's bindings: reconcile every portal.
        var compiler = self
        if history?.followsRollback(context.plan) == true { compiler.reconcile = .always }
        return Outcome(lint: result, compiled: compiler.compile(context.plan, previous: context.previous?.plan))
    }
}
