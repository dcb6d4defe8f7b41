import Testing

@testable import ReleasePlan

/// Semver parsing and precedence (semver.org 2.0.0), free versioning, and bumps.
struct VersionTests {
    struct Valid: Sendable, CustomTestStringConvertible {
        let text: String
        let core: [UInt64]
        let prerelease: [String]
        let build: String?
        var testDescription: String { text }
    }

    static let valid: [Valid] = [
        Valid(text: "1.3.0", core: [1, 3, 0], prerelease: [], build: nil),
        Valid(text: "0.0.0", core: [0, 0, 0], prerelease: [], build: nil),
        Valid(text: "10.20.30", core: [10, 20, 30], prerelease: [], build: nil),
        Valid(text: "1.3.0-beta.1", core: [1, 3, 0], prerelease: ["beta", "1"], build: nil),
        Valid(text: "1.0.0-x-y.7.z.92", core: [1, 0, 0], prerelease: ["x-y", "7", "z", "92"], build: nil),
        Valid(text: "1.0.0-0.3.7", core: [1, 0, 0], prerelease: ["0", "3", "7"], build: nil),
        Valid(text: "1.0.0+20130313144700", core: [1, 0, 0], prerelease: [], build: "20130313144700"),
        Valid(text: "1.0.0-beta+exp.sha.5114f85", core: [1, 0, 0], prerelease: ["beta"], build: "exp.sha.5114f85"),
        Valid(text: "1.0.0+build-01", core: [1, 0, 0], prerelease: [], build: "build-01"),
    ]

    @Test(arguments: valid)
    func parsesValid(_ testCase: Valid) throws {
        let version = try #require(SemanticVersion(testCase.text))
        #expect([version.major, version.minor, version.patch] == testCase.core)
        #expect(version.prerelease == testCase.prerelease)
        #expect(version.build == testCase.build)
        #expect(version.description == testCase.text)
        #expect(Version(testCase.text, scheme: .semver) == .semantic(version))
    }

    static let invalid: [String] = [
        "1.3", "1", "v1.0.0", "V1.0.0", "01.0.0", "1.02.0", "1.0.00", "1.0.0-01", "1.0.0-alpha.01", "1.0.0-",
        "1.0.0+", "1.0.0-alpha..1", "1.0.0-al_pha", "1.0.0+b+c", "", "1.0.0.0", " 1.0.0", "1.0.0 ", "-1.0.0",
        "1.0.0-α", "1.a.0", "1..0", "１.0.0", "99999999999999999999.0.0",
    ]

    @Test(arguments: invalid)
    func rejectsInvalid(_ text: String) {
        #expect(SemanticVersion(text) == nil)
        #expect(Version(text, scheme: .semver) == nil)
    }

    /// semver.org §11: each is lower than the next.
    static let precedence = [
        "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
        "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "1.10.0", "2.0.0-rc.1", "2.0.0",
    ]

    @Test func precedenceFollowsSemverOrg() throws {
        let versions = try Self.precedence.map { try #require(SemanticVersion($0)) }
        for (lower, higher) in zip(versions, versions.dropFirst()) {
            #expect(lower < higher, "\(lower) < \(higher)")
            #expect(!(higher < lower), "not \(higher) < \(lower)")
            #expect(Version.semantic(higher).isGreater(than: .semantic(lower)))
            #expect(!Version.semantic(lower).isGreater(than: .semantic(higher)))
        }
        #expect(versions.reversed().sorted() == versions)
    }

    @Test func buildMetadataIsIgnored() throws {
        let a = try #require(SemanticVersion("1.0.0+a"))
        let b = try #require(SemanticVersion("1.0.0+b"))
        #expect(a == b)
        #expect(!(a < b) && !(b < a))
        #expect(!Version.semantic(a).isGreater(than: .semantic(b)))
    }

    struct FreeCase: Sendable, CustomTestStringConvertible {
        let higher: String
        let lower: String
        var testDescription: String { "\(higher) > \(lower)" }
    }

    static let freeOrder: [FreeCase] = [
        FreeCase(higher: "1.10", lower: "1.9"),
        FreeCase(higher: "2", lower: "1.99.99"),
        FreeCase(higher: "1.0.1", lower: "1"),
        FreeCase(higher: "2024.2", lower: "2023.12"),
        FreeCase(higher: "1.b", lower: "1.a"),
        FreeCase(higher: "r10", lower: "r1"),
    ]

    @Test(arguments: freeOrder)
    func freeVersioningComparesSegments(_ testCase: FreeCase) throws {
        let higher = try #require(Version(testCase.higher, scheme: .free))
        let lower = try #require(Version(testCase.lower, scheme: .free))
        #expect(higher.isGreater(than: lower))
        #expect(!lower.isGreater(than: higher))
    }

    @Test func freeVersioningEqualities() throws {
        let one = try #require(Version("1", scheme: .free))
        let oneZero = try #require(Version("1.0", scheme: .free))
        #expect(!one.isGreater(than: oneZero) && !oneZero.isGreater(than: one))
        #expect(Version("1.3", scheme: .free)?.description == "1.3")
        #expect(Version("1.3", scheme: .semver) == nil)
    }

    @Test(arguments: ["", "1..2", "1.", ".1", "1. 2", "a b"])
    func freeVersioningRejects(_ text: String) {
        #expect(Version(text, scheme: .free) == nil)
    }

    struct BumpCase: Sendable, CustomTestStringConvertible {
        let from: String
        let to: String
        let bump: Bump
        var testDescription: String { "\(from) → \(to) is \(bump)" }
    }

    static let bumps: [BumpCase] = [
        BumpCase(from: "1.2.5", to: "1.2.6", bump: .patch),
        BumpCase(from: "1.2.5", to: "1.3.0", bump: .minor),
        BumpCase(from: "1.2.5", to: "1.4.1", bump: .minor),
        BumpCase(from: "1.9.9", to: "2.0.0", bump: .major),
        BumpCase(from: "0.1.0", to: "1.0.0", bump: .major),
        BumpCase(from: "1.3.0-beta.1", to: "1.3.0", bump: .patch),
        BumpCase(from: "1.2.0", to: "1.3.0-rc.1", bump: .minor),
    ]

    @Test(arguments: bumps)
    func bumpFrom(_ testCase: BumpCase) throws {
        let from = try #require(SemanticVersion(testCase.from))
        let to = try #require(SemanticVersion(testCase.to))
        #expect(to.bump(from: from) == testCase.bump)
    }

    @Test func bumpedGivesTheSmallestNextVersion() throws {
        let version = try #require(SemanticVersion("1.2.3-beta.1+build.9"))
        #expect(version.bumped(.patch).description == "1.2.4")
        #expect(version.bumped(.minor).description == "1.3.0")
        #expect(version.bumped(.major).description == "2.0.0")
        #expect(SemanticVersion(major: 0, minor: 9, patch: 9).bumped(.minor).description == "0.10.0")
    }

    @Test func bumpsAreOrdered() {
        #expect(Bump.patch < .minor && .minor < .major)
        #expect([Bump.major, .patch, .minor].max() == .major)
        #expect(Bump.allCases.sorted() == [.patch, .minor, .major])
    }
}
