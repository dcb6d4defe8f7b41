/// `lint --format gitlab`: a GitLab Code Quality report (`artifacts:reports:codequality`), the
/// subset of the Code Climate issue format GitLab reads: a JSON array of
/// `{"description", "check_name", "fingerprint", "severity", "location": {"path", "lines": {"begin"}}}`.
///
/// - `severity`: error → `major`, warning → `minor`, note → `info` (GitLab's scale is info, minor,
///   major, critical, blocker).
/// - `fingerprint`: SHA-256 (hex) of the rule, the file and the JSON path, and the finding's rank
///   among those with the same three (0 for the first): no line or message, so a finding keeps its
///   fingerprint when lines move above it, and GitLab's merge-request widget tells new findings from
///   fixed ones; the rank keeps two findings at one path apart (GitLab shows one per fingerprint).
/// - `location.path`: relative to the working directory, as GitLab wants paths from the repository
///   root (run lint from there): `./` and `..` segments are resolved, an absolute path under the
///   working directory is made relative.
public enum GitLabCodeQualityRenderer {
    struct Issue: Encodable {
        var description: String
        var checkName: String
        var fingerprint: String
        var severity: String
        var location: Location

        enum CodingKeys: String, CodingKey {
            case description, fingerprint, severity, location
            case checkName = "check_name"
        }
    }

    struct Location: Encodable {
        var path: String
        var lines: Lines
    }

    struct Lines: Encodable {
        /// 1-based.
        var begin: Int
    }

    /// The report of `diagnostics`, in their order; `workingDirectory` (absolute) is what paths are
    /// made relative to.
    public static func render(_ diagnostics: [Diagnostic], workingDirectory: String? = nil) throws -> String {
        var seen: [String: Int] = [:]
        let issues = diagnostics.map { diagnostic -> Issue in
            let path = reportPath(diagnostic.file, workingDirectory: workingDirectory)
            let key = [diagnostic.rule.rawValue, path, diagnostic.path].joined(separator: "\u{0}")
            let rank = seen[key, default: 0]
            seen[key] = rank + 1
            var description = "\(diagnostic.rule.rawValue): \(diagnostic.message)"
            for note in diagnostic.notes { description += " — \(note)" }
            return Issue(
                description: description, checkName: diagnostic.rule.rawValue,
                fingerprint: SHA256.hex(Array((key + "\u{0}\(rank)").utf8)), severity: severity(diagnostic.severity),
                location: Location(path: path, lines: Lines(begin: max(diagnostic.line, 1))))
        }
        return try JSONOutput.encode(issues)
    }

    /// GitLab's name for a severity.
    static func severity(_ severity: Severity) -> String {
        switch severity {
        case .error: return "major"
        case .warning: return "minor"
        case .note: return "info"
        }
    }

    /// `file` as a path from the working directory: normalised, and relative when it lies under it.
    static func reportPath(_ file: String, workingDirectory: String?) -> String {
        let normalized = FilePath.normalize(file)
        guard normalized.hasPrefix("/"), let workingDirectory else { return normalized }
        let base = FilePath.normalize(workingDirectory)
        let prefix = base == "/" ? "/" : base + "/"
        return normalized.hasPrefix(prefix) ? String(normalized.dropFirst(prefix.count)) : normalized
    }
}
