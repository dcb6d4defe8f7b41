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

    /// `app.info`'s INSTALLED: true when absent; a value that is neither true nor false makes the
    /// answer unusable (reading it as false would mark the portal needs-reinstall).
    static func installedFlag(_ value: PlanValue?) throws -> Bool {
        guard let value else { return true }
        switch value {
        case .bool(let flag): return flag
        case .number("1"), .string("1"): return true
        case .number("0"), .string("0"): return false
        case .string(let text):
            switch text.lowercased() {
            case "y", "yes", "true": return true
            case "n", "no", "false", "": return false
            default: break
            }
        default: break
        }
        throw BitrixError.malformed("app.info INSTALLED is \(shown(value)), neither true nor false")
    }

    /// A value for a message: its JSON, cut to 80 characters.
    static func shown(_ value: PlanValue) -> String {
        let text = value.description
        return text.count <= 80 ? text : String(text.prefix(80)) + "…"
    }

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
        guard case .object = info else { throw BitrixError.malformed("app.info answered \(Self.shown(info)), not an object") }
        installed = try Self.installedFlag(info.field("INSTALLED"))
        language = info.field("LANGUAGE_ID")?.text
        enterprise = (info.field("LICENSE_FAMILY")?.text ?? "").lowercased() == "ent"
        // A missing answer is not "no scopes" (that would tell the admin to reinstall) nor "nothing
        // bound": the read batch is unusable.
        for key in ["scope", "placements", "events"] where batch.results[key] == nil && batch.errors[key] == nil {
            throw BitrixError.malformed("the read batch has neither a result nor an error for \(key)")
        }
        guard let scopeList = batch.results["scope"] else { throw batch.errors["scope"]! }
        switch scopeList {
        case .array, .object: break
        default: throw BitrixError.malformed("scope answered \(Self.shown(scopeList)), not a list")
        }
        scopes = Set(scopeList.elementsOrEmpty.compactMap(\.text))
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
