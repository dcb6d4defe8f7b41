/// Result of analysing one migration SQL file (offsets inside findings are 0-based bytes).
///
/// Produced by ``SQLAnalyzer/analyze(_:)``. Findings are sorted by byte offset; findings
/// at the same offset keep the order in which their clauses appear in the statement.
public struct SQLAnalysis: Sendable, Equatable {
    /// Risky clauses in source order.
    public let findings: [SQLFinding]
    /// Named parameters used outside strings and comments, lowercased without the colon.
    public let namedParameters: Set<String>
    /// Number of non-empty statements (a lone `;` or a comment-only tail is not counted).
    public let statementCount: Int
    /// True when any string, quoted identifier, dollar string or block comment is unterminated.
    public let hasUnterminatedToken: Bool

    /// Creates an analysis result; `findings` should already be in source order.
    public init(
        findings: [SQLFinding],
        namedParameters: Set<String>,
        statementCount: Int,
        hasUnterminatedToken: Bool
    ) {
        self.findings = findings
        self.namedParameters = namedParameters
        self.statementCount = statementCount
        self.hasUnterminatedToken = hasUnterminatedToken
    }

    /// The analysis of an empty file: no findings, parameters or statements.
    public static let empty = SQLAnalysis(
        findings: [], namedParameters: [], statementCount: 0, hasUnterminatedToken: false
    )

    /// Findings of one rule, in source order.
    public func findings(of kind: SQLFinding.Kind) -> [SQLFinding] {
        findings.filter { $0.kind == kind }
    }

    /// True when at least one finding of `kind` exists.
    public func contains(_ kind: SQLFinding.Kind) -> Bool {
        findings.contains { $0.kind == kind }
    }

    /// Set of rules that produced at least one finding.
    public var kinds: Set<SQLFinding.Kind> {
        Set(findings.map(\.kind))
    }

    /// True when the migration must run outside a transaction block (uses `CONCURRENTLY`).
    public var requiresNonTransactionalRun: Bool {
        contains(.concurrentIndex)
    }

    /// Named parameters sorted alphabetically, for stable reports.
    public var sortedNamedParameters: [String] {
        namedParameters.sorted()
    }

    /// Named parameters from `declared` that the SQL never uses (lowercased comparison).
    public func unusedParameters(among declared: some Sequence<String>) -> [String] {
        declared.filter { !namedParameters.contains($0.lowercased()) }
    }

    /// Named parameters the SQL uses but `declared` does not provide (lowercased, sorted).
    public func undeclaredParameters(given declared: some Sequence<String>) -> [String] {
        let known = Set(declared.map { $0.lowercased() })
        return namedParameters.subtracting(known).sorted()
    }
}
