/// Decodes the located JSON tree of a plan into `Plan`, reporting B24P002–B24P005 (and
/// B24P010 for a suppression without a reason) without stopping at the first problem.
public enum PlanDecoder {
    public static let topLevelKeys = [
        "$schema", "app", "version", "versioning", "changelog", "monetization", "minimumBitrix24Version", "scopes",
        "scopeUpgrade", "handlerHosts", "placements", "events", "requiredMethods", "migrations", "deploy", "notice",
        "database", "suppress",
    ]
    static let placementKeys = ["placement", "handler", "title", "description", "groupName", "langAll", "options"]
    static let localizedKeys = ["title", "description", "groupName"]
    static let eventKeys = ["event", "handler", "eventType", "authType"]
    static let migrationKeys = ["id", "name", "file", "sha256", "perPortal", "batchSize", "transaction"]

    public struct Result: Sendable {
        /// Nil only when the root is not an object.
        public var document: PlanDocument?
        public var diagnostics: [Diagnostic]
    }

    /// `numbersInRange`: the parser saw no number beyond a `Double` (`JSONParser.Result`), so the
    /// tree need not be searched for one. `plainEntries`: entries of the usual shape are read by
    /// `PlainEntryDecoder` (false only in tests that compare both ways).
    public static func decode(_ root: JSONNode, source: SourceFile, numbersInRange: Bool = false) -> Result {
        decode(root, source: source, numbersInRange: numbersInRange, plainEntries: true)
    }

    static func decode(_ root: JSONNode, source: SourceFile, numbersInRange: Bool, plainEntries: Bool) -> Result {
        let context = DecodeContext(source: source)
        guard
            let reader = ObjectReader(
                root, at: .root, context: context, known: topLevelKeys, required: ["app", "version", "changelog", "scopes"],
                what: "the plan")
        else {
            return Result(document: nil, diagnostics: context.diagnostics)
        }
        if !numbersInRange { context.reportNumbersOutOfRange(in: root, at: .root) }
        var plan = Plan()
        plan.app = reader.string("app", nonEmpty: true) ?? ""
        plan.version = reader.string("version") ?? ""
        plan.versioning = reader.oneOf("versioning", Versioning.self) ?? .semver
        plan.changelog = decodeChangelog(reader)
        if let node = reader.value("monetization") { plan.monetization = decodeMonetization(node, context: context) }
        plan.minimumBitrix24Version = reader.string("minimumBitrix24Version")
        if let minimum = plan.minimumBitrix24Version, let node = reader.value("minimumBitrix24Version"),
            minimum.split(separator: ".", omittingEmptySubsequences: false).contains(where: { $0.isEmpty || !$0.allSatisfy(\.isNumber) })
        {
            context.badValue(node, at: ["minimumBitrix24Version"], PlanMessages.badMinimumVersion(minimum))
            plan.minimumBitrix24Version = nil
        }
        plan.scopes = reader.array("scopes") { decodeScope($0, $1, context: context) } ?? []
        plan.scopeUpgrade = reader.oneOf("scopeUpgrade", ScopeUpgrade.self)
        plan.handlerHosts = reader.stringArray("handlerHosts")
        let placement = plainEntries ? PlainEntryDecoder.placement : { _ in nil }
        let event = plainEntries ? PlainEntryDecoder.event : { _ in nil }
        let migration = plainEntries ? PlainEntryDecoder.migration : { _ in nil }
        plan.placements = reader.array("placements", plain: placement) { decodePlacement($0, $1, context: context) } ?? []
        plan.events = reader.array("events", plain: event) { decodeEvent($0, $1, context: context) } ?? []
        plan.requiredMethods = reader.stringArray("requiredMethods") ?? []
        plan.migrations = reader.array("migrations", plain: migration) { decodeMigration($0, $1, context: context) } ?? []
        if let node = reader.value("deploy") { plan.deploy = decodeDeploy(node, context: context) }
        if let node = reader.value("notice"),
            let notice = ObjectReader(node, at: ["notice"], context: context, known: ["option"], required: ["option"], what: "notice")
        {
            plan.notice = notice.string("option", nonEmpty: true).map(Notice.init(option:))
        }
        plan.database = reader.oneOf("database", DatabaseDialect.self)
        plan.suppress = reader.array("suppress") { decodeSuppression($0, $1, context: context) } ?? []
        _ = reader.string("$schema")
        let document = PlanDocument(
            source: source, root: root, plan: plan, damagedKeys: context.damagedKeys, elementIndices: context.elementIndices)
        return Result(document: document, diagnostics: context.diagnostics)
    }

