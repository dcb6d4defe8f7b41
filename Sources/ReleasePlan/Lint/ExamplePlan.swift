/// Builds the example plans of rule documentation: a small clean plan with some keys replaced.
enum ExamplePlan {
    /// Keys every example starts from, in this order.
    static let defaults: KeyValuePairs<String, String> = [
        "app": "\"acme.example\"",
        "version": "\"1.1.0\"",
        "changelog": "{ \"en\": \"Shows the deals linked to each task.\" }",
        "scopes": "[\"crm\"]",
        "requiredMethods": "[\"crm.deal.get\"]",
    ]

    /// The JSON text of a plan: the defaults with `overrides` applied (a value of `nil` drops the
    /// key), then the remaining overrides appended in the order given.
    static func json(_ overrides: KeyValuePairs<String, String?> = [:], version: String? = nil) -> String {
        json(overrides.map { ($0.key, $0.value) }, version: version)
    }

    static func json(_ overrides: [(String, String?)], version: String? = nil) -> String {
        var lines: [String] = []
        var used = Set<String>()
        var overrideMap: [String: String?] = [:]
        for (key, value) in overrides { overrideMap[key] = value }
        if let version { overrideMap["version"] = "\"\(version)\"" }
        for (key, value) in defaults {
            if let override = overrideMap[key] {
                used.insert(key)
                if let override { lines.append("  \"\(key)\": \(override)") }
            } else {
                lines.append("  \"\(key)\": \(value)")
            }
        }
        for (key, value) in overrides where !used.contains(key) && key != "version" {
            if let value { lines.append("  \"\(key)\": \(value)") }
        }
        return "{\n" + lines.joined(separator: ",\n") + "\n}\n"
    }

    /// A release that adds the scope `task` (used by `tasks.task.get`) to the published plan.
    static func addingTaskScope(version: String, scopeUpgrade: String?) -> RuleExample {
        var overrides: [(String, String?)] = [
            ("version", "\"\(version)\""), ("scopes", "[\"crm\", \"task\"]"),
            ("requiredMethods", "[\"crm.deal.get\", \"tasks.task.get\"]"),
        ]
        if let scopeUpgrade { overrides.append(("scopeUpgrade", "\"\(scopeUpgrade)\"")) }
        return RuleExample(plan: json(overrides), previous: previous(), path: path(version))
    }

    /// Where an example plan of `version` lies, named after it (B24P109).
    static func path(_ version: String) -> String { "plans/acme.example/\(version).json" }

    /// The published plan examples compare against (version 1.0.0), with its own changelog (B24P110).
    static func previous(_ overrides: KeyValuePairs<String, String?> = [:]) -> String {
        var all: [(String, String?)] = [("changelog", "{ \"en\": \"Shows the deals linked to each deal.\" }")]
        for (key, value) in overrides {
            all.removeAll { $0.0 == key }
            all.append((key, value))
        }
        return json(all, version: "1.0.0")
    }
}
