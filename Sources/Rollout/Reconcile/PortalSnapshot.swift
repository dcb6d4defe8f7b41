import ReleasePlan

/// What one read batch says about a portal: the app's status, the token's scopes, and this app's
/// placements and event handlers as the portal stores them.
public struct PortalSnapshot: Sendable, Equatable {
    public struct StoredPlacement: Sendable, Equatable {
        public var placement: String
        public var handler: String
        public var title: String?
        public var options: [String: String]
    }

    public struct StoredEvent: Sendable, Equatable {
        public var event: String
        public var handler: String
        public var authType: String
        public var offline: Bool
    }

    public var installed: Bool
    /// Portal language (`app.info` LANGUAGE_ID), for LANG_ALL titles and the notice.
    public var language: String?
    public var enterprise: Bool
    public var scopes: Set<String>
    public var placements: [StoredPlacement]
    public var events: [StoredEvent]
    /// Required methods the portal does not have (method.get isExisting/isAvailable false).
    public var unavailableMethods: [String]
    /// The release notice option as the portal stores it (`app.option.get`), when it was read; `nil`
    /// when not asked for, not set, or unreadable (then the notice is written).
    public var notice: PlanValue?

    /// How many required methods the read batch checks (50 commands at most per batch).
    static let methodLimit = 45

    /// The read batch's commands: app.info, scope, placement.get, event.get, the notice option when
    /// `noticeOption` names one (`app.option.get`), method.get per required method.
    public static func readCommands(requiredMethods: [String], noticeOption: String? = nil) -> [BatchCommand] {
        var commands = [
            BatchCommand(key: "app_info", method: "app.info"), BatchCommand(key: "scope", method: "scope"),
            BatchCommand(key: "placements", method: "placement.get"), BatchCommand(key: "events", method: "event.get"),
        ]
        if let noticeOption {
            commands.append(BatchCommand(key: "notice", method: "app.option.get", parameters: ["option": .string(noticeOption)]))
        }
        for (index, method) in requiredMethods.prefix(methodLimit).enumerated() {
            commands.append(BatchCommand(key: "method_\(index)", method: "method.get", parameters: ["name": .string(method)]))
        }
        return commands
    }

    /// Reads the batch's answers; errors of placement.get or event.get (no scope) read as "none bound".
    public init(batch: BatchResult, requiredMethods: [String]) throws {
        guard let info = batch.results["app_info"] else {
            throw batch.errors["app_info"] ?? BitrixError.malformed("app.info gave no result")
        }
        installed = info.field("INSTALLED")?.truthy ?? true
        language = info.field("LANGUAGE_ID")?.text
        enterprise = (info.field("LICENSE_FAMILY")?.text ?? "").lowercased() == "ent"
        scopes = Set((batch.results["scope"] ?? .null).elementsOrEmpty.compactMap(\.text))
        placements = (batch.results["placements"] ?? .null).elementsOrEmpty.map { item in
            var options: [String: String] = [:]
            for (key, value) in (item.field("options") ?? .null).entries { options[key] = value.text ?? value.description }
            return StoredPlacement(
                placement: (item.field("placement")?.text ?? "").uppercased(), handler: item.field("handler")?.text ?? "",
                title: item.field("title")?.text, options: options)
        }
        events = (batch.results["events"] ?? .null).elementsOrEmpty.map { item in
            StoredEvent(
                event: (item.field("event")?.text ?? "").uppercased(), handler: item.field("handler")?.text ?? "",
                authType: item.field("auth_type")?.text ?? "0", offline: item.field("offline")?.truthy ?? false)
        }
        notice = batch.results["notice"].flatMap { $0 == .null ? nil : $0 }
        unavailableMethods = requiredMethods.prefix(Self.methodLimit).enumerated().compactMap { index, method in
            guard let answer = batch.results["method_\(index)"] else { return nil }
            let exists = answer.field("isExisting")?.truthy ?? true
            let available = answer.field("isAvailable")?.truthy ?? true
            return exists && available ? nil : method
        }
    }
}
