extension RunReport {
    /// The portals the reconcile did not finish as planned (failed, needs-reinstall, inactive),
    /// grouped by cause (`FailureCause`), largest group first.
    public struct Failures: Sendable, Equatable, Encodable {
        /// Portals in every group, the hidden ones included.
        public var portals: Int
        /// The groups shown (at most `FailureGrouping.groupLimit`).
        public var groups: [FailureGroup]
        /// Groups left out (the smallest ones), and how many portals they hold.
        public var hiddenGroups: Int
        public var hiddenPortals: Int

        public init(portals: Int, groups: [FailureGroup], hiddenGroups: Int, hiddenPortals: Int) {
            self.portals = portals
            self.groups = groups
            self.hiddenGroups = hiddenGroups
            self.hiddenPortals = hiddenPortals
        }
    }

    /// Portals in one state for one cause.
    public struct FailureGroup: Sendable, Equatable, Encodable {
        /// The normalised cause: an error code (`APPLICATION_NOT_FOUND`, `invalid_grant`) or a short phrase.
        public var cause: String
        /// `failed`, `needs-reinstall` or `inactive`.
        public var state: String
        public var count: Int
        /// One full error text of the group (the first member's), for the reader.
        public var example: String
        /// The first members in member-id order (at most `MemberList.cap`).
        public var members: [Member]
        /// Members not listed.
        public var more: Int

        public init(cause: String, state: String, count: Int, example: String, members: [Member], more: Int) {
            self.cause = cause
            self.state = state
            self.count = count
            self.example = example
            self.members = members
            self.more = more
        }
    }

    /// The installations lacking one scope the release added.
    public struct ScopeGroup: Sendable, Equatable, Encodable {
        public var scope: String
        public var count: Int
        /// The first members in member-id order (at most `MemberList.cap`).
        public var members: [Member]
        public var more: Int

        public init(scope: String, count: Int, members: [Member], more: Int) {
            self.scope = scope
            self.count = count
            self.members = members
            self.more = more
        }
    }

    /// One installation: its member id, and its portal's host when the installations table has it.
    public struct Member: Sendable, Equatable, Encodable {
        public var memberId: String
        public var host: String?

        public init(memberId: String, host: String?) {
            self.memberId = memberId
            self.host = host
        }

        enum CodingKeys: String, CodingKey { case memberId, host }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(memberId, forKey: .memberId)
            try container.encode(host, forKey: .host)
        }
    }
}

/// How many members a report lists per group; the rest are counted ("and N more").
public enum MemberList {
    public static let cap = 50
}
