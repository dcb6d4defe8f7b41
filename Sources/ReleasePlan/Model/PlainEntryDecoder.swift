/// Decodes the entries of a plan's long arrays (migrations, placements, events) in one pass over
/// their members when they have the usual shape: every key known and given once, every value of
/// the right type and range. Such an entry gives `PlanDecoder` no diagnostic, and this gives the
/// same value without an `ObjectReader` and a path per entry. Any other entry gives nil and is
/// decoded the long way, which reports what is wrong with it.
enum PlainEntryDecoder {
    static func migration(_ node: JSONNode) -> Migration? {
        guard case .object(let members) = node.value else { return nil }
        var id: Int?
        var name: String?
        var file: String?
        var sha256: String?
        var perPortal: Bool?
        var batchSize: Int?
        var transaction: Bool?
        for member in members {
            switch member.key {
            case "id":
                guard id == nil, let value = integer(member.value, minimum: 1) else { return nil }
                id = value
            case "name":
                guard name == nil, let value = text(member.value), !ObjectReader.isBlank(value) else { return nil }
                name = value
            case "file":
                guard file == nil, let value = text(member.value), !ObjectReader.isBlank(value) else { return nil }
                file = value
            case "sha256":
                guard sha256 == nil, let value = text(member.value) else { return nil }
                sha256 = value
            case "perPortal":
                guard perPortal == nil, case .bool(let value) = member.value.value else { return nil }
                perPortal = value
            case "batchSize":
                guard batchSize == nil, let value = integer(member.value, minimum: 1) else { return nil }
                batchSize = value
            case "transaction":
                guard transaction == nil, case .bool(let value) = member.value.value else { return nil }
                transaction = value
            default:
                return nil
            }
        }
        guard let id, let name, let file else { return nil }
        return Migration(
            id: id, name: name, file: file, sha256: sha256, perPortal: perPortal ?? false, batchSize: batchSize,
            transaction: transaction ?? true)
    }

    static func event(_ node: JSONNode) -> EventBinding? {
        guard case .object(let members) = node.value else { return nil }
        var event: String?
        var handler: String?
        var eventType: EventBinding.EventType?
        var authType: Int?
        for member in members {
            switch member.key {
            case "event":
                guard event == nil, let value = text(member.value) else { return nil }
                event = value
            case "handler":
                guard handler == nil, let value = text(member.value) else { return nil }
                handler = value
            case "eventType":
                guard eventType == nil, let value = text(member.value).flatMap(EventBinding.EventType.init(rawValue:)) else { return nil }
                eventType = value
            case "authType":
                guard authType == nil, let value = integer(member.value, minimum: 0) else { return nil }
                authType = value
            default:
                return nil
            }
        }
        guard let event, let handler else { return nil }
        return EventBinding(event: event, handler: handler, eventType: eventType ?? .online, authType: authType)
    }

    /// A placement without `options` (free-form values, checked the long way).
    static func placement(_ node: JSONNode) -> PlacementBinding? {
        guard case .object(let members) = node.value else { return nil }
        var placement: String?
        var handler: String?
        var texts = Texts()
        var langAll: [String: LocalizedPlacementText]?
        for member in members {
            switch member.key {
            case "placement":
                guard placement == nil, let value = text(member.value) else { return nil }
                placement = value
            case "handler":
                guard handler == nil, let value = text(member.value) else { return nil }
                handler = value
            case "langAll":
                guard langAll == nil, let value = languages(member.value) else { return nil }
                langAll = value
            default:
                guard texts.read(member) else { return nil }
            }
        }
        guard let placement, let handler else { return nil }
        return PlacementBinding(
            placement: placement, handler: handler, title: texts.title, description: texts.description, groupName: texts.groupName,
            langAll: langAll)
    }

    /// `title`, `description` and `groupName`: of a placement, or of a `langAll` entry.
    private struct Texts {
        var title: String?
        var description: String?
        var groupName: String?

        /// Takes one member; false for another key, a repeated one, or a value that is no string.
        mutating func read(_ member: JSONMember) -> Bool {
            guard let value = PlainEntryDecoder.text(member.value) else { return false }
            switch member.key {
            case "title" where title == nil: title = value
            case "description" where description == nil: description = value
            case "groupName" where groupName == nil: groupName = value
            default: return false
            }
            return true
        }
    }

    /// A `langAll` object: language code → texts, each language once.
    private static func languages(_ node: JSONNode) -> [String: LocalizedPlacementText]? {
        guard case .object(let members) = node.value else { return nil }
        var result: [String: LocalizedPlacementText] = [:]
        for member in members {
            guard result[member.key] == nil, case .object(let entry) = member.value.value else { return nil }
            var texts = Texts()
            for field in entry {
                guard texts.read(field) else { return nil }
            }
            result[member.key] = LocalizedPlacementText(title: texts.title, description: texts.description, groupName: texts.groupName)
        }
        return result
    }

    private static func text(_ node: JSONNode) -> String? {
        if case .string(let text) = node.value { return text }
        return nil
    }

    /// An integer literal within a `Double` and at least `minimum` (as `ObjectReader.integer` takes it).
    private static func integer(_ node: JSONNode, minimum: Int) -> Int? {
        guard case .number(let text) = node.value, !JSONNode.isOutOfRange(text), let value = Int(text), value >= minimum else {
            return nil
        }
        return value
    }
}
