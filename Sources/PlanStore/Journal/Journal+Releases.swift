import ReleasePlan

/// Release history (DESIGN §3 "Published", §7): a version is published once its run passed
/// `gate.moderation`, or `baseline` recorded it. The store keeps each published plan's bytes, so
/// history and the comparison baseline survive deleted or edited files. Pre-releases are never
/// published.
extension Journal {
    public enum ReleaseState: String, Sendable, CaseIterable {
        case published
        /// Its bindings were rolled back to an older release (`apply --rollback`).
        case rolledBack = "rolled-back"
    }

    public struct Release: Sendable, Equatable {
        public var app: String
        public var version: String
        public var state: ReleaseState
        public var updateType: String?
        public var planSHA256: String
        /// The plan file's bytes (UTF-8 JSON) as published.
        public var planJSON: String
        /// Where the plan was when it was published (for messages; the file may be gone).
        public var planPath: String?
        public var publishedAt: String
        /// `apply` (its run passed gate.moderation) or `baseline`.
        public var recordedBy: String
        public var runID: Int?
        public var rolledBackTo: String?
        public var rolledBackAt: String?
    }

    private static let releaseColumns =
        "app, version, state, update_type, plan_sha256, plan_json, plan_path, published_at, recorded_by, run_id, rolled_back_to, rolled_back_at"

    private func release(from row: SQLRow) -> Release {
        Release(
            app: row["app"].string ?? "", version: row["version"].string ?? "",
            state: ReleaseState(rawValue: row["state"].string ?? "") ?? .published, updateType: row["update_type"].string,
            planSHA256: row["plan_sha256"].string ?? "", planJSON: row["plan_json"].string ?? "", planPath: row["plan_path"].string,
            publishedAt: row["published_at"].string ?? "", recordedBy: row["recorded_by"].string ?? "", runID: row["run_id"].int,
            rolledBackTo: row["rolled_back_to"].string, rolledBackAt: row["rolled_back_at"].string)
    }

    /// Records (app, version) as published with its plan's bytes. A pre-release is never recorded
    /// (returns false); recording a version again keeps the first record.
    @discardableResult
    public func recordPublished(
        app: String, version: String, planSHA256: String, planJSON: String, planPath: String?, updateType: String?, recordedBy: String,
        runID: Int?
    ) throws -> Bool {
        guard !Self.isPreRelease(version) else { return false }
        let changed = try database.execute(
            database.dialect.insertIgnoringDuplicates(
                """
                INSERT INTO b24plan_releases (app, version, state, update_type, plan_sha256, plan_json, plan_path, published_at, recorded_by, run_id)
                VALUES (?, ?, 'published', ?, ?, ?, ?, ?, ?, ?)
                """, conflict: ["app", "version"]),
            [
                .text(app), .text(version), SQLValue(updateType), .text(planSHA256), .text(planJSON), SQLValue(planPath), .text(timestamp),
                .text(recordedBy), runID.map(SQLValue.init) ?? .null,
            ])
        return changed > 0
    }

    /// Every recorded release of `app` (or of every app), newest version first (semver order).
    public func releases(app: String? = nil) throws -> [Release] {
        let rows: [SQLRow]
        if let app {
            rows = try database.query("SELECT \(Self.releaseColumns) FROM b24plan_releases WHERE app = ?", [.text(app)])
        } else {
            rows = try database.query("SELECT \(Self.releaseColumns) FROM b24plan_releases")
        }
        return rows.map(release(from:)).sorted {
            Self.isNewer($0.version, than: $1.version) || ($0.version == $1.version && $0.app < $1.app)
        }
    }

    public func release(app: String, version: String) throws -> Release? {
        try database.query(
            "SELECT \(Self.releaseColumns) FROM b24plan_releases WHERE app = ? AND version = ?", [.text(app), .text(version)]
        ).first.map(release(from:))
    }

    /// The newest published version of `app` (rolled back ones count: the Marketplace still has them).
    public func newestPublished(app: String) throws -> Release? {
        try releases(app: app).first
    }

    /// Marks `version` rolled back to `older` (its bindings were restored on the portals).
    public func markRolledBack(app: String, version: String, to older: String) throws {
        try database.execute(
            "UPDATE b24plan_releases SET state = 'rolled-back', rolled_back_to = ?, rolled_back_at = ? WHERE app = ? AND version = ?",
            [.text(older), .text(timestamp), .text(app), .text(version)])
    }

    /// Whether `version` has a pre-release part (`2.0.0-rc.1`): never published, never a baseline.
    public static func isPreRelease(_ version: String) -> Bool {
        guard case .semantic(let semantic)? = Version(version, scheme: .semver) else { return false }
        return !semantic.prerelease.isEmpty
    }

    /// Semver precedence where both parse; otherwise dot-separated numeric comparison (`free`).
    public static func isNewer(_ lhs: String, than rhs: String) -> Bool {
        if let left = Version(lhs, scheme: .semver), let right = Version(rhs, scheme: .semver) { return left.isGreater(than: right) }
        if let left = Version(lhs, scheme: .free), let right = Version(rhs, scheme: .free) { return left.isGreater(than: right) }
        return lhs > rhs
    }

    /// The run version of a rollback to `version`: the open one to resume, else the next
    /// `<version>+rollback.<n>` (build metadata: it sorts with the version it restores).
    public func rollbackRunVersion(app: String, to version: String) throws -> String {
        try sideRunVersion(app: app, of: version, kind: .rollback)
    }

    /// The run version of a bulk repair of `version`: the open one to resume, else the next
    /// `<version>+repair.<n>`.
    public func repairRunVersion(app: String, of version: String) throws -> String {
        try sideRunVersion(app: app, of: version, kind: .repair)
    }

    /// `<version>+<kind>.<n>`: the open run of that kind to resume, else the next number.
    private func sideRunVersion(app: String, of version: String, kind: RunKind) throws -> String {
        let prefix = version + "+" + kind.rawValue + "."
        let earlier = try runs(app: app).filter { $0.kind == kind && $0.version.hasPrefix(prefix) }
        if let open = earlier.last(where: { $0.state.isOpen }) { return open.version }
        let next = (earlier.compactMap { Int($0.version.dropFirst(prefix.count)) }.max() ?? 0) + 1
        return prefix + String(next)
    }
}
