/// A release version, parsed under the plan's versioning scheme.
public enum Version: Sendable, Equatable, CustomStringConvertible {
    case semantic(SemanticVersion)
    /// `versioning: free`: dot-separated segments.
    case free([String])

    /// Nil when `text` is not a version under `scheme`.
    public init?(_ text: String, scheme: Versioning) {
        switch scheme {
        case .semver:
            guard let version = SemanticVersion(text) else { return nil }
            self = .semantic(version)
        case .free:
            let segments = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard !text.isEmpty, segments.allSatisfy({ !$0.isEmpty && !$0.contains(where: \.isWhitespace) }) else {
                return nil
            }
            self = .free(segments)
        }
    }

    public var description: String {
        switch self {
        case .semantic(let version): return version.description
        case .free(let segments): return segments.joined(separator: ".")
        }
    }

    /// Whether this is a semver pre-release (`2.0.0-rc.1`): never published, never the previous plan
    /// of another (DESIGN §3). Free versions have no pre-releases.
    public var isPreRelease: Bool {
        if case .semantic(let version) = self { return !version.prerelease.isEmpty }
        return false
    }

    /// Whether neither version is greater than the other (semver precedence: build metadata ignored;
    /// free versions segment by segment, so `2024.10` equals `2024.10.0`).
    public func isEquivalent(to other: Version) -> Bool {
        !isGreater(than: other) && !other.isGreater(than: self)
    }

    /// Whether `self` is strictly greater (semver precedence, or segment by segment: numerically where
    /// both are numbers, else by text; a missing segment counts as 0).
    public func isGreater(than other: Version) -> Bool {
        switch (self, other) {
        case (.semantic(let a), .semantic(let b)): return b < a
        default: return Self.compareSegments(segments, other.segments) > 0
        }
    }

    var segments: [String] {
        switch self {
        case .semantic(let version): return [String(version.major), String(version.minor), String(version.patch)]
        case .free(let segments): return segments
        }
    }

    /// -1, 0 or 1.
    static func compareSegments(_ a: [String], _ b: [String]) -> Int {
        for index in 0..<max(a.count, b.count) {
            let left = index < a.count ? a[index] : "0"
            let right = index < b.count ? b[index] : "0"
            if let x = UInt64(left), let y = UInt64(right) {
                if x != y { return x < y ? -1 : 1 }
            } else if left != right {
                return left < right ? -1 : 1
            }
        }
        return 0
    }
}

/// `MAJOR.MINOR.PATCH[-prerelease][+build]` (semver 2.0.0; build metadata ignored in comparisons).
public struct SemanticVersion: Sendable, Equatable, Comparable, CustomStringConvertible {
    public var major: UInt64
    public var minor: UInt64
    public var patch: UInt64
    public var prerelease: [String]
    public var build: String?

    public init(major: UInt64, minor: UInt64, patch: UInt64, prerelease: [String] = [], build: String? = nil) {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.prerelease = prerelease
        self.build = build
    }

    public init?(_ text: String) {
        var core = Substring(text)
        var build: String?
        if let plus = core.firstIndex(of: "+") {
            let metadata = core[core.index(after: plus)...]
            guard Self.validIdentifiers(metadata, numericRule: false) else { return nil }
            build = String(metadata)
            core = core[..<plus]
        }
        var prerelease: [String] = []
        if let dash = core.firstIndex(of: "-") {
            let tail = core[core.index(after: dash)...]
            guard Self.validIdentifiers(tail, numericRule: true) else { return nil }
            prerelease = tail.split(separator: ".").map(String.init)
            core = core[..<dash]
        }
        let parts = core.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let major = Self.number(parts[0]), let minor = Self.number(parts[1]),
            let patch = Self.number(parts[2])
        else { return nil }
        self.init(major: major, minor: minor, patch: patch, prerelease: prerelease, build: build)
    }

    private static func number(_ part: Substring) -> UInt64? {
        guard !part.isEmpty, part.allSatisfy({ $0.isASCII && $0.isNumber }), part == "0" || part.first != "0" else {
            return nil
        }
        return UInt64(part)
    }

    private static func validIdentifiers(_ text: Substring, numericRule: Bool) -> Bool {
        let identifiers = text.split(separator: ".", omittingEmptySubsequences: false)
        return !text.isEmpty
            && identifiers.allSatisfy { identifier in
                guard !identifier.isEmpty,
                    identifier.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
                else { return false }
                let numeric = identifier.allSatisfy(\.isNumber)
                return !(numericRule && numeric && identifier.count > 1 && identifier.first == "0")
            }
    }

    public var description: String {
        var text = "\(major).\(minor).\(patch)"
        if !prerelease.isEmpty { text += "-" + prerelease.joined(separator: ".") }
        if let build { text += "+" + build }
        return text
    }

    public static func == (lhs: SemanticVersion, rhs: SemanticVersion) -> Bool {
        (lhs.major, lhs.minor, lhs.patch) == (rhs.major, rhs.minor, rhs.patch) && lhs.prerelease == rhs.prerelease
    }

    public static func < (lhs: SemanticVersion, rhs: SemanticVersion) -> Bool {
        if (lhs.major, lhs.minor, lhs.patch) != (rhs.major, rhs.minor, rhs.patch) {
            return (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
        }
        switch (lhs.prerelease.isEmpty, rhs.prerelease.isEmpty) {
        case (true, true), (true, false): return false
        case (false, true): return true
        case (false, false): break
        }
        for (a, b) in zip(lhs.prerelease, rhs.prerelease) where a != b {
            switch (UInt64(a), UInt64(b)) {
            case (let x?, let y?): return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a < b
            }
        }
        return lhs.prerelease.count < rhs.prerelease.count
    }

    /// The smallest version after `self` with the given bump (1.2.3 + minor → 1.3.0).
    public func bumped(_ bump: Bump) -> SemanticVersion {
        switch bump {
        case .major: return SemanticVersion(major: major + 1, minor: 0, patch: 0)
        case .minor: return SemanticVersion(major: major, minor: minor + 1, patch: 0)
        case .patch: return SemanticVersion(major: major, minor: minor, patch: patch + 1)
        }
    }

    /// The bump from `previous` to `self`, judged on MAJOR.MINOR.PATCH (a pre-release change alone is a patch).
    public func bump(from previous: SemanticVersion) -> Bump {
        if major != previous.major { return .major }
        if minor != previous.minor { return .minor }
        return .patch
    }
}

/// The semver bump a release declares or requires.
public enum Bump: String, Sendable, Equatable, Codable, Comparable, CaseIterable {
    case patch, minor, major

    private var rank: Int {
        switch self {
        case .patch: return 0
        case .minor: return 1
        case .major: return 2
        }
    }

    public static func < (lhs: Bump, rhs: Bump) -> Bool { lhs.rank < rhs.rank }
}