    private static func decodeChangelog(_ reader: ObjectReader) -> [String: String] {
        guard let node = reader.value("changelog") else { return [:] }
        guard let members = node.members else {
            reader.context.wrongType(node, at: ["changelog"], expected: "an object of language code → text")
            return [:]
        }
        var changelog: [String: String] = [:]
        for member in members {
            let path: JSONPath = ["changelog", .key(member.key)]
            if changelog[member.key] != nil {
                reader.context.report(
                    "B24P005", PlanMessages.duplicateKey(member.key, what: "changelog", firstLine: nil),
                    range: member.keyRange, path: path, damages: false)
            }
            guard let text = member.value.string else {
                reader.context.wrongType(member.value, at: path, expected: "a string")
                continue
            }
            changelog[member.key] = text
        }
        return changelog
    }

    private static func decodeMonetization(_ node: JSONNode, context: DecodeContext) -> Monetization? {
        guard
            let reader = ObjectReader(
                node, at: ["monetization"], context: context, known: ["model", "trialDays"], required: ["model"],
                what: "monetization")
        else { return nil }
        guard let model = reader.oneOf("model", Monetization.Model.self) else { return nil }
        return Monetization(model: model, trialDays: reader.integer("trialDays", minimum: 0))
    }

    private static func decodeScope(_ node: JSONNode, _ path: JSONPath, context: DecodeContext) -> ScopeRequest? {
        if let code = node.string { return ScopeRequest(code: code) }
        guard node.members != nil else {
            context.wrongType(node, at: path, expected: "a scope code or {\"code\", \"purpose\"}")
            return nil
        }
        guard
            let reader = ObjectReader(
                node, at: path, context: context, known: ["code", "purpose"], required: ["code"], what: "a scope")
        else { return nil }
        guard let code = reader.string("code") else { return nil }
        return ScopeRequest(code: code, purpose: reader.string("purpose", nonEmpty: true))
    }

    private static func decodePlacement(_ node: JSONNode, _ path: JSONPath, context: DecodeContext) -> PlacementBinding? {
        guard
            let reader = ObjectReader(
                node, at: path, context: context, known: placementKeys, required: ["placement", "handler"],
                what: "a placement")
        else { return nil }
        let placement = reader.string("placement")
        let handler = reader.string("handler")
        var binding = PlacementBinding(placement: placement ?? "", handler: handler ?? "")
        binding.title = reader.string("title")
        binding.description = reader.string("description")
        binding.groupName = reader.string("groupName")
        if let langAll = reader.value("langAll") {
            binding.langAll = decodeLangAll(langAll, path / "langAll", context: context)
        }
        if let options = reader.value("options") {
            if options.members != nil {
                context.reportDuplicateKeys(in: options, at: path / "options", what: "options")
                if case .object(let object) = PlanValue(options) { binding.options = object }
            } else {
                context.wrongType(options, at: path / "options", expected: "an object")
            }
        }
        guard placement != nil, handler != nil else { return nil }
        return binding
    }

