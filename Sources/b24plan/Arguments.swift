import ReleasePlan

/// One option a command accepts: `--name value` / `--name=value`, or a flag `--name`.
struct OptionSpec {
    var name: String
    var valueName: String?
    /// The values allowed (e.g. the formats), checked while parsing.
    var allowed: [String]?
    var help: String

    static func flag(_ name: String, _ help: String) -> OptionSpec {
        OptionSpec(name: name, valueName: nil, allowed: nil, help: help)
    }

    static func value(_ name: String, _ valueName: String, allowed: [String]? = nil, _ help: String) -> OptionSpec {
        OptionSpec(name: name, valueName: valueName, allowed: allowed, help: help)
    }
}

/// What a command's command line said, options before or after the positional arguments.
struct ParsedArguments {
    var values: [String: String] = [:]
    var flags: Set<String> = []
    var positionals: [String] = []
    var wantsHelp = false

    func value(_ name: String) -> String? { values[name] }
    func has(_ name: String) -> Bool { flags.contains(name) }
}

/// A wrong command line: printed with the command's usage, exit code 64.
struct UsageError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

enum ArgumentParser {
    /// Parses `arguments` against `options`; `--` ends the options.
    static func parse(_ arguments: [String], options: [OptionSpec]) throws -> ParsedArguments {
        var parsed = ParsedArguments()
        var index = 0
        var optionsEnded = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if optionsEnded || !argument.hasPrefix("-") || argument == "-" {
                parsed.positionals.append(argument)
                continue
            }
            if argument == "--" {
                optionsEnded = true
                continue
            }
            if argument == "-h" || argument == "--help" {
                parsed.wantsHelp = true
                continue
            }
            guard argument.hasPrefix("--") else { throw UsageError(message: "unknown option '\(argument)'") }
            var name = String(argument.dropFirst(2))
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            guard let spec = options.first(where: { $0.name == name }) else {
                let hint = Suggestion.phrase(for: name, in: options.map(\.name))
                throw UsageError(message: "unknown option '--\(name)'" + hint.replacing("'", with: "'--", maxReplacements: 1))
            }
            guard let valueName = spec.valueName else {
                if inlineValue != nil { throw UsageError(message: "option '--\(name)' takes no value") }
                parsed.flags.insert(name)
                continue
            }
            let value: String
            if let inlineValue {
                value = inlineValue
            } else if index < arguments.count {
                value = arguments[index]
                index += 1
            } else {
                throw UsageError(message: "option '--\(name)' needs a value (\(valueName))")
            }
            if let allowed = spec.allowed, !allowed.contains(value) {
                throw UsageError(
                    message: "option '--\(name)' must be one of \(allowed.joined(separator: ", ")), not '\(value)'")
            }
            parsed.values[name] = value
        }
        return parsed
    }
}
