import PlanStore
import ReleasePlan

/// `status --portals`: which portals are in which state and why, a page at a time in member-id
/// order (keyset paging: `--after` the last member shown), so 100,000 portals never sit in memory.
struct PortalList: Encodable {
    struct Entry: Encodable, Equatable {
        var memberId: String
        var host: String?
        var state: String
        var reason: String?
        var attempts: Int
        var updatedAt: String?

        enum CodingKeys: String, CodingKey { case memberId, host, state, reason, attempts, updatedAt }

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(memberId, forKey: .memberId)
            try container.encode(host, forKey: .host)
            try container.encode(state, forKey: .state)
            try container.encode(reason, forKey: .reason)
            try container.encode(attempts, forKey: .attempts)
            try container.encode(updatedAt, forKey: .updatedAt)
        }
    }

    var entries: [Entry]
    /// The last member id shown when more follow (pass it to `--after`), else nil.
    var nextAfter: String?

    static let states = ["done", "needs-reinstall", "inactive", "failed", "pending"]
    static let defaultLimit = 100

    /// - Parameters:
    ///   - includeUnreached: list the active installations the run has not reached as pending (its
    ///     reconcile has not finished).
    ///   - limit: most entries; 0 for all.
    static func build(
        run: Int, journal: Journal, installations: InstallationStore, state: String?, after: String?, limit: Int,
        includeUnreached: Bool
    ) throws -> PortalList {
        let wanted = state.flatMap(Journal.PortalState.init(rawValue:))
        let fetch = limit == 0 ? Int(Int32.max) : limit + 1
        // Unreached first, then the tasks: a portal an apply reaches in between shows up in both
        // (kept once, as its task), never in neither.
        var unreached: [String] = []
        if includeUnreached, wanted == nil || wanted == .pending {
            unreached = try installations.unreached(run: run, after: after, limit: fetch)
        }
        let tasks = try journal.reconcilePage(run: run, states: wanted.map { [$0] }, after: after, limit: fetch)
        let taskMembers = Set(tasks.map(\.memberID))
        unreached.removeAll { taskMembers.contains($0) }
        // Both lists are in member-id order: merge them.
        var rows: [Journal.PortalListRow] = []
        var (t, u) = (0, 0)
        while rows.count < fetch, t < tasks.count || u < unreached.count {
            if u >= unreached.count || (t < tasks.count && tasks[t].memberID < unreached[u]) {
                rows.append(tasks[t])
                t += 1
            } else {
                rows.append(Journal.PortalListRow(memberID: unreached[u], state: .pending))
                u += 1
            }
        }
        let more = limit > 0 && rows.count > limit
        if more { rows = Array(rows.prefix(limit)) }
        let members = rows.map(\.memberID)
        let endpoints = try installations.endpoints(memberIDs: members)
        let audited = try journal.auditedMissingScopes(run: run, members: members)
        let entries = rows.map { row in
            Entry(
                memberId: row.memberID, host: endpoints[row.memberID].flatMap(InstallationStore.host(ofEndpoint:)),
                state: row.state.rawValue, reason: reason(row, audited: audited[row.memberID]), attempts: row.attempts,
                updatedAt: row.updatedAt)
        }
        return PortalList(entries: entries, nextAfter: more ? members.last : nil)
    }

    /// Why the portal is where it is: the scopes its token lacks, the last error, or nil.
    static func reason(_ row: Journal.PortalListRow, audited: String?) -> String? {
        var parts: [String] = []
        let scopes = (row.missingScopes ?? "").split(separator: ",").map(String.init).filter { !$0.isEmpty }
        if !scopes.isEmpty { parts.append("missing scopes: " + scopes.joined(separator: ", ")) }
        if let error = row.lastError, !error.isEmpty, row.state != .done { parts.append(error) }
        let lacking = (audited ?? "").split(separator: ",").map(String.init).filter { !$0.isEmpty && !scopes.contains($0) }
        if !lacking.isEmpty { parts.append("lacks added scopes: " + lacking.joined(separator: ", ") + " (scope audit)") }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    func text(style: TextStyle) -> String {
        guard !entries.isEmpty else { return "\nno portals\n" }
        let headers = ["MEMBER ID", "HOST", "STATE", "ATTEMPTS", "UPDATED", "REASON"]
        // Member ids, hosts and error texts come from portals and the app's table: their control
        // characters are shown, never sent to the terminal.
        let rows = entries.map { entry in
            [
                entry.memberId.escapingControlCharacters, (entry.host ?? "—").escapingControlCharacters, entry.state,
                String(entry.attempts), entry.updatedAt ?? "—", Self.shortened((entry.reason ?? "").escapingControlCharacters, to: 100),
            ]
        }
        var widths = headers.map(\.count)
        for row in rows { for (index, cell) in row.enumerated().dropLast() { widths[index] = max(widths[index], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in index == cells.count - 1 ? cell : cell.padded(widths[index] + 2) }.joined()
                .trimmingTrailingSpaces()
        }
        var out = "\n" + style.bold(line(headers)) + "\n"
        for row in rows { out += line(row) + "\n" }
        if let nextAfter {
            out +=
                "… more: b24plan status --portals --after \(ShellQuoting.quote(nextAfter).escapingControlCharacters) (with the same --state and FILE)\n"
        }
        return out
    }

    /// `text` cut to `limit` characters with an ellipsis.
    static func shortened(_ text: String, to limit: Int) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        return flat.count <= limit ? flat : String(flat.prefix(limit - 1)) + "…"
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = self
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }
}
