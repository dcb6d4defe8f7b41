/// The rules the release history imposes on starting work (DESIGN §7, issue 9): the Marketplace
/// never publishes a lower version, a published version is never started again, and a version
/// that is not yet published blocks the next one until it is published, rejected or abandoned.
public struct ReleaseGuard {
    public let journal: Journal

    public init(journal: Journal) {
        self.journal = journal
    }

    /// Why the history refuses what was asked; the message names both versions and the way out.
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        public var message: String
        /// The rule a refusal about the plan's version is reported under (B24P102).
        public var rule: String?
        public init(message: String, rule: String? = nil) {
            self.message = message
            self.rule = rule
        }
        public var description: String { message }
    }

    /// Checks that `apply` of (app, version) may start or resume. `planPath` names the plan in hints.
    public func checkApply(app: String, version: String, planPath: String) throws {
        if let newest = try journal.newestPublished(app: app) {
            if Journal.isNewer(newest.version, than: version) {
                throw Refusal(
                    message: "\(app) \(version) is lower than \(newest.version), which is published (\(newest.publishedAt)): "
                        + "the Marketplace never publishes a lower version. To restore an older release's placements and "
                        + "events, run b24plan apply --rollback \(planPath) (a published version); to fix forward, bump the version.",
                    rule: "B24P102")
            }
            if newest.version == version {
                let run = try journal.run(app: app, version: version)
                if run == nil || run?.state == .baseline {
                    throw Refusal(
                        message: "\(app) \(version) is already published (recorded by \(newest.recordedBy) at \(newest.publishedAt)); "
                            + "there is nothing to apply: write the next version's plan (b24plan bump patch \(planPath))",
                        rule: "B24P102")
                }
            }
        }
        if let own = try journal.run(app: app, version: version), own.kind == .release {
            if own.state == .abandoned {
                throw Refusal(
                    message: "\(app) \(version) was abandoned (\(own.updatedAt)): its run never starts again; "
                        + "bump the version (b24plan bump patch \(planPath)) and apply the new one",
                    rule: "B24P102")
            }
            return  // its own run resumes (or --retry), whatever else is open
        }
        for run in try journal.runs(app: app) where run.kind == .release && run.version != version && run.state.isOpen {
            guard !Journal.isPreRelease(run.version), try journal.release(app: app, version: run.version) == nil else { continue }
            throw Refusal(
                message: "\(app) \(run.version)'s run is not finished (\(run.state.rawValue)) and the version is not published: "
                    + "resume it with b24plan apply on its plan, record a rejection with b24plan gate reject gate.moderation, "
                    + "or end it with b24plan abandon on its plan; then \(version) can start")
        }
    }

    /// Checks that `apply --rollback` to (app, version) may start: a published version older than
    /// the newest published one.
    public func checkRollback(app: String, version: String) throws -> Journal.Release {
        guard let newest = try journal.newestPublished(app: app) else {
            throw Refusal(message: "nothing of \(app) is published in this store: there is nothing to roll back")
        }
        guard let target = try journal.release(app: app, version: version) else {
            throw Refusal(
                message: "\(app) \(version) was never published in this store, so it cannot be rolled back to "
                    + "(published: \(try journal.releases(app: app).map(\.version).joined(separator: ", ")))")
        }
        guard Journal.isNewer(newest.version, than: version) else {
            throw Refusal(message: "\(app) \(version) is the newest published version: there is nothing newer to roll back")
        }
        return target
    }

    /// Checks that `reconcile` may bind (app, version)'s placements and events on a portal: never
    /// a version older than the newest published one (it would unbind what that one added).
    public func checkReconcile(app: String, version: String) throws {
        // A portal installing or updating the app gets an approved release, never one still
        // waiting for its deploy, the partner account or moderation.
        if try journal.release(app: app, version: version) == nil,
            try journal.gate(app: app, version: version, step: "gate.moderation") == nil
        {
            throw Refusal(
                message: "\(app) \(version) has not passed moderation (gate.moderation) in this store: reconcile binds only an "
                    + "approved release on a portal; reconcile with the published plan, or pass the gates of \(version) first")
        }
        if let newest = try journal.newestPublished(app: app), Journal.isNewer(newest.version, than: version) {
            throw Refusal(
                message: "\(app) \(version) is older than \(newest.version), which is published: reconciling a portal to it would "
                    + "unbind what \(newest.version) added; reconcile with the plan of \(newest.version) (or newer)",
                rule: "B24P102")
        }
    }

    /// Checks that `baseline` may record (app, version): nothing newer is published already.
    public func checkBaseline(app: String, version: String) throws {
        if let newest = try journal.newestPublished(app: app), Journal.isNewer(newest.version, than: version) {
            throw Refusal(
                message: "\(app) \(newest.version) is already published in this store; \(version) is older and cannot be the live version")
        }
    }
}
