import Foundation

/// Groups problem portals by (state, cause) for the report: the largest groups first, each with
/// its first members in member-id order. Bounded for any fleet: at most `groupLimit` groups and
/// `MemberList.cap` members each are kept; the rest are counted.
public enum FailureGrouping {
    /// The most groups a report shows.
    public static let groupLimit = 40

    /// One portal that did not end done.
    public struct Problem: Sendable, Equatable {
        public var memberID: String
        public var state: String
        public var lastError: String?

        public init(memberID: String, state: String, lastError: String?) {
            self.memberID = memberID
            self.state = state
            self.lastError = lastError
        }
    }

    /// `problems` grouped (hosts are filled in later, by who can read the installations).
    public static func group(_ problems: [Problem]) -> RunReport.Failures {
        struct Key: Hashable {
            var state: String
            var cause: String
        }
        var groups: [Key: (count: Int, example: String, members: [String])] = [:]
        // Many portals fail with the same text: each distinct text is read once.
        var causes: [String: String] = [:]
        // Member-id order, so each group's first members and example do not depend on the input's.
        for problem in problems.sorted(by: { ($0.memberID, $0.state) < ($1.memberID, $1.state) }) {
            let text = problem.lastError ?? ""
            let cause = causes[text] ?? FailureCause.of(problem.lastError)
            causes[text] = cause
            let key = Key(state: problem.state, cause: cause)
            var group = groups[key] ?? (0, problem.lastError ?? "", [])
            group.count += 1
            if group.members.count < MemberList.cap { group.members.append(problem.memberID) }
            groups[key] = group
        }
        let order = groups.sorted {
            ($1.value.count, $0.key.state, $0.key.cause) < ($0.value.count, $1.key.state, $1.key.cause)
        }
        let shown = order.prefix(groupLimit).map { key, group in
            RunReport.FailureGroup(
                cause: key.cause, state: key.state, count: group.count, example: group.example,
                members: group.members.map { RunReport.Member(memberId: $0, host: nil) }, more: group.count - group.members.count)
        }
        let hidden = order.dropFirst(groupLimit)
        return RunReport.Failures(
            portals: problems.count, groups: Array(shown), hiddenGroups: hidden.count,
            hiddenPortals: hidden.reduce(0) { $0 + $1.value.count })
    }

    /// Installations lacking each scope, from the scope audit's `missing_scopes` (comma-separated
    /// per member), scopes in name order.
    public static func missingScopes(_ tasks: [(memberID: String, missingScopes: String?)]) -> [RunReport.ScopeGroup] {
        var groups: [String: (count: Int, members: [String])] = [:]
        for task in tasks.sorted(by: { $0.memberID < $1.memberID }) {
            for scope in (task.missingScopes ?? "").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) })
            where !scope.isEmpty {
                var group = groups[scope] ?? (0, [])
                group.count += 1
                if group.members.count < MemberList.cap { group.members.append(task.memberID) }
                groups[scope] = group
            }
        }
        return groups.keys.sortedByUTF8().map { scope in
            let group = groups[scope]!
            return RunReport.ScopeGroup(
                scope: scope, count: group.count, members: group.members.map { RunReport.Member(memberId: $0, host: nil) },
                more: group.count - group.members.count)
        }
    }
}
