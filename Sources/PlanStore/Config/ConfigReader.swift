import Foundation
import ReleasePlan

/// Reads the located JSON of `b24plan.config.json`, reporting unknown keys and wrong types where
/// they are.
struct ConfigReader {
    let source: SourceFile
    var diagnostics: [Diagnostic] = []

    init(source: SourceFile) { self.source = source }

    static let identifierPattern = #"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$"#

    mutating func read(_ root: JSONNode) -> AppConfig {
        var config = AppConfig()
        guard let members = object(root, path: .root, known: ["$schema", "installations", "migrations", "oauth", "database"]) else {
            return config
        }
        for member in members {
            let path = JSONPath.root / member.key
            switch member.key {
            case "installations":
                config.installations = readInstallations(member.value, path: path)
            case "migrations":
                guard let inner = object(member.value, path: path, known: ["table"]) else { continue }
                if let table = inner.first(where: { $0.key == "table" }), let name = identifier(table.value, path: path / "table") {
                    config.migrationsTable = name
                }
            case "oauth":
                guard let inner = object(member.value, path: path, known: ["tokenUrl"]) else { continue }
                if let url = inner.first(where: { $0.key == "tokenUrl" }), let text = string(url.value, path: path / "tokenUrl") {
                    config.tokenURL = text
                }
            case "database":
                config.database = string(member.value, path: path)
            default:
                break
            }
        }
        return config
    }

    private mutating func readInstallations(_ node: JSONNode, path: JSONPath) -> AppConfig.Installations {
        var mapping = AppConfig.Installations()
        let keys = ["table", "memberId", "endpoint", "accessToken", "refreshToken", "expiresAt", "where", "deactivate"]
        guard let members = object(node, path: path, known: keys) else { return mapping }
        for member in members {
            let memberPath = path / member.key
            switch member.key {
            case "where": if let text = string(member.value, path: memberPath) { mapping.whereClause = text }
            case "deactivate": if let text = string(member.value, path: memberPath) { mapping.deactivate = text }
            default:
                guard let name = identifier(member.value, path: memberPath) else { continue }
                switch member.key {
                case "table": mapping.table = name
                case "memberId": mapping.memberId = name
                case "endpoint": mapping.endpoint = name
                case "accessToken": mapping.accessToken = name
                case "refreshToken": mapping.refreshToken = name
                case "expiresAt": mapping.expiresAt = name
                default: break
                }
            }
        }
        return mapping
    }

    private mutating func object(_ node: JSONNode, path: JSONPath, known: [String]) -> [JSONMember]? {
        guard let members = node.members else {
            report("`\(path.description.isEmpty ? "(root)" : path.description)` must be an object", node.range, path)
            return nil
        }
        for member in members where !known.contains(member.key) {
            report(
                "unknown key \"\(member.key)\" in the config" + Suggestion.phrase(for: member.key, in: known), member.keyRange,
                path / member.key)
        }
        return members
    }

    private mutating func string(_ node: JSONNode, path: JSONPath) -> String? {
        guard let text = node.string else {
            report("`\(path)` must be a string", node.range, path)
            return nil
        }
        return text
    }

    private mutating func identifier(_ node: JSONNode, path: JSONPath) -> String? {
        guard let text = string(node, path: path) else { return nil }
        guard text.range(of: Self.identifierPattern, options: .regularExpression) != nil else {
            report("`\(path)` must be a plain SQL identifier (letters, digits, _), found \"\(text)\"", node.range, path)
            return nil
        }
        return text
    }

    private mutating func report(_ message: String, _ range: SourceRange, _ path: JSONPath) {
        diagnostics.append(Diagnostic("B24P003", message, in: source, range: range, path: path))
    }
}
