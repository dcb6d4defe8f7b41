import Foundation
import ReleasePlan

/// `b24plan.config.json`: where the app keeps its installations, the migrations table, OAuth.
public struct AppConfig: Sendable, Equatable {
    /// How to read the app's installations table (DESIGN §7).
    public struct Installations: Sendable, Equatable {
        public var table = "portals"
        public var memberId = "member_id"
        public var endpoint = "client_endpoint"
        public var accessToken = "access_token"
        public var refreshToken = "refresh_token"
        public var expiresAt = "expires_at"
        /// A SQL condition selecting active installations (trusted: it is the vendor's own config).
        public var whereClause = "active = 1"
        /// The assignment that marks an installation inactive (the row is never deleted).
        public var deactivate = "active = 0"

        public init() {}
    }

    public var installations = Installations()
    public var migrationsTable = "schema_migrations"
    public var tokenURL = "https://oauth.bitrix.info/oauth/token/"
    /// The state store URL, when the config names one (the flag and the environment win).
    public var database: String?
    /// `rollout`: the reconcile in a canary and waves (nil: one step on every portal).
    public var rollout: RolloutPolicy?

    public init() {}

    public static let fileName = "b24plan.config.json"

    /// A problem in the config file, located.
    public struct ConfigError: Error, Sendable, CustomStringConvertible {
        public var diagnostics: [Diagnostic]
        public var description: String {
            diagnostics.map { "\($0.file):\($0.line):\($0.column): \($0.message)" }.joined(separator: "\n")
        }
    }

    /// Reads a config file; a missing file gives the defaults only when `required` is false.
    public static func load(_ path: String, required: Bool, fileSystem: any FileSystem = LocalFileSystem()) throws -> AppConfig {
        let bytes: [UInt8]
        do {
            bytes = try fileSystem.read(path)
        } catch {
            // Absent is fine when not required; present but unreadable (a folder, no permission) never is.
            if !required, !FileManager.default.fileExists(atPath: path) { return AppConfig() }
            let diagnostic = Diagnostic(
                rule: "B24P001", message: "cannot read the config: \((error as? FileSystemError)?.reason ?? "\(error)")",
                file: path, start: SourceLocation(line: 1, column: 1))
            throw ConfigError(diagnostics: [diagnostic])
        }
        let source = SourceFile(path: path, bytes: bytes)
        let parsed = JSONParser.parse(source)
        guard parsed.diagnostics.isEmpty, let root = parsed.root else { throw ConfigError(diagnostics: parsed.diagnostics) }
        var reader = ConfigReader(source: source)
        let config = reader.read(root)
        if !reader.diagnostics.isEmpty { throw ConfigError(diagnostics: reader.diagnostics) }
        return config
    }
}
