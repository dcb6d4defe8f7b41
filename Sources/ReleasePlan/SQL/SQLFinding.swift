/// One risky clause found in migration SQL, located by byte offset and length (0-based bytes).
///
/// ``offset`` points at the first keyword of the offending clause and ``length`` spans the
/// clause keywords to underline (for example `DROP TABLE`, `RENAME COLUMN`, `SET NOT NULL`).
/// ``subject`` is human text with keywords uppercased and names spelled as in the source,
/// quotes included (`DROP TABLE "Deal Links"`, `ALTER COLUMN status TYPE`).
public struct SQLFinding: Sendable, Equatable, Hashable {
    /// The rule a finding belongs to (no units; one value per finding).
    public enum Kind: String, Sendable, Equatable, Hashable, CaseIterable {
        /// Data loss: `DROP TABLE`, `ALTER TABLE … DROP [COLUMN] x`, `TRUNCATE [TABLE]`.
        case destructive
        /// Breaks code still running against the old schema: renames, column type changes,
        /// `SET NOT NULL`, and `ADD COLUMN … NOT NULL` without `DEFAULT`.
        case incompatible
        /// `CREATE [UNIQUE] INDEX` without `CONCURRENTLY`, which locks writes while building.
        case indexWithoutConcurrently
        /// `CREATE INDEX CONCURRENTLY` or `DROP INDEX CONCURRENTLY`; these cannot run inside a
        /// transaction block, so the migration runner must execute them outside one.
        case concurrentIndex
        /// `UPDATE` whose main statement has no top-level `WHERE`.
        case updateWithoutWhere
        /// `DELETE` whose main statement has no top-level `WHERE`.
        case deleteWithoutWhere
        /// MySQL: a DDL statement after another DDL statement or a data change, or a data change
        /// after DDL, in one migration (each DDL statement commits implicitly).
        case nonAtomicDDL
        /// MySQL: `ALTER TABLE` on a table the migration did not create, without both
        /// `ALGORITHM=INSTANT|INPLACE` and `LOCK=NONE`.
        case alterWithoutOnlineDDL

        /// One-line English explanation of the rule, suitable for a report line.
        public var summary: String {
            switch self {
            case .destructive:
                return "destroys data that the previous release may still read"
            case .incompatible:
                return "changes the schema incompatibly for the previous release"
            case .indexWithoutConcurrently:
                return "builds an index without CONCURRENTLY and blocks writes"
            case .concurrentIndex:
                return "uses CONCURRENTLY and must run outside a transaction"
            case .updateWithoutWhere:
                return "updates every row: no top-level WHERE"
            case .deleteWithoutWhere:
                return "deletes every row: no top-level WHERE"
            case .nonAtomicDDL:
                return "is not atomic on MySQL: each DDL statement commits implicitly"
            case .alterWithoutOnlineDDL:
                return "may copy the table and block writes on MySQL"
            }
        }
    }

    /// The rule this finding belongs to.
    public let kind: Kind
    /// Start of the offending clause (byte offset, 0-based).
    public let offset: Int
    /// Bytes to underline from ``offset`` (byte count), covering the clause keywords.
    public let length: Int
    /// Human text naming the clause, such as `DROP TABLE deal_links` or `UPDATE deals`.
    public let subject: String
    /// Table the clause acts on, spelled as in the source (quotes kept); nil when unknown.
    public let table: String?

    /// Creates a finding at `offset` spanning `length` bytes (byte offset, 0-based).
    public init(kind: Kind, offset: Int, length: Int, subject: String, table: String? = nil) {
        self.kind = kind
        self.offset = offset
        self.length = length
        self.subject = subject
        self.table = table
    }

    /// Bytes to underline (byte offsets, 0-based, half-open).
    public var range: Range<Int> { offset..<(offset + length) }

    /// The underlined source text, decoded as UTF-8 (empty when out of bounds).
    public func underlinedText(in source: [UInt8]) -> String {
        let clamped = range.clamped(to: 0..<source.count)
        return String(decoding: source[clamped], as: UTF8.self)
    }
}

extension SQLFinding: CustomStringConvertible {
    /// `kind at offset+length: subject`, for diagnostics and test failure messages.
    public var description: String {
        "\(kind.rawValue) at \(offset)+\(length): \(subject)"
    }
}