    private static func decodeLangAll(_ node: JSONNode, _ path: JSONPath, context: DecodeContext) -> [String: LocalizedPlacementText]? {
        guard let members = node.members else {
            context.wrongType(node, at: path, expected: "an object of language code → {title, description, groupName}")
            return nil
        }
        var result: [String: LocalizedPlacementText] = [:]
        for member in members {
            guard
                let reader = ObjectReader(
                    member.value, at: path / member.key, context: context, known: localizedKeys, required: [],
                    what: "a langAll entry")
            else { continue }
            result[member.key] = LocalizedPlacementText(
                title: reader.string("title"), description: reader.string("description"),
                groupName: reader.string("groupName"))
        }
        return result
    }

    private static func decodeEvent(_ node: JSONNode, _ path: JSONPath, context: DecodeContext) -> EventBinding? {
        guard
            let reader = ObjectReader(
                node, at: path, context: context, known: eventKeys, required: ["event", "handler"], what: "an event")
        else { return nil }
        let event = reader.string("event")
        let handler = reader.string("handler")
        let eventType = reader.oneOf("eventType", EventBinding.EventType.self)
        let authType = reader.integer("authType", minimum: 0)
        guard let event, let handler else { return nil }
        return EventBinding(event: event, handler: handler, eventType: eventType ?? .online, authType: authType)
    }

    private static func decodeMigration(_ node: JSONNode, _ path: JSONPath, context: DecodeContext) -> Migration? {
        guard
            let reader = ObjectReader(
                node, at: path, context: context, known: migrationKeys, required: ["id", "name", "file"],
                what: "a migration")
        else { return nil }
        let id = reader.integer("id", minimum: 1)
        let name = reader.string("name", nonEmpty: true)
        let file = reader.string("file", nonEmpty: true)
        let sha256 = reader.string("sha256")
        let perPortal = reader.bool("perPortal")
        let batchSize = reader.integer("batchSize", minimum: 1)
        let transaction = reader.bool("transaction")
        guard let id, let name, let file else { return nil }
        return Migration(
            id: id, name: name, file: file, sha256: sha256, perPortal: perPortal ?? false, batchSize: batchSize,
            transaction: transaction ?? true)
    }

    private static func decodeDeploy(_ node: JSONNode, context: DecodeContext) -> Deploy? {
        guard let reader = ObjectReader(node, at: ["deploy"], context: context, known: ["command"], required: [], what: "deploy")
        else { return nil }
        guard let command = reader.stringArray("command", nonEmptyArray: true) else { return Deploy(command: nil) }
        if let first = command.first, first.trimmingWhitespace().isEmpty, let node = reader.value("command") {
            context.badValue(node, at: ["deploy", "command"], PlanMessages.emptyString(["deploy", "command", 0]))
        }
        return Deploy(command: command)
    }

    private static func decodeSuppression(_ node: JSONNode, _ path: JSONPath, context: DecodeContext) -> Suppression? {
        guard
            let reader = ObjectReader(
                node, at: path, context: context, known: ["rule", "at", "reason"], required: ["rule", "at"],
                what: "a suppression")
        else { return nil }
        let rule = reader.string("rule")
        let at = reader.string("at")
        if let rule, RuleTable.entry(RuleCode(rawValue: rule)) == nil, let ruleNode = reader.value("rule") {
            let codes = RuleTable.entries.map(\.code.rawValue)
            context.badValue(ruleNode, at: path / "rule", PlanMessages.unknownRule(rule) + Suggestion.phrase(for: rule, in: codes))
        }
        if let at, JSONPath(parsing: at) == nil, let atNode = reader.value("at") {
            context.badValue(atNode, at: path / "at", PlanMessages.badSuppressionPath(at))
        }
        var reason: String?
        if let reasonNode = reader.value("reason") {
            if let text = reasonNode.string {
                reason = text
            } else {
                context.wrongType(reasonNode, at: path / "reason", expected: "a string")
            }
        }
        guard let rule, let at else { return nil }
        return Suppression(rule: rule, at: at, reason: reason)
    }
}

extension JSONPath: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: JSONPath.Component...) {
        self.init(elements)
    }
}

extension JSONPath.Component: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    public init(stringLiteral value: String) { self = .key(value) }
    public init(integerLiteral value: Int) { self = .index(value) }
}
