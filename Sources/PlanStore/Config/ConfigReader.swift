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
        guard let members = object(root, path: .root, known: ["$schema", "installations", "migrations", "oauth", "database", "rollout"])
        else {
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
                    // Checked here, before any step: a wrong one would otherwise surface at the first refresh.
                    let parts = URLComponents(string: text)
                    let scheme = parts?.scheme?.lowercased()
                    if (scheme != "https" && scheme != "http") || (parts?.host ?? "").isEmpty {
                        report(
                            "`\(path / "tokenUrl")` must be an https URL such as https://oauth.bitrix.info/oauth/token/, found \"\(text.prefix(80))\"",
                            url.value.range, path / "tokenUrl")
                    }
                    config.tokenURL = text
                }
            case "database":
                config.database = string(member.value, path: path)
            case "rollout":
                config.rollout = readRollout(member.value, path: path)
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

    /// `{"canary": {"memberIds": […]} | {"where": "…"}, "waves": [1, 10, 100], "halt": {"failedPercent": 2,
    /// "minPortals": 20}, "between": "gate" | "30m"}`.
    private mutating func readRollout(_ node: JSONNode, path: JSONPath) -> RolloutPolicy? {
        guard let members = object(node, path: path, known: ["canary", "waves", "halt", "between"]) else { return nil }
        var policy = RolloutPolicy(waves: [])
        var valid = true
        for member in members {
            let memberPath = path / member.key
            switch member.key {
            case "canary":
                guard let canary = object(member.value, path: memberPath, known: ["memberIds", "where"]) else {
                    valid = false
                    continue
                }
                if let ids = canary.first(where: { $0.key == "memberIds" }) {
                    let texts = ids.value.elements?.compactMap(\.string) ?? []
                    guard let elements = ids.value.elements, texts.count == elements.count, !texts.isEmpty else {
                        report(
                            "`\(memberPath / "memberIds")` must be a non-empty list of member ids", ids.value.range,
                            memberPath / "memberIds")
                        valid = false
                        continue
                    }
                    policy.canary = .memberIDs(texts)
                } else if let clause = canary.first(where: { $0.key == "where" }),
                    let text = string(clause.value, path: memberPath / "where")
                {
                    if let problem = SQLCondition.problem(text) {
                        report("`\(memberPath / "where")`: \(problem)", clause.value.range, memberPath / "where")
                        valid = false
                    }
                    policy.canary = .whereClause(text)
                } else {
                    report("`\(memberPath)` needs \"memberIds\" or \"where\"", member.value.range, memberPath)
                    valid = false
                }
            case "waves":
                let numbers = member.value.elements?.compactMap(\.number) ?? []
                guard let elements = member.value.elements, numbers.count == elements.count else {
                    report("`\(memberPath)` must be a list of numbers, e.g. [1, 10, 100]", member.value.range, memberPath)
                    valid = false
                    continue
                }
                if let problem = RolloutPolicy.wavesProblem(numbers) {
                    report("`\(memberPath)`: \(problem)", member.value.range, memberPath)
                    valid = false
                }
                policy.waves = numbers
            case "halt":
                guard let halt = object(member.value, path: memberPath, known: ["failedPercent", "minPortals"]) else {
                    valid = false
                    continue
                }
                for entry in halt {
                    guard let number = entry.value.number, number >= 0,
                        entry.key == "failedPercent" ? number <= 100 : number == number.rounded()
                    else {
                        report(
                            "`\(memberPath / entry.key)` must be a number \(entry.key == "failedPercent" ? "from 0 to 100" : "of portals")",
                            entry.value.range, memberPath / entry.key)
                        valid = false
                        continue
                    }
                    if entry.key == "failedPercent" { policy.haltFailedPercent = number } else { policy.haltMinPortals = Int(number) }
                }
            case "between":
                guard let text = string(member.value, path: memberPath) else {
                    valid = false
                    continue
                }
                if text == "gate" {
                    policy.between = .gate
                } else if let seconds = RolloutPolicy.parseDuration(text) {
                    policy.between = .soak(seconds: seconds)
                } else {
                    report("`\(memberPath)` must be \"gate\" or a duration such as \"30m\", \"2h\", \"1d\"", member.value.range, memberPath)
                    valid = false
                }
            default:
                break
            }
        }
        if valid && policy.waves.isEmpty {
            report("`\(path)` needs \"waves\", e.g. [1, 10, 100]", node.range, path)
            valid = false
        }
        return valid ? policy : nil
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
